"""The city configuration's departments and assessment criteria, and the migration that turned the
free-text department into a configured slug."""

from __future__ import annotations

import importlib

import pytest

from participation.city import CityConfigError, load_city_config
from participation.register.tables import RegisterEntry
from participation.settings import DEFAULT_CITY_CONFIG

ZOETERMEER = DEFAULT_CITY_CONFIG.read_text(encoding="utf-8")


def test_zoetermeer_lists_departments_and_criteria_on_a_scale():
    city = load_city_config(DEFAULT_CITY_CONFIG)
    assert city.department("openbare-ruimte").name("en") == "Public space"
    assert [(c.slug, c.scale) for c in city.assessment_criteria] == [
        ("programme-goal", "score"),
        ("privacy-impact", "level"),
        ("cost", "level"),
        ("feasibility", "verdict"),
    ]
    assert city.assessment_criterion("cost").values == ("low", "medium", "high")


def test_an_unknown_scale_names_the_line_and_key(tmp_path):
    text = ZOETERMEER.replace('scale = "verdict"', 'scale = "stars"')
    path = tmp_path / "city.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CityConfigError) as caught:
        load_city_config(path)
    line = text.splitlines().index('scale = "stars"') + 1
    assert caught.value.line == line and caught.value.key == "assessment_criteria[3].scale"


def test_a_city_without_departments_or_criteria_loads(tmp_path):
    text = ZOETERMEER[: ZOETERMEER.index("# Departments that own register entries")]
    path = tmp_path / "city.toml"
    path.write_text(text, encoding="utf-8")
    city = load_city_config(path)
    assert city.departments == () and city.assessment_criteria == ()


@pytest.mark.anyio
async def test_the_migration_turns_department_names_into_slugs(new_entry):
    written = {"Openbare ruimte": "openbare-ruimte", " stadsbeheer ": "stadsbeheer", "Team Slimme Stad": None}
    for i, department in enumerate(written):
        entry = await new_entry(title=f"Project van afdeling nummer {i}")
        await RegisterEntry.update({RegisterEntry.department: department}).where(RegisterEntry.id == entry.id)
    migration = importlib.import_module("participation.register.piccolo_migrations.register_2026_11_29t13_12_30_000000")
    manager = await migration.forwards()
    for step in manager.raw:
        if step.__name__ == "departments_to_slugs":
            await step()
    rows = await RegisterEntry.select(RegisterEntry.title, RegisterEntry.department)
    now = {row["title"]: row["department"] for row in rows}
    assert [now[f"Project van afdeling nummer {i}"] for i in range(3)] == [
        "openbare-ruimte",
        "stadsbeheer",
        "Team Slimme Stad",  # matches no configured department: kept as written
    ]
