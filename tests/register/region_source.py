"""Another city's platform for the region-import test: `python -m tests.register.region_source seed|change`.

Runs in its own process with its own DATABASE_URL (Piccolo's tables are bound per process), so
the test's app and this "other municipality" never share a database.
"""

from __future__ import annotations

import sys

import anyio

from participation.accounts.tables import Role
from participation.database import bind_engine, migrate
from participation.engines import build_engine
from participation.lib.clock import utcnow
from participation.register import services
from participation.register.tables import RegisterEntry
from participation.settings import get_settings
from tests.helpers import make_account
from tests.register.conftest import entry_fields


async def seed() -> None:
    settings = get_settings()
    bind_engine(build_engine(settings.database_url))
    await migrate()
    editor = await make_account(settings, email="editor@other.example", name="Redactie", role=Role.editor)
    await services.create_entry(
        settings,
        editor,
        entry_fields(
            title="Slimme verkeerslichten op de Oostweg", personal_data=False, algorithm_used=True, budget_eur=50000
        ),
    )
    await services.create_entry(settings, editor, entry_fields(title="Buurtbatterij in Keijzershof", theme="energy"))


async def change() -> None:
    """A title edited, an entry taken back as a draft (gone from the export) and a new entry."""
    settings = get_settings()
    bind_engine(build_engine(settings.database_url))
    editor = await make_account(settings, email="editor2@other.example", name="Redactie 2", role=Role.editor)
    await services.update_entry(
        settings,
        editor,
        "slimme-verkeerslichten-op-de-oostweg",
        {"title": "Slimme verkeerslichten op de Oostweg en Westweg"},
    )
    await RegisterEntry.update({RegisterEntry.draft: True, RegisterEntry.updated_at: utcnow()}).where(
        RegisterEntry.slug == "buurtbatterij-in-keijzershof"
    )
    await services.create_entry(settings, editor, entry_fields(title="Deelfietsen bij het station", theme="mobility"))


if __name__ == "__main__":
    anyio.run({"seed": seed, "change": change}[sys.argv[1]])
