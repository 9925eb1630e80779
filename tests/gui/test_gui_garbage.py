"""The application's cycle collector: off by itself, run by a timer of the
GUI thread (app/ui/common/garbage.py)."""

from __future__ import annotations

import gc
import weakref

import pytest
from PySide6.QtCore import QObject

from app.ui.common.garbage import FULL_EVERY, GarbageCollector

pytestmark = pytest.mark.gui


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the cycle collector frees it


def test_the_collector_runs_on_the_gui_threads_timer_only(qapp: object) -> None:
    owner = QObject()
    try:
        collector = GarbageCollector(owner)
        assert not gc.isenabled() and collector.timer.isActive()
        gc.collect(2)  # older garbage out of the way
        node = Node()
        gone = weakref.ref(node)
        del node
        assert gone() is not None  # the automatic collection is off
        collector.collect()
        assert gone() is None
        collector.ticks = FULL_EVERY - 1
        collector.collect()  # every FULL_EVERY-th tick collects every generation
        assert collector.ticks == FULL_EVERY
    finally:
        owner.deleteLater()
        gc.enable()
