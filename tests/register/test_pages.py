"""The public register pages and the editors' forms, driven as a browser would."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from participation.register import services
from tests.helpers import post_form, sign_in
from tests.register.conftest import GOAL, LESSONS

pytestmark = pytest.mark.anyio


def titles(html: str) -> list[str]:
    return re.findall(r'<h4 class="utrecht-heading-4 register-card__title"><a [^>]*>([^<]+)</a>', html)


@pytest.fixture
async def portfolio(new_entry):
    """Five entries across programme lines, themes, scopes and data answers."""
    return [
        await new_entry(
            title="Parkeersensoren in het centrum",
            theme="mobility",
            programme_line="accessible-city",
            neighbourhoods=["centrum"],
            personal_data=True,
            scope="narrow",
        ),
        await new_entry(
            title="Zonnedaken met de coöperatie",
            theme="energy",
            programme_line="sustainable-city",
            neighbourhoods=["rokkeveen", "oosterheem"],
            personal_data=False,
            scope="broad",
            partners=[{"name": "Buurtstroom", "kind": "residents_initiative"}],
        ),
        await new_entry(
            title="Hittestress meten in wijken",
            theme="climate-adaptation",
            programme_line="sustainable-city",
            neighbourhoods=["palenstein"],
            scope="narrow",
            summary="Sensoren in bomen.",
        ),
        await new_entry(
            title="Deelfietsen bij de winkels",
            theme="mobility",
            programme_line=None,
            origin="idea",
            idea_id=12,
            neighbourhoods=["oosterheem"],
            scope="broad",
            response_due_at=datetime.now(UTC) - timedelta(days=1),
        ),
        await new_entry(
            title="Digitale afsprakenassistent",
            theme="digital-services",
            programme_line="smart-municipality",
            neighbourhoods=["whole-city"],
            personal_data=True,
            # A running entry that processes personal data says what, on which basis, and its DPIA.
            data_description="Naam en e-mailadres van wie een afspraak maakt.",
            legal_basis="Publieke taak",
            dpia_status="done",
            scope="narrow",
            status="running",
        ),
    ]


async def test_register_groups_by_programme_line_in_configured_order(client, settings, portfolio):
    page = await client.get("/register")
    assert page.status_code == 200
    headings = re.findall(r'<h3 class="utrecht-heading-3" id="line-([a-z-]+)">', page.text)
    configured = [p.slug for p in settings.city.programme_lines]
    assert headings == [s for s in configured if s in {"accessible-city", "sustainable-city", "smart-municipality"}] + [
        "none"
    ]
    sustainable = page.text.split('id="line-sustainable-city"')[1].split("</section>")[0]
    assert set(titles(sustainable)) == {"Zonnedaken met de coöperatie", "Hittestress meten in wijken"}
    unassigned = page.text.split('id="line-none"')[1].split("</section>")[0]
    assert titles(unassigned) == ["Deelfietsen bij de winkels"]


@pytest.mark.parametrize(
    "query,expected",
    [
        ("status=running", {"Digitale afsprakenassistent"}),
        ("theme=mobility", {"Parkeersensoren in het centrum", "Deelfietsen bij de winkels"}),
        ("scope=broad", {"Zonnedaken met de coöperatie", "Deelfietsen bij de winkels"}),
        ("neighbourhood=oosterheem", {"Zonnedaken met de coöperatie", "Deelfietsen bij de winkels"}),
        ("origin=idea", {"Deelfietsen bij de winkels"}),
        ("personal_data=yes", {"Parkeersensoren in het centrum", "Digitale afsprakenassistent"}),
        ("personal_data=no", {"Zonnedaken met de coöperatie"}),
        ("personal_data=unknown", {"Hittestress meten in wijken", "Deelfietsen bij de winkels"}),
        ("overdue=yes", {"Deelfietsen bij de winkels"}),
        ("q=bomen", {"Hittestress meten in wijken"}),
        ("q=ZONNEDAKEN", {"Zonnedaken met de coöperatie"}),
        ("theme=mobility&scope=narrow", {"Parkeersensoren in het centrum"}),
    ],
)
async def test_filters(client, portfolio, query, expected):
    page = await client.get(f"/register?{query}")
    assert page.status_code == 200
    assert set(titles(page.text)) == expected
    api = await client.get(f"/api/v1/register?{query}")
    assert {item["title"] for item in api.json()["items"]} == expected
    assert api.json()["total"] == len(expected)


async def test_unknown_filter_value_is_refused(client, portfolio):
    assert (await client.get("/register?status=secret")).status_code == 422
    response = await client.get("/api/v1/register?theme=nope")
    assert response.status_code == 422 and "theme" in response.json()["errors"]


async def test_portfolio_summary_counts_statuses_scopes_and_overdue(client, portfolio):
    page = await client.get("/register?lang=en")
    summary = page.text.split('id="summary-title"')[1].split("</section>")[0]
    counts = dict(re.findall(r"<dt>([^<]+)</dt><dd>(?:<a [^>]*>)?(\d+)", summary))
    assert counts["Projects in total"] == "5"
    assert counts["Received"] == "4" and counts["Running"] == "1" and counts["Declined"] == "0"
    assert counts["Narrow"] == "3" and counts["Broad"] == "2"
    assert counts["Responses overdue"] == "1"


async def test_overdue_entry_says_so_publicly(client, portfolio):
    page = await client.get(f"/register/{portfolio[3].slug}?lang=en")
    assert "Response overdue" in page.text
    assert "Response overdue" not in (await client.get(f"/register/{portfolio[0].slug}")).text


async def test_entry_page_shows_unknown_privacy_answers_explicitly(client, new_entry):
    entry = await new_entry(personal_data=None, algorithm_used=None)
    page = await client.get(f"/register/{entry.slug}?lang=en")
    privacy = page.text.split('id="privacy-title"')[1].split("</section>")[0]
    assert privacy.count('class="register-unknown">Unknown<') == 9
    entry = await new_entry(
        title="Een project met persoonsgegevens",
        personal_data=True,
        dpia_status="done",
        dpia_url="https://example.org/dpia",
        legal_basis="Publieke taak",
    )
    privacy = (
        (await client.get(f"/register/{entry.slug}?lang=en")).text.split('id="privacy-title"')[1].split("</section>")[0]
    )
    assert "Yes" in privacy and "Publieke taak" in privacy and 'href="https://example.org/dpia"' in privacy


async def test_entry_page_shows_partners_neighbourhoods_idea_and_lessons(client, new_entry, settings, editor):
    entry = await new_entry(
        origin="idea",
        idea_id=77,
        neighbourhoods=["dorp", "meerzicht"],
        partners=[{"name": "TU Delft", "kind": "knowledge_institution"}],
        **LESSONS,
    )
    page = (await client.get(f"/register/{entry.slug}?lang=en")).text
    assert 'href="/ideas/77"' in page
    assert "TU Delft (Knowledge institution)" in page
    assert "Dorp, Meerzicht" in page
    assert LESSONS["lessons_advice"] in page


async def test_markdown_description_is_sanitised(client, new_entry):
    entry = await new_entry(
        description=(
            "Hallo **wereld**\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
            "[klik](javascript:alert(3)) en [site](https://example.org)"
        )
    )
    page = (await client.get(f"/register/{entry.slug}")).text
    body = page.split('class="register-markdown">')[1].split("</div>")[0]
    assert "<strong>wereld</strong>" in body
    # Raw HTML shows as harmless text at most: no script element, no event handler, no javascript: link.
    assert "<script" not in body and "<img" not in body
    assert not re.search(r"<[^>]*\bonerror\s*=", body)
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", body, re.I)
    assert 'href="https://example.org"' in body


async def test_user_text_is_escaped_outside_markdown(client, new_entry):
    entry = await new_entry(title="<b>Vet</b> project titel", summary="<script>x()</script>")
    page = (await client.get(f"/register/{entry.slug}")).text
    assert "<b>Vet</b>" not in page and "&lt;b&gt;Vet&lt;/b&gt;" in page
    assert "<script>x()" not in page


async def test_lessons_page_filters_by_theme(client, new_entry):
    await new_entry(title="Lantaarnpalen die dimmen", theme="energy", **LESSONS)
    await new_entry(title="Slimme regentonnen overal", theme="climate-adaptation", **LESSONS)
    await new_entry(title="Nog zonder lessen hier", theme="energy")
    page = await client.get("/register/lessons")
    assert "Lantaarnpalen die dimmen" in page.text and "Slimme regentonnen overal" in page.text
    assert "Nog zonder lessen hier" not in page.text
    page = await client.get("/register/lessons?theme=energy")
    assert "Lantaarnpalen die dimmen" in page.text and "Slimme regentonnen overal" not in page.text


async def test_missing_entry_is_404(client):
    assert (await client.get("/register/bestaat-niet")).status_code == 404
    assert (await client.get("/api/v1/register/bestaat-niet")).status_code == 404


async def test_editor_creates_edits_and_updates_through_forms(client, settings, editor):
    await sign_in(client, editor.email)
    response = await post_form(
        client,
        "/register/new",
        {
            "title": "Slimme bankjes in het park",
            "summary": "Bankjes met zonnepaneel en USB.",
            "theme": "public-space",
            "scope": "narrow",
            "origin": "city",
            "status": "planned",
            "programme_line": "applied-innovation",
            "neighbourhoods": ["dorp", "meerzicht"],
            "partner_name_0": "Bankenbouw",
            "partner_kind_0": "business",
            "partner_name_1": "",
            "partner_kind_1": "other",
            "personal_data": "no",
            "algorithm_used": "unknown",
            "budget_eur": "12000",
            "start_date": "2026-05-01",
            **GOAL,
        },
    )
    assert response.status_code == 302, response.text[:2000]
    slug = "slimme-bankjes-in-het-park"
    assert response.headers["location"] == f"/register/{slug}"
    view = await services.get_entry(slug)
    assert view["status"] == "planned" and view["neighbourhoods"] == ["dorp", "meerzicht"]
    assert view["partners"] == [{"name": "Bankenbouw", "kind": "business"}]
    assert view["personal_data"] is False and view["algorithm_used"] is None and view["budget_eur"] == 12000

    edit_page = await client.get(f"/register/{slug}/edit")
    assert 'value="Bankenbouw"' in edit_page.text and 'value="2026-05-01"' in edit_page.text
    response = await post_form(
        client,
        f"/register/{slug}/edit",
        {
            "title": "Slimme bankjes in het stadspark",
            "summary": "Bankjes met zonnepaneel.",
            "theme": "public-space",
            "scope": "broad",
            "origin": "city",
            "neighbourhoods": "dorp",
            "personal_data": "unknown",
        },
    )
    assert response.status_code == 302, response.text[:2000]
    assert response.headers["location"] == f"/register/{slug}"
    view = await services.get_entry(slug)
    assert view["title"] == "Slimme bankjes in het stadspark" and view["scope"] == "broad"
    assert view["partners"] == [] and view["personal_data"] is None and view["status"] == "planned"

    response = await post_form(
        client, f"/register/{slug}/update", {"text": "De bankjes staan er.", "status": "running"}
    )
    assert response.status_code == 302
    assert response.headers["location"] == f"/register/{slug}"
    page = await client.get(f"/register/{slug}")
    assert "De bankjes staan er." in page.text
    assert (await services.get_entry(slug))["status"] == "running"


async def test_form_errors_rerender_with_summary_and_nothing_saved(client, settings, editor, new_entry):
    await sign_in(client, editor.email)
    response = await post_form(
        client,
        "/register/new",
        {
            "title": "Kort",
            "summary": "",
            "theme": "x",
            "scope": "narrow",
            "origin": "city",
            "dpia_url": "javascript:alert(1)",
        },
    )
    assert response.status_code == 422
    assert 'class="utrecht-alert utrecht-alert--error error-summary"' in response.text
    for field in ("title", "summary", "theme", "dpia_url"):
        assert f'href="#f-{field}"' in response.text
    entry = await new_entry()
    response = await post_form(
        client, f"/register/{entry.slug}/update", {"text": "Afgewezen.", "status": "declined", "reason": ""}
    )
    assert response.status_code == 422 and 'href="#f-reason"' in response.text
    assert (await services.get_entry(entry.slug))["status"] == "received"
