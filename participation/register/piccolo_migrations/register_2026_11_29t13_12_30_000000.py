"""One assessment per (entry, criterion); `department` becomes the slug of a configured department.

Free-text departments are matched to the city configuration's [[departments]] by slug or by
name in any language (case and surrounding spaces ignored). A value that matches none is kept
as it was: the entry page shows it as written and the edit form asks for a choice from the list,
so no recorded department is lost.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-29T13:12:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "Unique (entry, criterion) on register_assessment; department as a configured slug"


def _department_slugs() -> dict[str, str]:
    from participation.settings import get_settings

    lookup: dict[str, str] = {}
    for department in get_settings().city.departments:
        for name in (department.slug, *department.names.values()):
            lookup.setdefault(name.strip().casefold(), department.slug)
    return lookup


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="register", description=DESCRIPTION)

    async def create_index():
        from participation.register.tables import RegisterAssessment

        await RegisterAssessment._meta.db.run_ddl(
            "CREATE UNIQUE INDEX IF NOT EXISTS register_assessment_entry_criterion_uniq "
            "ON register_assessment (entry, criterion)"
        )

    async def drop_index():
        from participation.register.tables import RegisterAssessment

        await RegisterAssessment._meta.db.run_ddl("DROP INDEX IF EXISTS register_assessment_entry_criterion_uniq")

    async def departments_to_slugs():
        from participation.register.tables import RegisterEntry

        lookup = _department_slugs()
        written = await RegisterEntry.select(RegisterEntry.department).where(RegisterEntry.department != "").distinct()
        for row in written:
            slug = lookup.get(row["department"].strip().casefold())
            if slug and slug != row["department"]:
                await RegisterEntry.update({RegisterEntry.department: slug}).where(
                    RegisterEntry.department == row["department"]
                )

    manager.add_raw(create_index)
    manager.add_raw(departments_to_slugs)
    manager.add_raw_backwards(drop_index)
    return manager
