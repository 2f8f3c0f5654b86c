"""The `participation` command: migrate, serve, demo, accounts, the outbox and periodic tasks."""

from __future__ import annotations

import os
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

import anyio
import click

from participation.city import CityConfigError
from participation.settings import ConfigurationError, Settings, get_settings

if TYPE_CHECKING:
    from participation.composition import Parts

T = TypeVar("T")


def _settings() -> Settings:
    try:
        return get_settings()
    except (ConfigurationError, CityConfigError) as exc:
        raise click.ClickException(str(exc)) from exc


def _parts() -> Parts:
    """The same composition root as the app's: a command runs with the app's wiring."""
    from participation.composition import build_parts

    return build_parts(_settings())


def _with_database(settings: Settings, work: Callable[[], Awaitable[T]], require_migrated: bool = True) -> T:
    from participation.database import DatabaseError, close_database, open_database
    from participation.engines import build_engine

    async def run() -> T:
        engine = build_engine(settings.database_url)
        await open_database(engine, require_migrated=require_migrated)
        try:
            return await work()
        finally:
            await close_database(engine)

    try:
        return anyio.run(run)
    except DatabaseError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group()
def main() -> None:
    """Participation platform for smart cities."""


@main.command()
def migrate() -> None:
    """Apply all database migrations."""
    from participation.database import migrate as run_migrations

    settings = _settings()
    _with_database(settings, run_migrations, require_migrated=False)
    click.echo(f"Database migrated: {_describe(settings.database_url)}")


def _describe(url: str) -> str:
    return url if url.startswith("sqlite") else url.split("@")[-1]


ASGI_SERVERS = ("granian", "uvicorn")
# The default is chosen by measurement (docs/performance.md).
DEFAULT_ASGI_SERVER = "uvicorn"


def _serve(settings: Settings, host: str, port: int, workers: int, server: str = DEFAULT_ASGI_SERVER) -> None:
    served = settings.serving_at(host, port)
    if served.base_url != settings.base_url:
        # The app (and each worker process) reads its settings from the environment.
        os.environ["BASE_URL"] = served.base_url
        get_settings.cache_clear()
    # Fail here with a clear message rather than inside a worker's lifespan.
    _with_database(settings, _noop)
    click.echo(f"Serving {settings.city.name} on http://{host}:{port} ({_describe(settings.database_url)}, {server})")
    serve_asgi(
        server,
        uvicorn_factory="participation.app:create_app",
        granian_factory="participation.app:create_served_app",
        host=host,
        port=port,
        workers=workers,
    )


def serve_asgi(server: str, *, uvicorn_factory: str, granian_factory: str, host: str, port: int, workers: int) -> None:
    """Serve an app factory as production does; the benchmark serves its bare ceiling app through this too.

    Either way X-Forwarded-For/-Proto are trusted only from FORWARDED_ALLOW_IPS (default 127.0.0.1,
    the local proxy), and tokens in mailed links never reach the access log (participation.log_redaction).
    """
    if server == "granian":
        from granian.constants import Interfaces
        from granian.server import Server

        from participation.log_redaction import GRANIAN_ACCESS_FORMAT, granian_log_config

        Server(
            granian_factory,  # wraps the app in granian's proxy-header middleware (participation.proxy_headers)
            factory=True,
            address=host,
            port=port,
            interface=Interfaces.ASGI,
            workers=workers,
            log_dictconfig=granian_log_config(),
            log_access=True,
            log_access_format=GRANIAN_ACCESS_FORMAT,
        ).serve()
        return
    import uvicorn

    from participation.log_redaction import uvicorn_log_config

    uvicorn.run(
        uvicorn_factory,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        log_level="info",
        log_config=uvicorn_log_config(),
    )


async def _noop() -> None:
    return None


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int, envvar="WEB_CONCURRENCY", help="Or WEB_CONCURRENCY.")
@click.option("--server", type=click.Choice(ASGI_SERVERS), default=DEFAULT_ASGI_SERVER, show_default=True)
def serve(host: str, port: int, workers: int, server: str) -> None:
    """Serve the platform (no demo data)."""
    settings = _settings()
    if workers > 1 and settings.store_backend != "redis":
        click.echo("Note: several workers without REDIS_URL share sessions through files on this host only.", err=True)
    _serve(settings, host, port, workers, server)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--scale",
    type=click.Choice(["1k", "city", "national"]),
    default=None,
    help="Add generated data for measuring: 1k ideas, a city (50,000) or national (PostgreSQL only).",
)
@click.option("--factor", default=1.0, show_default=True, type=float, help="Multiply the --scale sizes (e.g. 0.1).")
@click.option("--no-serve", is_flag=True, help="Load the data and exit (for benchmarks).")
def demo(host: str, port: int, scale: str | None, factor: float, no_serve: bool) -> None:
    """Migrate, load demo data (once) and serve."""
    from participation.accounts import two_factor
    from participation.database import migrate as run_migrations
    from participation.demo import DEMO_PASSWORD, load_demo

    parts = _parts()
    settings = parts.settings

    async def prepare():
        await run_migrations()
        if scale is None:
            return await load_demo(parts)
        return (await _load_scale(parts, scale, factor)).demo_accounts

    accounts = _with_database(settings, prepare, require_migrated=False)
    click.echo(f"\nDemo accounts (password for all: {DEMO_PASSWORD}):")
    for account, created in accounts:
        role = account.role.value + (f", organisation {account.organisation}" if account.organisation else "")
        click.echo(f"  {account.email:<32} {role}{'' if created else ' (existing)'}")
        if account.two_factor_secret:
            uri = two_factor.provisioning_uri(account.two_factor_secret, account.email, settings.city.name)
            click.echo(f"  {'':<32} authenticator key {two_factor.grouped(account.two_factor_secret)}  ({uri})")
    click.echo("")
    if not no_serve:
        _serve(settings, host, port, workers=1)


async def _load_scale(parts: Parts, scale: str, factor: float):
    from participation.scale_data import ScaleDataError, describe, load_scale_data

    try:
        report = await load_scale_data(parts, scale, factor, progress=click.echo)
    except ScaleDataError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(describe(report))
    return report


@main.group()
def accounts() -> None:
    """Create accounts and change roles."""


@accounts.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True, help="Display name (contact person for an organisation).")
@click.option(
    "--role", type=click.Choice(["member", "moderator", "editor", "admin"]), default="member", show_default=True
)
@click.option("--organisation", default=None, help="Organisation name: creates an organisation account.")
@click.option("--kvk", default=None, help="KvK number (8 digits), required with --organisation.")
@click.option("--password", default=None, help="Omit to be prompted (recommended: keeps it out of shell history).")
def accounts_create(
    email: str, name: str, role: str, organisation: str | None, kvk: str | None, password: str | None
) -> None:
    """Create a verified account."""
    from participation.accounts import services
    from participation.accounts.tables import Role
    from participation.validation import FormErrors

    if organisation and not kvk:
        raise click.UsageError("--kvk is required with --organisation")
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    settings = _parts().settings
    try:
        account = _with_database(
            settings,
            lambda: services.create_account(
                settings, email=email, name=name, password=password, role=Role(role), organisation=organisation, kvk=kvk
            ),
        )
    except FormErrors as exc:
        raise click.ClickException("; ".join(f"{field}: {message}" for field, message in exc.errors.items())) from exc
    click.echo(f"Created {account.kind} account {account.email} (id {account.id}, role {account.role}).")


@accounts.command("set-role")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(["member", "moderator", "editor", "admin"]), required=True)
def accounts_set_role(email: str, role: str) -> None:
    """Change an account's role (ends its sessions)."""
    from participation.accounts import services
    from participation.accounts.tables import Role
    from participation.validation import DomainError

    settings = _parts().settings
    try:
        account = _with_database(settings, lambda: services.set_role(email, Role(role)))
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from exc
    click.echo(f"{account.email} is now {account.role}.")


@accounts.command("token")
@click.argument("email")
@click.option("--name", default="cli", show_default=True, help="What the token is for.")
@click.option("--expires-days", type=int, default=None, help="Lifetime in days, 1-365 (default: API_TOKEN_DAYS).")
def accounts_token(email: str, name: str, expires_days: int | None) -> None:
    """Issue an API token for an account (integrations, automation); it is printed once.

    Only the token goes to standard output (TOKEN=$(participation accounts token EMAIL)); what it is, to standard error.
    """
    settings = _settings()
    issued = _with_database(settings, lambda: _issue_token(settings, email, name, expires_days))
    token = issued.token
    click.echo(
        f"Token {token.id} ({token.name}) for {email.strip().lower()}, expires {token.expires_at:%Y-%m-%d %H:%M} UTC. "
        "It is shown only this once: only its hash is stored.",
        err=True,
    )
    click.echo(issued.secret)


async def _issue_token(settings: Settings, email: str, name: str, expires_days: int | None):
    from participation.accounts import tokens
    from participation.accounts.tables import Account
    from participation.validation import FormErrors, clean_email

    account = await Account.objects().get(Account.email == clean_email(email))
    if account is None or account.deleted_at:
        raise click.ClickException(f"No account with the email address {email}.")
    if account.suspended_at:
        raise click.ClickException(f"{account.email} is suspended: no token is issued.")
    try:
        return await tokens.create_api_token(settings, account, name=name, expires_days=expires_days)
    except FormErrors as exc:
        options = {"name": "--name", "expires_days": "--expires-days"}
        raise click.ClickException("; ".join(f"{options[k]}: {m}" for k, m in exc.errors.items())) from exc


@accounts.command("reset-two-step")
@click.option("--email", required=True)
def accounts_reset_two_step(email: str) -> None:
    """Remove an account's two-step sign-in (lost phone and recovery codes); ends its sessions."""
    from participation.accounts import two_factor
    from participation.validation import DomainError

    settings = _parts().settings
    try:
        account = _with_database(settings, lambda: two_factor.reset(email))
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from exc
    click.echo(f"Two-step sign-in removed for {account.email}; its sessions ended. Staff enrol again at sign-in.")


@main.group()
def register() -> None:
    """The project register's open data."""


@register.command("import")
@click.argument("url")
@click.option("--max-mb", type=click.IntRange(1, 500), default=20, show_default=True, help="Largest export to read.")
@click.option("--timeout", type=click.FloatRange(1, 600), default=30.0, show_default=True, help="Seconds in all.")
def register_import(url: str, max_mb: int, timeout: float) -> None:
    """Read another city's /register.json (URL) into the read-only region view (/region)."""
    from participation.register import region

    settings = _settings()
    try:
        result = _with_database(
            settings, lambda: region.import_register(settings, url, max_bytes=max_mb * 1_000_000, timeout=timeout)
        )
    except region.RegionImportError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{result.city}: {result.added} added, {result.updated} updated, {result.removed} removed.")


@register.command("forget")
@click.argument("url")
def register_forget(url: str) -> None:
    """Remove an imported register (the URL it was imported from) from the region view."""
    from participation.register import region

    settings = _settings()
    removed = _with_database(settings, lambda: region.forget_source(url))
    if not removed:
        raise click.ClickException(f"Nothing was imported from {url}.")
    click.echo(f"{removed} entries removed from the region view.")


@main.group()
def tasks() -> None:
    """Periodic tasks (they also run inside the app)."""


@tasks.command("run-once")
def tasks_run_once() -> None:
    """Run every periodic task once (for cron), unless another process is running them right now."""
    from participation import tasks as periodic
    from participation.leases.services import holder_name

    parts = _parts()
    result = _with_database(parts.settings, lambda: periodic.run_when_due(parts, holder=holder_name(), force=True))
    if result is None:
        click.echo("Another process is running the periodic tasks right now; nothing done.", err=True)
        return
    for name, count in result.items():
        click.echo(f"{name}: {count}")


@main.group("security-log")
def security_log() -> None:
    """The security log (sign-ins, tokens, roles, suspensions, refused access)."""


@security_log.command("export")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help="From this day (UTC) on.")
@click.option("--format", "output", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True)
def security_log_export(since, output: str) -> None:
    """Write the log to standard output, oldest first (CSV cells that look like formulas get a leading ')."""
    from participation.accounts import security_log_admin as admin_log

    async def export() -> int:
        count = 0
        if output == "csv":
            click.echo(admin_log.csv_header(), nl=False)
        async for entry in admin_log.entries_since(since.date() if since else None):
            click.echo(admin_log.csv_row(entry) if output == "csv" else admin_log.jsonl_row(entry), nl=False)
            count += 1
        return count

    count = _with_database(_settings(), export)
    click.echo(f"{count} entries exported.", err=True)


@main.group()
def outbox() -> None:
    """The outgoing mail: deliver it, list it, queue failed messages again."""


@outbox.command("work")
@click.option("--once", is_flag=True, help="Send everything due now, then exit (for cron or a deploy step).")
def outbox_work(once: bool) -> None:
    """Deliver outbox messages (runs until stopped; the app does this too unless OUTBOX_WORKER=off)."""
    from participation.outbox.worker import OutboxWorker

    parts = _parts()
    worker = OutboxWorker(parts.settings, parts.mail_transport)
    if once:
        result = _with_database(parts.settings, worker.drain)
        click.echo(f"sent: {result.sent}, to retry: {result.retrying}, failed: {result.failed}")
        return
    click.echo(f"Outbox worker {worker.name} delivering (Ctrl+C stops it) ...")
    try:
        _with_database(parts.settings, worker.run)
    except KeyboardInterrupt:
        click.echo("Stopped.")


@outbox.command("list")
@click.option("--failed", "only_failed", is_flag=True, help="Only messages that failed after every attempt.")
@click.option("--status", type=click.Choice(["pending", "sending", "sent", "failed"]), default=None)
@click.option("--limit", default=50, show_default=True, type=int)
def outbox_list(only_failed: bool, status: str | None, limit: int) -> None:
    """List outbox messages, newest first."""
    from participation.outbox import services

    settings = _settings()
    rows = _with_database(settings, lambda: services.messages("failed" if only_failed else status, limit=limit))
    if not rows:
        click.echo("No messages.")
    for row in rows:
        line = f"{row.id:>6}  {row.status:<7}  {row.attempts} attempt(s)  {row.recipient}  {row.subject}"
        click.echo(line + (f"\n        last error: {row.last_error}" if row.last_error else ""))


@outbox.command("retry")
@click.option("--id", "ids", type=int, multiple=True, help="A failed message's number (repeatable).")
@click.option("--all-failed", is_flag=True, help="Every failed message.")
def outbox_retry(ids: tuple[int, ...], all_failed: bool) -> None:
    """Queue failed messages again, with a fresh set of attempts."""
    from participation.outbox import services

    if not ids and not all_failed:
        raise click.UsageError("Give --id N (repeatable) or --all-failed")
    settings = _settings()
    count = _with_database(settings, lambda: services.retry(ids=list(ids), all_failed=all_failed))
    click.echo(f"Queued again: {count}")


@main.group()
def i18n() -> None:
    """Translation catalogs (for developers)."""


@i18n.command("update")
def i18n_update() -> None:
    """Extract messages into each domain's Dutch catalog, keeping translations."""
    from participation import catalogs

    for path in catalogs.update():
        click.echo(f"updated {path}")


@i18n.command("check")
def i18n_check() -> None:
    """Fail when a message shown in the UI has no Dutch translation."""
    from participation import catalogs

    problems = catalogs.missing()
    for problem in problems:
        click.echo(problem)
    if problems:
        raise click.ClickException(f"{len(problems)} message(s) without a Dutch translation")
    click.echo("All messages translated.")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
