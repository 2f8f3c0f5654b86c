"""Settings from the environment and the city configuration file: a broken one stops start-up clearly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from participation.city import CityConfigError, load_city_config
from participation.settings import DEFAULT_CITY_CONFIG, ConfigurationError, Settings

ZOETERMEER = DEFAULT_CITY_CONFIG.read_text(encoding="utf-8")


def environ(tmp_path: Path, **values: str) -> dict[str, str]:
    return {"PARTICIPATION_VAR_DIR": str(tmp_path / "var"), **values}


def test_development_generates_a_secret_key_once(tmp_path):
    first = Settings.from_env(environ(tmp_path))
    second = Settings.from_env(environ(tmp_path))
    assert len(first.secret_key) >= 32 and first.secret_key == second.secret_key
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0, "readable by the owner only"
    assert first.database_url == f"sqlite:///{tmp_path / 'var' / 'participation.sqlite3'}"
    assert first.city.name == "Zoetermeer" and not first.is_production


def test_production_without_secret_key_is_refused(tmp_path):
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        Settings.from_env(environ(tmp_path, PARTICIPATION_ENV="production"))
    assert not (tmp_path / "var" / "secret_key").exists(), "no key is generated in production"


def test_production_with_a_secret_key(tmp_path):
    settings = Settings.from_env(
        environ(
            tmp_path,
            PARTICIPATION_ENV="production",
            SECRET_KEY="k" * 40,
            DATABASE_URL="postgresql://app@db/participation",
            REDIS_URL="redis://cache:6379/0",
        )
    )
    assert settings.is_production and settings.store_backend == "redis" and not settings.is_sqlite


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"SECRET_KEY": "too-short"}, "at least 32"),
        ({"PARTICIPATION_ENV": "staging"}, "PARTICIPATION_ENV"),
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
    ],
)
def test_wrong_settings_are_refused(tmp_path, values, words):
    with pytest.raises(ConfigurationError, match=words):
        Settings.from_env(environ(tmp_path, **values))


def write_city(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "city.toml"
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, pattern: str, after: str | None = None) -> int:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i + 1 for i in range(start, len(lines)) if re.search(pattern, lines[i]))


def assert_names(error: CityConfigError, path: Path, line: int, key: str | None) -> None:
    message = str(error)
    assert str(path) in message
    assert f"line {line}" in message, message
    if key:
        assert key in message, message
    assert error.line == line


def test_bad_type_for_support_threshold(tmp_path):
    text = ZOETERMEER.replace("threshold = 100", 'threshold = "honderd"')
    path = write_city(tmp_path, text)
    with pytest.raises(CityConfigError) as caught:
        load_city_config(path)
    assert_names(caught.value, path, line_of(text, r"^threshold ="), "support.threshold")


def test_toml_syntax_error(tmp_path):
    text = ZOETERMEER.replace('name = "Zoetermeer"', 'name = "Zoetermeer')
    path = write_city(tmp_path, text)
    with pytest.raises(CityConfigError) as caught:
        load_city_config(path)
    assert_names(caught.value, path, line_of(text, r'^name = "Zoetermeer$'), None)


def test_duplicate_neighbourhood_slug(tmp_path):
    text = ZOETERMEER.replace('slug = "dorp"', 'slug = "centrum"')
    path = write_city(tmp_path, text)
    with pytest.raises(CityConfigError) as caught:
        load_city_config(path)
    assert "duplicate" in str(caught.value) and "centrum" in str(caught.value)
    assert_names(
        caught.value, path, line_of(text, r'^slug = "centrum"', after='name = "Centrum'), "neighbourhoods[1].slug"
    )


def test_missing_table_and_bad_locale(tmp_path):
    no_support = re.sub(r"\[support\].*?(?=\[\[neighbourhoods\]\])", "", ZOETERMEER, flags=re.S)
    with pytest.raises(CityConfigError, match="support"):
        load_city_config(write_city(tmp_path, no_support))
    with pytest.raises(CityConfigError, match="default_locale"):
        load_city_config(write_city(tmp_path, ZOETERMEER.replace('default_locale = "nl"', 'default_locale = "fr"')))


def test_unreadable_city_file_and_settings_report_it(tmp_path):
    with pytest.raises(CityConfigError, match="cannot read"):
        Settings.from_env(environ(tmp_path, CITY_CONFIG=str(tmp_path / "missing.toml")))


def test_the_shipped_city_configuration_loads():
    city = load_city_config(DEFAULT_CITY_CONFIG)
    assert city.support_threshold >= 1 and city.neighbourhoods[0].slug == "whole-city"
    assert len({n.slug for n in city.neighbourhoods}) == len(city.neighbourhoods)


def test_rate_limits_from_the_environment():
    from participation.settings import RateLimits, Settings

    settings = Settings.from_env({"PARTICIPATION_RATE_LIMITS": "support=5, login=3"})
    assert (settings.rate_limits.support, settings.rate_limits.login) == (5, 3)
    assert settings.rate_limits.comment == RateLimits().comment
    for bad in ("support", "support=0", "votes=3", "support=x"):
        with pytest.raises(ConfigurationError, match="PARTICIPATION_RATE_LIMITS"):
            Settings.from_env({"PARTICIPATION_RATE_LIMITS": bad})


def test_account_rate_limits_from_the_environment():
    from participation.settings import AccountRateLimits, Settings

    settings = Settings.from_env({"PARTICIPATION_ACCOUNT_RATE_LIMITS": "comment=4"})
    assert settings.account_rate_limits.comment == 4
    assert settings.account_rate_limits.submission == AccountRateLimits().submission == 10
    assert settings.rate_limits.comment == 20, "the per-address limits are separate"
    with pytest.raises(ConfigurationError, match="PARTICIPATION_ACCOUNT_RATE_LIMITS: 'votes=3'"):
        Settings.from_env({"PARTICIPATION_ACCOUNT_RATE_LIMITS": "votes=3"})


def test_periodic_tasks_can_be_left_to_cron(tmp_path):
    assert Settings.from_env(environ(tmp_path)).run_periodic_tasks
    assert not Settings.from_env(environ(tmp_path, PERIODIC_TASKS="off")).run_periodic_tasks
    with pytest.raises(ConfigurationError, match="PERIODIC_TASKS"):
        Settings.from_env(environ(tmp_path, PERIODIC_TASKS="sometimes"))
