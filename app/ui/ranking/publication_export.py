"""*Esporta per la pubblicazione…* in the ranking window: the approved
ranking as the albo pretorio's PDF or the platform's CSV (``vaglio
publication``); the file's suffix chooses the format."""

from __future__ import annotations

from typing import Any

from app.i18n import _
from app.ui.common.save_document import DocumentSaver


def publication_saver(window: Any) -> DocumentSaver:
    """The saver behind the ranking window's publication button."""
    from app.services.ranking_publication import write_publication

    return DocumentSaver(
        window,
        _("Export for publication"),
        _("PDF for the albo pretorio (*.pdf);;CSV for the platform (*.csv)"),
        write=lambda ws, path: write_publication(ws, window.call_id, path),
        describe=lambda result: _(
            "Ranking for publication written to {path}.\nSHA-256: {digest}"
        ).format(path=result.path, digest=result.sha256),
        busy=_("Writing the ranking for publication…"),
    )
