"""Jinja2 set-up: translations, dates in the city's time zone, city and asset helpers."""

from __future__ import annotations

from urllib.parse import urlencode

from litestar.plugins.flash import get_flashes
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig
from markupsafe import Markup

from participation import __version__
from participation.accounts.permissions import has_role
from participation.accounts.tables import Role
from participation.i18n import format_date, format_datetime, get_locale, machine_datetime, translations
from participation.settings import ROOT, Settings


def _gettext(message: str) -> str:
    return translations(get_locale()).gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return translations(get_locale()).ngettext(singular, plural, n)


def language_url(request: object, locale: str) -> str:
    """The current page in another language (the choice is then remembered in the session)."""
    url = request.url  # type: ignore[attr-defined]
    params = [(k, v) for k, v in url.query_params.items() if k != "lang"] + [("lang", locale)]
    return url.path + "?" + urlencode(params)


def content_lang_attribute(content_locale: str) -> Markup:
    """` lang="nl"` for what people wrote (in the city's language) on a page in another language,
    so a screen reader pronounces "Taalcafé" in Dutch on an English page; nothing when they agree."""
    return Markup(' lang="%s"') % content_locale if get_locale() != content_locale else Markup("")


def template_config(settings: Settings) -> TemplateConfig:
    def configure(engine: JinjaTemplateEngine) -> None:
        env = engine.engine
        env.add_extension("jinja2.ext.i18n")
        # newstyle: Jinja does the %-formatting and escapes the parameters.
        env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
        env.globals.update(
            city=settings.city,
            settings=settings,
            get_locale=get_locale,
            language_url=language_url,
            options=lambda choices: [(c.slug, c.name(get_locale())) for c in choices],
            asset_version=__version__,
            is_moderator=lambda account: has_role(account, Role.moderator),
            content_lang=lambda: content_lang_attribute(settings.city.default_locale),
        )
        engine.register_template_callable("get_flashes", get_flashes)
        env.filters.update(datetime=format_datetime, date=format_date, machine_datetime=machine_datetime)
        env.auto_reload = not settings.is_production
        env.trim_blocks = True
        env.lstrip_blocks = True

    return TemplateConfig(directory=ROOT / "templates", engine=JinjaTemplateEngine, engine_callback=configure)
