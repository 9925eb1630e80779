"""The ranking as a file for the crowdfunding platform (CSV, XLSX, JSON).

The screens may not import :mod:`app.reports`; this is their way to the
exports, with the same view :func:`app.services.ranking.ranking_view` gives
(the approved document once the ranking is approved).
"""

from __future__ import annotations

from app.reports.ranking_export import FORMATS, export
from app.services.ranking import ranking_view
from app.store.workspace import Workspace

__all__ = ["FORMATS", "ranking_file"]


def ranking_file(ws: Workspace, call_id: str, kind: str) -> bytes:
    """The ranking of ``call_id`` as a ``csv``, ``xlsx`` or ``json`` file's bytes."""
    return export(ranking_view(ws, call_id), kind)
