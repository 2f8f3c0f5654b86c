"""The idea list: filters, sorts, full-text search and paging, in a bounded number of queries.

A page costs three queries whatever the number of ideas: the ids of the page
(filtered, searched, sorted, limited), the total, and the rows for those ids. Each
stays bounded at city scale: the sorts follow indexes (see the ideas migration of
2026-11-29 10:10), the total is counted up to COUNT_CAP ("more than 1,000 ideas"),
and a relevance search ranks at most SEARCH_CANDIDATES matches, the newest, so a
common word does not rank every idea that contains it.

An idea whose support window has closed reads as expired at once (`lifecycle.as_read`),
before the periodic task writes the change: the list never writes.
Search is engine-specific: SQLite FTS5 (bm25, title weighted highest) with a
light Dutch suffix rule turned into prefix queries, PostgreSQL's full-text
search with the 'dutch' configuration (ts_rank over a weighted tsvector). An
exact title match always ranks first.

Both engines also match each word inside longer words and without accents, in a
folded copy of the text (lower case, accents removed): "cafe" and "café" find
"Taalcafé" (Dutch writes compounds as one word). SQLite keeps that copy in an FTS5
trigram table, PostgreSQL in a generated column (see the ideas migration of
2026-11-29); `fold` applies the same folding to the query.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from urllib.parse import urlencode

from piccolo.engine.sqlite import SQLiteEngine

from ideas.lifecycle import as_read
from ideas.tables import Idea, IdeaKind, IdeaStatus, Scope
from participation.city import CityConfig
from participation.database import current_engine
from participation.lib.clock import utcnow
from participation.validation import whole_number

# What the public list shows (withdrawn and merged ideas stay reachable by their link).
LISTED_STATUSES = (IdeaStatus.published.value, IdeaStatus.routed.value, IdeaStatus.expired.value)
SORTS = ("trending", "supports", "newest", "closing")
SEARCH_SORT = "relevance"
PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_QUERY_TERMS = 12
# Counting every match is a scan at city scale: past this the list says "more than 1,000".
COUNT_CAP = 1000
# A relevance search ranks at most this many matches (the newest; an exact title match always).
SEARCH_CANDIDATES = 1000

# Too common to help find a similar idea.
STOPWORDS = frozenset(
    """de het een en of van voor in op met aan bij naar door over om te uit als dat die dit er is zijn
    wordt meer niet geen ook nog maar dan wel ons onze we wij the a an and or of for in on with to at by""".split()
)
_WORD_RE = re.compile(r"\w+", re.UNICODE)
# Dutch plural and diminutive endings, longest first.
_SUFFIXES = ("etjes", "tjes", "jes", "etje", "tje", "je", "ens", "en", "es", "s", "e")
_VOWELS = set("aeiouy")


@dataclass(frozen=True)
class IdeaFilters:
    theme: str | None = None
    neighbourhood: str | None = None
    kind: str | None = None
    scope: str | None = None
    status: str | None = None
    q: str = ""
    sort: str = "trending"
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def effective_sort(self) -> str:
        return self.sort if self.sort in (*SORTS, SEARCH_SORT) else "trending"

    def query_string(self, **changes: object) -> str:
        """This list as a shareable query string, with `changes` applied (page resets unless given)."""
        data = replace(self, **({"page": 1} | changes))  # type: ignore[arg-type]
        params = [
            (name, value)
            for name in ("q", "theme", "neighbourhood", "kind", "scope", "status", "sort")
            if (value := getattr(data, name))
        ]
        if data.page > 1:
            params.append(("page", str(data.page)))
        if data.per_page != PER_PAGE:
            params.append(("per_page", str(data.per_page)))
        return urlencode(params)

    @property
    def active(self) -> bool:
        return bool(self.q or self.theme or self.neighbourhood or self.kind or self.scope or self.status)


def _choice(value: object, allowed: set[str]) -> str | None:
    text = str(value or "").strip()
    return text if text in allowed else None


def _positive(value: object, default: int, maximum: int | None = None) -> int:
    number = whole_number(value)
    if number is None:
        return default
    return min(number, maximum) if maximum else number


def filters_from_params(city: CityConfig, params: Mapping[str, object]) -> IdeaFilters:
    """Lenient parsing for the HTML list: an unknown value is ignored, not an error."""
    q = str(params.get("q") or "").strip()[:200]
    sort = str(params.get("sort") or "")
    if sort not in SORTS and not (sort == SEARCH_SORT and q):
        sort = SEARCH_SORT if q else "trending"
    return IdeaFilters(
        theme=_choice(params.get("theme"), {t.slug for t in city.themes}),
        neighbourhood=_choice(params.get("neighbourhood"), {n.slug for n in city.neighbourhoods}),
        kind=_choice(params.get("kind"), {k.value for k in IdeaKind}),
        scope=_choice(params.get("scope"), {s.value for s in Scope}),
        status=_choice(params.get("status"), set(LISTED_STATUSES)),
        q=q,
        sort=sort,
        page=_positive(params.get("page"), 1),
        per_page=_positive(params.get("per_page"), PER_PAGE, MAX_PER_PAGE),
    )


@dataclass
class IdeaPage:
    filters: IdeaFilters
    items: list[Idea] = field(default_factory=list)
    # Exact up to COUNT_CAP; beyond it `total_exact` is False and `total` is the cap.
    total: int = 0
    total_exact: bool = True
    has_next: bool = False

    @property
    def pages(self) -> int | None:
        """The number of pages, when the total is exact."""
        return max(1, -(-self.total // self.filters.per_page)) if self.total_exact else None

    @property
    def has_previous(self) -> bool:
        return self.filters.page > 1

    @property
    def paged(self) -> bool:
        return self.has_previous or self.has_next


# -- full-text query building ---------------------------------------------------


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD_RE.findall(text or "")][:MAX_QUERY_TERMS]


def dutch_prefix(word: str) -> str:
    """A prefix shared by a Dutch word's singular and plural forms (SQLite has no Dutch stemmer).

    "fietsenstallingen" -> "fietsenstalling", "lantaarnpalen" and "lantaarnpaal" -> "lantaarnpa".
    Short words are kept whole: a prefix of three letters finds too much.
    """
    if len(word) < 6:
        return word
    stem = word
    for suffix in _SUFFIXES:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= 5:
            stem = stem[: -len(suffix)]
            break
    # An open syllable doubles its vowel (paal/palen, boom/bomen): cut before the vowel length differs.
    if len(stem) >= 7 and stem[-1] not in _VOWELS and stem[-2] in _VOWELS:
        stem = stem[:-1]
        if stem[-1] == stem[-2]:
            stem = stem[:-1]
    return stem


# The accents the search folds, as in the ideas migration of 2026-11-29 (its FOLD_FROM / FOLD_TO).
_FOLDING = str.maketrans(
    "àáâãäåèéêëìíîïòóôõöùúûüýÿçñÀÁÂÃÄÅÈÉÊËÌÍÎÏÒÓÔÕÖÙÚÛÜÝŸÇÑ",
    "aaaaaaeeeeiiiiooooouuuuyycnaaaaaaeeeeiiiiooooouuuuyycn",
)
# The trigram index cannot match fewer than three characters; such words use the word index.
TRIGRAM = 3


def fold(word: str) -> str:
    return word.lower().translate(_FOLDING)


def substring_terms(terms: list[str]) -> list[str]:
    """The folded part of each word to find anywhere in the text (plural and diminutive endings off)."""
    return [dutch_prefix(fold(t)) for t in terms]


def sqlite_match(terms: list[str], any_term: bool = False) -> str:
    parts = [f'"{dutch_prefix(t)}"*' for t in terms]
    return (" OR " if any_term else " ").join(parts)


def is_sqlite() -> bool:
    return isinstance(current_engine(), SQLiteEngine)


class _Sql:
    """A WHERE clause built with Piccolo's `{}` placeholders (compiled to ? or $n per engine)."""

    def __init__(self) -> None:
        self.joins: list[str] = []
        self.where: list[str] = []
        self.args: list[object] = []
        self.order: str = ""
        self.order_args: list[object] = []
        # Only for the page's rows, not for the count: which matches are ranked at all.
        self.ranked: str = ""
        self.ranked_args: list[object] = []

    def add(self, clause: str, *args: object) -> None:
        self.where.append(clause)
        self.args.extend(args)

    def from_where(self) -> str:
        where = " AND ".join(self.where) or "1 = 1"
        return f"FROM idea {' '.join(self.joins)} WHERE {where}"

    def page_from_where(self) -> str:
        return self.from_where() + (f" AND {self.ranked}" if self.ranked else "")


_PUBLISHED, _EXPIRED = IdeaStatus.published.value, IdeaStatus.expired.value


def _add_statuses(sql: _Sql, statuses: tuple[str, ...], now: datetime) -> None:
    """`statuses` as readers see them at `now`: published with a closed window counts as expired."""
    wanted = set(statuses)
    if _EXPIRED in wanted and _PUBLISHED not in wanted:
        wanted.add(_PUBLISHED)
        sql.add("(idea.status <> {} OR idea.support_closes_at <= {})", _PUBLISHED, now)
    elif _PUBLISHED in wanted and _EXPIRED not in wanted:
        sql.add("(idea.status <> {} OR idea.support_closes_at > {})", _PUBLISHED, now)
    ordered = sorted(wanted)
    sql.add(f"idea.status IN ({', '.join('{}' for _ in ordered)})", *ordered)


def _search_sql(filters: IdeaFilters, statuses: tuple[str, ...], now: datetime) -> _Sql | None:
    sql = _Sql()
    _add_statuses(sql, statuses, now)
    for name in ("theme", "neighbourhood", "kind", "scope"):
        value = getattr(filters, name)
        if value:
            sql.add(f"idea.{name} = {{}}", value)
    terms = words(filters.q)
    if filters.q and not terms:
        return None  # only punctuation: nothing can match
    sort = filters.effective_sort
    if terms:
        if is_sqlite():
            inside = [t for t in substring_terms(terms) if len(t) >= TRIGRAM]
            short = [t for t in terms if len(dutch_prefix(fold(t))) < TRIGRAM]
            if inside:
                sql.joins.append("JOIN idea_trigram ON idea_trigram.rowid = idea.id")
                sql.add("idea_trigram MATCH {}", " ".join(f'"{t}"' for t in inside))
                rank = "bm25(idea_trigram, 10.0, 4.0, 1.0) ASC"
                if short:
                    sql.add("idea.id IN (SELECT rowid FROM idea_fts WHERE idea_fts MATCH {})", sqlite_match(short))
            else:
                sql.joins.append("JOIN idea_fts ON idea_fts.rowid = idea.id")
                sql.add("idea_fts MATCH {}", sqlite_match(terms))
                rank = "bm25(idea_fts, 10.0, 4.0, 1.0) ASC"
        else:
            # Word stems (Dutch stemmer) or, failing that, every word inside the folded text.
            likes = " AND ".join("idea.search_folded LIKE {}" for _ in terms)
            sql.add(
                f"(idea.search_vector @@ websearch_to_tsquery('dutch', {{}}) OR ({likes}))",
                filters.q,
                *("%" + t.replace("_", "\\_") + "%" for t in substring_terms(terms)),
            )
            rank = "ts_rank(idea.search_vector, websearch_to_tsquery('dutch', {})) DESC"
        if sort == SEARCH_SORT:
            sql.order = f"(lower(idea.title) = {{}}) DESC, {rank}, idea.id DESC"
            sql.order_args = [filters.q.lower()] + ([] if is_sqlite() else [filters.q])
            _bound_candidates(sql, filters.q.lower())
    if not sql.order:
        if sort == "closing":
            # Open ideas first, closing soonest; a closed window counts as closed before the task expires it.
            sql.order = (
                "CASE WHEN idea.status = 'published' AND idea.support_closes_at > {} THEN 0 ELSE 1 END, "
                "idea.support_closes_at ASC, idea.id DESC"
            )
            sql.order_args = [now]
        else:
            sql.order = {
                "supports": "idea.support_count DESC, idea.id DESC",
                "newest": "idea.published_at DESC, idea.id DESC",
            }.get(sort, "idea.trending_score DESC, idea.id DESC")
    return sql


def _bound_candidates(sql: _Sql, title: str) -> None:
    """Rank only the newest SEARCH_CANDIDATES matches (found in id order, no ranking) and exact title matches.

    A union inside IN, not an OR: an OR made PostgreSQL test the match on every row again.
    """
    # SQLite's full-text tables hand out matches newest first by themselves (their rowid is the idea's id).
    order = "idea.id DESC"
    for table in ("idea_trigram", "idea_fts"):
        if any(f"JOIN {table} " in join for join in sql.joins):
            order = f"{table}.rowid DESC"
    newest = f"SELECT idea.id {sql.from_where()} ORDER BY {order} LIMIT {SEARCH_CANDIDATES}"
    exact = f"SELECT idea.id {sql.from_where()} AND lower(idea.title) = {{}}"
    sql.ranked = f"idea.id IN (SELECT id FROM ({newest}) AS newest UNION {exact})"
    sql.ranked_args = [*sql.args, *sql.args, title]


async def list_ideas(
    filters: IdeaFilters, statuses: tuple[str, ...] = LISTED_STATUSES, now: datetime | None = None
) -> IdeaPage:
    now = now or utcnow()
    if filters.status:
        statuses = tuple(s for s in statuses if s == filters.status)
    page = IdeaPage(filters=filters)
    sql = _search_sql(filters, statuses, now)
    if sql is None or not statuses:
        return page
    offset = (filters.page - 1) * filters.per_page
    rows = await Idea.raw(
        f"SELECT idea.id AS id {sql.page_from_where()} ORDER BY {sql.order} LIMIT {{}} OFFSET {{}}",
        *sql.args,
        *sql.ranked_args,
        *sql.order_args,
        filters.per_page + 1,  # one more tells whether a next page exists, whatever the count says
        offset,
    )
    page.has_next = len(rows) > filters.per_page
    counted = await Idea.raw(
        f"SELECT COUNT(*) AS n FROM (SELECT 1 {sql.from_where()} LIMIT {{}}) AS capped", *sql.args, COUNT_CAP + 1
    )
    total = int(counted[0]["n"]) if counted else 0
    page.total, page.total_exact = min(total, COUNT_CAP), total <= COUNT_CAP
    ids = [row["id"] for row in rows[: filters.per_page]]
    if ids:
        by_id = {idea.id: idea for idea in await Idea.objects().where(Idea.id.is_in(ids))}
        page.items = [as_read(by_id[i], now) for i in ids if i in by_id]
    return page


async def similar_ideas(title: str, limit: int = 5, exclude_id: int | None = None) -> list[Idea]:
    """Public ideas sharing words with `title`, best match first (to support instead of duplicate)."""
    terms = [w for w in words(title) if len(w) >= 3 and w not in STOPWORDS]
    if not terms:
        return []
    statuses = (IdeaStatus.published.value, IdeaStatus.routed.value)
    placeholders = ", ".join("{}" for _ in statuses)
    args: list[object] = list(statuses)
    exclude = ""
    if exclude_id is not None:
        exclude = "AND idea.id <> {}"
        args.append(exclude_id)
    if is_sqlite():
        query = (
            "SELECT idea.id AS id FROM idea JOIN idea_fts ON idea_fts.rowid = idea.id "
            f"WHERE idea_fts MATCH {{}} AND idea.status IN ({placeholders}) {exclude} "
            "ORDER BY bm25(idea_fts, 10.0, 4.0, 1.0) ASC, idea.id DESC LIMIT {}"
        )
        rows = await Idea.raw(query, sqlite_match(terms, any_term=True), *args, limit)
    else:
        # Words only (\w+), so joining them with | is a valid tsquery.
        tsquery = " | ".join(terms)
        query = (
            "SELECT idea.id AS id FROM idea "
            f"WHERE idea.search_vector @@ to_tsquery('dutch', {{}}) AND idea.status IN ({placeholders}) {exclude} "
            "ORDER BY ts_rank(idea.search_vector, to_tsquery('dutch', {})) DESC, idea.id DESC LIMIT {}"
        )
        rows = await Idea.raw(query, tsquery, *args, tsquery, limit)
    ids = [row["id"] for row in rows]
    if not ids:
        return []
    by_id = {idea.id: idea for idea in await Idea.objects().where(Idea.id.is_in(ids))}
    return [by_id[i] for i in ids if i in by_id]
