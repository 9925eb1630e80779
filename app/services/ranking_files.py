"""The ranking as a file for the crowdfunding platform (CSV, XLSX, JSON).

The screens may not import :mod:`app.reports`; this is their way to the
exports, with the same view :func:`app.services.ranking.ranking_view` gives
(the approved document once the ranking is approved).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.reports.ranking_export import FORMATS, export, to_csv
from app.scoring.document import contract_document
from app.scoring.views import RankingView
from app.services.files import write_output
from app.services.ranking import ranking_view
from app.services.unlocking import OpenWorkspace

__all__ = ["FORMATS", "contract_json", "export_ranking", "ranking_csv", "ranking_file"]


def ranking_file(ws: OpenWorkspace, call_id: str, kind: str) -> bytes:
    """The ranking of ``call_id`` as a ``csv``, ``xlsx`` or ``json`` file's bytes."""
    return export(ranking_view(ws, call_id), kind)


def export_ranking(ws: OpenWorkspace, call_id: str, kind: str, path: Path) -> Path:
    """Write the ranking of ``call_id`` as ``kind`` to ``path``, atomically."""
    return write_output(path, ranking_file(ws, call_id, kind))


def contract_json(view: RankingView) -> dict[str, Any]:
    """The ``vaglio ranking --json`` document of the CLI contract."""
    return contract_document(view)


def ranking_csv(view: RankingView) -> str:
    """The ranking as CSV text."""
    return to_csv(view)
