"""The map and geocoder settings: defaults per environment, refused values, the tile host in the CSP."""

from __future__ import annotations

import pytest

from participation.geo.settings import PDOK_BRT_TILES, PDOK_LOCATIESERVER
from participation.middleware import content_security_policy
from participation.settings import ConfigurationError, Settings

BASE = {"SECRET_KEY": "s" * 40}


def test_development_finds_addresses_locally_and_production_asks_pdok(tmp_path):
    development = Settings.from_env({**BASE, "PARTICIPATION_VAR_DIR": str(tmp_path)}).geo
    assert (development.geocoder, development.geocoder_url) == ("local", PDOK_LOCATIESERVER)
    production = Settings.from_env({**BASE, "PARTICIPATION_ENV": "production", "PARTICIPATION_VAR_DIR": str(tmp_path)})
    assert production.geo.geocoder == "pdok"
    assert production.geo.tile_url == PDOK_BRT_TILES
    assert production.geo.tile_origin == "https://service.pdok.nl"


def test_another_tile_server_is_the_only_other_image_origin(tmp_path):
    settings = Settings.from_env(
        {
            **BASE,
            "PARTICIPATION_VAR_DIR": str(tmp_path),
            "MAP_TILE_URL": "https://tiles.example.org:8443/osm/{z}/{x}/{y}.png",
            "MAP_TILE_ATTRIBUTION": "© OpenStreetMap",
        }
    )
    assert settings.geo.tile_origin == "https://tiles.example.org:8443"
    csp = content_security_policy(settings.geo.tile_origin)
    assert "img-src 'self' data: https://tiles.example.org:8443;" in csp
    assert csp.count("tiles.example.org") == 1


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"GEOCODER": "google"}, "GEOCODER"),
        ({"MAP_TILE_URL": "https://tiles.example.org/tile.png"}, "MAP_TILE_URL"),
        ({"MAP_TILE_URL": "javascript:alert(1)//{z}{x}{y}"}, "MAP_TILE_URL"),
        ({"MAP_TILE_URL": "http://tiles.example.org/{z}/{x}/{y}.png", "PARTICIPATION_ENV": "production"}, "https"),
        ({"GEOCODER_URL": "ftp://example.org/free"}, "GEOCODER_URL"),
    ],
)
def test_broken_map_settings_stop_start_up(tmp_path, env, message):
    with pytest.raises(ConfigurationError, match=message):
        Settings.from_env({**BASE, "PARTICIPATION_VAR_DIR": str(tmp_path), **env})
