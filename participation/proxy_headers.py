"""Trust X-Forwarded-For/-Proto from the reverse proxy only, under either ASGI server.

uvicorn does this itself (`proxy_headers=True` reads FORWARDED_ALLOW_IPS); granian leaves it to
the app, so `participation serve --server granian` wraps the app with granian's own middleware,
given the same FORWARDED_ALLOW_IPS (default 127.0.0.1, the local proxy). Rate limits and the
security log then see the real client address, never one a client typed.
"""

from __future__ import annotations

import os
from typing import Any


def trusted_proxies() -> str:
    return os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1"


def behind_trusted_proxy(app: Any) -> Any:
    from granian.utils.proxies import wrap_asgi_with_proxy_headers

    return wrap_asgi_with_proxy_headers(app, trusted_hosts=trusted_proxies())
