"""Map and geocoder settings from the environment (GEOCODER, GEOCODER_URL, MAP_TILE_URL, MAP_TILE_ATTRIBUTION)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

PDOK_LOCATIESERVER = "https://api.pdok.nl/bzk/locatieserver/search/v3_1/free"
# The BRT-Achtergrondkaart (the Kadaster's base map Dutch governments use) as WMTS tiles in EPSG:3857.
PDOK_BRT_TILES = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
PDOK_BRT_ATTRIBUTION = "Kaartgegevens © Kadaster (BRT-Achtergrondkaart, PDOK)"
GEOCODERS = ("pdok", "local")


class GeoSettingsError(ValueError):
    pass


@dataclass(frozen=True)
class GeoSettings:
    # "pdok" (the national Locatieserver) or "local" (the city configuration's address list).
    geocoder: str = "local"
    geocoder_url: str = PDOK_LOCATIESERVER
    tile_url: str = PDOK_BRT_TILES
    tile_attribution: str = PDOK_BRT_ATTRIBUTION

    @property
    def tile_origin(self) -> str:
        """scheme://host[:port] of the tiles: the one other origin the pages may load images from."""
        parts = urlsplit(self.tile_url)
        return f"{parts.scheme}://{parts.netloc}"

    @classmethod
    def from_env(cls, env: Mapping[str, str], production: bool) -> GeoSettings:
        geocoder = env.get("GEOCODER") or ("pdok" if production else "local")
        if geocoder not in GEOCODERS:
            raise GeoSettingsError(f"GEOCODER must be one of {', '.join(GEOCODERS)}, not {geocoder!r}")
        tile_url = env.get("MAP_TILE_URL") or PDOK_BRT_TILES
        parts = urlsplit(tile_url)
        if parts.scheme not in ("https", "http") or not parts.netloc or not all(k in tile_url for k in "{z}{x}{y}"):
            raise GeoSettingsError("MAP_TILE_URL must be an http(s) URL with {z}, {x} and {y}")
        if production and parts.scheme != "https":
            raise GeoSettingsError("MAP_TILE_URL must use https in production")
        geocoder_url = env.get("GEOCODER_URL") or PDOK_LOCATIESERVER
        if urlsplit(geocoder_url).scheme not in ("https", "http"):
            raise GeoSettingsError("GEOCODER_URL must be an http(s) URL")
        return cls(
            geocoder=geocoder,
            geocoder_url=geocoder_url,
            tile_url=tile_url,
            tile_attribution=env.get("MAP_TILE_ATTRIBUTION") or PDOK_BRT_ATTRIBUTION,
        )
