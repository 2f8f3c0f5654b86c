from __future__ import annotations

import pytest

from participation.accounts.tables import Role
from participation.register import services
from tests.helpers import make_account

pytestmark = pytest.mark.anyio


def entry_fields(**overrides):
    """A valid set of entry fields (service names); override what a test is about."""
    fields = {
        "title": "Slimme lantaarnpalen in de wijk",
        "summary": "Lantaarnpalen die dimmen als het stil is.",
        "theme": "energy",
        "scope": "narrow",
        "origin": "city",
        "programme_line": "sustainable-city",
        "department": "openbare-ruimte",
        "contact_email": "team@example.org",
        "partners": [{"name": "LichtLab", "kind": "business"}],
        "neighbourhoods": ["dorp"],
    }
    fields.update(overrides)
    if fields.get("status") in ("planned", "running") and "goal" not in fields:
        fields.update(GOAL)  # starting as planned or running needs a first goal with an indicator
    return fields


LESSONS = {
    "lessons_tried": "Dimmen bij weinig verkeer.",
    "lessons_outcome": "30% minder stroom, doel gehaald.",
    "lessons_decision": "scale_up",
    "lessons_decision_reason": "Werkt en bewoners zijn tevreden.",
    "lessons_advice": "Meet het veiligheidsgevoel vooraf.",
}


@pytest.fixture
async def editor(settings):
    return await make_account(settings, email="editor@example.org", name="Redactie", role=Role.editor)


@pytest.fixture
async def member(settings):
    return await make_account(settings, email="member@example.org", name="Member")


@pytest.fixture
def new_entry(settings, editor):
    async def create(**overrides):
        return await services.create_entry(settings, editor, entry_fields(**overrides))

    return create


GOAL = {
    "goal": "Minder stroom voor straatverlichting in de wijk.",
    "indicator_name": "Stroomverbruik straatverlichting",
    "unit": "kWh per jaar",
    "baseline": "120000",
    "target": "84000",
}


async def with_goal(editor, slug: str, **overrides) -> None:
    """Give an entry a goal with an indicator: what it needs before it is planned."""
    from participation.register import goals

    await goals.add_goal(editor, slug, {**GOAL, **overrides})
