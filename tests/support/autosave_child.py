"""Child process of the autosave crash test: saves whole score sheets in a
loop through the same use case as the form's autosave, and prints ``ack N``
after each commit. Reads ``home``, the raw key (hex) and the first N on stdin.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

from app.services.scores import save_scores
from app.services.unlocking import OpenWorkspace
from app.store.workspace import load_slots, open_with_key

CALL_ID = "MI-CC-2020"
PROPOSALS = ("P001", "P002", "P003", "P004", "P005")
CRITERIA = ("innovation", "impact", "coherence", "sustainability", "community")
LEVELS = ("0", "0.2", "0.4", "0.6", "0.8", "1")


def marker(n: int) -> str:
    return f"salvataggio numero {n:06d}, motivazione completa"


def sheet(n: int) -> tuple[str, dict[str, Decimal | None], dict[str, str]]:
    """Save number ``n``: which proposal, and every criterion's value and text."""
    return (
        PROPOSALS[n % len(PROPOSALS)],
        {key: Decimal(LEVELS[n % len(LEVELS)]) for key in CRITERIA},
        {key: marker(n) for key in CRITERIA},
    )


def main() -> None:
    home, key_hex, first = sys.stdin.readline().split()
    ws = OpenWorkspace(open_with_key(Path(home), load_slots(Path(home)), bytes.fromhex(key_hex)))
    print("ready", flush=True)
    n = int(first)
    while True:
        proposal, values, texts = sheet(n)
        save_scores(ws, CALL_ID, proposal, values=values, justifications=texts)
        print(f"ack {n}", flush=True)
        n += 1


if __name__ == "__main__":
    main()
