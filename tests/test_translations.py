"""Translations: every shown message has Dutch, Dutch keeps the placeholders, pages render in both languages."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from participation.catalogs import TRANSLATED_LOCALES, domains, missing
from tests.helpers import post_form

# `%(name)s`, `%(count)d`, `%(share).1f`, ... (Python %-formatting with a mapping).
PLACEHOLDER_RE = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER_RE.findall(text))


def dutch_catalogs():
    """(domain, catalog) for every domain that has a Dutch catalog."""
    found = []
    for domain in domains():
        for locale in TRANSLATED_LOCALES:
            path = domain.po_path(locale)
            if path.exists():
                with path.open("rb") as f:
                    found.append((f"{domain.name} ({locale})", read_po(f, locale=locale)))
    return found


def test_every_shown_message_has_a_dutch_translation():
    # Fails while any domain's catalog still has untranslated or fuzzy messages:
    # run `participation i18n update`, translate, and `participation i18n check`.
    problems = missing()
    assert problems == [], "\n".join(problems)


def placeholder_problems(msgid: str, msgstr: str, *, allow_fewer: bool = False) -> list[str]:
    """Why `msgstr` would break (or lose information) where `msgid` works; empty when it is fine."""
    expected, found = placeholders(msgid), placeholders(msgstr)
    problems = []
    if found - expected:
        problems.append(f"unknown placeholder(s) {sorted(found - expected)}")
    if not allow_fewer and expected - found:
        problems.append(f"missing placeholder(s) {sorted(expected - found)}")
    # Jinja's newstyle gettext always %-formats, even without parameters: a stray `%`
    # (e.g. `%(name)` without its `s`, or `50%`) raises at render time.
    params = {name: "x" for name in expected}
    try:
        msgid % params
    except (ValueError, TypeError, KeyError):
        return problems  # the source string itself is not %-formatted; nothing to compare
    try:
        msgstr % params
    except (ValueError, TypeError, KeyError) as exc:
        problems.append(f"cannot be formatted: {exc!r}")
    return problems


def test_dutch_translations_keep_the_placeholders():
    catalogs = dutch_catalogs()
    assert any(name.startswith("participation ") for name, _ in catalogs), "the core Dutch catalog is missing"
    problems = []
    for name, catalog in catalogs:
        for message in catalog:
            if not message.id or not message.string:
                continue  # untranslated messages are the other test's business
            if isinstance(message.id, (tuple, list)):
                singular, plural = message.id[0], message.id[1]
                forms = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
                for index, form in enumerate(forms):
                    if not form:
                        continue
                    # The singular form may leave out the count ("één idee"); the others keep them all.
                    source = singular + " " + plural if index == 0 else plural
                    for problem in placeholder_problems(source, form, allow_fewer=index == 0):
                        problems.append(f"{name}: {plural!r} [{index}]: {problem}")
            else:
                for problem in placeholder_problems(message.id, message.string):
                    problems.append(f"{name}: {message.id!r}: {problem}")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(
    ("query", "lang", "expected", "absent"),
    [
        (
            "",
            "nl",
            ["Ga direct naar de inhoud", "Inloggen", "Account aanmaken", "Slim in smalle of in brede zin"],
            "Skip to content",
        ),
        (
            "?lang=en",
            "en",
            ["Skip to content", "Sign in", "Create an account", "Smart in the narrow or the broad sense"],
            "Ga direct naar de inhoud",
        ),
    ],
    ids=["dutch", "english"],
)
async def test_home_page_in_each_language(client, query, lang, expected, absent):
    response = await client.get("/" + query)
    assert response.status_code == 200
    page = response.text
    assert f'<html lang="{lang}"' in page
    for text in expected:
        assert text in page
    assert absent not in page
    # The switch to the other language is marked up in that language.
    other = "en" if lang == "nl" else "nl"
    assert f'lang="{other}" hreflang="{other}"' in page


async def test_language_choice_is_remembered(client):
    await client.get("/?lang=en")
    assert "Sign in" in (await client.get("/")).text


async def test_form_errors_are_in_the_title_and_summary(client):
    response = await post_form(client, "/login", {"email": "nobody@example.org", "password": "wrong password here"})
    page = response.text
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    assert title and title.group(1).startswith("Fout: Inloggen"), title
    assert "Het e-mailadres of het wachtwoord klopt niet." in page
    assert 'class="utrecht-alert utrecht-alert--error error-summary"' in page
    assert "autofocus" in page


async def test_form_fields_have_well_formed_attributes(client):
    # Attributes run together (`value=""required`) are invalid HTML (WCAG 2.1 4.1.1).
    response = await post_form(
        client, "/account/register", {"kind": "resident", "display_name": "", "email": "x", "password": "short"}
    )
    page = response.text
    assert re.findall(r'="[^"]*"[a-z]', page) == []
    assert (
        'aria-invalid="true" autocomplete="nickname" maxlength="80" '
        'aria-describedby="f-display_name-help f-display_name-error"' in page
    )


async def test_title_has_no_error_prefix_without_errors(client):
    page = (await client.get("/login")).text
    assert "<title>Inloggen ·" in page
