"""The WebDAV transport (Nextcloud, Apache mod_dav, IIS...), over httpx.

Uploads go to a temporary name in the target folder and are then moved into
place with ``MOVE`` and ``Overwrite: F``, so a reader never sees half a file
and nothing is ever replaced. The only DELETE this transport sends is for its
own temporary file.
"""

from __future__ import annotations

import contextlib
import hashlib
from urllib.parse import quote, unquote, urlsplit

import httpx
from defusedxml import ElementTree as DefusedET
from defusedxml.common import DefusedXmlException

from app.i18n import _
from app.sync.errors import (
    RemoteConflictError,
    RemoteFileTooLargeError,
    RemoteRefusedError,
    TransientError,
)
from app.sync.transport import Entry, check_path

DAV = "{DAV:}"
MAX_LISTING = 16 * 1024 * 1024
TRANSIENT_STATUSES = {408, 423, 425, 429, 500, 502, 503, 504, 507}
PROPFIND_BODY = (
    b'<?xml version="1.0" encoding="utf-8"?>'
    b'<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>'
)


class WebDavTransport:
    """A WebDAV collection as a remote."""

    def __init__(
        self,
        url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 15,
    ) -> None:
        self.base = url.rstrip("/") + "/"
        parts = urlsplit(self.base)
        self.base_path = parts.path
        auth = httpx.BasicAuth(username, password or "") if username else None
        self.client = httpx.Client(auth=auth, timeout=timeout, follow_redirects=False)

    def describe(self) -> str:
        parts = urlsplit(self.base)
        port = f":{parts.port}" if parts.port else ""
        return f"{parts.scheme}://{parts.hostname}{port}{parts.path}"

    def _url(self, relative: str, folder: bool = False) -> str:
        path = quote(check_path(relative)) if relative else ""
        return self.base + path + ("/" if folder and path else "")

    def _request(self, method: str, url: str, **kwargs: object) -> httpx.Response:
        try:
            response = self.client.request(method, url, **kwargs)  # type: ignore[arg-type]
        except httpx.TransportError as exc:
            raise TransientError(self.describe(), type(exc).__name__) from None
        if response.status_code in TRANSIENT_STATUSES:
            raise TransientError(self.describe(), f"HTTP {response.status_code}")
        if response.status_code in (401, 403):
            raise RemoteRefusedError(self.describe(), _("access denied: check the credentials"))
        return response

    def list(self, folder: str) -> list[Entry]:
        url = self._url(folder, folder=True)
        response = self._request(
            "PROPFIND", url, headers={"Depth": "1", "Content-Type": "application/xml"},
            content=PROPFIND_BODY,
        )  # fmt: skip
        if response.status_code == 404:
            return []
        if response.status_code != 207:
            raise RemoteRefusedError(self.describe(), f"PROPFIND HTTP {response.status_code}")
        if len(response.content) > MAX_LISTING:
            raise RemoteRefusedError(self.describe(), _("folder listing too large"))
        try:
            root = DefusedET.fromstring(response.content)
        except (DefusedET.ParseError, DefusedXmlException):
            raise TransientError(self.describe(), _("unreadable folder listing")) from None
        own = urlsplit(url).path.rstrip("/")
        entries = []
        for item in root.findall(f"{DAV}response"):
            href = item.findtext(f"{DAV}href") or ""
            path = unquote(urlsplit(href).path).rstrip("/")
            if path == unquote(own) or not path:
                continue
            name = path.rsplit("/", 1)[-1]
            if name.startswith("."):
                continue
            is_folder = item.find(f".//{DAV}resourcetype/{DAV}collection") is not None
            entries.append(Entry(name, is_folder))
        return sorted(entries, key=lambda e: e.name)

    def get(self, path: str, max_size: int) -> bytes:
        url = self._url(path)
        try:
            with self.client.stream("GET", url) as response:
                if response.status_code in TRANSIENT_STATUSES:
                    raise TransientError(self.describe(), f"HTTP {response.status_code}")
                if response.status_code == 404:
                    raise RemoteRefusedError(
                        self.describe(), _("{path} is not there").format(path=path)
                    )
                if response.status_code != 200:
                    raise RemoteRefusedError(self.describe(), f"GET HTTP {response.status_code}")
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > max_size:
                        raise RemoteFileTooLargeError(path, max_size)
                    chunks.append(chunk)
        except httpx.TransportError as exc:
            raise TransientError(self.describe(), type(exc).__name__) from None
        return b"".join(chunks)

    def _ensure_folders(self, path: str) -> None:
        parts = path.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            url = self._url("/".join(parts[:depth]), folder=True)
            response = self._request("MKCOL", url)
            if response.status_code not in (201, 405):  # 405: already there
                raise RemoteRefusedError(self.describe(), f"MKCOL HTTP {response.status_code}")

    def _existing(self, path: str) -> bytes | None:
        response = self._request("HEAD", self._url(path))
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise RemoteRefusedError(self.describe(), f"HEAD HTTP {response.status_code}")
        return self.get(path, max_size=2**31)

    def put(self, path: str, data: bytes) -> bool:
        check_path(path)
        existing = self._existing(path)
        if existing is not None:
            if existing == data:
                return False
            raise RemoteConflictError(path)
        self._ensure_folders(path)
        folder, _sep, name = path.rpartition("/")
        # Named by the content, so that a retry after the server went away
        # between PUT and MOVE writes over the same temporary file and then
        # moves it, instead of leaving one behind per attempt.
        token = hashlib.sha256(data).hexdigest()[:12]
        temporary = f"{folder}/.{name}.{token}.part" if folder else f".{name}.{token}.part"
        temporary_url = self.base + quote(temporary)
        response = self._request("PUT", temporary_url, content=data)
        if response.status_code not in (200, 201, 204):
            raise RemoteRefusedError(self.describe(), f"PUT HTTP {response.status_code}")
        try:
            response = self._request(
                "MOVE", temporary_url,
                headers={"Destination": self._url(path), "Overwrite": "F"},
            )  # fmt: skip
            if response.status_code in (201, 204):
                return True
            if response.status_code == 412:  # someone else put it there meanwhile
                if self._existing(path) == data:
                    return False
                raise RemoteConflictError(path)
            raise RemoteRefusedError(self.describe(), f"MOVE HTTP {response.status_code}")
        finally:
            self._delete_temporary(temporary_url)

    def _delete_temporary(self, url: str) -> None:
        with contextlib.suppress(httpx.HTTPError):  # a leftover temporary file is harmless
            self.client.request("DELETE", url)

    def close(self) -> None:
        self.client.close()
