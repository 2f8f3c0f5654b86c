"""Settings read from environment variables (and an optional `.env` file).

Everything that differs between a laptop demo and a municipality's production
deployment is here; everything that differs between cities is in the city
configuration file named by `CITY_CONFIG` (see `participation.city`).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from dotenv import dotenv_values

from participation.city import CityConfig, load_city_config
from participation.geo.settings import GeoSettings, GeoSettingsError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CITY_CONFIG = ROOT / "participation" / "cities" / "zoetermeer.toml"


class ConfigurationError(Exception):
    """A setting is missing or wrong; start-up stops with this message."""


@dataclass(frozen=True)
class RateLimits:
    """Requests per minute per client address, per bucket of sensitive routes."""

    login: int = 10
    registration: int = 5
    password_reset: int = 5
    submission: int = 10
    comment: int = 20
    support: int = 60
    report: int = 20


@dataclass(frozen=True)
class AccountRateLimits(RateLimits):
    """Requests per minute per signed-in account, per bucket (on top of the per-address limits).

    No higher than per address: many people may share one office or school address, one account is
    one person. `login` covers the password change, `password_reset` the confirmation-link resend;
    `registration` counts only when someone already signed in registers again."""

    login: int = 5
    password_reset: int = 3
    submission: int = 10
    comment: int = 10
    support: int = 30
    report: int = 10


@dataclass(frozen=True)
class Settings:
    env: str
    database_url: str
    secret_key: str
    base_url: str
    redis_url: str | None
    smtp_url: str | None
    mail_from: str
    city: CityConfig
    var_dir: Path
    rate_limits: RateLimits = field(default_factory=RateLimits)
    account_rate_limits: RateLimits = field(default_factory=AccountRateLimits)
    # argon2 parameters; tests lower them, production keeps the library defaults.
    password_hash_fast: bool = False
    # Where development mail goes: "console" prints it, "memory" keeps it for tests.
    mail_backend: str = "console"
    # Sessions and rate-limit counters: "redis" (REDIS_URL), "file" (one host), "memory" (tests).
    store_backend: str = "file"
    # The periodic tasks inside the app (PERIODIC_TASKS=off when cron runs `participation tasks run-once`);
    # however many processes run them, one round runs at a time (participation.tasks).
    run_periodic_tasks: bool = True
    # The outbox worker inside the app process (OUTBOX_WORKER=off when separate
    # `participation outbox work` processes deliver the mail).
    outbox_worker: bool = True
    login_lockout_attempts: int = 10
    login_lockout_minutes: int = 15
    session_idle_minutes: int = 30
    # Staff sessions end after this idle time, whatever "keep me signed in" says.
    staff_session_idle_minutes: int = 30
    session_absolute_hours: int = 12
    email_link_hours: int = 48
    reset_link_hours: int = 2
    # Where security problems in this deployment are reported (an email address or https URL),
    # published at /.well-known/security.txt (RFC 9116); SECURITY.md points there.
    security_contact: str | None = None
    # Mail caps per hour (participation.accounts.attempts): reset links per address; confirmation
    # links and "you already have an account" notes per account.
    reset_mails_per_hour: int = 3
    account_mails_per_hour: int = 3
    # Lifetime of a new API token when its creator gives none (API_TOKEN_DAYS; at most TOKEN_DAYS_MAX).
    api_token_days: int = 90
    # False when BASE_URL was not given: development then links to the address it serves (see `serving_at`).
    base_url_configured: bool = True
    # Maps and finding addresses (participation.geo.settings).
    geo: GeoSettings = field(default_factory=GeoSettings)
    # Where uploaded images and documents live (participation.media.storage): unset is var/media/.
    media_storage_url: str | None = None

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def serving_at(self, host: str, port: int) -> Settings:
        """These settings for a server on host:port: in development without BASE_URL, links in mail
        follow the served address (`participation demo --port 8101` mails :8101 links). Production
        and an explicit BASE_URL keep theirs: behind a proxy only BASE_URL knows the public address."""
        if self.is_production or self.base_url_configured:
            return self
        if host in ("", "0.0.0.0", "::"):
            host = "127.0.0.1"  # every interface: the local one is the address that surely answers
        if ":" in host:
            host = f"[{host}]"
        return replace(self, base_url=f"http://{host}:{port}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = dict(environ if environ is not None else _environ_with_dotenv())
        mode = env.get("PARTICIPATION_ENV", "development")
        if mode not in ("development", "production"):
            raise ConfigurationError(f"PARTICIPATION_ENV must be 'development' or 'production', not {mode!r}")
        var_dir = Path(env.get("PARTICIPATION_VAR_DIR", ROOT / "var"))
        database_url = env.get("DATABASE_URL") or f"sqlite:///{var_dir / 'participation.sqlite3'}"
        if not database_url.startswith(("sqlite:///", "postgresql://", "postgres://")):
            raise ConfigurationError(
                f"DATABASE_URL must start with sqlite:/// or postgresql:// (got {database_url.split(':', 1)[0]}:...)"
            )
        secret_key = env.get("SECRET_KEY") or ""
        if not secret_key:
            if mode == "production":
                raise ConfigurationError("SECRET_KEY is required when PARTICIPATION_ENV=production")
            secret_key = _development_secret(var_dir)
        elif len(secret_key) < 32:
            raise ConfigurationError("SECRET_KEY must be at least 32 characters")
        city_path = Path(env.get("CITY_CONFIG") or DEFAULT_CITY_CONFIG)
        try:
            geo = GeoSettings.from_env(env, production=mode == "production")
        except GeoSettingsError as exc:
            raise ConfigurationError(str(exc)) from exc
        return cls(
            env=mode,
            database_url=database_url,
            secret_key=secret_key,
            base_url=(env.get("BASE_URL") or "http://127.0.0.1:8000").rstrip("/"),
            base_url_configured=bool(env.get("BASE_URL")),
            redis_url=env.get("REDIS_URL") or None,
            smtp_url=env.get("SMTP_URL") or None,
            mail_from=env.get("MAIL_FROM") or "noreply@localhost",
            city=load_city_config(city_path),
            var_dir=var_dir,
            store_backend="redis" if env.get("REDIS_URL") else "file",
            rate_limits=_rate_limits(env.get("PARTICIPATION_RATE_LIMITS", "")),
            account_rate_limits=_rate_limits(
                env.get("PARTICIPATION_ACCOUNT_RATE_LIMITS", ""), AccountRateLimits, "PARTICIPATION_ACCOUNT_RATE_LIMITS"
            ),
            outbox_worker=_on_off("OUTBOX_WORKER", env.get("OUTBOX_WORKER", "on")),
            run_periodic_tasks=_on_off("PERIODIC_TASKS", env.get("PERIODIC_TASKS", "on")),
            security_contact=env.get("SECURITY_CONTACT") or None,
            geo=geo,
            media_storage_url=_media_storage_url(env.get("MEDIA_STORAGE_URL", "")),
            api_token_days=_token_days(env.get("API_TOKEN_DAYS", "90")),
            staff_session_idle_minutes=_minutes(
                "STAFF_SESSION_IDLE_MINUTES", env.get("STAFF_SESSION_IDLE_MINUTES", "30")
            ),
        )


def _media_storage_url(value: str) -> str | None:
    if value and not value.startswith(("s3://", "file://")):
        raise ConfigurationError("MEDIA_STORAGE_URL must start with s3:// (an S3-compatible store) or file://")
    return value or None


def _minutes(name: str, value: str) -> int:
    if not value.strip().isdigit() or int(value) < 1:
        raise ConfigurationError(f"{name} must be a whole number of minutes, at least 1 (got {value!r})")
    return int(value)


def _on_off(name: str, value: str) -> bool:
    value = value.strip().lower()
    if value not in ("on", "off", "true", "false", "1", "0", "yes", "no"):
        raise ConfigurationError(f"{name} must be 'on' or 'off', not {value!r}")
    return value in ("on", "true", "1", "yes")


TOKEN_DAYS_MAX = 365


def _token_days(value: str) -> int:
    value = value.strip()
    if not value.isdigit() or not 1 <= int(value) <= TOKEN_DAYS_MAX:
        raise ConfigurationError(f"API_TOKEN_DAYS must be a number of days from 1 to {TOKEN_DAYS_MAX}, not {value!r}")
    return int(value)


def _rate_limits(
    spec: str, limits: type[RateLimits] = RateLimits, variable: str = "PARTICIPATION_RATE_LIMITS"
) -> RateLimits:
    """`login=10,support=60`: requests per minute per client address (or account), per bucket."""
    values = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        bucket, _, number = part.partition("=")
        if bucket not in RateLimits.__dataclass_fields__ or not number.isdigit() or int(number) < 1:
            raise ConfigurationError(
                f"{variable}: '{part}' is not bucket=number (buckets: {', '.join(RateLimits.__dataclass_fields__)})"
            )
        values[bucket] = int(number)
    return limits(**values)


def _environ_with_dotenv() -> dict[str, str]:
    """Process environment over `.env`: a real variable always wins."""
    values = {k: v for k, v in dotenv_values(ROOT / ".env").items() if v is not None}
    values.update(os.environ)
    return values


def _development_secret(var_dir: Path) -> str:
    """Generate the development key once, so sessions survive a restart."""
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
