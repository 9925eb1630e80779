"""Where the scale bench keeps its workspaces and what it remembers between
its child processes (``state.json``: raw keys, the other members' keys)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PASSPHRASE = "bench passphrase 2020"


def load_state(work: Path) -> dict[str, Any]:
    path = work / "state.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def save_state(work: Path, **values: Any) -> None:
    state = load_state(work)
    state.update(values)
    (work / "state.json").write_text(json.dumps(state, indent=1), encoding="utf-8")


def open_ws(work: Path, name: str) -> Any:
    """The workspace ``work/name`` opened with its raw key (no Argon2id)."""
    from app.services.unlocking import OpenWorkspace
    from app.store.workspace import load_slots, open_with_key

    key = bytes.fromhex(load_state(work)["keys"][name])
    home = work / name
    return OpenWorkspace(open_with_key(home, load_slots(home), key))


def raw_connection(work: Path, name: str) -> Any:
    """A DB-API connection to the encrypted database of ``work/name``."""
    from app.store import database

    key = bytes.fromhex(load_state(work)["keys"][name])
    return database.connect(work / name / "vaglio.db", key)


def plain_copy(work: Path, name: str, target: Path, tables: tuple[str, ...] = ()) -> Path:
    """The database of ``work/name`` without encryption: whole
    (``sqlcipher_export``), or only ``tables`` (their rows, for a floor)."""
    target.unlink(missing_ok=True)
    connection = raw_connection(work, name)
    connection.execute(f"ATTACH DATABASE '{target}' AS plaintext KEY ''")
    if tables:
        for table in tables:
            connection.execute(f"CREATE TABLE plaintext.{table} AS SELECT * FROM main.{table}")
    else:
        connection.execute("SELECT sqlcipher_export('plaintext')")
    connection.execute("DETACH DATABASE plaintext")
    connection.close()
    return target


def package_files(work: Path, call_id: str) -> list[Path]:
    """Every file the office published for ``call_id`` on the share (one
    sealed package, or its parts: whatever the format is)."""
    folder = work / "share" / call_id / "package"
    return sorted(p for p in folder.rglob("*") if p.is_file())


def inbox_files(work: Path, call_id: str) -> list[Path]:
    folder = work / "share" / call_id / "inbox"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
