"""The windows' remembered sizes in the preferences: kept, read back, and
anything malformed in the file ignored rather than trusted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.services.preferences import (
    load_preferences,
    remember_language,
    remember_layout,
    remembered_layout,
)


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VAGLIO_CONFIG_DIR", str(tmp_path))
    return tmp_path / "preferences.json"


def test_a_layout_is_kept_beside_the_other_preferences(config: Path) -> None:
    assert remembered_layout("window/MainWindow") is None
    remember_language("en")
    remember_layout("window/MainWindow", [10, 20, 1200, 640])
    remember_layout("splitter/member-review", [2, 300, 200])
    assert remembered_layout("window/MainWindow") == [10, 20, 1200, 640]
    assert remembered_layout("splitter/member-review") == [2, 300, 200]
    assert load_preferences().language == "en"  # nothing else lost
    remember_layout("window/MainWindow", [0, 0, 900, 500])
    assert remembered_layout("window/MainWindow") == [0, 0, 900, 500]


def test_malformed_layouts_are_dropped(config: Path) -> None:
    config.write_text(
        json.dumps(
            {
                "language": "it",
                "layouts": {
                    "window/A": [1, 2, 3, 4],
                    "window/B": ["1", 2, 3, 4],
                    "window/C": "1,2,3,4",
                    "window/D": [1.5, 2, 3, 4],
                    "window/E": [True, 2, 3, 4],
                },
            }
        ),
        encoding="utf-8",
    )
    assert load_preferences().layouts == {"window/A": [1, 2, 3, 4]}
    assert load_preferences().language == "it"
    config.write_text(json.dumps({"layouts": ["not", "a", "mapping"]}), encoding="utf-8")
    assert load_preferences().layouts == {}
