"""The storage contract, run against both backends: a folder, and an S3-compatible server (moto)."""

from __future__ import annotations

import boto3
import pytest
from moto.server import ThreadedMotoServer

from participation.media.storage import FileStorage, S3Storage, StorageError, build_storage

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def s3_url():
    """A local S3-compatible server on a free port, with one bucket; its URL as MEDIA_STORAGE_URL takes it."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    client = boto3.client(
        "s3",
        endpoint_url=f"http://{host}:{port}",
        region_name="eu-west-1",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )
    client.create_bucket(Bucket="participation-media", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    yield f"s3://test-key:test-secret@{host}:{port}/participation-media?region=eu-west-1&tls=false"
    server.stop()


@pytest.fixture(params=["file", "s3"])
def storage(request, tmp_path, s3_url):
    if request.param == "file":
        return build_storage(None, tmp_path)
    return build_storage(s3_url, tmp_path)


def test_the_url_chooses_the_backend(tmp_path, s3_url):
    assert isinstance(build_storage(None, tmp_path), FileStorage)
    assert build_storage(None, tmp_path).root == tmp_path / "media"
    assert isinstance(build_storage(f"file://{tmp_path}/elsewhere", tmp_path), FileStorage)
    s3 = build_storage(s3_url, tmp_path)
    assert isinstance(s3, S3Storage) and s3.bucket == "participation-media"
    assert s3.client.meta.endpoint_url.startswith("http://127.0.0.1:")
    with pytest.raises(StorageError):
        build_storage("ftp://example.org/bucket", tmp_path)
    with pytest.raises(StorageError):
        build_storage("s3://key:secret@example.org/", tmp_path)


async def test_a_file_put_is_there_to_get(storage):
    await storage.put("images/abc123/480.jpg", b"\xff\xd8 photo", "image/jpeg")
    assert await storage.exists("images/abc123/480.jpg")
    assert await storage.get("images/abc123/480.jpg") == b"\xff\xd8 photo"


async def test_a_put_replaces_the_file(storage):
    await storage.put("documents/plan.pdf", b"first", "application/pdf")
    await storage.put("documents/plan.pdf", b"second", "application/pdf")
    assert await storage.get("documents/plan.pdf") == b"second"


async def test_a_missing_file_is_none_and_deleting_it_is_no_error(storage):
    assert await storage.get("images/none/480.jpg") is None
    assert not await storage.exists("images/none/480.jpg")
    await storage.delete("images/none/480.jpg")


async def test_a_deleted_file_is_gone(storage):
    await storage.put("images/gone/960.png", b"png", "image/png")
    await storage.delete("images/gone/960.png")
    assert not await storage.exists("images/gone/960.png")
    assert await storage.get("images/gone/960.png") is None


@pytest.mark.parametrize("key", ["../secret_key", "images/../../etc/passwd", "/etc/passwd", "Images/X.jpg", ""])
async def test_keys_outside_the_store_are_refused(storage, key):
    with pytest.raises(StorageError):
        await storage.put(key, b"x", "image/jpeg")
    with pytest.raises(StorageError):
        await storage.get(key)


async def test_the_s3_backend_writes_objects_with_their_content_type(s3_url, tmp_path):
    storage = build_storage(s3_url, tmp_path)
    await storage.put("images/typed/480.webp", b"RIFF....WEBP", "image/webp")
    head = storage.client.head_object(Bucket="participation-media", Key="images/typed/480.webp")
    assert head["ContentType"] == "image/webp"


def test_the_setting_takes_only_the_schemes_a_store_understands(tmp_path):
    from participation.settings import ConfigurationError, Settings

    def environ(**values: str) -> dict[str, str]:
        return {"PARTICIPATION_VAR_DIR": str(tmp_path), **values}

    assert Settings.from_env(environ()).media_storage_url is None
    url = "s3://key:secret@minio.internal:9000/media?region=eu-west-1"
    assert Settings.from_env(environ(MEDIA_STORAGE_URL=url)).media_storage_url == url
    with pytest.raises(ConfigurationError, match="MEDIA_STORAGE_URL"):
        Settings.from_env(environ(MEDIA_STORAGE_URL="https://bucket.example.org"))
