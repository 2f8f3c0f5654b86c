"""Points, the bundled neighbourhood boundaries and the [map] table (no database, no HTTP)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from participation.city import CityConfigError, load_city_config
from participation.geo.boundaries import BoundariesError, parse_boundaries
from participation.geo.places import city_area, suggest_neighbourhood
from participation.geo.points import Area, clean_point
from participation.settings import DEFAULT_CITY_CONFIG
from participation.validation import Errors

CITY = load_city_config(Path(DEFAULT_CITY_CONFIG))
CITIES = Path(DEFAULT_CITY_CONFIG).parent


def point(latitude, longitude, area=None):
    errors = Errors()
    return clean_point(errors, latitude, longitude, area or city_area(CITY)), errors.errors


def test_a_point_is_both_coordinates_or_neither():
    assert point("", "") == ((None, None), {})
    assert point("52.0601", "")[1].keys() == {"latitude"}
    assert point(None, 4.49)[1].keys() == {"latitude"}


def test_a_point_is_read_as_decimal_degrees_rounded_to_seven_places():
    assert point("52,06012345678", " 4.4942 ") == ((52.0601235, 4.4942), {})
    assert point(52.0601, 4.4942) == ((52.0601, 4.4942), {})


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [
        ("abc", "4.49"),
        ("nan", "4.49"),
        ("inf", "4.49"),
        ("91", "4.49"),
        ("52.06", "181"),
        ("1" * 40, "4.49"),
        (True, 4.49),
    ],
)
def test_nonsense_and_out_of_range_points_are_refused(latitude, longitude):
    values, errors = point(latitude, longitude, Area(-90, -180, 90, 180))
    assert values == (None, None)
    assert "decimal degrees" in str(errors["latitude"])


def test_a_point_outside_the_municipality_is_refused():
    (values, errors) = point("52.3676", "4.9041")  # Amsterdam
    assert values == (None, None)
    assert "outside the municipality" in str(errors["latitude"])
    # Swapped coordinates are the usual slip: refused too.
    assert point("4.4942", "52.0601")[0] == (None, None)


def test_the_bundled_boundaries_suggest_the_neighbourhood_of_each_bundled_address():
    """The demo addresses each lie in the neighbourhood their street belongs to."""
    expected = {
        "Stadhuisplein": "centrum",
        "Promenade": "centrum",
        "Europaweg": "centrum",
        "Dorpsstraat": "dorp",
        "Brechtzijde": "palenstein",
        "Meerzichtlaan": "meerzicht",
        "Buytenwegh": "buytenwegh",
        "Leyens": "de-leyens",
        "Seghwaert": "seghwaert",
        "Noordhovenseweg": "noordhove",
        "Oosterheemplein": "oosterheem",
        "Rokkeveenseweg": "rokkeveen",
        "Driemanspolder": "driemanspolder",
        "Dutch Innovation Park": "dutch-innovation-park",
        "Zoeterhage": "bedrijventerreinen",
    }
    lines = (line for line in (CITIES / "zoetermeer-addresses.csv").open(encoding="utf-8") if not line.startswith("#"))
    rows = list(csv.DictReader(lines))
    assert {row["street"] for row in rows} == set(expected)
    for row in rows:
        slug = suggest_neighbourhood(CITY, float(row["latitude"]), float(row["longitude"]))
        assert slug == expected[row["street"]], row


def test_every_configured_neighbourhood_has_a_boundary_and_none_overlap():
    boundaries = CITY.map.boundaries
    slugs = [n.slug for n in boundaries.neighbourhoods]
    assert sorted(slugs) == sorted(c.slug for c in CITY.neighbourhoods if c.slug != "whole-city")
    area = CITY.map.area
    for i in range(60):
        for j in range(60):
            lat = area.south + (area.north - area.south) * (i + 0.5) / 60
            lon = area.west + (area.east - area.west) * (j + 0.5) / 60
            assert sum(n.contains(lat, lon) for n in boundaries.neighbourhoods) <= 1, (lat, lon)


def test_outside_every_boundary_no_neighbourhood_is_suggested():
    assert suggest_neighbourhood(CITY, 52.025, 4.425) is None  # inside the box, outside the neighbourhoods
    assert suggest_neighbourhood(CITY, None, None) is None


def test_a_hole_in_a_polygon_and_a_multipolygon():
    square = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
    hole = [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]
    far = [[20, 20], [22, 20], [22, 22], [20, 22], [20, 20]]
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"slug": "a"},
                "geometry": {"type": "Polygon", "coordinates": [square, hole]},
            },
            {
                "type": "Feature",
                "properties": {"slug": "b"},
                "geometry": {"type": "MultiPolygon", "coordinates": [[hole], [far]]},
            },
        ],
    }
    boundaries = parse_boundaries(data, ["a", "b"])
    assert boundaries.neighbourhood_at(2, 2) == "a"  # (latitude, longitude) = GeoJSON (y, x)
    assert boundaries.neighbourhood_at(5, 5) == "b"  # in a's hole, in b's first polygon
    assert boundaries.neighbourhood_at(21, 21) == "b"
    assert boundaries.neighbourhood_at(15, 15) is None


@pytest.mark.parametrize(
    ("feature", "message"),
    [
        (
            {"properties": {"slug": "nowhere"}, "geometry": {"type": "Polygon", "coordinates": []}},
            "configured neighbourhood",
        ),
        (
            {"properties": {"slug": "a"}, "geometry": {"type": "Point", "coordinates": [1, 2]}},
            "Polygon or MultiPolygon",
        ),
        (
            {"properties": {"slug": "a"}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}},
            "four positions",
        ),
    ],
)
def test_broken_boundaries_are_refused_with_the_feature_named(feature, message):
    with pytest.raises(BoundariesError, match=message):
        parse_boundaries({"type": "FeatureCollection", "features": [{"type": "Feature", **feature}]}, ["a"])


def _city_with_map(tmp_path: Path, map_table: str) -> Path:
    text = Path(DEFAULT_CITY_CONFIG).read_text(encoding="utf-8")
    start = text.index("[map]")
    end = text.index("# population: residents")
    (tmp_path / "zoetermeer-neighbourhoods.geojson").write_text(
        (CITIES / "zoetermeer-neighbourhoods.geojson").read_text(encoding="utf-8"), encoding="utf-8"
    )
    path = tmp_path / "city.toml"
    path.write_text(text[:start] + map_table + "\n" + text[end:], encoding="utf-8")
    return path


def test_a_city_without_a_map_table_has_no_map(tmp_path):
    city = load_city_config(_city_with_map(tmp_path, ""))
    assert city.map is None
    assert suggest_neighbourhood(city, 52.06, 4.49) is None


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ("[map]\ncentre = [52.06]\nsouth_west = [52.0, 4.4]\nnorth_east = [52.1, 4.6]", "map.centre"),
        ("[map]\ncentre = [52.06, 4.49]\nsouth_west = [52.1, 4.4]\nnorth_east = [52.0, 4.6]", "map.north_east"),
        ("[map]\ncentre = [53.0, 4.49]\nsouth_west = [52.0, 4.4]\nnorth_east = [52.1, 4.6]", "map.centre"),
        ("[map]\ncentre = [52.06, 4.49]\nsouth_west = [52.0, 4.4]\nnorth_east = [52.1, 4.6]\nzoom = 30", "map.zoom"),
        (
            "[map]\ncentre = [52.06, 4.49]\nsouth_west = [52.0, 4.4]\nnorth_east = [52.1, 4.6]\n"
            'boundaries = "missing.geojson"',
            "map.boundaries",
        ),
    ],
)
def test_a_broken_map_table_names_the_key(tmp_path, table, key):
    with pytest.raises(CityConfigError) as failure:
        load_city_config(_city_with_map(tmp_path, table))
    assert failure.value.key == key
    assert failure.value.line is not None


def test_boundaries_naming_an_unknown_neighbourhood_stop_start_up(tmp_path):
    path = _city_with_map(
        tmp_path,
        '[map]\ncentre = [52.06, 4.49]\nsouth_west = [52.0, 4.4]\nnorth_east = [52.1, 4.6]\nboundaries = "b.geojson"',
    )
    feature = {
        "type": "Feature",
        "properties": {"slug": "atlantis"},
        "geometry": {"type": "Polygon", "coordinates": []},
    }
    (tmp_path / "b.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    with pytest.raises(CityConfigError, match="atlantis"):
        load_city_config(path)


def test_the_bundled_boundaries_say_they_are_approximate():
    data = json.loads((CITIES / "zoetermeer-neighbourhoods.geojson").read_text(encoding="utf-8"))
    assert "APPROXIMATE DEMO BOUNDARIES" in data["description"]


def test_a_copied_configuration_keeps_the_bundled_boundaries_until_it_names_its_own(tmp_path):
    copy = tmp_path / "city.toml"
    copy.write_text(Path(DEFAULT_CITY_CONFIG).read_text(encoding="utf-8"), encoding="utf-8")
    city = load_city_config(copy)
    assert city.map.boundaries is not None and city.map.addresses == CITIES / "zoetermeer-addresses.csv"
    own = tmp_path / "zoetermeer-neighbourhoods.geojson"
    feature = {
        "type": "Feature",
        "properties": {"slug": "dorp"},
        "geometry": {"type": "Polygon", "coordinates": [[[4.0, 52.0], [4.1, 52.0], [4.1, 52.1], [4.0, 52.0]]]},
    }
    own.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    assert [n.slug for n in load_city_config(copy).map.boundaries.neighbourhoods] == ["dorp"]
