"""Indexes for the idea list at city scale: its sorts, its filters with the default sort, expiry.

Raw SQL, the same on both engines (Piccolo has no composite or expression index):
- the sorts with their tie-breaker (id), so a page reads 20 index entries instead of sorting
  every listed idea; a theme or neighbourhood with the default (trending) sort likewise;
- (status, support_closes_at): the periodic expiry's query and the list's "still open" test
  are a range probe, not a scan of every published idea;
- (status, support_count) and (status, trending_score): the home page's open ideas with the
  most supports and the periodic refresh's busiest ideas, read from the top without a sort;
- lower(title): a search's exact title match, which ranks first, is found without a scan.
The single-column indexes of the table stay: other queries (moderation, statistics) use them.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-29T10:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Idea list, filter and expiry indexes"

INDEXES = (
    ("idea_trending_id", "idea (trending_score DESC, id DESC)"),
    ("idea_supports_id", "idea (support_count DESC, id DESC)"),
    ("idea_published_id", "idea (published_at DESC, id DESC)"),
    ("idea_theme_trending", "idea (theme, trending_score DESC, id DESC)"),
    ("idea_neighbourhood_trending", "idea (neighbourhood, trending_score DESC, id DESC)"),
    ("idea_status_closes", "idea (status, support_closes_at)"),
    # The home page's "almost there": published ideas by supports, read from the top.
    ("idea_status_supports", "idea (status, support_count DESC)"),
    # The periodic trending refresh: the busiest published ideas.
    ("idea_status_trending", "idea (status, trending_score DESC)"),
    ("idea_lower_title", "idea (lower(title))"),
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="ideas", description=DESCRIPTION)

    async def create_indexes():
        from ideas.tables import Idea

        for name, columns in INDEXES:
            await Idea._meta.db.run_ddl(f"CREATE INDEX IF NOT EXISTS {name} ON {columns}")

    async def drop_indexes():
        from ideas.tables import Idea

        for name, _columns in INDEXES:
            await Idea._meta.db.run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
