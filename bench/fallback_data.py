"""Development stand-in for the scale generator: migrate and load the normal demo data, then exit.

`python -m bench` uses it only while `participation demo` has no `--scale` option.
"""

from __future__ import annotations

from participation.cli import _parts, _with_database


def main() -> None:
    from participation.database import migrate
    from participation.demo import load_demo

    parts = _parts()

    async def prepare() -> None:
        await migrate()
        await load_demo(parts)

    _with_database(parts.settings, prepare, require_migrated=False)


if __name__ == "__main__":
    main()
