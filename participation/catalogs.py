"""Translation catalogs: one per domain package, so each domain keeps its own messages.

`participation i18n update` extracts the messages of each domain (its Python
package and `templates/<domain>/`) into its `locale/nl/LC_MESSAGES/messages.po`,
keeping existing translations; `participation i18n check` (and a test) fails
when a shown message has no Dutch translation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from participation.settings import ROOT

TRANSLATED_LOCALES = ("nl",)  # source strings are English
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
TEMPLATE_OPTIONS = {"extensions": "jinja2.ext.i18n", "trimmed": "false"}


@dataclass(frozen=True)
class Domain:
    name: str
    package: Path

    @property
    def locale_dir(self) -> Path:
        return self.package / "locale"

    def po_path(self, locale: str) -> Path:
        return self.locale_dir / locale / "LC_MESSAGES" / "messages.po"


def domains() -> list[Domain]:
    """The core package plus every package that holds its own `locale/` (or is a known domain)."""
    found = [Domain("participation", ROOT / "participation")]
    candidates = [ROOT / "ideas", ROOT / "voting", *sorted(p for p in (ROOT / "participation").iterdir() if p.is_dir())]
    for package in candidates:
        if (package / "__init__.py").exists() and (package / "locale").is_dir():
            found.append(Domain(package.name, package))
    return found


def _owner(path: Path, all_domains: list[Domain]) -> Domain:
    names = {d.name: d for d in all_domains}
    relative = path.relative_to(ROOT)
    if relative.parts[0] == "templates":
        return (
            names.get(relative.parts[1], names["participation"]) if len(relative.parts) > 2 else names["participation"]
        )
    owners = [d for d in all_domains if path.is_relative_to(d.package)]
    return max(owners, key=lambda d: len(d.package.parts))


def extract() -> dict[str, Catalog]:
    all_domains = domains()
    catalogs = {d.name: Catalog(project="participation") for d in all_domains}
    sources = [
        *[(p, "python") for root in ("participation", "ideas", "voting") for p in sorted((ROOT / root).rglob("*.py"))],
        *[(p, "jinja2.ext:babel_extract") for p in sorted((ROOT / "templates").rglob("*.html"))],
    ]
    for path, method in sources:
        if "piccolo_migrations" in path.parts:
            continue
        catalog = catalogs[_owner(path, all_domains).name]
        options = TEMPLATE_OPTIONS if method != "python" else {}
        for lineno, message, comments, context in extract_from_file(
            method, str(path), keywords=KEYWORDS, options=options
        ):
            catalog.add(message, None, [(str(path.relative_to(ROOT)), lineno)], auto_comments=comments, context=context)
    return catalogs


def update() -> list[Path]:
    written = []
    templates = extract()
    for domain in domains():
        for locale in TRANSLATED_LOCALES:
            path = domain.po_path(locale)
            if path.exists():
                with path.open("rb") as f:
                    catalog = read_po(f, locale=locale)
            else:
                catalog = Catalog(locale=locale, project="participation")
            catalog.update(templates[domain.name])
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as f:
                write_po(f, catalog, width=100, omit_header=False, ignore_obsolete=True)
            written.append(path)
    return written


def missing() -> list[str]:
    """Messages shown in the UI without a (non-fuzzy) Dutch translation, as 'domain: msgid'."""
    problems = []
    templates = extract()
    for domain in domains():
        for locale in TRANSLATED_LOCALES:
            path = domain.po_path(locale)
            catalog = read_po(path.open("rb"), locale=locale) if path.exists() else Catalog(locale=locale)
            for message in templates[domain.name]:
                if not message.id:
                    continue
                translated = catalog.get(message.id)
                strings = translated.string if translated else None
                empty = not strings or (isinstance(strings, tuple) and not all(strings))
                if translated is None or empty or translated.fuzzy:
                    msgid = message.id if isinstance(message.id, str) else message.id[0]
                    problems.append(f"{domain.name} ({locale}): {msgid}")
    return problems
