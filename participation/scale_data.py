"""Scale data for measuring: `participation demo --scale {1k,city,national}` and `load_scale_data`.

The normal demo is loaded first (its staff keep their fixed two-step keys), then a generated
city is added in one transaction with bulk inserts (multi-row executemany on SQLite, COPY on
PostgreSQL), never through the services one row at a time. What is generated, and why it is
valid for every page, is decided in `participation.scale_plan`; this module writes it and
derives every counter from the rows it wrote. Full-text search needs nothing extra: SQLite's
triggers and PostgreSQL's generated columns index each inserted idea.

Loading is once per database: a second run finds the generated accounts and adds nothing; a
database with ideas that are neither the demo's nor generated is refused.
"""

from __future__ import annotations

import math
import os
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table

from ideas.demo import DEMO_IDEAS
from ideas.search import fold
from ideas.tables import Comment, Follow, HiddenReason, Idea, IdeaStatus, WithdrawReason
from ideas.trending import trending_score
from participation import scale_plan, scale_text
from participation.accounts.passwords import hash_password
from participation.accounts.tables import Account
from participation.composition import Parts
from participation.database import current_engine, write_transaction
from participation.demo import DEMO_PASSWORD, DemoAccount, load_demo
from participation.lib.clock import utcnow
from participation.moderation.tables import ModerationDecision, Report
from participation.register import services as register
from participation.register.demo import LESSONS_CONTINUE, LESSONS_SCALE_UP, LESSONS_STOP
from participation.register.permissions import LESSON_FIELDS
from participation.register.tables import (
    EntryFollow,
    RegisterEntry,
    RegisterNeighbourhood,
    RegisterPartner,
    RegisterUpdate,
    Status,
)
from participation.scale_plan import Plan, PlannedIdea, Sizes, Tally
from voting.tables import Routing, Support

SCALES = {"1k": 1 / 50, "city": 1.0, "national": 20.0}
CITY = Sizes(ideas=50_000, supports=1_000_000, accounts=20_000, comments=250_000, entries=2_000, hot_comments=2_000)
EMAIL_DOMAIN = "scale.example"
SEED = 14
BATCH = 20_000
S = IdeaStatus
UPDATE_TEXT = {
    Status.under_assessment: "We onderzoeken haalbaarheid, kosten en privacy-effecten.",
    Status.planned: "Er is budget vrijgemaakt; de voorbereiding loopt.",
    Status.running: "Het project is gestart.",
    Status.completed: "Het project is afgerond. Wat we ervan leerden staat bij de geleerde lessen.",
    Status.stopped: "Het project is gestopt. Wat we ervan leerden staat bij de geleerde lessen.",
    Status.declined: "De gemeente neemt dit niet verder in behandeling; zie de toelichting.",
}
# Slugs of configured [[departments]] (Zoetermeer's; another city's data shows them as written).
DEPARTMENTS = ("mobiliteit", "duurzaamheid", "openbare-ruimte", "informatievoorziening", "zorg-en-welzijn")


class ScaleDataError(Exception):
    """The scale data cannot be loaded into this database (the message says why)."""


@dataclass
class ScaleReport:
    scale: str
    factor: float
    loaded: bool  # False: the data was already there, nothing was added
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    # The published idea with the configured number of comments (the benchmark's idea page).
    hot_idea_id: int | None = None
    database_bytes: int | None = None
    demo_accounts: list[tuple[DemoAccount, bool]] = field(default_factory=list)


def sizes_for(scale: str, factor: float = 1.0, threshold: int = 100) -> Sizes:
    """The sizes of `scale` times `factor`; small factors keep enough accounts to reach thresholds."""
    if scale not in SCALES:
        raise ScaleDataError(f"Unknown scale {scale!r}: choose one of {', '.join(SCALES)}.")
    if not 0 < factor <= 100:
        raise ScaleDataError("The factor must be above 0 and at most 100.")
    times = SCALES[scale] * factor
    hot = max(10, round(CITY.hot_comments * factor))
    return Sizes(
        ideas=max(20, round(CITY.ideas * times)),
        supports=max(100, round(CITY.supports * times)),
        accounts=max(4 * threshold, round(CITY.accounts * times)),
        comments=max(2 * hot, round(CITY.comments * times)),
        entries=max(len(Status) + 1, round(CITY.entries * times)),
        hot_comments=hot,
    )


async def load_scale_data(
    parts: Parts, scale: str, factor: float = 1.0, *, progress: Callable[[str], Any] | None = None
) -> ScaleReport:
    """Load the demo, then the generated data of `scale` (once); returns what was written and how long it took."""
    say = progress or (lambda _: None)
    settings = parts.settings
    sizes = sizes_for(scale, factor, settings.city.support_threshold)
    engine = current_engine()
    sqlite = isinstance(engine, SQLiteEngine)
    if scale == "national" and sqlite:
        raise ScaleDataError("The national scale needs PostgreSQL: set DATABASE_URL to a PostgreSQL database.")
    started = time.perf_counter()
    loaded_before = await Account.exists().where(Account.email.like(f"%@{EMAIL_DOMAIN}"))
    if not loaded_before:
        other = await Idea.count().where(Idea.title.not_in([d.title for d in DEMO_IDEAS]))
        if other:
            raise ScaleDataError(
                f"The database holds {other} ideas that are not demo data: load scale data into an empty "
                "(or demo-only) database."
            )
    report = ScaleReport(scale=scale, factor=factor, loaded=not loaded_before, seconds=0.0)
    say("Loading the demo data ...")
    report.demo_accounts = await load_demo(parts)
    if loaded_before:
        say("Scale data is already loaded in this database: nothing added.")
    else:
        say(
            f"Generating {scale} scale (x{factor:g}): {sizes.ideas:,} ideas, {sizes.supports:,} supports, "
            f"{sizes.accounts:,} accounts, {sizes.comments:,} comments, {sizes.entries:,} register entries"
        )
        report.counts = await _generate(parts, sizes, sqlite, say)
        say("Analysing the tables (ANALYZE) ...")
        await engine.run_ddl("ANALYZE")
        if sqlite:
            await engine.run_ddl("PRAGMA wal_checkpoint(TRUNCATE)")
    report.hot_idea_id = await _hot_idea_id()
    report.database_bytes = await _database_bytes(engine, sqlite)
    report.seconds = time.perf_counter() - started
    return report


async def _hot_idea_id() -> int | None:
    row = (
        await Idea.select(Idea.id)
        .where((Idea.status == S.published.value) & (Idea.author.email.like(f"%@{EMAIL_DOMAIN}")))
        .order_by(Idea.comment_count, ascending=False)
        .first()
    )
    return row["id"] if row else None


async def _database_bytes(engine: Any, sqlite: bool) -> int:
    if sqlite:
        path = engine.path
        return sum(os.path.getsize(p) for p in (path, f"{path}-wal") if os.path.exists(p))
    rows = await Idea.raw("SELECT pg_database_size(current_database()) AS size")
    return int(rows[0]["size"])


async def _next_id(table: type[Table]) -> int:
    rows = await table.raw(f'SELECT COALESCE(MAX(id), 0) AS top FROM "{table._meta.tablename}"')
    return int(rows[0]["top"]) + 1


async def _generate(parts: Parts, sizes: Sizes, sqlite: bool, say: Callable[[str], Any]) -> dict[str, int]:
    settings, city = parts.settings, parts.settings.city
    rng = random.Random(SEED)
    now = utcnow()
    staff = {
        row["email"]: row["id"]
        for row in await Account.select(Account.id, Account.email).where(
            Account.email.is_in(["moderator@example.org", "editor@example.org"])
        )
    }
    moderator, editor = staff.get("moderator@example.org"), staff.get("editor@example.org")
    first = {t: await _next_id(t) for t in (Account, Idea, Comment, RegisterEntry)}
    planned = time.perf_counter()
    account_times, organisations = scale_plan.plan_accounts(rng, sizes, now)
    plan = Plan(now, sizes, city.support_threshold, account_times, organisations)
    scale_plan.plan_ideas(rng, plan, city, first[Idea])
    account_ids = [first[Account] + i for i in range(sizes.accounts)]
    say(f"  planned in {time.perf_counter() - planned:.1f} s")
    password_hash = await hash_password(DEMO_PASSWORD, fast=settings.password_hash_fast)
    async with write_transaction():
        writer = _Writer(current_engine().current_transaction.get().connection, sqlite, say)
        await writer.insert(Account, ACCOUNT_COLUMNS, _accounts(rng, plan, city, account_ids, password_hash))
        await _insert_ideas(writer, plan, _ideas(rng, plan, account_ids))
        tally, follows = Tally(), [(account_ids[i.author], i.id, i.created_at) for i in plan.ideas]
        await writer.insert(
            Support, ("account", "idea", "created_at"), scale_plan.supports(rng, plan, account_ids, tally, follows)
        )
        await writer.insert(Follow, ("account", "idea", "created_at"), follows)
        comment_rows = scale_plan.comments(rng, plan, account_ids, first[Comment], tally)
        await writer.insert(Comment, COMMENT_COLUMNS, comment_rows)
        await writer.update_many(
            "UPDATE idea SET comment_count = {}, trending_score = {} WHERE id = {}", _counters(plan, tally)
        )
        entries = _register(rng, plan, settings, account_ids, first[RegisterEntry], editor, moderator)
        await writer.insert(RegisterEntry, ENTRY_COLUMNS, entries.entries)
        await writer.insert(RegisterUpdate, UPDATE_COLUMNS, entries.updates)
        await writer.insert(RegisterPartner, ("entry", "position", "name", "kind"), entries.partners)
        await writer.insert(RegisterNeighbourhood, ("entry", "neighbourhood"), entries.neighbourhoods)
        await writer.insert(EntryFollow, ("account", "entry", "created_at"), entries.follows)
        await writer.insert(Routing, ROUTING_COLUMNS, entries.routings)
        if moderator is not None:
            reports, decisions = _moderation(rng, plan, tally, account_ids, moderator)
            await writer.insert(Report, REPORT_COLUMNS, reports)
            await writer.insert(ModerationDecision, DECISION_COLUMNS, decisions)
        if not sqlite:
            for table in first:  # ids were given explicitly: move the sequences past them
                name = table._meta.tablename
                await writer.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), (SELECT MAX(id) FROM \"{name}\"))"
                )
    return writer.counts


class _Writer:
    """Bulk writes on the open transaction's own connection: executemany (aiosqlite) or COPY (asyncpg)."""

    def __init__(self, connection: Any, sqlite: bool, say: Callable[[str], Any]) -> None:
        self.connection, self.sqlite, self.say = connection, sqlite, say
        self.counts: dict[str, int] = {}

    async def insert(self, table: type[Table] | str, columns: Sequence[str], rows: Iterable[tuple]) -> None:
        name = table if isinstance(table, str) else table._meta.tablename
        started, count = time.perf_counter(), 0
        rebuild = await self._drop_secondary_indexes(name) if name in REBUILT_INDEXES else []
        quoted = ", ".join(f'"{c}"' for c in columns)
        sql = f'INSERT INTO "{name}" ({quoted}) VALUES ({", ".join("?" for _ in columns)})'
        for chunk in _batches(rows):
            if self.sqlite:
                await self.connection.executemany(sql, chunk)
            else:
                await self.connection.copy_records_to_table(name, records=chunk, columns=list(columns))
            count += len(chunk)
        for definition in rebuild:
            await self.execute(definition)
        self.counts[name] = self.counts.get(name, 0) + count
        self.say(f"  {name}: {count:,} rows in {time.perf_counter() - started:.1f} s")

    async def _drop_secondary_indexes(self, table: str) -> list[str]:
        """PostgreSQL: drop the table's non-unique indexes and return how to build them again.

        Building an index once after COPY is several times faster than updating it row by row (the
        GIN search indexes most of all). Unique indexes stay, so "only once" is still checked as rows
        go in; all of it is inside the load's transaction, so a failure leaves the indexes as they were.
        """
        if self.sqlite:
            return []
        rows = await self.connection.fetch(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = $1 AND indexdef NOT LIKE 'CREATE UNIQUE%'",
            table,
        )
        for row in rows:
            await self.connection.execute(f'DROP INDEX "{row["indexname"]}"')
        return [row["indexdef"] for row in rows]

    async def update_many(self, template: str, rows: Iterable[tuple]) -> None:
        """`template` with `{}` for each value, as Piccolo's raw queries write them."""
        if self.sqlite:
            sql = template.format(*("?" for _ in range(template.count("{}"))))
        else:
            sql = template.format(*(f"${n}" for n in range(1, template.count("{}") + 1)))
        for chunk in _batches(rows):
            await self.connection.executemany(sql, chunk)

    async def execute(self, sql: str, *args: Any) -> None:
        await self.connection.execute(sql, args) if self.sqlite else await self.connection.execute(sql, *args)

    async def fetch(self, sql: str) -> list[tuple]:
        if self.sqlite:
            cursor = await self.connection.execute(sql)
            # Piccolo's SQLite connections return rows as dicts.
            return [tuple(row.values()) if isinstance(row, dict) else tuple(row) for row in await cursor.fetchall()]
        return [tuple(row) for row in await self.connection.fetch(sql)]


# SQLite's insert triggers index one idea at a time (the trigram copy in four statements): ~3 ms an idea.
SEARCH_TRIGGERS = ("idea_fts_ai", "idea_trigram_ai")


async def _insert_ideas(writer: _Writer, plan: Plan, rows: Iterable[tuple]) -> None:
    """Insert the ideas; on SQLite fill both search indexes in bulk (as the triggers would), in the same transaction."""
    if not writer.sqlite:
        await writer.insert(Idea, IDEA_COLUMNS, rows)  # PostgreSQL's search columns are generated
        return
    names = ", ".join(f"'{name}'" for name in SEARCH_TRIGGERS)
    triggers = await writer.fetch(f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({names})")
    for name, _ in triggers:
        await writer.execute(f'DROP TRIGGER "{name}"')
    await writer.insert(Idea, IDEA_COLUMNS, rows)
    started = time.perf_counter()
    await writer.execute(
        "INSERT INTO idea_fts(rowid, title, summary, body) SELECT id, title, summary, body FROM idea WHERE id >= ?",
        plan.ideas[0].id,
    )
    # The folded copy the trigram trigger would write: lower case, accents off (ideas.search.fold).
    folded = ((i.id, fold(i.title), fold(i.summary), fold(i.body)) for i in plan.ideas)
    await writer.insert("idea_trigram", ("rowid", "title", "summary", "body"), folded)
    for _, sql in triggers:
        await writer.execute(sql)
    writer.say(f"  search indexes in {time.perf_counter() - started:.1f} s")


# The big tables, whose secondary indexes PostgreSQL builds once after the load.
REBUILT_INDEXES = frozenset({"idea", "support", "comment", "follow", "moderation_decision"})


def _batches(rows: Iterable[tuple]) -> Iterator[list[tuple]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, BATCH)):
        yield chunk


# -- rows -------------------------------------------------------------------------------------------

ACCOUNT_COLUMNS = (
    "id",
    "email",
    "email_verified_at",
    "password_hash",
    "display_name",
    "kind",
    "organisation_name",
    "kvk_number",
    "neighbourhood",
    "locale",
    "role",
    "auth_version",
    "created_at",
)


def _accounts(rng: random.Random, plan: Plan, city: Any, ids: list[int], password_hash: str) -> Iterator[tuple]:
    organisations = set(plan.organisations)
    places = [n.slug for n in city.neighbourhoods]
    for index, created in enumerate(plan.account_times):
        organisation = index in organisations
        yield (
            ids[index],
            f"deelnemer{index:06d}@{EMAIL_DOMAIN}",
            created,
            password_hash,
            scale_text.person_name(rng),
            "organisation" if organisation else "resident",
            scale_text.organisation_name(rng, index) if organisation else None,
            f"9{index:07d}" if organisation else None,
            None if organisation else rng.choice(places),
            "nl",
            "member",
            1,
            created,
        )


IDEA_COLUMNS = (
    "id",
    "author",
    "kind",
    "title",
    "summary",
    "body",
    "theme",
    "neighbourhood",
    "scope",
    "status",
    "created_at",
    "updated_at",
    "published_at",
    "support_closes_at",
    "support_count",
    "comment_count",
    "trending_score",
    "threshold_override",
    "merged_into",
    "rejection_reason",
    "moderator_message",
    "hidden_reason",
    "hidden_from",
    "withdraw_reason",
    "withdrawn_at",
    "pilot_what",
    "pilot_where",
    "pilot_duration_weeks",
    "pilot_asks",
    "pilot_personal_data",
    "pilot_personal_data_details",
    "pilot_partners",
)
HIDE_REASONS = [r.value for r in HiddenReason if r != HiddenReason.pending_review]


def _ideas(rng: random.Random, plan: Plan, account_ids: list[int]) -> Iterator[tuple]:
    # Duplicates after the ideas they point to: a foreign key is checked as each row goes in.
    for idea in sorted(plan.ideas, key=lambda i: i.merged_into is not None):
        status = idea.status
        withdrawn_at = _between(rng, idea.published_at, plan.now) if status == S.withdrawn.value else None
        hidden = status == S.hidden.value
        pilot = idea.kind == "pilot"
        updated = idea.routed_at or withdrawn_at or idea.published_at or idea.created_at
        yield (
            idea.id,
            account_ids[idea.author],
            idea.kind,
            idea.title,
            idea.summary,
            idea.body,
            idea.theme,
            idea.neighbourhood,
            idea.scope,
            status,
            idea.created_at,
            updated,
            idea.published_at,
            idea.closes_at,
            idea.supports,
            0,  # comment_count: set from the comment rows once they are written
            0.0,  # trending_score: likewise
            idea.threshold_override,
            idea.merged_into,
            "Dit valt buiten wat de gemeente kan oppakken." if status == S.rejected.value else None,
            "Kun je aangeven waar precies en wie het gaat organiseren?" if status == S.needs_changes.value else None,
            rng.choice(HIDE_REASONS) if hidden else None,
            (S.published.value if idea.closes_at and idea.closes_at > plan.now else S.expired.value)
            if hidden
            else None,
            rng.choice([r.value for r in WithdrawReason]) if withdrawn_at else None,
            withdrawn_at,
            "Een proef met sensoren en een openbaar dashboard." if pilot else None,
            "Twee straten in de wijk" if pilot else None,
            rng.choice((12, 26, 52)) if pilot else None,
            "space,permits" if pilot else None,
            idea.pilot_personal_data,
            "Tellingen per uur, gepseudonimiseerd." if idea.pilot_personal_data else None,
            "Hogeschool (evaluatie)" if pilot else None,
        )


def _between(rng: random.Random, start: datetime | None, end: datetime) -> datetime:
    start = start or end
    return start + (end - start) * rng.random() * 0.5


def _counters(plan: Plan, tally: Tally) -> Iterator[tuple]:
    """(comment_count, trending_score, id): from the rows written, with the app's trending formula."""
    for idea in plan.ideas:
        since = idea.published_at or idea.created_at
        age_hours = (plan.now - since).total_seconds() / 3600
        score = trending_score(tally.recent_supports.get(idea.id, 0), tally.recent_comments.get(idea.id, 0), age_hours)
        yield (tally.visible_comments.get(idea.id, 0), score, idea.id)


COMMENT_COLUMNS = ("id", "idea", "author", "parent", "body", "status", "hidden_reason", "created_at")


# -- the register -----------------------------------------------------------------------------------

ENTRY_COLUMNS = (
    "id",
    "slug",
    "title",
    "summary",
    "description",
    "origin",
    "idea_id",
    "status",
    "programme_line",
    "theme",
    "scope",
    "department",
    "response_due_at",
    "declined_reason",
    "personal_data",
    "data_description",
    "legal_basis",
    "dpia_status",
    "algorithm_used",
    "lessons_tried",
    "lessons_outcome",
    "lessons_decision",
    "lessons_decision_reason",
    "lessons_advice",
    "created_by",
    "created_at",
    "updated_at",
)
UPDATE_COLUMNS = ("entry", "created_at", "status", "previous_status", "text", "author_role", "author")
ROUTING_COLUMNS = (
    "idea",
    "routed_at",
    "support_count",
    "threshold",
    "method",
    "moderator",
    "reason",
    "register_entry_id",
)


@dataclass
class _Register:
    entries: list[tuple] = field(default_factory=list)
    updates: list[tuple] = field(default_factory=list)
    partners: list[tuple] = field(default_factory=list)
    neighbourhoods: list[tuple] = field(default_factory=list)
    follows: list[tuple] = field(default_factory=list)
    routings: list[tuple] = field(default_factory=list)


def _register(
    rng: random.Random,
    plan: Plan,
    settings: Any,
    account_ids: list[int],
    first_id: int,
    editor: int | None,
    moderator: int | None,
) -> _Register:
    """Entries routed from ideas (with their Routing records) and the city's own, in every register status."""
    city = settings.city
    routed = [i for i in plan.ideas if i.status == S.routed.value]
    own = max(0, plan.sizes.entries - len(routed))
    statuses = scale_plan.entry_statuses(rng, len(routed) + own)
    lines = [p.slug for p in city.programme_lines] or [None]
    places = [n.slug for n in city.neighbourhoods]
    register_ = _Register()
    for n, status in enumerate(statuses):
        entry_id = first_id + n
        idea: PlannedIdea | None = routed[n] if n < len(routed) else None
        if idea is not None:
            assert idea.routed_at is not None
            start, origin = idea.routed_at, ("pilot" if idea.kind == "pilot" else "idea")
            title, summary, theme, scope = idea.title[:120], idea.summary[:300], idea.theme, idea.scope
            slug = f"{register.slugify(title)[:60].strip('-')}-{idea.id}"
            personal_data = idea.pilot_personal_data
            neighbourhoods = [idea.neighbourhood]
            due = register.default_response_due(settings, start)
        else:
            start, origin = plan.now - scale_plan.HISTORY * rng.random(), "city"
            title, summary, _ = scale_text.idea_text(rng, city.name)
            title = f"Project: {title}"[:120]
            theme, scope = rng.choice([t.slug for t in city.themes]), rng.choice(("narrow", "broad"))
            slug = f"{register.slugify(title)[:60].strip('-')}-p{n}"
            personal_data = rng.choice((True, False, None))
            neighbourhoods = rng.sample(places, min(len(places), rng.randint(1, 2)))
            due = None
        steps = scale_plan.timeline(start, plan.now, status)
        lessons = _lessons(rng, status)
        privacy = personal_data is True
        register_.entries.append(
            (
                entry_id,
                slug,
                title,
                summary,
                "",
                origin,
                idea.id if idea else None,
                status.value,
                rng.choice(lines),
                theme,
                scope,
                "" if status == Status.received else rng.choice(DEPARTMENTS),
                due,
                "Past niet in de plannen voor de komende jaren." if status == Status.declined else None,
                personal_data,
                "Tellingen en contactgegevens van deelnemers." if privacy else None,
                "Publieke taak (AVG art. 6 lid 1e)" if privacy else None,
                "done" if privacy else None,
                rng.choice((True, False, None)),
                *(lessons.get(name) for name in LESSON_FIELDS),
                None if idea else editor,
                start,
                steps[-1][1],
            )
        )
        previous = None
        for step, (step_status, at) in enumerate(steps):
            if step == 0:
                text = register.ROUTED_TEXT if idea else register.ADDED_TEXT
                role, author = (register.SYSTEM_ROLE, None) if idea else ("editor", editor)
            else:
                text, role, author = UPDATE_TEXT[step_status], "editor", editor
            register_.updates.append((entry_id, at, step_status.value, previous, text, role, author))
            previous = step_status.value
        if idea is None and rng.random() < 0.5:
            register_.partners.append((entry_id, 0, scale_text.organisation_name(rng, n), "business"))
        register_.neighbourhoods += [(entry_id, slug_) for slug_ in neighbourhoods]
        for index in set(rng.sample(range(len(account_ids)), min(len(account_ids), rng.randint(0, 5)))):
            register_.follows.append((account_ids[index], entry_id, steps[-1][1]))
        if idea is not None:
            method = idea.routing_method or "threshold"
            register_.routings.append(
                (
                    idea.id,
                    idea.routed_at,
                    idea.supports,
                    plan.threshold,
                    method,
                    moderator if method == "moderator" else None,
                    "Breed gedragen, ook buiten het platform." if method == "moderator" else None,
                    entry_id,
                )
            )
    return register_


def _lessons(rng: random.Random, status: Status) -> dict[str, str]:
    if status == Status.completed:
        return rng.choice((LESSONS_SCALE_UP, LESSONS_CONTINUE))
    return LESSONS_STOP if status == Status.stopped else {}


# -- moderation -------------------------------------------------------------------------------------

REPORT_COLUMNS = (
    "reporter",
    "target_type",
    "target_id",
    "reason",
    "note",
    "status",
    "created_at",
    "decided_by",
    "decided_at",
)
DECISION_COLUMNS = ("actor", "action", "target_type", "target_id", "category", "reason", "created_at")
OPEN_REPORT_SHARE = 0.002


def _moderation(
    rng: random.Random, plan: Plan, tally: Tally, account_ids: list[int], moderator: int
) -> tuple[list[tuple], list[tuple]]:
    """The decisions behind the statuses (publish, reject, ...), upheld reports on hidden comments, a few open ones."""
    reports: list[tuple] = []
    decisions: list[tuple] = []
    action_for = {
        S.rejected.value: "reject",
        S.needs_changes.value: "request_changes",
        S.merged.value: "duplicate",
        S.hidden.value: "hide",
    }
    for idea in plan.ideas:
        if idea.published_at is not None:
            decisions.append((moderator, "publish", "idea", idea.id, None, None, idea.published_at))
        if action := action_for.get(idea.status):
            at = _between(rng, idea.published_at or idea.created_at, plan.now)
            category = rng.choice(HIDE_REASONS) if action == "hide" else None
            decisions.append((moderator, action, "idea", idea.id, category, None, at))
        if idea.routing_method == "moderator":
            decisions.append((moderator, "route", "idea", idea.id, None, "Breed gedragen.", idea.routed_at))
    for comment_id, reason, written in tally.hidden_comments:
        at = written + timedelta(hours=rng.uniform(1, 48))
        reporter = rng.choice(account_ids)
        reports.append((reporter, "comment", comment_id, reason, "", "upheld", written, moderator, at))
        decisions.append((moderator, "hide", "comment", comment_id, reason, None, at))
        decisions.append((moderator, "uphold", "comment", comment_id, None, None, at))
    count = math.ceil(len(tally.visible_comment_ids) * OPEN_REPORT_SHARE)
    for comment_id in rng.sample(tally.visible_comment_ids, min(count, len(tally.visible_comment_ids))):
        reason = rng.choice(("off_topic", "offensive", "spam"))
        reports.append((rng.choice(account_ids), "comment", comment_id, reason, "", "open", plan.now, None, None))
    return reports, decisions


def describe(report: ScaleReport) -> str:
    """The closing lines of `participation demo --scale`: counts, time, size."""
    lines = [f"{name:<24} {count:>12,}" for name, count in sorted(report.counts.items())]
    size = f"{report.database_bytes / 1e6:,.0f} MB" if report.database_bytes is not None else "unknown"
    lines.append(f"{report.scale} scale (x{report.factor:g}) in {report.seconds:,.1f} s; database size {size}")
    if report.hot_idea_id is not None:
        lines.append(f"The most-commented idea: /ideas/{report.hot_idea_id}")
    return "\n".join(lines)


__all__ = ["SCALES", "ScaleDataError", "ScaleReport", "describe", "load_scale_data", "sizes_for"]
