"""Every page type, public, account and staff, in Dutch and English: zero axe-core violations of
WCAG 2.0/2.1 A and AA, and HTML that browsers and assistive technology can rely on.

The pages are the demo's (ids looked up in the server's database); forms are also checked in their
states after a submit: the similar-ideas confirmation step and error summaries.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.checks import page_problems
from tests.browser.conftest import ADMIN, DEMO_PASSWORD, EDITOR, MODERATOR, RESIDENT
from tests.browser.people import PointerPerson, wait_until

LANGUAGES = ["nl", "en"]

# (page type, who is signed in, path with {placeholders} filled from the demo data)
PAGES: list[tuple[str, str | None, str]] = [
    ("home", None, "/"),
    ("idea-list", None, "/ideas"),
    ("idea-list-filtered", None, "/ideas?q=slimme&theme=mobility&scope=narrow&status=published&sort=relevance"),
    ("idea-detail", None, "/ideas/{commented_idea}"),
    ("comment-thread", None, "/ideas/{comment_thread}/replies"),
    ("pilot-detail", None, "/ideas/{pilot}"),
    ("routed-idea-detail", None, "/ideas/{routed_idea}"),
    ("register", None, "/register"),
    ("register-entry", None, "/register/{completed_entry}"),
    ("register-entry-from-idea", None, "/register/{idea_entry}"),
    ("lessons", None, "/register/lessons"),
    ("stats", None, "/stats"),
    ("stats-filtered", None, "/stats?theme=mobility&neighbourhood=centrum&start=2025-01-01&end=2026-12-31"),
    ("privacy", None, "/privacy"),
    ("accessibility", None, "/accessibility"),
    ("login", None, "/login"),
    ("sign-up", None, "/account/register"),
    ("sign-up-organisation", None, "/account/register?kind=organisation"),
    ("forgot-password", None, "/account/forgot"),
    ("not-found", None, "/ideas/999999"),
    ("account", RESIDENT, "/account"),
    ("my-ideas", RESIDENT, "/account/ideas"),
    ("new-idea", RESIDENT, "/ideas/new"),
    ("idea-detail-signed-in", RESIDENT, "/ideas/{commented_idea}"),
    ("comment-thread-signed-in", RESIDENT, "/ideas/{comment_thread}/replies"),
    ("edit-idea", RESIDENT, "/ideas/{resident_draft}/edit"),
    ("withdraw-idea", RESIDENT, "/ideas/{resident_draft}/withdraw"),
    ("edit-comment", RESIDENT, "/comments/{resident_comment}/edit"),
    ("report-idea", RESIDENT, "/report/idea/{commented_idea}"),
    ("report-comment", RESIDENT, "/report/comment/{other_comment}"),
    ("change-password", RESIDENT, "/account/password"),
    ("notifications", RESIDENT, "/account/notifications"),
    ("two-step-enrolment", RESIDENT, "/account/two-step"),
    ("two-step-manage", MODERATOR, "/account/two-step"),
    ("confirm-password", RESIDENT, "/account/confirm?next=/account/data"),
    ("moderation-queue", MODERATOR, "/moderation"),
    ("moderation-idea-submitted", MODERATOR, "/moderation/ideas/{submitted_idea}"),
    ("moderation-idea-published", MODERATOR, "/moderation/ideas/{commented_idea}"),
    ("moderation-idea-duplicate-search", MODERATOR, "/moderation/ideas/{submitted_idea}?q=fiets"),
    ("moderation-reports", MODERATOR, "/moderation/reports"),
    ("moderation-accounts", MODERATOR, "/moderation/accounts"),
    ("moderation-account", MODERATOR, "/moderation/accounts/{resident_id}"),
    ("moderation-log", MODERATOR, "/moderation/log"),
    ("roles", ADMIN, "/moderation/roles"),
    ("moderation-idea-admin", ADMIN, "/moderation/ideas/{commented_idea}"),
    ("stats-exports", EDITOR, "/stats/exports?theme=energy"),
    ("register-new", EDITOR, "/register/new"),
    ("register-edit", EDITOR, "/register/{completed_entry}/edit"),
    ("register-update", EDITOR, "/register/{running_entry}/update"),
    ("register-link-ideas", EDITOR, "/register/{running_entry}/ideas"),
    ("register-link-ideas-search", EDITOR, "/register/{running_entry}/ideas?q=fiets"),
    ("register-goals", EDITOR, "/register/{completed_entry}/goals"),
    ("register-assessment", EDITOR, "/register/{running_entry}/assessment"),
    ("outbox-failed", ADMIN, "/admin/outbox"),
    ("security-log", ADMIN, "/admin/security-log"),
    ("security-log-filtered", ADMIN, "/admin/security-log?kind=role_changed&account=x&since=2026-01-01"),
    ("new-api-token", RESIDENT, "/account/tokens/new"),
]


def with_language(path: str, lang: str) -> str:
    return path + ("&" if "?" in path else "?") + f"lang={lang}"


def assert_page_ok(page: Page, lang: str) -> None:
    assert page.evaluate("() => document.documentElement.lang") == lang
    problems = page_problems(page)
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize(("name", "who", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_page(name: str, who: str | None, path: str, lang: str, demo, pages_of) -> None:
    page = pages_of(who)
    response = page.goto(with_language(path.format(**demo), lang))
    assert response is not None
    assert response.status == (404 if name == "not-found" else 200), f"{name}: HTTP {response.status}"
    assert_page_ok(page, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_new_idea_confirmation_step(lang: str, pages_of) -> None:
    """The form with errors, then the similar-ideas step that people without JavaScript get.

    The title is set without input events so that htmx does not fetch similar ideas live (which
    skips the step); axe needs JavaScript in the page, so the page keeps it.
    """
    person = PointerPerson(pages_of(RESIDENT).context)
    submit = "Idee indienen" if lang == "nl" else "Submit idea"
    person.go(with_language("/ideas/new", lang))
    person.press(submit)
    expect(person.page.locator(".error-summary")).to_be_visible()
    assert_page_ok(person.page, lang)
    started = time.monotonic()
    person.page.locator("#f-title").evaluate("el => { el.value = 'Slimme fietsenstalling bij het station'; }")
    person.page.locator("#f-summary").fill("Een stalling die laat zien waar nog plek is, op een bord en online.")
    person.page.locator("#f-theme").select_option("mobility")
    person.page.locator("#f-neighbourhood").select_option(index=1)
    person.page.locator("#f-scope-narrow").check()
    wait_until(started, 3.2)
    person.press(submit)
    expect(person.page.locator("input[name=confirmed]")).to_have_count(1)
    assert person.page.locator("input[name=confirmed]").count() == 1, "no similar-ideas confirmation step"
    assert_page_ok(person.page, lang)
    person.page.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_forms_with_errors(lang: str, pages_of) -> None:
    """Error summaries and invalid fields, after an empty sign-up and a failed sign-in."""
    page = pages_of(None)
    page.goto(with_language("/account/register", lang))
    with page.expect_navigation():
        page.locator("form[action='/account/register'] button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_page_ok(page, lang)
    page.goto(with_language("/login", lang))
    page.locator("#f-email").fill("nobody@example.org")
    page.locator("#f-password").fill("not the password")
    with page.expect_navigation():
        page.locator("form[action='/login'] button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_page_ok(page, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_my_data_and_delete_pages(lang: str, pages_of) -> None:
    """After confirming the password: the download page, the delete page, and its error (nothing is deleted)."""
    page = pages_of(RESIDENT)
    page.goto(with_language("/account/confirm?next=/account/data", lang))
    page.locator("#f-password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("form[action='/account/confirm'] button[type=submit]").click()
    assert page.url.endswith("/account/data")
    assert_page_ok(page, lang)
    page.goto(with_language("/account/delete", lang))
    assert_page_ok(page, lang)
    with page.expect_navigation():
        page.locator("form[action='/account/delete'] button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_page_ok(page, lang)


def test_results_count_is_a_heading_in_a_live_region(pages_of) -> None:
    page = pages_of(None)
    page.goto("/ideas?lang=nl")
    heading = page.get_by_role("heading", name="ideeën gevonden", level=2)
    expect(heading).to_have_count(1)
    assert heading.evaluate("el => el.closest('[role=status], [aria-live]') !== null"), "not inside a live region"


def test_similar_ideas_appear_while_typing(pages_of) -> None:
    """htmx reads the data-hx-* attributes: similar ideas show under the title as it is typed."""
    page = pages_of(RESIDENT)
    page.goto("/ideas/new?lang=nl")
    page.locator("#f-title").press_sequentially("Slimme fietsenstalling")
    expect(page.locator("#similar-ideas a").first).to_be_visible()
    assert page.locator("#similar-ideas a").count() >= 1, "no similar ideas under the title"
