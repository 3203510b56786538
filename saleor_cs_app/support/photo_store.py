"""Where photos are kept: outside the web root, behind a small interface so another store
(an S3-compatible bucket) can take its place. Keys are random; nothing is served from here directly."""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import Protocol

_KEY = re.compile(r"^[0-9]+/[0-9a-f]{32}$")


class PhotoStore(Protocol):
    def put(self, tenant_id: int, data: bytes) -> str: ...

    def get(self, key: str) -> bytes: ...

    def delete(self, key: str) -> None: ...


class FilesystemPhotoStore:
    """One file per photo under `root/<tenant id>/`, written atomically (temp file, then rename)."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root).resolve()

    def put(self, tenant_id: int, data: bytes) -> str:
        key = f"{int(tenant_id)}/{secrets.token_hex(16)}"
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temp = path.with_suffix(".part")
        temp.write_bytes(data)
        os.chmod(temp, 0o600)
        temp.replace(path)
        return key

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def _path(self, key: str) -> Path:
        if not _KEY.match(key):  # a key never comes from outside, but a path is never built from one unchecked
            raise ValueError("not a photo key")
        return self.root / key
