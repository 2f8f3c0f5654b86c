"""The ceiling: a bare Litestar JSON route, served exactly as the platform is (same ASGI server,
workers, access log and proxy-header handling), so a page's req/s divided by this one's says how
much of the machine's HTTP capacity the page's own work leaves.

    python -m bench.ceiling --server granian --port 8211 --workers 1
"""

from __future__ import annotations

import argparse

from litestar import Litestar, get


@get("/", sync_to_thread=False)
def hello() -> dict[str, str]:
    return {"hello": "world"}


def create_app() -> Litestar:
    return Litestar(route_handlers=[hello])


def create_served_app() -> object:
    from participation.proxy_headers import behind_trusted_proxy

    return behind_trusted_proxy(create_app())


def main() -> None:
    from participation.cli import ASGI_SERVERS, serve_asgi

    parser = argparse.ArgumentParser(description="Serve the bare ceiling app.")
    parser.add_argument("--server", choices=ASGI_SERVERS, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    serve_asgi(
        args.server,
        uvicorn_factory="bench.ceiling:create_app",
        granian_factory="bench.ceiling:create_served_app",
        host=args.host,
        port=args.port,
        workers=args.workers,
    )


if __name__ == "__main__":
    main()
