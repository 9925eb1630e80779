"""*Aiuto → Guida* (F1): the short guide of the workspace's role, shipped in
``resources/guide/<role>.<language>.md`` (Italian, and English when the
interface speaks English), with its table of contents beside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QTextBrowser,
    QVBoxLayout,
)

from app.i18n import DEFAULT_LANGUAGE, _, current_language
from app.resources import resource_path

ROLES = ("member", "secretariat")
DEFAULT_SIZE = (960, 640)


@dataclass(frozen=True)
class Section:
    title: str
    text: str  # Markdown, its own heading included


def guide_path(role: str, language: str) -> Any:
    """The guide file for ``role`` in ``language``, or the Italian one."""
    role = role if role in ROLES else "member"
    path = resource_path("guide", f"{role}.{language}.md")
    if not path.is_file():
        path = resource_path("guide", f"{role}.{DEFAULT_LANGUAGE}.md")
    return path


def guide_sections(text: str) -> list[Section]:
    """The guide cut at its second-level headings; the first part is its introduction."""
    sections: list[Section] = []
    title, lines = "", list[str]()
    for line in text.splitlines():
        if line.startswith("# ") and not title:
            title = line[2:].strip()
        if line.startswith("## "):
            sections.append(Section(title, "\n".join(lines).strip()))
            title, lines = line[3:].strip(), []
        lines.append(line)
    sections.append(Section(title, "\n".join(lines).strip()))
    return [s for s in sections if s.text]


class GuideDialog(QDialog):
    """The guide: contents on the left, the chosen section on the right."""

    def __init__(self, role: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Vaglio guide"))
        self.setObjectName("guide")
        path = guide_path(role, current_language())
        self.sections = guide_sections(path.read_text(encoding="utf-8"))
        self.contents = QListWidget()
        self.contents.setAccessibleName(_("Contents"))
        self.contents.addItems([s.title for s in self.sections])
        self.contents.setMaximumWidth(280)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName(_("Guide"))
        self.browser.setOpenExternalLinks(True)
        self.contents.currentRowChanged.connect(self.show_section)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.contents)
        row.addWidget(self.browser, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(buttons)
        self.resize(*DEFAULT_SIZE)
        self.contents.setCurrentRow(0)
        self.contents.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_section(self, row: int) -> None:
        if 0 <= row < len(self.sections):
            self.browser.setMarkdown(self.sections[row].text)
