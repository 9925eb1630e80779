"""The member's *scheda di valutazione* as a spreadsheet, out and back in.

Commissions are used to scoring in a spreadsheet. A member exports their
sheet as XLSX (one row per proposal and criterion, in their own review order,
with drop-down lists of the allowed levels, the motivation column and their
declarations), fills it anywhere, and imports it back: the same checks as
``vaglio score import``, all or nothing, after a preview of what changes.

The first worksheet holds the rows (the importer reads only that one); a
second one explains the columns, a hidden third one holds the levels the
drop-down lists offer. Informational columns (titles, allowed values) are
written for the reader and ignored on the way back. A row whose value and
motivation are both empty says nothing about scores: emptying a cell never
deletes a score (the desk does that).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from app.i18n import _, format_decimal
from app.models import ConflictDeclaration, Proposal, Score
from app.models.numbers import places_of
from app.services.errors import ImportRefusedError, Problem
from app.services.files import write_output
from app.services.member_desk import member_context, review_order
from app.services.scores import (
    ScoreChange,
    ScoresImported,
    ScoresPreview,
    allowed_values,
    import_score_table,
)
from app.services.tabular import Table, TableRow, read_table
from app.services.unlocking import OpenWorkspace

# The sheet's columns: (header in the workbook, column of the score importer
# or None for a column written only for the reader).
SHEET_COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("proposta", "proposal"),
    ("titolo", None),
    ("criterio", "criterion"),
    ("descrizione_criterio", None),
    ("valori_ammessi", None),
    ("valore", "value"),
    ("motivazione", "justification"),
    ("conflitto", "conflict"),
    ("categoria", "category"),
    ("motivo", "reason"),
)
HEADERS = tuple(header for header, _column in SHEET_COLUMNS)


@dataclass(frozen=True)
class SheetWritten:
    path: Path
    rows: int
    proposals: int


def _number(value: Decimal) -> float | int:
    # Spreadsheets hold numbers as binary floats; every allowed value has at
    # most a few decimals, so the float reads back as the same decimal.
    return int(value) if value == value.to_integral_value() else float(value)


def export_sheet_workbook(ws: OpenWorkspace, call_id: str, path: Path) -> SheetWritten:
    """Write this member's sheet for ``call_id`` to ``path`` as XLSX."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    with ws.session() as session:
        context = member_context(session, call_id)
        call, member = context.call, context.member
        grid = call.grid
        proposals = {
            p.code: p
            for p in session.scalars(select(Proposal).where(Proposal.call_id == call_id))
            if p.admissible
        }
        keys = call.criterion_keys()
        scores: dict[tuple[int, str], Score] = {
            (s.proposal_id, keys[s.criterion_id]): s
            for s in session.scalars(select(Score).where(Score.member_id == member.id))
        }
        declared = {
            d.proposal_id: d
            for d in session.scalars(
                select(ConflictDeclaration).where(ConflictDeclaration.member_id == member.id)
            )
        }
        order = review_order(call_id, member.key_id, list(proposals))
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = _("Evaluation sheet")[:31]
        sheet.append(list(HEADERS))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDE6F0")
        _write_guide(workbook.create_sheet(_("Instructions")[:31]), call.title, member.name)
        levels = workbook.create_sheet("livelli")
        lists: dict[str, DataValidation] = {}
        for column, criterion in enumerate(grid.leaves, start=1):
            levels.cell(1, column, criterion.key)
            if grid.levels:
                for row, level in enumerate(grid.level_values, start=2):
                    levels.cell(row, column, _number(level))
                letter = levels.cell(1, column).column_letter
                formula = f"livelli!${letter}$2:${letter}${len(grid.level_values) + 1}"
                lists[criterion.key] = DataValidation(type="list", formula1=formula)
            else:
                upper = grid.scoring.upper(criterion)
                lists[criterion.key] = DataValidation(
                    type="decimal", operator="between", formula1="0", formula2=str(upper)
                )
        levels.sheet_state = "hidden"
        conflict_list = DataValidation(type="list", formula1='"sì,no"', allow_blank=True)
        rows = 0
        for code in order:
            proposal = proposals[code]
            declaration = declared.get(proposal.id)
            conflicted = declaration is not None and declaration.has_conflict
            said = (
                "" if declaration is None else "sì" if conflicted else "no",
                (declaration.category or "") if declaration and conflicted else "",
                declaration.reason if declaration and conflicted else "",
            )
            for criterion in grid.leaves:
                score = scores.get((proposal.id, criterion.key))
                value = score.value if score is not None else None
                sheet.append(
                    [
                        proposal.code,
                        proposal.title,
                        criterion.key,
                        criterion.title,
                        allowed_values(grid, criterion.key),
                        None if value is None else _number(value),
                        score.justification if score is not None else "",
                        *said,
                    ]
                )
                rows += 1
                row = sheet.max_row
                lists[criterion.key].add(f"F{row}")
                conflict_list.add(f"H{row}")
        for validation in (*lists.values(), conflict_list):
            validation.showErrorMessage = True
            validation.errorTitle = "Vaglio"
            validation.error = _("Choose one of the allowed values.")
            sheet.add_data_validation(validation)
        widths = (10, 40, 14, 36, 30, 9, 60, 10, 14, 40)
        for letter, width in zip("ABCDEFGHIJ", widths, strict=True):
            sheet.column_dimensions[letter].width = width
        for cells in sheet.iter_rows(min_row=2, min_col=7, max_col=7):
            cells[0].alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "C2"
        workbook.properties.title = call_id
        buffer = io.BytesIO()
        workbook.save(buffer)
    written = write_output(path, buffer.getvalue())
    return SheetWritten(written, rows, len(order))


def _write_guide(sheet: object, call_title: str, member_name: str) -> None:
    lines = [
        _("Evaluation sheet of {member} — {call}").format(member=member_name, call=call_title),
        "",
        _("Fill the columns valore and motivazione; choose the value from the list."),
        _(
            "Declare each proposal in conflitto (sì or no); with sì, give the categoria "
            "and the motivo. A proposal in conflict is not scored."
        ),
        _("An empty row changes nothing: emptying a cell does not delete a score."),
        _("Import the file back with Commission → Import my evaluation sheet."),
        _("The general declaration of no incompatibility is made in the application."),
    ]
    for line in lines:
        sheet.append([line])  # type: ignore[attr-defined]


def _sheet_table(table: Table) -> Table:
    """The rows of a sheet in the score importer's columns, or a refusal."""
    missing = [h for h in HEADERS if h not in table.columns]
    if missing:
        raise ImportRefusedError(
            table.source,
            [
                Problem(
                    _("header"),
                    _("not an evaluation sheet exported by Vaglio: missing column {column}").format(
                        column=", ".join(missing)
                    ),
                )
            ],
        )
    renamed = dict((header, column) for header, column in SHEET_COLUMNS if column is not None)
    # A problem names the sheet's own column (riga 7, colonna valore).
    names = {column: header for header, column in renamed.items()}
    rows: list[TableRow] = []
    for row in table.rows:
        values = {renamed[h]: v for h, v in row.values.items() if h in renamed}
        if not values.get("value", "").strip() and not values.get("justification", "").strip():
            # Nothing scored on this row: at most it declares its proposal.
            values = {**values, "criterion": "", "value": "", "justification": ""}
            if not any(values.get(c, "").strip() for c in ("conflict", "category", "reason")):
                continue
        rows.append(replace(row, values=values, names=names))
    return Table(table.source, [c for _h, c in SHEET_COLUMNS if c is not None], rows)


def _run(ws: OpenWorkspace, call_id: str, path: Path, dry_run: bool) -> object:
    table = _sheet_table(read_table(path))
    return import_score_table(ws, call_id, table, dry_run=dry_run, only_changes=True)


def preview_sheet_workbook(ws: OpenWorkspace, call_id: str, path: Path) -> ScoresPreview:
    """Every check of the import, and what it would change; nothing is written."""
    preview = _run(ws, call_id, path, dry_run=True)
    assert isinstance(preview, ScoresPreview)
    return preview


def import_sheet_workbook(ws: OpenWorkspace, call_id: str, path: Path) -> ScoresImported:
    """Import the filled sheet: all or nothing, as ``vaglio score import``."""
    imported = _run(ws, call_id, path, dry_run=False)
    assert isinstance(imported, ScoresImported)
    return imported


def describe_change(change: ScoreChange) -> str:
    """``0,60 → 0,80`` for the preview's table."""

    def text(value: Decimal | None) -> str:
        return "—" if value is None else format_decimal(value, places_of(value.normalize()))

    return f"{text(change.before)} → {text(change.after)}"
