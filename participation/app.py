"""The app factory: `create_app()` builds the Litestar app from settings; it only wires."""

from __future__ import annotations

from litestar import Litestar

from participation.composition import build_parts
from participation.core import ApplicationCore
from participation.proxy_headers import behind_trusted_proxy
from participation.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> Litestar:
    return Litestar(plugins=[ApplicationCore(build_parts(settings or get_settings()))])


def create_served_app() -> object:
    """The app as granian serves it: forwarded headers trusted from FORWARDED_ALLOW_IPS only."""
    return behind_trusted_proxy(create_app())
