"""Apache httpd with mod_dav on 127.0.0.1: the WebDAV server a city's IT runs.

Debian's ``apache2`` (installed by ``.ci/run``) started with a configuration
of its own in a temporary folder: mod_dav_fs on ``/dav``, basic
authentication from a password file (``{SHA}`` form, no ``htpasswd``
needed), its own pid file, logs and runtime folder, so that it never touches
the system's Apache. It can be stopped and started again on the same port.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from tests.support.webdav_server import PASSWORD, USER, free_port

APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")
NEEDED = (
    "mpm_event",
    "authn_core",
    "authn_file",
    "authz_core",
    "authz_user",
    "auth_basic",
    "dav",
    "dav_fs",
    "alias",
    "unixd",
)


def apache_available() -> str | None:
    """None when Apache with mod_dav can run here, else why not."""
    if not Path(APACHE).exists():
        return "apache2 is not installed (.ci/run installs it)"
    missing = [m for m in NEEDED if m != "unixd" and not (MODULES / f"mod_{m}.so").exists()]
    return f"Apache modules missing: {', '.join(missing)}" if missing else None


class ApacheDav:
    """One Apache httpd serving ``root`` as WebDAV under ``/dav``."""

    def __init__(self, folder: Path, port: int | None = None) -> None:
        # A folder every user can reach (pytest's own are private to their
        # owner, and Apache's children do not run as the test's user).
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o755)
        self.folder = folder
        self.root = folder / "dav"
        self.port = port or free_port()
        self.root.mkdir(parents=True, exist_ok=True)
        (folder / "run").mkdir(exist_ok=True)
        self.config = folder / "httpd.conf"
        self.pid_file = folder / "run" / "httpd.pid"
        self.error_log = folder / "error.log"
        self.access_log = folder / "access.log"
        self._write_config()

    @property
    def url(self) -> str:
        return f"http://{USER}@127.0.0.1:{self.port}/dav"

    def _write_config(self) -> None:
        digest = base64.b64encode(hashlib.sha1(PASSWORD.encode()).digest()).decode()
        users = self.folder / "users"
        users.write_text(f"{USER}:{{SHA}}{digest}\n", encoding="utf-8")
        loads = "\n".join(
            f"LoadModule {m}_module {MODULES}/mod_{m}.so"
            for m in NEEDED
            if (MODULES / f"mod_{m}.so").exists()
        )
        # As root (a CI container) Apache refuses to serve as root: its
        # children run as nobody, who owns the DAV root and the lock database.
        owner = ""
        if os.geteuid() == 0:
            import grp

            group = "nogroup" if "nogroup" in {g.gr_name for g in grp.getgrall()} else "nobody"
            owner = f"User nobody\nGroup {group}\n"
            for path in (self.root, self.folder / "run"):
                shutil.chown(path, "nobody", group)
        self.config.write_text(
            f"""ServerRoot "{self.folder}"
ServerName 127.0.0.1
Listen 127.0.0.1:{self.port}
{loads}
{owner}PidFile "{self.pid_file}"
DefaultRuntimeDir "{self.folder / "run"}"
ErrorLog "{self.error_log}"
LogFormat "%m %U %>s" short
CustomLog "{self.access_log}" short
LogLevel warn
StartServers 1
ServerLimit 2
ThreadsPerChild 16
MaxRequestWorkers 32
Timeout 30
DocumentRoot "{self.root}"
DavLockDB "{self.folder / "run" / "davlock"}"
<Directory "{self.root}">
    Require all denied
</Directory>
Alias /dav "{self.root}"
<Location /dav>
    Dav On
    AuthType Basic
    AuthName "Vaglio"
    AuthBasicProvider file
    AuthUserFile "{users}"
    Require valid-user
</Location>
""",
            encoding="utf-8",
        )

    @property
    def requests(self) -> list[tuple[str, str]]:
        """(method, path) of every request so far, from the access log."""
        if not self.access_log.exists():
            return []
        lines = self.access_log.read_text(errors="replace").splitlines()
        return [(p[0], p[1]) for p in (line.split() for line in lines) if len(p) >= 2]

    def _run(self, *arguments: str) -> None:
        done = subprocess.run(
            [APACHE, "-f", str(self.config), *arguments],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "APACHE_RUN_DIR": str(self.folder / "run")},
        )
        if done.returncode != 0:
            log = self.error_log.read_text(errors="replace") if self.error_log.exists() else ""
            raise RuntimeError(f"apache2 {' '.join(arguments)}: {done.stderr}{done.stdout}{log}")

    def start(self) -> None:
        self._run("-k", "start")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("Apache did not start: " + self.error_log.read_text(errors="replace"))

    def stop(self) -> None:
        if not self.pid_file.exists():
            return
        try:
            pid = int(self.pid_file.read_text().strip())
        except ValueError:
            return
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) != 0:
                    return
            time.sleep(0.05)

    def restart(self) -> None:
        """Stop and start again on the same port, as an IT department's restart does."""
        self.stop()
        self.start()


@contextlib.contextmanager
def apache_server() -> Iterator[ApacheDav]:
    """A running Apache in a folder of its own, removed afterwards.

    Skipped with its reason where Apache is missing, except in CI, where
    ``.ci/run`` installs it and its absence is a failure.
    """
    import pytest

    reason = apache_available()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    folder = Path(tempfile.mkdtemp(prefix="vaglio-apache-"))
    server = ApacheDav(folder)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
