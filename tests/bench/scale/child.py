"""One step of the scale bench in a fresh interpreter:
``python -m tests.bench.scale.child STEP WORK`` prints ``scale-result {json}``."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

from tests.bench.scale import floors, gui_steps, member_steps, office_steps
from tests.bench.scale.children import report

STEPS: dict[str, Callable[[Path], dict[str, Any]]] = {
    "prepare": office_steps.prepare,
    "import": office_steps.import_step,
    "import_floor": floors.import_floor,
    "publish": office_steps.publish,
    "publish_floor": floors.publish_floor,
    "sync": member_steps.first_sync,
    "sync_floor": floors.sync_floor,
    "score_everything": member_steps.score_everything,
    "keyring_slot": gui_steps.keyring_slot,
    "desk": member_steps.desk,
    "desk_floor": floors.desk_floor,
    "filtering": gui_steps.filtering,
    "autosave": member_steps.autosave,
    "autosave_floor": member_steps.autosave_floor,
    "submit": member_steps.submit,
    "submit_floor": floors.submit_floor,
    "other_bundles": office_steps.other_bundles,
    "intake": office_steps.intake,
    "intake_floor": floors.intake_floor,
    "ranking": office_steps.ranking,
    "ranking_floor": floors.ranking_floor,
    "approve": office_steps.approve,
    "approve_floor": floors.approve_floor,
    "minutes": office_steps.minutes,
    "minutes_floor": floors.minutes_floor,
    "funding": office_steps.funding,
    "funding_floor": floors.funding_floor,
}


def main() -> None:
    step, work = sys.argv[1], Path(sys.argv[2])
    os.environ.setdefault("VAGLIO_CONFIG_DIR", str(work / "config"))
    report(STEPS[step](work))


if __name__ == "__main__":
    main()
