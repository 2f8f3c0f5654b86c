"""The security log for administrators: the page (filters, pages, labels), the CLI export, and retention."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from selectolax.lexbor import LexborHTMLParser

from participation.accounts import security_log
from participation.accounts.security_log import SecurityEventKind
from participation.accounts.tables import Role, SecurityEvent
from participation.lib.clock import utcnow
from tests.accounts.test_token_lifecycle import browser_of
from tests.accounts.tools import dutch
from tests.forms import form_on, open_form, page_problems, text_of
from tests.helpers import make_account

DIGEST = security_log.email_digest("k" * 32, "nobody@example.org")


@contextlib.asynccontextmanager
async def setting_up(monkeypatch):
    """Setting up writes to the log too (staff enrol in two-step sign-in, the admin signs in). Those
    entries are dated beyond the 12 months, so the database lets them go, and each test sees only
    its own entries."""
    long_ago = utcnow() - timedelta(days=400)
    with monkeypatch.context() as patched:
        patched.setattr(security_log, "utcnow", lambda: long_ago)
        yield
    await SecurityEvent.delete().where(SecurityEvent.created_at <= long_ago)


@pytest.fixture
async def people(settings, monkeypatch):
    async with setting_up(monkeypatch):
        return {
            "admin": await make_account(settings, email="admin@example.org", name="Beheerder", role=Role.admin),
            "moderator": await make_account(settings, email="mod@example.org", name="Moderator", role=Role.moderator),
            "anna": await make_account(settings, email="anna@example.org", name="Anna"),
        }


@pytest.fixture
async def admin(client, people, monkeypatch):
    async with setting_up(monkeypatch):
        return await browser_of(client, "admin@example.org")


async def at(when: datetime, kind: SecurityEventKind, **fields) -> None:
    await SecurityEvent.insert(SecurityEvent(kind=kind.value, created_at=when, **fields))


def rows_of(page) -> list[str]:
    text = text_of(page, "tbody tr")
    return text.split(" | ") if text else []


async def test_the_admin_sees_the_log_newest_first_with_names_and_labels(admin, people):
    anna, boss = people["anna"], people["admin"]
    now = utcnow()
    await at(now - timedelta(hours=2), SecurityEventKind.sign_in_failed, email_digest=DIGEST, detail="wrong password")
    await at(
        now - timedelta(hours=1),
        SecurityEventKind.role_changed,
        account=anna.id,
        actor=boss.id,
        detail="member -> editor",
    )

    page = await admin.get("/admin/security-log")

    assert page.status_code == 200
    rows = rows_of(page)
    assert len(rows) == 2
    assert dutch("Role changed") in rows[0] and f"Anna ({anna.id})" in rows[0] and f"Beheerder ({boss.id})" in rows[0]
    assert "member -> editor" in rows[0]
    assert dutch("Sign-in failed") in rows[1] and DIGEST[:12] in rows[1]
    assert DIGEST not in page.text, "the digest is shortened on the page"
    english = await admin.get("/admin/security-log?lang=en")
    assert "Role changed" in rows_of(english)[0] and "Sign-in failed" in rows_of(english)[1]


async def test_filters_by_kind_account_and_period(admin, people):
    anna, moderator = people["anna"], people["moderator"]
    now = utcnow()
    await at(now - timedelta(days=10), SecurityEventKind.token_created, account=anna.id, detail="ten days ago")
    await at(now - timedelta(days=1), SecurityEventKind.token_created, account=anna.id, detail="yesterday")
    await at(now - timedelta(days=1), SecurityEventKind.token_created, account=moderator.id, detail="moderator's")
    await at(now - timedelta(days=1), SecurityEventKind.token_revoked, account=anna.id, detail="revoked")

    form = await open_form(admin, "/admin/security-log", method="get", action="/admin/security-log")
    form.fill(kind="token_created", account=str(anna.id), since=(now - timedelta(days=3)).date().isoformat())
    page = await form.submit(admin)

    assert page.status_code == 200
    assert len(rows_of(page)) == 1 and "yesterday" in rows_of(page)[0]
    again = form_on(page, method="get", action="/admin/security-log")
    assert dict(again.data())["kind"] == "token_created", "the form keeps the filters"

    again.fill(since="", until=(now - timedelta(days=5)).date().isoformat())
    earlier = await again.submit(admin)
    assert len(rows_of(earlier)) == 1 and "ten days ago" in rows_of(earlier)[0]


async def test_a_filter_that_is_not_a_date_or_number_is_said_on_the_form(admin, people):
    await security_log.record(SecurityEventKind.sign_in, account=people["anna"])
    form = await open_form(admin, "/admin/security-log", method="get", action="/admin/security-log")
    form.fill(account="99999999999999999999", since="gisteren")
    page = await form.submit(admin)

    assert page.status_code == 200
    assert page_problems(page).fields == {
        "account": dutch("Enter an account number."),
        "since": dutch("Enter a date as YYYY-MM-DD."),
    }
    assert len(rows_of(page)) == 1, "the rest of the filters (none) still apply"
    assert dict(form_on(page, method="get", action="/admin/security-log").data())["account"] == "99999999999999999999"


async def test_the_log_is_paged(admin, people):
    now = utcnow()
    await SecurityEvent.insert(
        *[
            SecurityEvent(
                kind="sign_in", account=people["anna"].id, detail=f"entry {i}", created_at=now - timedelta(minutes=i)
            )
            for i in range(55)
        ]
    )

    first = await admin.get("/admin/security-log?kind=sign_in")
    assert len(rows_of(first)) == 50 and "entry 0" in rows_of(first)[0]
    links = LexborHTMLParser(first.text).css("main nav a")
    next_link = next(a.attributes["href"] for a in links if "page=2" in a.attributes["href"])
    assert "kind=sign_in" in next_link, "the filters stay on the next page"
    second = await admin.get("/admin/security-log" + next_link)
    assert len(rows_of(second)) == 5 and "entry 54" in rows_of(second)[-1]


@pytest.mark.parametrize("email", ["mod@example.org", "anna@example.org"])
async def test_only_admins_see_the_log(client, people, email):
    browser = await browser_of(client, email)
    assert (await browser.get("/admin/security-log")).status_code == 403
    assert "/admin/security-log" not in (await browser.get("/account")).text


async def test_anonymous_visitors_are_sent_to_sign_in(client):
    client.follow_redirects = False
    response = await client.get("/admin/security-log")
    assert response.status_code in (302, 303) and response.headers["location"].startswith("/login")


async def test_the_staff_menu_links_the_log_for_admins_only(client, admin, people):
    assert 'href="/admin/security-log"' in (await admin.get("/moderation/")).text
    moderator = await browser_of(client, "mod@example.org")
    assert 'href="/admin/security-log"' not in (await moderator.get("/moderation/")).text


# -- the export -----------------------------------------------------------------------


async def test_export_as_csv_neutralises_formulas(people, cli):
    await security_log.record(SecurityEventKind.token_created, account=people["anna"], detail='=HYPERLINK("x")')
    await security_log.record(SecurityEventKind.sign_in_failed, email_digest=DIGEST)

    result = await cli("security-log", "export")

    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["kind"] for r in rows] == ["token_created", "sign_in_failed"]
    assert rows[0]["detail"] == '\'=HYPERLINK("x")' and rows[0]["account_id"] == str(people["anna"].id)
    assert rows[1]["email_digest"] == DIGEST and rows[1]["account_id"] == ""
    assert "2 entries" in result.stderr


async def test_export_as_json_lines_since_a_day(people, cli):
    old = datetime(2026, 1, 10, 12, tzinfo=UTC)
    await at(old, SecurityEventKind.sign_in, account=people["anna"].id)
    await security_log.record(
        SecurityEventKind.role_changed, account=people["anna"], actor=people["admin"], detail="a -> b"
    )

    result = await cli("security-log", "export", "--format", "jsonl", "--since", "2026-01-11")

    assert result.exit_code == 0, result.output
    entries = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(e["kind"], e["actor_id"], e["detail"]) for e in entries] == [
        ("role_changed", people["admin"].id, "a -> b")
    ]
    assert datetime.fromisoformat(entries[0]["created_at"]).tzinfo is not None


async def test_export_refuses_a_date_it_cannot_read(cli):
    result = await cli("security-log", "export", "--since", "10-01-2026")
    assert result.exit_code != 0 and "--since" in result.output


# -- retention ------------------------------------------------------------------------


async def test_the_periodic_tasks_delete_entries_older_than_12_months_only(parts, people):
    from participation.tasks import run_once

    now = utcnow()
    await at(now - timedelta(days=400), SecurityEventKind.sign_in, detail="400 days")
    await at(now - timedelta(days=366), SecurityEventKind.sign_in, detail="366 days")
    await at(now - timedelta(days=364), SecurityEventKind.sign_in, detail="364 days")
    await at(now - timedelta(days=1), SecurityEventKind.sign_in, detail="yesterday")

    result = await run_once(parts)

    assert result["security_log_removed"] == 2
    kept = await SecurityEvent.select(SecurityEvent.detail).order_by(SecurityEvent.id).output(as_list=True)
    assert kept == ["364 days", "yesterday"]
    assert (await run_once(parts))["security_log_removed"] == 0
