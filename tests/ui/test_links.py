"""Links in mail point where the person can open them."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from participation import cli
from participation.settings import Settings, get_settings


def environ(tmp_path, **values: str) -> dict[str, str]:
    return {"PARTICIPATION_VAR_DIR": str(tmp_path / "var"), **values}


def test_development_links_follow_the_served_address(tmp_path):
    settings = Settings.from_env(environ(tmp_path))
    assert settings.serving_at("127.0.0.1", 8101).base_url == "http://127.0.0.1:8101"
    assert settings.serving_at("0.0.0.0", 8102).base_url == "http://127.0.0.1:8102"
    assert settings.serving_at("localhost", 8000).base_url == "http://localhost:8000"


def test_an_explicit_base_url_and_production_keep_theirs(tmp_path):
    configured = Settings.from_env(environ(tmp_path, BASE_URL="https://meedoen.example.nl/"))
    assert configured.serving_at("127.0.0.1", 8101).base_url == "https://meedoen.example.nl"
    production = Settings.from_env(environ(tmp_path, PARTICIPATION_ENV="production", SECRET_KEY="k" * 40))
    assert production.serving_at("127.0.0.1", 8101).base_url == production.base_url


@pytest.fixture
def no_server(monkeypatch, tmp_path):
    """`participation serve` up to the point where uvicorn would start; returns what the app would read."""
    monkeypatch.setenv("PARTICIPATION_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("BASE_URL", raising=False)
    seen: dict[str, str] = {}
    monkeypatch.setattr(cli, "_with_database", lambda settings, work, require_migrated=True: None)
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: seen.update(base_url=get_settings().base_url))
    get_settings.cache_clear()
    yield seen
    get_settings.cache_clear()


def test_serve_on_another_port_mails_links_to_that_port(no_server, monkeypatch):
    result = CliRunner().invoke(cli.main, ["serve", "--port", "8101"])
    assert result.exit_code == 0, result.output
    assert no_server["base_url"] == "http://127.0.0.1:8101"
