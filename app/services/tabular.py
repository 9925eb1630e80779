"""Reading a table from CSV or XLSX, the way secretaries save them.

CSV: comma or semicolon (whichever the header uses), UTF-8 with or without
BOM, quoted fields with newlines and separators. XLSX: the first sheet. Rows
are numbered as a spreadsheet shows them (the header is row 1), so every
problem can point at a cell.

Each importer names its columns in English (the names of the formats) and in
Italian (:class:`Columns`): a header may use either name for each column, and
the rows are read by the English name whatever the file wrote. Problems name a
column as the file wrote it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.errors import echo
from app.i18n import _
from app.services.errors import InputFileError, Problem

MAX_TABLE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000  # a regional call: 10,000 proposals x 8 criteria in one sheet


@dataclass(frozen=True)
class Columns:
    """An importer's columns: English name → Italian name, required first."""

    required: Mapping[str, str]
    optional: Mapping[str, str] = field(default_factory=dict)

    @property
    def italian(self) -> dict[str, str]:
        """Every column: English name → Italian name, in the templates' order."""
        return {**self.required, **self.optional}


@dataclass(frozen=True)
class TableRow:
    """One data row: its spreadsheet row number and its cells by column name.

    ``names`` maps a column's English name to the name the file wrote, so a
    problem can point at the column the user sees.
    """

    number: int
    values: dict[str, str]
    extra_cells: int = 0
    names: Mapping[str, str] = field(default_factory=dict)

    def where(self, column: str) -> str:
        """Where a problem in ``column`` of this row is, with the file's name for it."""
        return cell(self.number, self.names.get(column, column))


@dataclass(frozen=True)
class Table:
    """A header and its rows; column names are stripped and lower-cased.

    ``columns`` holds each column's English name when the file used its
    Italian one; ``written`` the names as the file wrote them.
    """

    source: str
    columns: list[str]
    rows: list[TableRow]
    written: list[str] = field(default_factory=list)

    def name(self, column: str) -> str:
        """The file's own name for ``column`` (its English name if absent)."""
        for canonical, written in zip(self.columns, self.written, strict=False):
            if canonical == column:
                return written
        return column


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


def _rows_to_table(
    source: str, raw_rows: list[tuple[int, list[str]]], italian: Mapping[str, str]
) -> Table:
    raw_rows = [(n, cells) for n, cells in raw_rows if any(c.strip() for c in cells)]
    if not raw_rows:
        raise InputFileError(source, _("the file is empty"))
    _header_number, header = raw_rows[0]
    written = [name.strip().lower() for name in header]
    english = {name: column for column, name in italian.items()}
    columns = [english.get(name, name) for name in written]
    names = {column: name for column, name in zip(columns, written, strict=True) if column}
    rows = []
    for number, cells in raw_rows[1:]:
        values = {
            column: (cells[index].strip() if index < len(cells) else "")
            for index, column in enumerate(columns)
            if column
        }
        extra = sum(1 for cell in cells[len(columns) :] if cell.strip())
        rows.append(TableRow(number=number, values=values, extra_cells=extra, names=names))
    if len(rows) > MAX_ROWS:
        raise InputFileError(source, _("more than {limit} rows").format(limit=MAX_ROWS))
    return Table(source=source, columns=columns, rows=rows, written=written)


def _read_csv(path: Path, data: bytes, italian: Mapping[str, str]) -> Table:
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
    return _rows_to_table(path.name, raw_rows, italian)


def _read_xlsx(path: Path, data: bytes, italian: Mapping[str, str]) -> Table:
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
    return _rows_to_table(path.name, raw_rows, italian)


def read_table(path: Path, columns: Columns | None = None) -> Table:
    """The table in ``path`` (``.csv`` or ``.xlsx``).

    With ``columns``, a header cell holding a column's Italian name stands
    for its English name.
    """
    italian = columns.italian if columns is not None else {}
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
    if suffix == ".xlsx":
        return _read_xlsx(path, data, italian)
    return _read_csv(path, data, italian)


def _missing(column: str, italian: Mapping[str, str]) -> str:
    if column in italian:
        return _("missing column {column} (or {english})").format(
            column=italian[column], english=column
        )
    return _("missing column {column}").format(column=column)


def check_columns(
    table: Table,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    columns: Columns | None = None,
) -> list[Problem]:
    """Missing, unknown and repeated columns of ``table``'s header.

    A column written twice, once by its English name and once by its Italian
    one, is refused as such: which of the two holds the data is not for the
    importer to guess.
    """
    italian = columns.italian if columns is not None else {}
    problems = [
        Problem(_("header"), _missing(column, italian))
        for column in required
        if column not in table.columns
    ]
    known = set(required) | set(optional)
    seen: dict[str, str] = {}
    written = table.written or table.columns
    for index, (column, name) in enumerate(zip(table.columns, written, strict=True), start=1):
        if column and column not in known:
            message = _("unknown column {column} (column {index})").format(
                column=echo(name), index=index
            )
            problems.append(Problem(_("header"), message))
        elif column in seen and seen[column] != name:
            message = _(
                "columns {first} and {second} are the same column, in two languages: keep only one"
            ).format(first=echo(seen[column]), second=echo(name))
            problems.append(Problem(_("header"), message))
        elif column in seen:
            message = _("column {column} repeated").format(column=echo(name))
            problems.append(Problem(_("header"), message))
        seen.setdefault(column, name)
    return problems


def cell(row: int, column: str) -> str:
    """Where a problem is: ``riga 3, colonna total_cost``."""
    return _("row {row}, column {column}").format(row=row, column=column)
