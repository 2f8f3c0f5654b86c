"""Where uploaded files live: one small interface, a folder under var/ or an S3-compatible store.

`MEDIA_STORAGE_URL` chooses: unset keeps files under `var/media/` (one host); `s3://KEY:SECRET@host:port/bucket`
(`?region=eu-west-1`, `&tls=false` for a plain-HTTP endpoint such as a local MinIO) puts them in a
bucket that every app host shares; `s3:///bucket` (no host) uses AWS itself with the credentials boto3
finds in the environment. The S3 backend is boto3, AWS's own and maintained client, run in a worker
thread: its clients are thread-safe, and it works with every S3-compatible store (MinIO, Ceph, Garage,
the big clouds), while the asyncio ports (aiobotocore) pin exact botocore versions.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol, runtime_checkable
from urllib.parse import parse_qs, unquote, urlsplit

# Keys are made by the app (e.g. "images/<hex>/960.jpg"): nothing outside this alphabet, no "..".
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_.-]*)*$")


class StorageError(Exception):
    """A misconfigured store (start-up) or a key the app should never have made."""


def checked_key(key: str) -> str:
    if not _KEY.match(key) or ".." in key:
        raise StorageError(f"not a storage key: {key!r}")
    return key


@runtime_checkable  # Litestar checks injected values against the annotation
class Storage(Protocol):
    async def put(self, key: str, data: bytes, content_type: str) -> None: ...

    async def get(self, key: str) -> bytes | None:
        """The file's bytes, or None when there is none."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the file; a missing one is not an error."""
        ...

    async def exists(self, key: str) -> bool: ...


class FileStorage:
    """Files in a folder: written to a temporary name and renamed, so a reader never sees half a file."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / checked_key(key)

    def _put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _get(self, key: str) -> bytes | None:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            return None

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(self._put, key, data)

    async def get(self, key: str) -> bytes | None:
        return await asyncio.to_thread(self._get, key)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._path(key).is_file)


class S3Storage:
    """Objects in one bucket of an S3-compatible store (boto3 in a worker thread)."""

    def __init__(self, client, bucket: str) -> None:
        self.client = client
        self.bucket = bucket

    @classmethod
    def from_url(cls, url: str) -> S3Storage:
        import boto3
        from botocore.config import Config

        parts = urlsplit(url)
        bucket = parts.path.strip("/")
        if parts.scheme != "s3" or not bucket or "/" in bucket:
            raise StorageError("MEDIA_STORAGE_URL must look like s3://KEY:SECRET@host:port/bucket")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        endpoint = None
        if parts.hostname:
            scheme = "http" if query.get("tls", "true").lower() in ("false", "off", "0") else "https"
            endpoint = f"{scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}"
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=query.get("region") or "us-east-1",
            aws_access_key_id=unquote(parts.username) if parts.username else None,
            aws_secret_access_key=unquote(parts.password) if parts.password else None,
            # Path-style addressing works with every S3-compatible server, virtual hosts need DNS per bucket.
            config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 3, "mode": "standard"}),
        )
        return cls(client, bucket)

    def _get(self, key: str) -> bytes | None:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=checked_key(key))
        except self.client.exceptions.NoSuchKey:
            return None
        return answer["Body"].read()

    def _exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=checked_key(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(
            self.client.put_object, Bucket=self.bucket, Key=checked_key(key), Body=data, ContentType=content_type
        )

    async def get(self, key: str) -> bytes | None:
        return await asyncio.to_thread(self._get, key)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.client.delete_object, Bucket=self.bucket, Key=checked_key(key))

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._exists, key)


def build_storage(url: str | None, var_dir: Path) -> Storage:
    """The store `MEDIA_STORAGE_URL` names; without one, `var/media/`."""
    if not url:
        return FileStorage(var_dir / "media")
    if url.startswith("s3://"):
        return S3Storage.from_url(url)
    if url.startswith("file://"):
        return FileStorage(Path(url.removeprefix("file://")))
    raise StorageError("MEDIA_STORAGE_URL must start with s3:// or file://")
