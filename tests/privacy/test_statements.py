"""The privacy and accessibility statements: generated from the city configuration, in Dutch and English."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from participation.app import create_app
from participation.city import CityConfigError, load_city_config
from participation.settings import ROOT
from tests.forms import text_of

ZOETERMEER = ROOT / "participation" / "cities" / "zoetermeer.toml"


async def test_privacy_statement_in_dutch_names_controller_purposes_retention_recipients_and_rights(client):
    page = await client.get("/privacy")
    assert page.status_code == 200
    text = text_of(page)
    for expected in (
        "het college van burgemeester en wethouders van de gemeente Zoetermeer",  # controller
        "Stadhuisplein 1, 2711 EC Zoetermeer",
        "fg@zoetermeer.nl",  # the data protection officer
        "publieke taak",  # the legal basis
        "na 7 dagen",  # unconfirmed accounts
        "Verstuurde e-mails: 30 dagen",
        "Het beveiligingslog: 12 maanden",
        "geen IP-adressen",
        "Hosting",
        "Gemeente Zoetermeer",  # the processors named in the configuration
        "Inzien",
        "Verbeteren",
        "Verwijderen",
        "Bezwaar",
        "Autoriteit Persoonsgegevens",
        "privacy@zoetermeer.nl",
    ):
        assert expected in text, expected
    assert 'href="/account/data"' in page.text and 'href="/account/delete"' in page.text
    assert '<html lang="nl"' in page.text


async def test_privacy_statement_in_english(client):
    text = text_of(await client.get("/privacy?lang=en"))
    for expected in (
        "Responsible for your data is het college van burgemeester en wethouders van de gemeente Zoetermeer",
        "data protection officer",
        "public task, GDPR article 6(1)(e)",
        "after 7 days",
        "Emails sent: 30 days",
        "The security log: 12 months",
        "no IP addresses",
        "Access",
        "Rectification",
        "Erasure",
        "Objection",
        "Autoriteit Persoonsgegevens",
    ):
        assert expected in text, expected


async def test_accessibility_statement_in_both_languages(client):
    dutch = text_of(await client.get("/accessibility"))
    for expected in (
        "voldoet gedeeltelijk",
        "WCAG 2.1 niveau A en AA",
        "Datum van de laatste controle: 29 november 2026",
        "axe-core",
        "alleen het toetsenbord",
        "Met de hand",
        "Bekende beperkingen",
        "Er is nog geen volledig onderzoek gedaan",
        "toegankelijkheid@zoetermeer.nl",
        "Nationale ombudsman",
    ):
        assert expected in dutch, expected
    english = text_of(await client.get("/accessibility?lang=en"))
    for expected in (
        "partially complies",
        "Date of the last check: 29 November 2026",
        "Known limitations",
        "No full audit by an independent expert",
        "National Ombudsman",
    ):
        assert expected in english, expected


def another_city(tmp_path: Path, replacements: dict[str, str]) -> Path:
    text = ZOETERMEER.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "city.toml"
    path.write_text(text, encoding="utf-8")
    return path


async def page_for(settings, city_path: Path, path: str) -> httpx.Response:
    app = create_app(replace(settings, city=load_city_config(city_path)))
    async with app.lifespan():
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t.local") as http:
            return await http.get(path)


async def test_statements_follow_another_citys_configuration(settings, tmp_path):
    path = another_city(
        tmp_path,
        {
            'name = "Zoetermeer"': 'name = "Voorbeeldstad"',
            "het college van burgemeester en wethouders van de gemeente Zoetermeer": "het college van Voorbeeldstad",
            "fg@zoetermeer.nl": "fg@voorbeeldstad.example",
            "last_checked = 2026-11-29": "last_checked = 2025-03-14",
            'status = "partially_compliant"': 'status = "compliant"',
        },
    )
    privacy = text_of(await page_for(settings, path, "/privacy"))
    assert "het college van Voorbeeldstad" in privacy and "fg@voorbeeldstad.example" in privacy
    assert "fg@zoetermeer.nl" not in privacy
    accessibility = text_of(await page_for(settings, path, "/accessibility?lang=en"))
    assert "This platform complies with" in accessibility and "14 March 2025" in accessibility
    assert "Voorbeeldstad" in accessibility


async def test_without_privacy_settings_the_statement_invents_no_contact(settings, tmp_path):
    text = ZOETERMEER.read_text(encoding="utf-8")
    start, end = text.index("[privacy]"), text.index("[accessibility]")
    path = tmp_path / "city.toml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    privacy = text_of(await page_for(settings, path, "/privacy"))
    assert "Verantwoordelijk voor uw gegevens is de gemeente Zoetermeer." in privacy
    assert "U bereikt de FG via de gemeente." in privacy
    assert not re.search(r"[\w.]+@[\w.]+", privacy)


def test_a_wrong_accessibility_status_names_the_key(tmp_path):
    path = another_city(tmp_path, {'status = "partially_compliant"': 'status = "mostly"'})
    with pytest.raises(CityConfigError, match="accessibility.status"):
        load_city_config(path)


async def test_sign_up_forms_and_every_footer_link_to_the_statements(client):
    for path in ("/account/register", "/account/register?kind=organisation"):
        form_page = await client.get(path)
        form = form_page.text.split('action="/account/register"')[1].split("</form>")[0]
        assert 'href="/privacy"' in form, path
    footer = (await client.get("/ideas")).text.split('class="utrecht-page-footer')[1]
    assert 'href="/privacy"' in footer and 'href="/accessibility"' in footer
