"""Templates of the files the secretariat and the members import, to download.

One per importer the GUI offers (proposals, campaign results, declarations),
as CSV or XLSX: the Italian header every importer reads
(:class:`~app.services.tabular.Columns`) and one example row to overwrite.
The proposals' example takes a neighbourhood and a thematic area of the call,
so that a template filled with real data imports as it is.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from app.i18n import _
from app.services.calls import get_call
from app.services.declaration_import import DECLARATION_TABLE
from app.services.errors import ServiceError
from app.services.files import write_output
from app.services.funding import CAMPAIGN_TABLE
from app.services.proposal_import import PROPOSAL_COLUMNS
from app.services.tabular import Columns
from app.services.unlocking import OpenWorkspace

KINDS = ("proposals", "campaigns", "declarations")
FORMATS = ("csv", "xlsx")

_PROPOSAL_EXAMPLE = {
    "id": "P001",
    "title": "Portineria di quartiere",
    "applicant": "Cooperativa sociale Il Ponte",
    "applicant_tax_code": "01234560157",
    "legal_representative": "Maria Rossi",
    "total_cost": "48000,00",
    "requested_contribution": "28800,00",
    "partners": "Associazione Vicini di Casa; Parrocchia San Giovanni",
    "summary": "Servizi di prossimità per gli anziani soli del quartiere.",
    "attachments": "P001-progetto.pdf",
    "protocol": "1",
    "submitted_at": "10/07/2020 12:00",
}
_CAMPAIGN_EXAMPLE = {
    "proposal": "P001",
    "raised": "19000,00",
    "backers": "300",
    "closed_on": "31/03/2021",
}
_DECLARATION_EXAMPLE = {"proposal": "P001", "conflict": "no", "category": "", "reason": ""}


class UnknownTemplateError(ServiceError):
    def __init__(self, name: str) -> None:
        super().__init__(
            _("There is no template {name}: use proposals, campaigns or declarations.").format(
                name=name
            )
        )


@dataclass(frozen=True)
class ImportTemplate:
    """A header (Italian names) and one example row under it."""

    kind: str
    header: list[str]
    example: list[str]

    def csv_text(self) -> str:
        """Semicolons, as a spreadsheet set to Italian reads and writes a CSV."""
        out = io.StringIO(newline="")
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(self.header)
        writer.writerow(self.example)
        return out.getvalue()

    def xlsx_bytes(self) -> bytes:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = TITLES[self.kind]
        sheet.append(self.header)
        sheet.append(self.example)
        for header_cell in sheet[1]:
            header_cell.font = Font(bold=True)
        for row_cell in sheet[2]:
            # Text cells: a spreadsheet must not turn 01234560157 into a number.
            row_cell.number_format = "@"
        for index, name in enumerate(self.header):
            letter = sheet.cell(row=1, column=index + 1).column_letter
            sheet.column_dimensions[letter].width = max(14, len(name) + 4)
        sheet.freeze_panes = "A2"
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    def content(self, kind: str) -> bytes:
        """The file's bytes as ``csv`` (UTF-8 with a BOM, so spreadsheets read the
        accents) or ``xlsx``."""
        if kind == "csv":
            return self.csv_text().encode("utf-8-sig")
        if kind == "xlsx":
            return self.xlsx_bytes()
        raise ValueError(kind)


# The file's and the sheet's names, in the words of the people who fill them.
TITLES = {"proposals": "proposte", "campaigns": "campagne", "declarations": "dichiarazioni"}


def suggested_name(kind: str, file_format: str) -> str:
    """``modello-proposte.xlsx`` and the like."""
    return f"modello-{TITLES[kind]}.{file_format}"


def _template(kind: str, columns: Columns, example: dict[str, str]) -> ImportTemplate:
    italian = columns.italian
    return ImportTemplate(
        kind, [italian[c] for c in italian], [example.get(c, "") for c in italian]
    )


def import_template(ws: OpenWorkspace | None, call_id: str | None, kind: str) -> ImportTemplate:
    """The template of ``kind``; the proposals' one fits ``call_id``'s lists."""
    if kind == "proposals":
        example = dict(_PROPOSAL_EXAMPLE)
        if ws is not None and call_id is not None:
            with ws.session() as session:
                call = get_call(session, call_id)
                example["neighbourhood"] = next(iter(call.neighbourhoods), "")
                example["thematic_area"] = next(iter(call.thematic_areas), "")
        return _template(kind, PROPOSAL_COLUMNS, example)
    if kind == "campaigns":
        return _template(kind, CAMPAIGN_TABLE, _CAMPAIGN_EXAMPLE)
    if kind == "declarations":
        return _template(kind, DECLARATION_TABLE, _DECLARATION_EXAMPLE)
    raise UnknownTemplateError(kind)


def save_template(template: ImportTemplate, path: Path) -> Path:
    """Write ``template`` to ``path``; its suffix (.csv or .xlsx) chooses the format."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        path = path.with_suffix(".xlsx")
        suffix = "xlsx"
    return write_output(path, template.content(suffix))
