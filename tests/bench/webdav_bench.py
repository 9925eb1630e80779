"""Fifteen members syncing at once through an Apache restart (issue 16,
item 5): how fast their bundles arrive and how many sync rounds had to be
repeated. Needs Debian's apache2 (``.ci/run`` installs it); skipped without."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def load_figures() -> list[str]:
    """Lines for the bench's report; empty when Apache is not installed."""
    from tests.support.apache_dav import ApacheDav, apache_available
    from tests.support.load_scenario import MEMBERS, prepare, run
    from tests.support.webdav_server import PASSWORD
    from tests.support.workspaces import CALL_ID

    reason = apache_available()
    if reason is not None:
        return [f"WebDAV load (Apache): skipped, {reason}"]
    os.environ["VAGLIO_WEBDAV_PASSWORD"] = PASSWORD
    folder = Path(tempfile.mkdtemp(prefix="vaglio-load-"))
    folder.chmod(0o755)  # Apache's children (nobody, under root) must reach their folder
    server = ApacheDav(folder / "apache")
    try:
        server.start()
        load = prepare(folder / "work", server.url)
        run(load, server.root / CALL_ID / "inbox", server.restart)
        members_retries = len(load.retries)
        office_start = len(load.retries)
        report = load.sync_until_clean(load.office)
        accepted = sum(1 for r in report.taken_in if r.outcome == "accepted")
        load.close()
        rate = MEMBERS / load.uploads_seconds if load.uploads_seconds else float("inf")
        return [
            f"WebDAV load (Apache, {MEMBERS} members at once, one restart): "
            f"{MEMBERS} bundles in {load.uploads_seconds:.2f} s ({rate:.1f} bundles/s); "
            f"sync rounds repeated after a transient failure: {members_retries}; "
            f"office intake {accepted} accepted, {len(load.retries) - office_start} rounds repeated",
        ]
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
