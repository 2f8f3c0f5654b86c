"""What every open-data answer of the register carries: the licence and CORS.

The open-data endpoints (the register's JSON and CSV, its schema, the algorithm register, the
change feed and the data catalogue) are meant to be read by other sites and portals, also from
a browser on another origin: they answer `Access-Control-Allow-Origin: *`, for GET only and
without credentials (no cookies are read, so there is nothing to leak). Pages and the
authenticated API send no CORS headers: another origin's script cannot read them.

The licence (CC0 1.0 unless the city configuration names another under [open_data]) is stated
in each document and as a `Link: <...>; rel="license"` header (RFC 5988's licence relation).
"""

from __future__ import annotations

from participation.settings import Settings

# Route option that marks a handler as open data: its OPTIONS answer (participation.options)
# then carries CORS headers too, for a browser's preflight.
OPEN_DATA = {"open_data": True}

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET",
    # A script may read these; the others it may read anyway (CORS-safelisted).
    "Access-Control-Expose-Headers": "ETag, Link",
}


def license_of(settings: Settings) -> dict[str, str]:
    config = settings.city.open_data
    return {"name": config.license_name, "url": config.license_url}


def open_data_headers(settings: Settings) -> dict[str, str]:
    """CORS and the licence link, for every answer of an open-data endpoint."""
    return {**CORS_HEADERS, "Link": f'<{settings.city.open_data.license_url}>; rel="license"'}


def absolute(settings: Settings, path: str) -> str:
    return settings.base_url.rstrip("/") + path


def publisher_name(settings: Settings) -> str:
    return f"Gemeente {settings.city.name}" if settings.city.default_locale == "nl" else settings.city.name
