"""Ranking titles (issue 15 item 9): a title longer than its column ends in
"…" on one line, and its tooltip gives it whole, in both tabs."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyleOptionViewItem

from tests.support.gui import open_secretariat_window, save_screenshot

pytestmark = pytest.mark.gui
TITLE = 2  # the ranked tab's title column
EXCLUDED_TITLE = 1


def shown_text(table, row: int, column: int) -> str:  # type: ignore[no-untyped-def]
    """The text the delegate paints in the cell: elided to the column's width."""
    index = table.model().index(row, column)
    option = QStyleOptionViewItem()
    option.initFrom(table)
    option.rect = table.visualRect(index)
    option.textElideMode = table.textElideMode()
    delegate = table.itemDelegateForIndex(index)
    delegate.initStyleOption(option, index)
    wraps = bool(option.features & QStyleOptionViewItem.ViewItemFeature.WrapText)
    margin = 2 * (table.style().pixelMetric(table.style().PixelMetric.PM_FocusFrameHMargin) + 1)
    width = option.rect.width() - margin
    return (
        "WRAPPED"
        if wraps
        else option.fontMetrics.elidedText(option.text, option.textElideMode, width)
    )


def test_long_titles_are_elided_with_the_whole_title_in_the_tooltip(  # type: ignore[no-untyped-def]
    qtbot, demo_copy: Path, db_worker
) -> None:
    main = open_secretariat_window(qtbot, demo_copy / "segreteria", db_worker)
    main.ranking.show_ranking()
    dialog = main.ranking.ranking_dialog
    qtbot.waitUntil(lambda: dialog.view is not None, timeout=10_000)
    for table, column in ((dialog.ranked, TITLE), (dialog.excluded, EXCLUDED_TITLE)):
        model = table.model()
        assert table.textElideMode() == Qt.TextElideMode.ElideRight
        elided = 0
        for row in range(model.rowCount()):
            index = model.index(row, column)
            title = index.data()
            tooltip = index.data(Qt.ItemDataRole.ToolTipRole)
            assert tooltip.split("\n")[0] == title  # the whole title, then the applicant
            shown = shown_text(table, row, column)
            assert shown != "WRAPPED"  # one line, never cut mid-height
            if shown != title:
                assert shown.endswith("…") and title.startswith(shown[:-1])
                elided += 1
        assert elided > 0  # the demo has titles longer than the column
    ranked = dialog.ranked_model
    row = ranked.row_of("P034")
    assert ranked.index(row, TITLE).data().startswith("Lungo la Martesana: ")
    assert shown_text(dialog.ranked, row, TITLE).endswith("…")
    save_screenshot(dialog, "ranking-elided-titles")
