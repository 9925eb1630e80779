"""The ranking as files for the crowdfunding platform: CSV, XLSX and JSON.

All three hold the same lines: the ranked proposals in order, then the
excluded ones with their reason. Numbers keep the call's decimals; the CSV
uses a comma and a decimal point (machine-readable), the XLSX real numbers.
Works from :class:`~app.services.ranking_views.RankingView`, never from
the database.

The CSV and the XLSX are read by the secretariat and the platform's staff:
their headers and words are Italian (``posizione``, ``ammessa``), whatever the
interface's language, so a file means the same to every reader. The JSON keeps
its stable English keys (the command line's contract, docs/cli.md).
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from app.scoring.document import to_document
from app.scoring.ranking import (
    BELOW_CRITERION_FLOOR,
    BELOW_THRESHOLD,
    COLLEGIAL_PENDING,
    INADMISSIBLE,
    NO_QUORUM,
)
from app.scoring.views import RankingView

FORMATS = ("csv", "xlsx", "json")

ADMITTED = "ammessa"
EXCLUDED = "esclusa"
DISPERSION = "dispersione"
# Why a proposal is not ranked, in the files' words (the JSON keeps the codes).
REASONS = {
    BELOW_THRESHOLD: "sotto_la_soglia",
    BELOW_CRITERION_FLOOR: "sotto_il_minimo_di_un_criterio",
    NO_QUORUM: "valutatori_insufficienti",
    INADMISSIBLE: "non_ammissibile",
    COLLEGIAL_PENDING: "in_attesa_della_valutazione_collegiale",
}


def _header(view: RankingView) -> list[str]:
    return [
        "posizione",
        "proposta",
        "titolo",
        "proponente",
        "totale",
        *[c.key for c in view.criteria],
        "valutatori",
        "segnalazioni",
        "esito",
        "motivo",
    ]


def _flags(flags: tuple[str, ...]) -> str:
    return " ".join(f"{DISPERSION}:{key}" for key in flags)


def _lines(view: RankingView) -> list[list[Any]]:
    keys = [c.key for c in view.criteria]
    lines: list[list[Any]] = []
    for r in view.rows:
        lines.append(
            [r.rank, r.proposal, r.title, r.applicant, r.total,
             *[r.criteria.get(k) for k in keys], r.evaluators, _flags(r.flags), ADMITTED, ""]
        )  # fmt: skip
    for e in view.excluded:
        lines.append(
            [None, e.proposal, e.title, e.applicant, e.total,
             *[e.criteria.get(k) for k in keys], e.evaluators, _flags(e.flags), EXCLUDED,
             REASONS.get(e.reason, e.reason)]
        )  # fmt: skip
    return lines


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def to_csv(view: RankingView) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_header(view))
    for line in _lines(view):
        writer.writerow([_text(v) for v in line])
    return out.getvalue()


def to_json(view: RankingView) -> str:
    return json.dumps(to_document(view), ensure_ascii=False, indent=2) + "\n"


def to_xlsx(view: RankingView) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "graduatoria"
    sheet.append(_header(view))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    number_format = "0." + "0" * view.grid.decimals if view.grid.decimals else "0"
    for line in _lines(view):
        sheet.append(line)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, Decimal | float):
                cell.number_format = number_format
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCD", (6, 10, 48, 36), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export(view: RankingView, kind: str) -> bytes:
    """The ranking as a ``csv``, ``xlsx`` or ``json`` file's bytes."""
    if kind == "csv":
        return to_csv(view).encode("utf-8")
    if kind == "json":
        return to_json(view).encode("utf-8")
    if kind == "xlsx":
        return to_xlsx(view)
    raise ValueError(kind)
