"""The core loop in a real browser, as people do it, three times: with a pointer (checking every
page on the way with axe and the HTML checks), by keyboard only, and with JavaScript disabled.

A new resident signs up, confirms the address from the mail, signs in and submits two ideas (past
the similar-ideas step); a moderator publishes one and rejects the other with a reason; three
demo residents support the first, which routes it into the register (threshold 3 in this suite's
city); an editor takes the register entry to completed with lessons learned; the resident replies
to a comment.
"""

from __future__ import annotations

import re
import sqlite3
import time
import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import page_problems
from tests.browser.people import KeyboardPerson, Person, PointerPerson, wait_until

PASSWORD = "smart-city-demo-2026"
NEW_PASSWORD = "fietsen langs de Meerzichtplas 2026"
# Submitting faster than this is refused as a bot (ideas.services.check_form).
MINIMUM_FILL_SECONDS = 3.2

MODES = {
    "pointer": (PointerPerson, True),
    "keyboard": (KeyboardPerson, True),
    "no-js": (PointerPerson, False),
}


def submit_idea(person: Person, title: str, summary: str) -> int:
    person.follow("Ideeën")
    person.follow("Dien een idee in")
    started = time.monotonic()
    person.fill("Titel", title)
    person.fill("Samenvatting", summary)
    person.select("Thema", "Mobiliteit")
    person.select("Wijk", "Centrum / Stadshart")
    person.choose("Smal: data en toepassingen")
    wait_until(started, MINIMUM_FILL_SECONDS)
    person.press("Idee indienen")
    if person.page.get_by_role("heading", name="Bestaat je idee al?").count():
        person.press("Mijn idee is anders: dien het in")
    person.sees("Je idee is ingediend")
    match = re.search(r"/ideas/(\d+)$", person.page.url)
    assert match, f"after submitting, the browser is on {person.page.url}"
    return int(match.group(1))


def support(person: Person, idea_id: int, email: str, javascript: bool) -> None:
    person.go(f"/ideas/{idea_id}")
    person.follow("Log in om dit idee te steunen")
    person.fill("E-mailadres", email)
    person.fill("Wachtwoord", PASSWORD)
    person.press("Inloggen")
    assert person.page.url.endswith(f"/ideas/{idea_id}"), "sign-in returns to the idea"
    if javascript:
        # htmx swaps the support panel in place: the page itself must stay (no full reload).
        person.page.evaluate("() => { window.stillHere = true; }")
        person.press("Steun dit idee", navigates=False)
        expect(person.page.get_by_text("Je steunt dit idee.")).to_be_visible()
        assert person.page.evaluate("() => window.stillHere === true"), "the support form did a full page load"
    else:
        person.press("Steun dit idee")
        person.sees("Je steunt dit idee.")


def post_register_update(editor: Person, text: str, status: str) -> None:
    editor.follow("Een update plaatsen of de status wijzigen")
    editor.fill("Update (openbaar)", text)
    editor.select("Status wijzigen", status)
    editor.press("Update publiceren")
    editor.sees("De update is gepubliceerd.")


def commented_idea(server) -> int:
    """A published demo idea with a visible comment, to reply to."""
    with sqlite3.connect(f"file:{server.database}?mode=ro", uri=True) as db:
        row = db.execute(
            "SELECT idea.id FROM idea JOIN comment ON comment.idea = idea.id "
            "WHERE idea.status = 'published' AND comment.status = 'visible' AND comment.parent IS NULL "
            "ORDER BY idea.id LIMIT 1"
        ).fetchone()
    assert row, "the demo data has no published idea with a comment"
    return row[0]


@pytest.mark.parametrize("mode", MODES)
def test_core_loop(mode: str, server, new_context) -> None:
    kind, javascript = MODES[mode]
    found: list[str] = []
    people: list[Person] = []
    axe_done: set[str] = set()

    def check(page: Page) -> None:
        """HTML checks on every page; axe once per kind of page (ids replaced), as it takes a while."""
        shape = re.sub(r"\d+", "N", urlsplit(page.url).path)
        found.extend(page_problems(page, axe=shape not in axe_done))
        axe_done.add(shape)

    def person() -> Person:
        people.append(kind(new_context(java_script_enabled=javascript), on_page=check if mode == "pointer" else None))
        return people[-1]

    tag = uuid.uuid4().hex[:6]
    email = f"bewoner-{mode}-{tag}@example.org"

    # A new resident signs up and confirms the address with the link from the mail.
    resident = person()
    resident.go("/")
    resident.follow("Account aanmaken")
    resident.fill("Schermnaam", f"Bewoner {mode} {tag}")
    resident.fill("E-mailadres", email)
    resident.fill("Wachtwoord", NEW_PASSWORD)
    resident.press("Account aanmaken")
    resident.sees("Kijk in je mailbox")
    resident.go(server.mail_link(email, "/account/verify"))
    resident.sees("E-mailadres bevestigd")
    resident.sign_in(email, NEW_PASSWORD)

    # Two ideas: the first to publish and route, the second to reject.
    routed_title = f"Slimme fietsenstalling met vrije plekken op een bord {tag}"
    routed_id = submit_idea(
        resident, routed_title, "Een bord bij de ingang laat zien hoeveel plekken er vrij zijn in de stalling."
    )
    rejected_title = f"Een app voor het melden van losliggende stoeptegels {tag}"
    rejected_id = submit_idea(
        resident, rejected_title, "Met een foto en de plek op de kaart meld je een losse tegel aan de gemeente."
    )

    # A moderator publishes the first and rejects the second with a reason.
    moderator = person()
    moderator.go("/")
    moderator.sign_in("moderator@example.org", PASSWORD, code=server.sign_in_code)
    moderator.follow("Moderatie")
    moderator.follow(routed_title)
    moderator.press("Publiceren")
    moderator.sees("Het idee is gepubliceerd.")
    moderator.follow("Moderatie")
    moderator.follow(rejected_title)
    moderator.select("Reden", "Geen zaak voor de gemeente")
    moderator.fill("Toelichting voor de indiener", "Losse tegels meldt u via de bestaande meldingsapp.")
    moderator.press("Afwijzen")
    moderator.sees("Het idee is afgewezen.")
    resident.go(f"/ideas/{rejected_id}")
    resident.sees("Reden: Geen zaak voor de gemeente")

    # Three residents support the first idea: the third support routes it into the register.
    for supporter in ("anna@example.org", "mohamed@example.org", "sanne@example.org"):
        support(person(), routed_id, supporter, javascript)

    # An editor follows it into the register and takes the entry to completed.
    editor = person()
    editor.go("/")
    editor.sign_in("editor@example.org", PASSWORD, code=server.sign_in_code)
    editor.go(f"/ideas/{routed_id}")
    editor.follow("Volg het in het projectregister")
    entry_url = editor.page.url
    post_register_update(editor, "We bekijken of de stalling een bord kan krijgen.", "In beoordeling")
    # Planning needs a goal with an indicator, set on the entry's goals page.
    editor.follow("Doelen, indicatoren en metingen beheren")
    editor.fill("Doel", "Bezoekers vinden sneller een plek in de stalling.")
    editor.fill("Indicator", "Gemiddelde zoektijd")
    editor.fill("Eenheid", "minuten")
    editor.fill("Nulmeting", "6")
    editor.fill("Streefwaarde", "2")
    editor.press("Doel toevoegen")
    editor.sees("Het doel is toegevoegd.")
    editor.go(entry_url)
    post_register_update(editor, "Het bord komt in het voorjaar.", "Gepland")
    post_register_update(editor, "Het bord hangt en telt mee.", "Lopend")
    editor.follow("Dit project bewerken")
    editor.fill("Wat is geprobeerd", "Een telbord bij de ingang van de stalling.")
    editor.fill("Resultaat ten opzichte van de doelen", "Minder zoeken naar een plek; de stalling raakt beter gevuld.")
    editor.select("Besluit", "Opschalen")
    editor.fill("Waarom dit besluit", "Bezoekers vinden sneller een plek.")
    editor.fill("Advies voor andere projecten en steden", "Tel met de poortjes die er al zijn.")
    editor.press("Opslaan")
    editor.sees("Het project is opgeslagen.")
    post_register_update(editor, "Het project is afgerond.", "Afgerond")
    assert editor.page.url == entry_url
    editor.sees("Tel met de poortjes die er al zijn.")

    # The resident replies to a comment on a published idea.
    resident.go(f"/ideas/{commented_idea(server)}")
    thread = resident.page.locator("li.comment").first
    resident.open_details("Antwoorden", within=thread)
    reply = f"Goed punt, ik denk mee ({tag})."
    resident.fill("Je antwoord", reply, within=thread)
    resident.press("Antwoord plaatsen", within=thread)
    expect(resident.page.locator("li.comment li.comment", has_text=reply)).to_be_visible()

    if mode == "pointer":
        assert not found, "\n\n".join(found)
    failures = [f for p in people if isinstance(p, KeyboardPerson) for f in p.focus_failures]
    assert not failures, "focus not visible:\n" + "\n".join(failures)
