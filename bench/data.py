"""The data under test: a scratch database filled by the scale generator, and what the endpoints need
from it (the most-commented idea, the commonest theme), found by SQL."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.servers import ROOT


@dataclass
class Facts:
    ideas: int
    supports: int
    comments: int
    busiest_idea: int | None  # the idea with the most comments
    busiest_comments: int
    common_theme: str | None
    support_mismatches: int  # ideas whose support_count differs from their rows


FACTS_SQL = {
    "ideas": "SELECT COUNT(*) FROM idea",
    "supports": "SELECT COUNT(*) FROM support",
    "comments": "SELECT COUNT(*) FROM comment",
    "busiest": "SELECT idea, COUNT(*) AS n FROM comment GROUP BY idea ORDER BY n DESC, idea LIMIT 1",
    "theme": "SELECT theme, COUNT(*) AS n FROM idea WHERE status = 'published' GROUP BY theme ORDER BY n DESC LIMIT 1",
    "mismatches": (
        "SELECT COUNT(*) FROM idea i WHERE i.support_count <> (SELECT COUNT(*) FROM support s WHERE s.idea = i.id)"
    ),
}


def query(database_url: str, sql: str) -> list[tuple]:
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
            return connection.execute(sql).fetchall()

    async def run() -> list[tuple]:
        import asyncpg

        connection = await asyncpg.connect(database_url)
        try:
            return [tuple(row) for row in await connection.fetch(sql)]
        finally:
            await connection.close()

    return asyncio.run(run())


def facts(database_url: str) -> Facts:
    busiest = query(database_url, FACTS_SQL["busiest"])
    theme = query(database_url, FACTS_SQL["theme"])
    return Facts(
        ideas=query(database_url, FACTS_SQL["ideas"])[0][0],
        supports=query(database_url, FACTS_SQL["supports"])[0][0],
        comments=query(database_url, FACTS_SQL["comments"])[0][0],
        busiest_idea=busiest[0][0] if busiest else None,
        busiest_comments=busiest[0][1] if busiest else 0,
        common_theme=theme[0][0] if theme else None,
        support_mismatches=query(database_url, FACTS_SQL["mismatches"])[0][0],
    )


def reset_postgres(database_url: str) -> None:
    """A scratch database: its public schema is dropped and made again (everything in it is lost)."""
    query(database_url, "DROP SCHEMA IF EXISTS public CASCADE")
    query(database_url, "CREATE SCHEMA public")


def load(scale: str, env: dict[str, str], log: Path) -> str:
    """Fill the database with `participation demo --scale <scale> --no-serve`; returns how it was filled."""
    command = [sys.executable, "-m", "participation.cli", "demo", "--scale", scale, "--no-serve"]
    how = f"participation demo --scale {scale} --no-serve"
    with log.open("a") as out:
        done = subprocess.run(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        raise RuntimeError(f"loading the data failed ({' '.join(command)}); see {log}")
    return how
