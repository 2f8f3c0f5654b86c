"""Supporting and withdrawing: rules, idempotency, the no-JS and htmx paths, the API."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from ideas.tables import Idea
from participation.accounts.tables import Account
from participation.validation import DomainError, FormErrors
from tests.helpers import api_token, csrf_from, make_account, sign_in
from tests.voting.conftest import publish_idea, utcnow
from voting import services
from voting.tables import Support


async def rows_for(idea_id: int) -> int:
    return await Support.count().where(Support.idea == idea_id)


async def count_of(idea_id: int) -> int:
    return (await Idea.objects().where(Idea.id == idea_id).first()).support_count


async def test_support_is_idempotent_through_the_api(client, settings, idea):
    await make_account(settings, email="fan@example.org")
    headers = await api_token(client, "fan@example.org")
    first = await client.put(f"/api/v1/ideas/{idea.id}/support", headers=headers)
    again = await client.put(f"/api/v1/ideas/{idea.id}/support", headers=headers)
    assert first.status_code == again.status_code == 200
    assert first.json() == {"supported": True, "support_count": 1, "register_entry": None, "verified_support_count": 0}
    assert again.json()["support_count"] == 1
    assert await rows_for(idea.id) == 1 and await count_of(idea.id) == 1


async def test_withdraw_through_the_api(client, settings, idea):
    await make_account(settings, email="fan@example.org")
    headers = await api_token(client, "fan@example.org")
    await client.put(f"/api/v1/ideas/{idea.id}/support", headers=headers)
    response = await client.delete(f"/api/v1/ideas/{idea.id}/support", headers=headers)
    assert response.status_code == 200
    assert response.json() == {
        "supported": False,
        "support_count": 0,
        "register_entry": None,
        "verified_support_count": 0,
    }
    twice = await client.delete(f"/api/v1/ideas/{idea.id}/support", headers=headers)
    assert twice.json()["support_count"] == 0
    assert await rows_for(idea.id) == 0


async def test_author_cannot_support_own_idea(client, settings, idea):
    headers = await api_token(client, "author@example.org")
    response = await client.put(f"/api/v1/ideas/{idea.id}/support", headers=headers)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "own idea" in response.json()["detail"]
    assert await rows_for(idea.id) == 0


async def test_organisation_cannot_support_its_own_pilot(client, settings, events):
    org = await make_account(settings, email="pilot@lab.example", name="Eva", organisation="Lab B.V.", kvk="12345678")
    pilot = await publish_idea(settings, org, kind="pilot")
    with pytest.raises(DomainError) as own:
        await services.support_idea(settings, org, pilot.id, events=events)
    assert own.value.status_code == 403
    # A second account of the same organisation cannot exist: its KvK number is taken (tests/accounts/test_kvk.py).
    with pytest.raises(FormErrors):
        await make_account(
            settings, email="colleague@lab.example", name="Ruben", organisation="Lab B.V.", kvk="1234 5678"
        )
    assert await rows_for(pilot.id) == 0


async def test_unverified_and_suspended_accounts_are_refused_with_a_reason(client, settings, idea):
    await make_account(settings, email="new@example.org", verified=False)
    suspended = await make_account(settings, email="bad@example.org")
    suspended.suspended_at, suspended.suspension_reason = utcnow(), "spam"
    await suspended.save([Account.suspended_at, Account.suspension_reason])
    for email, reason in (("new@example.org", "Confirm your email"), ("bad@example.org", "suspended")):
        headers = await api_token(client, email)
        response = await client.put(f"/api/v1/ideas/{idea.id}/support", headers=headers)
        assert response.status_code == 403
        assert reason in response.json()["detail"]
    assert await rows_for(idea.id) == 0


async def test_anonymous_support_is_refused(client, idea):
    response = await client.put(f"/api/v1/ideas/{idea.id}/support")
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("status", "answer"),
    # An idea the supporter may not see answers as a missing one (404): its id reveals nothing.
    [
        ("withdrawn", 409),
        ("merged", 409),
        ("submitted", 404),
        ("needs_changes", 404),
        ("rejected", 404),
        ("hidden", 404),
    ],
)
async def test_idea_not_open_for_support_is_refused(client, settings, idea, status, answer):
    await Idea.update({Idea.status: status}).where(Idea.id == idea.id)
    await make_account(settings, email="fan@example.org")
    response = await client.put(f"/api/v1/ideas/{idea.id}/support", headers=await api_token(client, "fan@example.org"))
    assert response.status_code == answer
    assert await rows_for(idea.id) == 0


async def test_unknown_idea_answers_404(client, settings):
    await make_account(settings, email="fan@example.org")
    response = await client.put("/api/v1/ideas/999999/support", headers=await api_token(client, "fan@example.org"))
    assert response.status_code == 404


async def test_window_boundaries(settings, idea, events):
    fan = await make_account(settings, email="fan@example.org")
    late = await make_account(settings, email="late@example.org")
    closes = idea.support_closes_at
    outcome = await services.support_idea(settings, fan, idea.id, now=closes - timedelta(seconds=1), events=events)
    assert outcome.support_count == 1
    with pytest.raises(DomainError) as refused:
        await services.support_idea(settings, late, idea.id, now=closes + timedelta(seconds=1), events=events)
    assert refused.value.status_code == 409
    # Reading after the close expired it, in the same transaction as the refusal.
    assert (await Idea.objects().where(Idea.id == idea.id).first()).status == "expired"
    assert await rows_for(idea.id) == 1


async def test_support_exactly_at_close_is_refused(settings, idea, events):
    fan = await make_account(settings, email="fan@example.org")
    with pytest.raises(DomainError):
        await services.support_idea(settings, fan, idea.id, now=idea.support_closes_at, events=events)


async def test_withdraw_only_while_published(settings, idea, events):
    fan = await make_account(settings, email="fan@example.org")
    await services.support_idea(settings, fan, idea.id, events=events)
    await Idea.update({Idea.status: "routed"}).where(Idea.id == idea.id)
    with pytest.raises(DomainError) as refused:
        await services.withdraw_support(settings, fan, idea.id, events=events)
    assert refused.value.status_code == 409
    assert await rows_for(idea.id) == 1


async def test_a_routed_idea_takes_no_new_supports_and_keeps_its_count(settings, idea, events):
    """After routing the idea page tells what happened; it no longer asks for support (issue 11)."""
    fan = await make_account(settings, email="fan@example.org")
    later = await make_account(settings, email="later@example.org")
    await services.support_idea(settings, fan, idea.id, events=events)
    await Idea.update({Idea.status: "routed"}).where(Idea.id == idea.id)
    with pytest.raises(DomainError) as refused:
        await services.support_idea(settings, later, idea.id, events=events)
    assert refused.value.status_code == 409
    assert (await Idea.objects().where(Idea.id == idea.id).first()).support_count == 1
    assert await rows_for(idea.id) == 1


async def test_no_javascript_form_post_returns_to_the_idea(client, settings, idea):
    await make_account(settings, email="fan@example.org")
    await sign_in(client, "fan@example.org")
    token = csrf_from((await client.get("/account/password")).text)
    response = await client.post(f"/ideas/{idea.id}/support", data={"_csrf_token": token})
    assert response.status_code == 302
    assert response.headers["location"] == f"/ideas/{idea.id}#support"
    assert await rows_for(idea.id) == 1
    withdrawn = await client.post(f"/ideas/{idea.id}/support/withdraw", data={"_csrf_token": token})
    assert withdrawn.status_code == 302 and await rows_for(idea.id) == 0


async def test_form_post_without_csrf_token_is_refused(client, settings, idea):
    await make_account(settings, email="fan@example.org")
    await sign_in(client, "fan@example.org")
    response = await client.post(f"/ideas/{idea.id}/support", data={})
    assert response.status_code == 403
    assert await rows_for(idea.id) == 0


async def test_htmx_post_swaps_the_support_area(client, settings, idea):
    await make_account(settings, email="fan@example.org")
    await sign_in(client, "fan@example.org")
    token = csrf_from((await client.get("/account/password")).text)
    response = await client.post(
        f"/ideas/{idea.id}/support", data={"_csrf_token": token}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="support"')
    assert "<html" not in response.text
    assert f'action="/ideas/{idea.id}/support/withdraw"' in response.text


async def test_anonymous_form_post_goes_to_sign_in(client, idea):
    token = csrf_from((await client.get("/login")).text)
    response = await client.post(
        f"/ideas/{idea.id}/support",
        data={"_csrf_token": token},
        headers={"referer": f"http://testserver.local/ideas/{idea.id}"},
    )
    assert response.status_code == 302
    assert response.headers["location"] == f"/login?next=/ideas/{idea.id}"


async def test_support_rate_limit(settings, idea, database_url):
    import httpx

    from participation.app import create_app

    limited = replace(settings, rate_limits=replace(settings.rate_limits, support=3))
    await make_account(settings, email="fan@example.org")
    app = create_app(limited)
    async with (
        app.lifespan(),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t.local") as http,
    ):
        headers = await api_token(http, "fan@example.org")
        statuses = [(await http.put(f"/api/v1/ideas/{idea.id}/support", headers=headers)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
