"""A real WebDAV server on 127.0.0.1 for tests (wsgidav on cheroot), with basic
authentication, that a test can stop and start again on the same port."""

from __future__ import annotations

import logging
import socket
import threading
import time
from pathlib import Path
from typing import Any

from cheroot import wsgi
from wsgidav.wsgidav_app import WsgiDAVApp

USER, PASSWORD = "segreteria", "dav password 2020"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class DavServer:
    def __init__(self, root: Path, port: int | None = None) -> None:
        self.root = root
        self.port = port or free_port()
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self.requests: list[tuple[str, str]] = []

    @property
    def url(self) -> str:
        return f"http://{USER}@127.0.0.1:{self.port}/dav"

    def _app(self) -> Any:
        config = {
            "host": "127.0.0.1",
            "port": self.port,
            "provider_mapping": {"/dav": str(self.root)},
            "http_authenticator": {
                "domain_controller": None,
                "accept_basic": True,
                "accept_digest": False,
                "default_to_digest": False,
            },
            "simple_dc": {"user_mapping": {"*": {USER: {"password": PASSWORD}}}},
            "verbose": 0,
            "logging": {"enable": False, "enable_loggers": []},
            "property_manager": True,
            "lock_storage": True,
        }
        app = WsgiDAVApp(config)
        requests = self.requests

        def recording(environ: dict[str, Any], start_response: Any) -> Any:
            requests.append((environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")))
            return app(environ, start_response)

        return recording

    def start(self) -> None:
        logging.getLogger("wsgidav").setLevel(logging.ERROR)
        self._server = wsgi.Server(("127.0.0.1", self.port), self._app(), numthreads=4)
        self._server.prepare()
        self._thread = threading.Thread(target=self._server.serve, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("the WebDAV server did not start")

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None
