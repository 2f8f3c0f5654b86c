"""The idea lifecycle: moderation transitions, author edits and withdrawal, who sees what."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ideas import permissions, services
from ideas.services import IdeaInput
from ideas.tables import Idea
from participation.accounts.tables import Role
from participation.validation import DomainError, FormErrors
from tests.helpers import api_token, make_account, post_form, sign_in
from tests.ideas.factories import idea_form, make_idea


def _input(**overrides) -> IdeaInput:
    form = idea_form(**overrides)
    return IdeaInput.from_form(form, [], "idea")


@pytest.fixture
async def people(settings):
    return {
        "author": await make_account(settings, email="author@example.org", name="Auteur"),
        "other": await make_account(settings, email="other@example.org", name="Ander"),
        "moderator": await make_account(settings, email="mod@example.org", name="Moderator", role=Role.moderator),
    }


async def _submitted(settings, author, events) -> Idea:
    idea, _ = await services.submit_idea(settings, author, _input(), events=events)
    return idea


async def test_publish_starts_the_support_window(settings, people, events):
    idea = await _submitted(settings, people["author"], events)
    published = await services.publish(settings, idea.id, events=events)
    assert published.status == "published"
    assert published.published_at is not None
    assert published.support_closes_at - published.published_at == timedelta(days=settings.city.support_window_days)


async def test_transitions_only_from_their_states(settings, people, events):
    idea = await _submitted(settings, people["author"], events)
    await services.publish(settings, idea.id, events=events)
    with pytest.raises(DomainError) as exc:
        await services.publish(settings, idea.id, events=events)
    assert exc.value.status_code == 409
    with pytest.raises(DomainError):
        await services.reject(idea.id, "Te laat", events=events)
    with pytest.raises(DomainError) as missing:
        await services.publish(settings, 999_999, events=events)
    assert missing.value.status_code == 404


async def test_reject_needs_a_reason_and_keeps_it(settings, people, events):
    idea = await _submitted(settings, people["author"], events)
    with pytest.raises(FormErrors):
        await services.reject(idea.id, "  ", events=events)
    rejected = await services.reject(idea.id, "Dit valt buiten Smart City.", events=events)
    assert rejected.status == "rejected" and rejected.rejection_reason == "Dit valt buiten Smart City."


async def test_edit_of_needs_changes_goes_back_to_submitted(settings, people, events):
    idea = await _submitted(settings, people["author"], events)
    await services.request_changes(idea.id, "Maak de titel concreter.", events=events)
    edited = await services.edit_idea(
        settings, people["author"], idea.id, _input(title="Een concretere titel voor het idee"), events=events
    )
    assert edited.status == "submitted"
    assert edited.title == "Een concretere titel voor het idee"


async def test_edit_refused_by_person(settings, people, events):
    idea = await _submitted(settings, people["author"], events)
    with pytest.raises(DomainError) as exc:
        await services.edit_idea(
            settings, people["other"], idea.id, _input(title="Overgenomen door een ander"), events=events
        )
    # Another member cannot even see a submitted idea.
    assert exc.value.status_code == 404
    with pytest.raises(DomainError) as exc:
        await services.edit_idea(
            settings, people["moderator"], idea.id, _input(title="Door de moderator herschreven"), events=events
        )
    assert exc.value.status_code == 403


@pytest.mark.parametrize("status", ["published", "routed", "rejected", "withdrawn", "expired"])
async def test_edit_refused_by_state(settings, people, status, events):
    idea = await make_idea(people["author"], status=status)
    with pytest.raises(DomainError) as exc:
        await services.edit_idea(
            settings, people["author"], idea.id, _input(title="Een andere titel na publicatie"), events=events
        )
    assert exc.value.status_code == 409
    assert (await services.get_idea(idea.id)).title == idea.title


async def test_edit_through_the_form(client, settings, people, events):
    idea = await _submitted(settings, people["author"], events)
    await sign_in(client, "author@example.org")
    response = await post_form(client, f"/ideas/{idea.id}/edit", idea_form(title="Titel via het formulier"))
    assert response.status_code in (302, 303), response.text[:300]
    assert (await services.get_idea(idea.id)).title == "Titel via het formulier"
    await services.publish(settings, idea.id, events=events)
    assert (await client.get(f"/ideas/{idea.id}/edit")).status_code == 403


async def test_withdraw_with_reason(settings, people, events):
    idea = await make_idea(people["author"], status="published")
    with pytest.raises(FormErrors):
        await services.withdraw_idea(people["author"], idea.id, "boredom", events=events)
    with pytest.raises(DomainError) as exc:
        await services.withdraw_idea(people["other"], idea.id, "other", events=events)
    assert exc.value.status_code == 403
    withdrawn = await services.withdraw_idea(people["author"], idea.id, "not_feasible", events=events)
    assert withdrawn.status == "withdrawn" and withdrawn.withdraw_reason == "not_feasible"
    # It stays visible to everyone, as withdrawn.
    assert permissions.can_view(None, withdrawn)


async def test_routed_idea_cannot_be_withdrawn(settings, people, events):
    idea = await make_idea(people["author"], status="routed")
    with pytest.raises(DomainError) as exc:
        await services.withdraw_idea(people["author"], idea.id, "other", events=events)
    assert exc.value.status_code == 409


async def test_withdraw_through_the_form(client, settings, people):
    idea = await make_idea(people["author"], status="published")
    await sign_in(client, "author@example.org")
    response = await post_form(client, f"/ideas/{idea.id}/withdraw", {"reason": "elsewhere"})
    assert response.status_code in (302, 303)
    assert (await services.get_idea(idea.id)).status == "withdrawn"
    page = await client.get(f"/ideas/{idea.id}")
    assert "idea-status--withdrawn" in page.text


async def test_submitted_idea_is_invisible_to_others(client, settings, people, events):
    idea = await _submitted(settings, people["author"], events)
    assert (await client.get(f"/ideas/{idea.id}")).status_code == 404
    assert (await client.get(f"/api/v1/ideas/{idea.id}")).status_code == 404
    other = await api_token(client, "other@example.org")
    assert (await client.get(f"/api/v1/ideas/{idea.id}", headers=other)).status_code == 404
    author = await api_token(client, "author@example.org")
    assert (await client.get(f"/api/v1/ideas/{idea.id}", headers=author)).json()["status"] == "submitted"
    moderator = await api_token(client, "mod@example.org")
    assert (await client.get(f"/api/v1/ideas/{idea.id}", headers=moderator)).status_code == 200
    listed = (await client.get("/api/v1/ideas")).json()
    assert listed["total"] == 0
    await sign_in(client, "author@example.org")
    assert (await client.get(f"/ideas/{idea.id}")).status_code == 200


async def test_withdrawn_before_publication_stays_private(settings, people, events):
    idea = await _submitted(settings, people["author"], events)
    withdrawn = await services.withdraw_idea(people["author"], idea.id, "other", events=events)
    assert not permissions.can_view(None, withdrawn)
    assert not permissions.can_view(people["other"], withdrawn)
    assert permissions.can_view(people["author"], withdrawn)


async def test_my_ideas_lists_own_ideas_with_status(client, settings, people, events):
    await _submitted(settings, people["author"], events)
    await make_idea(people["other"], title="Idee van iemand anders hier")
    await sign_in(client, "author@example.org")
    for url in ("/account", "/account/ideas"):  # a section of the account page, and a page of its own
        page = await client.get(url)
        assert "Slimme fietsenstalling bij het station" in page.text
        assert "idea-status--submitted" in page.text
        assert "iemand anders" not in page.text
