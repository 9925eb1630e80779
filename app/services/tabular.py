"""Reading a table from CSV or XLSX, the way secretaries save them.

CSV: comma or semicolon (whichever the header uses), UTF-8 with or without
BOM, quoted fields with newlines and separators. XLSX: the first sheet. Rows
are numbered as a spreadsheet shows them (the header is row 1), so every
problem can point at a cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.errors import echo
from app.i18n import _
from app.services.errors import InputFileError, Problem

MAX_TABLE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 20_000


@dataclass(frozen=True)
class TableRow:
    """One data row: its spreadsheet row number and its cells by column name."""

    number: int
    values: dict[str, str]
    extra_cells: int = 0


@dataclass(frozen=True)
class Table:
    """A header and its rows; column names are stripped and lower-cased."""

    source: str
    columns: list[str]
    rows: list[TableRow]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # repr is the shortest text that reads back as the same float.
        return repr(value) if not value.is_integer() else str(int(value))
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _rows_to_table(source: str, raw_rows: list[tuple[int, list[str]]]) -> Table:
    raw_rows = [(n, cells) for n, cells in raw_rows if any(c.strip() for c in cells)]
    if not raw_rows:
        raise InputFileError(source, _("the file is empty"))
    _header_number, header = raw_rows[0]
    columns = [name.strip().lower() for name in header]
    rows = []
    for number, cells in raw_rows[1:]:
        values = {
            column: (cells[index].strip() if index < len(cells) else "")
            for index, column in enumerate(columns)
            if column
        }
        extra = sum(1 for cell in cells[len(columns) :] if cell.strip())
        rows.append(TableRow(number=number, values=values, extra_cells=extra))
    if len(rows) > MAX_ROWS:
        raise InputFileError(source, _("more than {limit} rows").format(limit=MAX_ROWS))
    return Table(source=source, columns=columns, rows=rows)


def _read_csv(path: Path, data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputFileError(
            path.name,
            _("the file is not UTF-8 text (line {line}): save it as 'CSV UTF-8'").format(line=line),
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    raw_rows: list[tuple[int, list[str]]] = []
    try:
        for index, cells in enumerate(reader, start=1):
            raw_rows.append((index, cells))
    except csv.Error as exc:
        raise InputFileError(
            path.name,
            _("malformed CSV near row {row} ({detail})").format(
                row=len(raw_rows) + 1, detail=echo(str(exc), 80)
            ),
        ) from None
    return _rows_to_table(path.name, raw_rows)


def _read_xlsx(path: Path, data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a bad file
        raise InputFileError(
            path.name,
            _("not a readable XLSX workbook ({detail})").format(detail=type(exc).__name__),
        ) from None
    try:
        sheet = workbook.worksheets[0]
        raw_rows = [
            (index, [_cell_text(value) for value in row])
            for index, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()
    return _rows_to_table(path.name, raw_rows)


def read_table(path: Path) -> Table:
    """The table in ``path`` (``.csv`` or ``.xlsx``)."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputFileError(path.name, _("use a .csv or .xlsx file"))
    try:
        size = path.stat().st_size
        if size > MAX_TABLE_BYTES:
            raise InputFileError(path.name, _("the file is larger than 50 MB"))
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(str(path), _("file not found")) from None
    except OSError as exc:
        raise InputFileError(str(path), exc.strerror or type(exc).__name__) from None
    return _read_xlsx(path, data) if suffix == ".xlsx" else _read_csv(path, data)


def check_columns(
    table: Table, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> list[Problem]:
    """Missing, unknown and repeated columns of ``table``'s header."""
    problems = [
        Problem(_("header"), _("missing column {column}").format(column=column))
        for column in required
        if column not in table.columns
    ]
    known = set(required) | set(optional)
    seen: set[str] = set()
    for index, column in enumerate(table.columns, start=1):
        if column and column not in known:
            message = _("unknown column {column} (column {index})").format(
                column=echo(column), index=index
            )
            problems.append(Problem(_("header"), message))
        elif column in seen:
            message = _("column {column} repeated").format(column=echo(column))
            problems.append(Problem(_("header"), message))
        seen.add(column)
    return problems


def cell(row: int, column: str) -> str:
    """Where a problem is: ``riga 3, colonna total_cost``."""
    return _("row {row}, column {column}").format(row=row, column=column)
