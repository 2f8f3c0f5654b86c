"""The city configuration: everything that makes the platform one municipality's.

A TOML file names the municipality, its neighbourhoods, themes, programme lines,
the support threshold and window, and the municipal response time. Zoetermeer's
ships as the default. A broken file stops start-up with the file, line and key.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from participation.city_identity import SignInConfig, read_sign_in
from participation.geo.area import CityMap, read_city_map

WHOLE_CITY = "whole-city"
# [support] counts: every support, or only those of verified residents and organisations.
SUPPORT_COUNTS = ("all", "verified")


class CityConfigError(Exception):
    def __init__(self, path: Path, message: str, line: int | None = None, key: str | None = None):
        where = f"{path}" + (f", line {line}" if line else "") + (f", key '{key}'" if key else "")
        super().__init__(f"Invalid city configuration {where}: {message}")
        self.path, self.line, self.key = path, line, key


@dataclass(frozen=True)
class Choice:
    """A configured option (theme, neighbourhood, programme line) with its names per locale."""

    slug: str
    names: dict[str, str]

    def name(self, locale: str) -> str:
        return self.names.get(locale) or self.names.get("nl") or next(iter(self.names.values()))


# Scales an assessment criterion can use (DESIGN: the register as a programme). Each is an ordered
# list of values; the labels live with the register's templates so they are translated.
ASSESSMENT_SCALES: dict[str, tuple[str, ...]] = {
    "score": ("1", "2", "3", "4", "5"),  # 1 = very weak ... 5 = very strong contribution
    "level": ("low", "medium", "high"),  # impact, cost or risk
    "verdict": ("meets", "partly", "does_not_meet"),  # a yes/no question with a middle ground
}


@dataclass(frozen=True)
class AssessmentCriterion:
    """[[assessment_criteria]]: what every project is assessed against, on one of ASSESSMENT_SCALES."""

    slug: str
    names: dict[str, str]
    scale: str
    questions: dict[str, str] = field(default_factory=dict)  # what the assessor answers, per language

    def name(self, locale: str) -> str:
        return self.names.get(locale) or self.names.get("nl") or next(iter(self.names.values()))

    def question(self, locale: str) -> str | None:
        return self.questions.get(locale) or self.questions.get("nl")

    @property
    def values(self) -> tuple[str, ...]:
        return ASSESSMENT_SCALES[self.scale]


@dataclass(frozen=True)
class PrivacyConfig:
    """[privacy]: who is responsible for the personal data, for the privacy statement (/privacy)."""

    controller: str | None  # the controller (verwerkingsverantwoordelijke): the municipality's executive
    address: str | None
    contact_email: str | None  # where people send a request to see, correct or delete their data
    dpo_email: str | None  # the data protection officer (functionaris gegevensbescherming)
    hosting: str | None  # processors: who hosts the platform, who delivers its mail
    mail: str | None


CC0 = ("CC0 1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/")


@dataclass(frozen=True)
class OpenDataConfig:
    """[open_data]: the licence and publisher stated in the open data, its catalogue and the register pages."""

    license_name: str = CC0[0]
    license_url: str = CC0[1]
    # The publisher as a URI, e.g. the TOOI identifier of the municipality (DCAT-AP-NL asks for one).
    publisher_uri: str | None = None
    contact_email: str | None = None  # the catalogue's contact point (default: none stated)


ACCESSIBILITY_STATUSES = ("compliant", "partially_compliant", "not_compliant")


@dataclass(frozen=True)
class AccessibilityConfig:
    """[accessibility]: the accessibility statement (/accessibility) in the government's format."""

    status: str  # one of ACCESSIBILITY_STATUSES (voldoet / voldoet gedeeltelijk / voldoet niet)
    last_checked: date | None
    contact_email: str | None
    limitations: tuple[Choice, ...]  # known limitations, per language (slug: a short key)


@dataclass(frozen=True)
class CityConfig:
    name: str
    slug: str
    default_locale: str
    timezone: str
    theme_css: str | None
    theme_class: str
    privacy_url: str | None
    accessibility_url: str | None
    support_threshold: int
    support_window_days: int
    response_weeks: int
    neighbourhoods: tuple[Choice, ...]
    themes: tuple[Choice, ...]
    programme_lines: tuple[Choice, ...]
    source: Path
    # [moderation] report_threshold: an idea or comment with this many open reports is hidden pending review.
    report_threshold: int = 3
    # [city] logo and favicon: files under static/ (the city's name as text, and the platform's icon, without).
    logo: str | None = None
    favicon: str | None = None
    privacy: PrivacyConfig | None = None
    accessibility: AccessibilityConfig | None = None
    # [[neighbourhoods]] population: residents per neighbourhood slug, for figures per 1,000 residents
    # (a neighbourhood without one, such as a business area, gets no such figure).
    populations: dict[str, int] = field(default_factory=dict)
    # [statistics] populations_approximate: the figures are estimates, and the statistics page says so.
    populations_approximate: bool = False
    # [[programme_lines]] goal, owner_role, budget_envelope_eur, start, end, status: the seed of each line's
    # row (participation.register.programme validates and inserts it once; admins edit it afterwards).
    programme_line_seeds: dict[str, dict[str, Any]] = field(default_factory=dict)
    open_data: OpenDataConfig = field(default_factory=OpenDataConfig)
    # [sign_in] and [[identity_providers]]: OpenID Connect providers, and whether passwords stay (city_identity).
    sign_in: SignInConfig = field(default_factory=SignInConfig)
    # [[departments]]: the municipal departments that own register entries (the entry stores the slug).
    departments: tuple[Choice, ...] = ()
    # [[assessment_criteria]]: what editors assess each register entry against.
    assessment_criteria: tuple[AssessmentCriterion, ...] = ()

    def department(self, slug: str | None) -> Choice | None:
        return next((d for d in self.departments if d.slug == slug), None)

    def assessment_criterion(self, slug: str | None) -> AssessmentCriterion | None:
        return next((c for c in self.assessment_criteria if c.slug == slug), None)

    # [map]: where maps open, the municipality's box, neighbourhood boundaries (None: no maps, no points).
    map: CityMap | None = None
    # [support] counts: which supports count toward the threshold: "all" (the demo's default) or
    # "verified" (only those of verified residents and verified organisations; voting.verified).
    support_counts: str = "all"

    def neighbourhood(self, slug: str | None) -> Choice | None:
        return next((n for n in self.neighbourhoods if n.slug == slug), None)

    def theme(self, slug: str | None) -> Choice | None:
        return next((t for t in self.themes if t.slug == slug), None)

    def programme_line(self, slug: str | None) -> Choice | None:
        return next((p for p in self.programme_lines if p.slug == slug), None)


def load_city_config(path: Path) -> CityConfig:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CityConfigError(path, f"cannot read file ({exc.strerror})") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _line_from_toml_error(str(exc))
        raise CityConfigError(path, str(exc), line=line) from exc
    return _Reader(path, text, data).read()


def _line_from_toml_error(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


class _Reader:
    """Validates the parsed TOML and points at the offending key and line."""

    def __init__(self, path: Path, text: str, data: dict[str, Any]):
        self.path, self.lines, self.data = path, text.splitlines(), data

    def fail(self, key: str, message: str) -> CityConfigError:
        return CityConfigError(self.path, message, line=self.line_of(key), key=key)

    def line_of(self, dotted: str) -> int | None:
        """Best effort: the line of `table.key` or `array[i].key`, inside that table or the i-th [[array]] entry."""
        match = re.fullmatch(r"([\w-]+)(?:\[(\d+)\])?(?:\.([\w-]+))?", dotted)
        if not match:
            return None
        table, index, key = match.group(1), int(match.group(2) or 0), match.group(3)
        header = re.compile(r"^\s*\[+\s*" + re.escape(table) + r"\s*\]+")
        headers = [i for i, ln in enumerate(self.lines) if header.match(ln)]
        if key is None:
            key, headers = table, headers or [-1]  # a top-level key, or the table itself
        if index >= len(headers):
            return headers[0] + 1 if headers and headers[0] >= 0 else None
        start = headers[index]
        key_re = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
        for i in range(start + 1, len(self.lines)):
            if start >= 0 and re.match(r"^\s*\[", self.lines[i]):
                break  # the next table: the key is missing from this one
            if key_re.match(self.lines[i]):
                return i + 1
        return start + 1 if start >= 0 else None

    def table(self, key: str) -> dict[str, Any]:
        value = self.data.get(key)
        if not isinstance(value, dict):
            raise self.fail(key, f"a [{key}] table is required")
        return value

    def text(self, table: dict[str, Any], key: str, dotted: str, required: bool = True) -> str | None:
        value = table.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(dotted, "must be a non-empty string")
        return value.strip()

    def static_file(self, table: dict[str, Any], key: str, dotted: str) -> str | None:
        """A file under static/, written as "static/img/logo.svg" or "img/logo.svg"; it must exist."""
        value = self.text(table, key, dotted, required=False)
        if value is None:
            return None
        relative = value.removeprefix("/").removeprefix("static/")
        static = (Path(__file__).resolve().parent.parent / "static").resolve()
        path = (static / relative).resolve()
        if not path.is_relative_to(static) or not path.is_file():
            raise self.fail(dotted, f"no file static/{relative} (a path under static/ is expected)")
        return relative

    def positive_int(self, table: dict[str, Any], key: str, dotted: str) -> int:
        value = table.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise self.fail(dotted, "must be a whole number of at least 1")
        return value

    def choices(self, key: str) -> tuple[Choice, ...]:
        items = self.data.get(key)
        if not isinstance(items, list) or not items:
            raise self.fail(key, f"at least one [[{key}]] entry is required")
        seen: set[str] = set()
        out = []
        for i, item in enumerate(items):
            where = f"{key}[{i}]"
            slug = item.get("slug") if isinstance(item, dict) else None
            if not isinstance(slug, str) or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
                raise self.fail(f"{where}.slug", "must be lower-case letters, digits and hyphens")
            if slug in seen:
                raise self.fail(f"{where}.slug", f"duplicate slug '{slug}'")
            seen.add(slug)
            names = item.get("name")
            if isinstance(names, str):
                names = {"nl": names}
            if (
                not isinstance(names, dict)
                or not names
                or not all(isinstance(v, str) and v.strip() for v in names.values())
            ):
                raise self.fail(f"{where}.name", "must be a string or a table of names per language")
            out.append(Choice(slug=slug, names=dict(names)))
        return tuple(out)

    def read(self) -> CityConfig:
        city = self.table("city")
        support = self.table("support")
        threshold = self.positive_int(support, "threshold", "support.threshold")
        window = self.positive_int(support, "window_days", "support.window_days")
        response = self.positive_int(support, "response_weeks", "support.response_weeks")
        counts = support.get("counts", "all")
        if counts not in SUPPORT_COUNTS:
            raise self.fail("support.counts", "must be 'all' or 'verified'")
        locale = city.get("default_locale", "nl")
        if locale not in ("nl", "en"):
            raise self.fail("city.default_locale", "must be 'nl' or 'en'")
        neighbourhoods = self.choices("neighbourhoods")
        if WHOLE_CITY in {n.slug for n in neighbourhoods}:
            raise self.fail("neighbourhoods", f"'{WHOLE_CITY}' is built in; do not list it")
        return CityConfig(
            name=self.text(city, "name", "city.name"),  # type: ignore[arg-type]
            slug=self.text(city, "slug", "city.slug"),  # type: ignore[arg-type]
            default_locale=locale,
            timezone=self.text(city, "timezone", "city.timezone", required=False) or "Europe/Amsterdam",
            theme_css=self.text(city, "theme_css", "city.theme_css", required=False),
            theme_class=self.text(city, "theme_class", "city.theme_class", required=False) or "voorbeeld-theme",
            privacy_url=self.text(city, "privacy_url", "city.privacy_url", required=False),
            accessibility_url=self.text(city, "accessibility_url", "city.accessibility_url", required=False),
            support_threshold=threshold,
            support_window_days=window,
            support_counts=counts,
            response_weeks=response,
            neighbourhoods=(Choice(WHOLE_CITY, {"nl": "Hele stad", "en": "Whole city"}), *neighbourhoods),
            themes=self.choices("themes"),
            programme_lines=self.choices("programme_lines"),
            source=self.path,
            report_threshold=self._report_threshold(),
            logo=self.static_file(city, "logo", "city.logo"),
            favicon=self.static_file(city, "favicon", "city.favicon"),
            privacy=self._privacy(),
            accessibility=self._accessibility(),
            populations=self._populations(),
            populations_approximate=self._populations_approximate(),
            programme_line_seeds={
                item["slug"]: {k: v for k, v in item.items() if k not in ("slug", "name")}
                for item in self.data["programme_lines"]
            },
            open_data=self._open_data(),
            sign_in=read_sign_in(self),
            departments=self.choices("departments") if "departments" in self.data else (),
            assessment_criteria=self._assessment_criteria(),
            map=self._map(neighbourhoods),
        )

    def _assessment_criteria(self) -> tuple[AssessmentCriterion, ...]:
        if "assessment_criteria" not in self.data:
            return ()
        criteria = []
        for i, (choice, item) in enumerate(
            zip(self.choices("assessment_criteria"), self.data["assessment_criteria"], strict=True)
        ):
            scale = item.get("scale")
            if scale not in ASSESSMENT_SCALES:
                raise self.fail(f"assessment_criteria[{i}].scale", f"must be one of {', '.join(ASSESSMENT_SCALES)}")
            question = item.get("question", {})
            if isinstance(question, str):
                question = {"nl": question}
            if not isinstance(question, dict) or not all(isinstance(v, str) and v.strip() for v in question.values()):
                raise self.fail(f"assessment_criteria[{i}].question", "must be a string or a table per language")
            criteria.append(AssessmentCriterion(choice.slug, choice.names, scale, dict(question)))
        return tuple(criteria)

    def _map(self, neighbourhoods: tuple[Choice, ...]) -> CityMap | None:
        if "map" not in self.data:
            return None
        slugs = [n.slug for n in neighbourhoods]
        return read_city_map(self._optional_table("map"), self.path.parent, slugs, self.fail)

    def _populations(self) -> dict[str, int]:
        populations = {}
        for i, item in enumerate(self.data.get("neighbourhoods") or []):
            if isinstance(item, dict) and "population" in item:
                populations[item["slug"]] = self.positive_int(item, "population", f"neighbourhoods[{i}].population")
        return populations

    def _populations_approximate(self) -> bool:
        value = self._optional_table("statistics").get("populations_approximate", False)
        if not isinstance(value, bool):
            raise self.fail("statistics.populations_approximate", "must be true or false")
        return value

    def _optional_table(self, key: str) -> dict[str, Any]:
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table")
        return value

    def _open_data(self) -> OpenDataConfig:
        table = self._optional_table("open_data")
        text = lambda key: self.text(table, key, f"open_data.{key}", required=False)  # noqa: E731
        license_name, license_url = text("license_name"), text("license_url")
        if bool(license_name) != bool(license_url):
            raise self.fail("open_data.license_name", "give both license_name and license_url, or neither (CC0)")
        for key in ("license_url", "publisher_uri"):
            if text(key) and not re.match(r"^https?://\S+$", text(key) or ""):
                raise self.fail(f"open_data.{key}", "must be a web address starting with https://")
        return OpenDataConfig(
            license_name=license_name or CC0[0],
            license_url=license_url or CC0[1],
            publisher_uri=text("publisher_uri"),
            contact_email=text("contact_email"),
        )

    def _privacy(self) -> PrivacyConfig:
        """Missing keys make the statement name the municipality in general, never an invented contact."""
        table = self._optional_table("privacy")
        text = lambda key: self.text(table, key, f"privacy.{key}", required=False)  # noqa: E731
        return PrivacyConfig(
            controller=text("controller"),
            address=text("address"),
            contact_email=text("contact_email"),
            dpo_email=text("dpo_email"),
            hosting=text("hosting"),
            mail=text("mail"),
        )

    def _accessibility(self) -> AccessibilityConfig:
        table = self._optional_table("accessibility")
        status = table.get("status", "partially_compliant")
        if status not in ACCESSIBILITY_STATUSES:
            raise self.fail("accessibility.status", f"must be one of {', '.join(ACCESSIBILITY_STATUSES)}")
        checked = table.get("last_checked")
        if checked is not None and not isinstance(checked, date):
            raise self.fail("accessibility.last_checked", "must be a date, e.g. 2026-11-29 (without quotes)")
        limitations = self.choices("accessibility_limitations") if "accessibility_limitations" in self.data else ()
        return AccessibilityConfig(
            status=status,
            last_checked=checked,
            contact_email=self.text(table, "contact_email", "accessibility.contact_email", required=False),
            limitations=limitations,
        )

    def _report_threshold(self) -> int:
        moderation = self.data.get("moderation", {})
        if not isinstance(moderation, dict):
            raise self.fail("moderation", "must be a table")
        if "report_threshold" not in moderation:
            return 3
        return self.positive_int(moderation, "report_threshold", "moderation.report_threshold")
