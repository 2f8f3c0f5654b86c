"""Submitting ideas and pilots: validation limits, who may submit, bot traps, double submits."""

from __future__ import annotations

import pytest

from ideas import services
from ideas.services import IdeaInput
from ideas.tables import Follow, Idea
from participation.validation import DomainError, FormErrors
from tests.helpers import make_account, post_form, sign_in
from tests.ideas.factories import idea_form, make_idea, old_form_token, pilot_form


def _input(form: dict) -> IdeaInput:
    asks = form.pop("pilot_asks", [])
    return IdeaInput.from_form(form, asks, form.get("kind", "idea"))


# -- every limit, just inside and just outside ------------------------------------------
LIMITS = [
    ("title", 10, 120),
    ("summary", 20, 300),
    ("body", 0, 10_000),
    ("location", 0, 200),
]


@pytest.mark.parametrize(("field", "minimum", "maximum"), LIMITS)
async def test_idea_text_limits(settings, field, minimum, maximum):
    if minimum:
        services.validate_idea(settings, _input(idea_form(**{field: "x" * minimum})))
        with pytest.raises(FormErrors) as short:
            services.validate_idea(settings, _input(idea_form(**{field: "x" * (minimum - 1)})))
        assert field in short.value.errors
    services.validate_idea(settings, _input(idea_form(**{field: "x" * maximum})))
    with pytest.raises(FormErrors) as long:
        services.validate_idea(settings, _input(idea_form(**{field: "x" * (maximum + 1)})))
    assert field in long.value.errors


PILOT_LIMITS = [
    ("pilot_what", 20, 2_000),
    ("pilot_where", 3, 500),
    ("pilot_ask_details", 0, 1_000),
    ("pilot_partners", 0, 1_000),
]


@pytest.mark.parametrize(("field", "minimum", "maximum"), PILOT_LIMITS)
async def test_pilot_text_limits(settings, field, minimum, maximum):
    if minimum:
        services.validate_idea(settings, _input(pilot_form(**{field: "x" * minimum})))
        with pytest.raises(FormErrors) as short:
            services.validate_idea(settings, _input(pilot_form(**{field: "x" * (minimum - 1)})))
        assert field in short.value.errors
    services.validate_idea(settings, _input(pilot_form(**{field: "x" * maximum})))
    with pytest.raises(FormErrors) as long:
        services.validate_idea(settings, _input(pilot_form(**{field: "x" * (maximum + 1)})))
    assert field in long.value.errors


@pytest.mark.parametrize(
    ("weeks", "ok"), [("0", False), ("1", True), ("104", True), ("105", False), ("", False), ("tien", False)]
)
async def test_pilot_duration_limits(settings, weeks, ok):
    data = _input(pilot_form(pilot_duration_weeks=weeks))
    if ok:
        assert services.validate_idea(settings, data)["pilot_duration_weeks"] == int(weeks)
    else:
        with pytest.raises(FormErrors) as exc:
            services.validate_idea(settings, data)
        assert "pilot_duration_weeks" in exc.value.errors


async def test_pilot_needs_asks_and_personal_data_answer(settings):
    with pytest.raises(FormErrors) as exc:
        services.validate_idea(settings, _input(pilot_form(pilot_asks=[], pilot_personal_data="")))
    assert {"pilot_asks", "pilot_personal_data"} <= set(exc.value.errors)
    with pytest.raises(FormErrors) as exc:
        services.validate_idea(settings, _input(pilot_form(pilot_asks=["space", "helicopter"])))
    assert "pilot_asks" in exc.value.errors
    # Collecting personal data requires saying which.
    with pytest.raises(FormErrors) as exc:
        services.validate_idea(settings, _input(pilot_form(pilot_personal_data="yes", pilot_personal_data_details="")))
    assert "pilot_personal_data_details" in exc.value.errors
    values = services.validate_idea(
        settings,
        _input(pilot_form(pilot_personal_data="yes", pilot_personal_data_details="Kentekens, gepseudonimiseerd")),
    )
    assert values["pilot_personal_data"] is True and values["pilot_asks"] == "space,permits"


async def test_theme_neighbourhood_and_scope_come_from_the_city(settings):
    with pytest.raises(FormErrors) as exc:
        services.validate_idea(
            settings, _input(idea_form(theme="space-travel", neighbourhood="atlantis", scope="huge"))
        )
    assert {"theme", "neighbourhood", "scope"} <= set(exc.value.errors)
    for n in settings.city.neighbourhoods:
        services.validate_idea(settings, _input(idea_form(neighbourhood=n.slug)))
    for t in settings.city.themes:
        services.validate_idea(settings, _input(idea_form(theme=t.slug)))


# -- who may submit ----------------------------------------------------------------


async def test_resident_is_refused_a_pilot(settings, events):
    resident = await make_account(settings)
    with pytest.raises(DomainError) as exc:
        await services.submit_idea(settings, resident, _input(pilot_form()), events=events)
    assert exc.value.status_code == 403
    assert await Idea.count() == 0


async def test_organisation_submits_a_pilot(settings, events):
    org = await make_account(settings, email="org@example.org", organisation="Slim BV", kvk="12345678")
    idea, created = await services.submit_idea(settings, org, _input(pilot_form()), events=events)
    assert created and idea.kind == "pilot" and idea.status == "submitted"
    assert idea.pilot_duration_weeks == 26


async def test_unverified_account_is_refused(settings, events):
    account = await make_account(settings, verified=False)
    with pytest.raises(DomainError) as exc:
        await services.submit_idea(settings, account, _input(idea_form()), events=events)
    assert exc.value.status_code == 403
    assert await Idea.count() == 0


async def test_unverified_account_cannot_open_the_form(client, settings):
    await make_account(settings, verified=False)
    await sign_in(client, "resident@example.org")
    assert (await client.get("/ideas/new")).status_code == 403


async def test_author_follows_own_idea(settings, events):
    resident = await make_account(settings)
    idea, _ = await services.submit_idea(settings, resident, _input(idea_form()), events=events)
    assert await Follow.count().where((Follow.account == resident.id) & (Follow.idea == idea.id)) == 1


# -- through the form ----------------------------------------------------------------


async def _submit(client, settings, **overrides):
    data = {**idea_form(), "form_token": old_form_token(settings), "website": "", **overrides}
    return await post_form(client, "/ideas/new", data, form_page="/ideas/new")


async def test_submit_form_creates_a_submitted_idea(client, settings):
    await make_account(settings)
    await sign_in(client, "resident@example.org")
    form = await client.get("/ideas/new")
    assert form.status_code == 200
    assert 'name="website"' in form.text and 'name="form_token"' in form.text
    response = await _submit(client, settings)
    assert response.status_code in (302, 303), response.text[:500]
    idea = await Idea.objects().first()
    assert response.headers["location"] == f"/ideas/{idea.id}"
    assert idea.status == "submitted"
    page = await client.get(f"/ideas/{idea.id}")
    assert page.status_code == 200
    assert "idea-status--submitted" in page.text


async def test_invalid_form_is_shown_again_with_messages(client, settings):
    await make_account(settings)
    await sign_in(client, "resident@example.org")
    response = await _submit(client, settings, title="Kort")
    assert response.status_code == 422
    assert 'href="#f-title"' in response.text
    assert "Kort" in response.text
    assert await Idea.count() == 0


async def test_honeypot_is_refused(client, settings):
    await make_account(settings)
    await sign_in(client, "resident@example.org")
    response = await _submit(client, settings, website="http://spam.example")
    assert response.status_code == 400
    assert await Idea.count() == 0


async def test_too_fast_submission_is_refused(client, settings):
    await make_account(settings)
    await sign_in(client, "resident@example.org")
    response = await _submit(client, settings, form_token=services.issue_form_token(settings))
    assert response.status_code == 400
    assert await Idea.count() == 0


async def test_forged_form_token_is_refused(settings):
    with pytest.raises(DomainError):
        services.check_form(settings, "1.abc.forged", "")
    token = old_form_token(settings)
    assert services.check_form(settings, token, "") == token.split(".")[1]


async def test_double_submit_creates_one_idea(client, settings):
    await make_account(settings)
    await sign_in(client, "resident@example.org")
    token = old_form_token(settings)
    first = await _submit(client, settings, form_token=token)
    second = await _submit(client, settings, form_token=token)
    assert first.status_code in (302, 303) and second.status_code in (302, 303)
    assert first.headers["location"] == second.headers["location"]
    assert await Idea.count() == 1


async def test_concurrent_double_submit_creates_one_idea(settings, events):
    import anyio

    resident = await make_account(settings)
    nonce = "same-form-nonce"
    results = []

    async def submit():
        results.append(
            await services.submit_idea(settings, resident, _input(idea_form()), form_nonce=nonce, events=events)
        )

    async with anyio.create_task_group() as tg:
        for _ in range(5):
            tg.start_soon(submit)
    assert await Idea.count() == 1
    assert len({idea.id for idea, _ in results}) == 1
    assert sum(created for _, created in results) == 1


async def test_similar_ideas_ask_for_confirmation_without_javascript(client, settings):
    resident = await make_account(settings)
    existing = await make_idea(resident, title="Slimme fietsenstalling in het Stadshart")
    await sign_in(client, "resident@example.org")
    token = old_form_token(settings)
    step = await _submit(client, settings, form_token=token)
    assert step.status_code == 200
    assert f'href="/ideas/{existing.id}"' in step.text
    assert 'name="confirmed"' in step.text
    assert await Idea.count() == 1
    confirmed = await _submit(client, settings, form_token=token, confirmed="1", action="submit")
    assert confirmed.status_code in (302, 303)
    assert await Idea.count() == 2


async def test_live_similar_suggestions(client, settings):
    resident = await make_account(settings)
    existing = await make_idea(resident, title="Slimme fietsenstalling in het Stadshart")
    await make_idea(resident, title="Iets heel anders over bomen")
    hidden = await make_idea(resident, title="Nog een fietsenstalling, nog niet gepubliceerd", status="submitted")
    response = await client.get("/ideas/similar", params={"title": "fietsenstalling"})
    assert response.status_code == 200
    assert f'href="/ideas/{existing.id}"' in response.text
    assert f'href="/ideas/{hidden.id}"' not in response.text
    assert "bomen" not in response.text
    assert 'name="similar_seen"' in response.text
    assert "<html" not in response.text


async def test_similar_ideas_at_most_five(settings):
    resident = await make_account(settings)
    for i in range(7):
        await make_idea(resident, title=f"Deelauto's in wijk {i} graag")
    from ideas.search import similar_ideas

    assert len(await similar_ideas("Meer deelauto's in de wijk")) == 5
