"""The Help menu's own entries: *Guida* (F1) and *Scorciatoie*."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction, QKeySequence

from app.i18n import _
from app.ui.common.disabled import set_tip


def show_guide(window: Any) -> Any:
    from app.ui.shell.guide_dialog import GuideDialog

    role = window.identity.role if window.identity is not None else "member"
    dialog = GuideDialog(role, window)
    window.guide_dialog = dialog
    dialog.open()
    return dialog


def show_shortcuts(window: Any) -> Any:
    from app.ui.shell.shortcuts_dialog import ShortcutsDialog

    dialog = ShortcutsDialog(window)
    window.shortcuts_dialog = dialog
    dialog.open()
    return dialog


def install(window: Any) -> None:
    """Add *Guide* (F1) and *Shortcuts* (Ctrl+F1) to ``window.help_menu``."""
    guide = QAction(_("&Guide"), window)
    guide.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
    if guide.shortcut().isEmpty():  # platforms without a help key
        guide.setShortcut(QKeySequence("F1"))
    set_tip(guide, _("A short guide to your work in Vaglio."))
    guide.triggered.connect(lambda: show_guide(window))
    shortcuts = QAction(_("&Keyboard shortcuts"), window)
    shortcuts.setShortcut(QKeySequence("Ctrl+F1"))
    set_tip(shortcuts, _("Every keyboard shortcut of the open windows."))
    shortcuts.triggered.connect(lambda: show_shortcuts(window))
    window.help_menu.addAction(guide)
    window.help_menu.addAction(shortcuts)
    window.guide_action, window.shortcuts_action = guide, shortcuts
