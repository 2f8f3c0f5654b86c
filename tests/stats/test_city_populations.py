"""Neighbourhood populations in the city configuration: Zoetermeer's (approximate) figures, and errors that
name the key and line."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from participation.city import CityConfigError, load_city_config
from participation.settings import ROOT
from participation.stats.figures import compute
from participation.stats.filters import StatsFilters
from tests.stats import dataset

ZOETERMEER = (ROOT / "participation" / "cities" / "zoetermeer.toml").read_text(encoding="utf-8")
BUSINESS_AREAS = {"dutch-innovation-park", "bedrijventerreinen"}


def test_zoetermeer_ships_approximate_populations_for_its_residential_neighbourhoods():
    city = load_city_config(ROOT / "participation" / "cities" / "zoetermeer.toml")
    residential = {n.slug for n in city.neighbourhoods} - BUSINESS_AREAS - {"whole-city"}
    assert set(city.populations) == residential
    assert 120_000 <= sum(city.populations.values()) <= 130_000  # about 126,000 residents in total
    assert city.populations_approximate is True


@pytest.mark.parametrize("value", ["0", '"achtduizend"'])
def test_a_population_that_is_no_positive_number_is_refused_with_its_line(tmp_path, value):
    text = ZOETERMEER.replace("population = 8500", f"population = {value}", 1)
    path = tmp_path / "city.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CityConfigError) as caught:
        load_city_config(path)
    line = next(
        i + 1 for i, row in enumerate(text.splitlines()) if re.fullmatch(f"population = {re.escape(value)}", row)
    )
    assert "neighbourhoods[1].population" in str(caught.value) and caught.value.line == line


def test_without_populations_there_is_no_figure_per_1000_residents(tmp_path):
    text = re.sub(r"^population = \d+\n", "", ZOETERMEER, flags=re.M).replace("populations_approximate = true", "")
    path = tmp_path / "city.toml"
    path.write_text(text, encoding="utf-8")
    city = load_city_config(path)
    assert city.populations == {} and city.populations_approximate is False


@pytest.mark.anyio
async def test_figures_per_1000_residents_follow_the_configuration(settings):
    await dataset.load(settings)
    city = replace(settings.city, populations={"dorp": 1000})
    figures = await compute(replace(settings, city=city), StatsFilters(), dataset.NOW, dataset.TODAY)
    places = {p["slug"]: p for p in figures["neighbourhoods"]}
    assert (places["dorp"]["ideas_per_1000"], places["dorp"]["supports_per_1000"]) == (2.0, 5.0)
    assert places["oosterheem"]["ideas_per_1000"] is None
