"""*Commissione → Stampa la mia scheda*: the member's individual sheet as a
PDF to sign with their own card (``vaglio sheet``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QKeySequence

from app.i18n import _
from app.ui.common.save_document import DocumentSaver


def _describe(result: Any) -> str:
    text = _("Individual sheet written to {path}: {pages} pages.").format(
        path=result.path, pages=result.pages
    )
    if result.bundle_hash is None:
        note = _("No score bundle sent yet: the sheet says so.")
    elif result.unsent:
        note = _("The sheet shows values not yet sent; the differences are marked.")
    else:
        note = _("Last bundle sent: SHA-256 {digest}.").format(digest=result.bundle_hash)
    return f"{text}\n{note}\n" + _("Sign it with your own card (vaglio sign FILE.pdf).")


def install(window: Any) -> QAction:
    """Add *Print my sheet…* (Ctrl+Shift+P) to the member's menu of ``window``."""
    from app.services.member_sheet import write_own_sheet

    saver = DocumentSaver(
        window,
        _("Print my sheet"),
        _("PDF documents (*.pdf)"),
        write=lambda ws, path: write_own_sheet(ws, window.call_id, path),
        describe=_describe,
        busy=_("Printing the sheet…"),
    )
    action = QAction(_("&Print my sheet…"), window)
    action.setShortcut(QKeySequence("Ctrl+Shift+P"))
    action.triggered.connect(
        lambda: saver.ask(f"scheda-{window.call_id}.pdf") if window.call_id else None
    )
    window.member_menu.addAction(action)
    window.sheet_saver = saver
    window.sheet_action = action
    return action
