"""/map, its GeoJSON and its list: only what the public may see, filterable, and the points
themselves stored and returned by both databases (the conftest runs each test on each)."""

from __future__ import annotations

import csv
import io

import pytest
from selectolax.lexbor import LexborHTMLParser

from ideas.tables import Idea
from participation.accounts.tables import Role
from participation.middleware import content_security_policy
from participation.register import services as register
from participation.register.tables import RegisterEntry, RegisterSensor
from tests.forms import text_of
from tests.helpers import api_token, make_account, sign_in
from tests.ideas.factories import make_idea
from tests.register.conftest import GOAL

pytestmark = pytest.mark.anyio

STADHUIS = {"latitude": 52.0601, "longitude": 4.4942}
DORP = {"latitude": 52.06, "longitude": 4.51}


@pytest.fixture
async def author(settings):
    return await make_account(settings, email="author@example.org", name="Auteur")


@pytest.fixture
async def editor(settings):
    return await make_account(settings, email="editor@example.org", name="Redactie", role=Role.editor)


def entry_fields(**overrides):
    return {
        "title": "Slimme lantaarnpalen in de wijk",
        "summary": "Lantaarnpalen die dimmen als het stil is.",
        "theme": "energy",
        "scope": "narrow",
        "origin": "city",
        "neighbourhoods": ["dorp"],
        **(GOAL if overrides.get("status") in ("planned", "running") else {}),
        **overrides,
    }


@pytest.fixture
async def places(settings, author, editor):
    """One item of every kind the map may or may not show."""
    shown = {
        "idea": await make_idea(author, title="Zichtbaar idee op het plein", theme="public-space", **STADHUIS),
        "routed": await make_idea(author, status="routed", title="Doorgezet idee in het Dorp", **DORP),
        "pilot": await make_idea(author, kind="pilot", title="Pilot met lantaarnpalen", theme="energy", **DORP),
    }
    hidden = {
        "submitted": await make_idea(author, status="submitted", title="Nog niet beoordeeld idee", **STADHUIS),
        "hidden": await make_idea(author, status="hidden", title="Verborgen idee door moderator", **STADHUIS),
        "rejected": await make_idea(author, status="rejected", title="Afgewezen idee op de kaart", **STADHUIS),
        "withdrawn": await make_idea(author, status="withdrawn", title="Ingetrokken idee op de kaart", **STADHUIS),
        "no_point": await make_idea(author, title="Idee zonder plek in de stad"),
    }
    sensor = {"kind": "Luchtkwaliteitsmeter", "measures": "Fijnstof", "mobile": False, "location": "Dorpsstraat"}
    project = await register.create_entry(
        settings,
        editor,
        entry_fields(status="running", personal_data="no", sensors=[{**sensor, **DORP}], **DORP),
    )
    draft = await register.create_entry(
        settings,
        editor,
        entry_fields(
            title="Concept project nog niet openbaar",
            sensors=[{**sensor, "kind": "Geheime camera", **STADHUIS}],
            **STADHUIS,
        ),
    )
    await RegisterEntry.update({RegisterEntry.draft: True}).where(RegisterEntry.id == draft.id)
    return shown, hidden, project, draft


async def test_the_map_lists_exactly_what_the_public_may_see(client, places):
    shown, hidden, project, draft = places
    for who in (None, "author@example.org"):  # the author of the hidden ideas sees the same map
        if who:
            await sign_in(client, who)
        page = await client.get("/map")
        assert page.status_code == 200
        listed = text_of(page, ".map-list")
        for idea in shown.values():
            assert idea.title in listed
        for idea in hidden.values():
            assert idea.title not in page.text
        assert project.title in listed and "Luchtkwaliteitsmeter" in listed
        assert draft.title not in page.text and "Geheime camera" not in page.text
        assert "2 ideeën, 1 pilotvoorstellen, 1 projecten en 1 sensoren" in text_of(page, "#map-summary")

        features = (await client.get("/map/features.geojson")).json()
        assert features["type"] == "FeatureCollection"
        ids = {f["properties"]["id"] for f in features["features"]}
        assert ids == {
            f"idea-{shown['idea'].id}",
            f"idea-{shown['routed'].id}",
            f"idea-{shown['pilot'].id}",
            f"project-{project.slug}",
            "sensor-0",
        }
        sensor = next(f for f in features["features"] if f["properties"]["layer"] == "sensors")
        assert sensor["geometry"] == {"type": "Point", "coordinates": [DORP["longitude"], DORP["latitude"]]}
        assert sensor["properties"]["url"] == f"/register/{project.slug}"


async def test_the_map_is_filtered_like_the_lists(client, places):
    shown, _, project, _ = places

    async def listed(query: str) -> set[str]:
        features = (await client.get(f"/map/features.geojson?{query}")).json()["features"]
        page = await client.get(f"/map?{query}")
        in_list = {i.attributes["id"].removeprefix("item-") for i in _items(page)}
        in_map = {f["properties"]["id"] for f in features}
        assert in_list == in_map, query  # the list alternative holds exactly the markers
        return in_map

    idea, routed, pilot = (f"idea-{shown[k].id}" for k in ("idea", "routed", "pilot"))
    entry = f"project-{project.slug}"
    assert await listed("theme=public-space") == {idea}
    # Ideas by their chosen neighbourhood (all in the centre here), entries and sensors by the entry's.
    assert await listed("neighbourhood=dorp") == {entry, "sensor-0"}
    await Idea.update({Idea.neighbourhood: "dorp"}).where(Idea.id == shown["pilot"].id)
    assert await listed("neighbourhood=dorp") == {pilot, entry, "sensor-0"}
    assert await listed("layer=pilots") == {pilot}
    assert await listed("layer=sensors") == {"sensor-0"}
    assert await listed("status=routed") == {routed}
    assert await listed("status=running") == {entry}
    assert await listed("layer=projects&status=routed") == set()
    assert await listed("theme=no-such-theme") == await listed("")  # an unknown value is ignored


def _items(page):
    return LexborHTMLParser(page.text).css(".map-list li[id]")


async def test_without_javascript_the_map_page_says_everything_in_text(client, places):
    page = await client.get("/map")
    # The map element is hidden until map.js shows it; the tiles' source is stated; a list heading follows.
    assert 'class="map-overview map-canvas" hidden' in page.text
    assert "Kaartachtergrond: Kaartgegevens © Kadaster" in text_of(page, ".map-source")
    assert text_of(page, "#map-list-title") == "Dezelfde items als lijst"
    assert "/static/vendor/leaflet/leaflet.js" in page.text and "unpkg" not in page.text


async def test_an_empty_map_says_so(client):
    page = await client.get("/map?layer=sensors")
    assert "Niets met een plek past bij deze filters." in text_of(page, ".map-list")


async def test_the_idea_and_entry_pages_give_their_place(client, places, author):
    shown, hidden, project, _ = places
    idea_page = await client.get(f"/ideas/{shown['idea'].id}")
    assert "52.06010, 4.49420" in text_of(idea_page, "#place-title + p")
    assert 'class="map-point map-canvas map-canvas--small" hidden' in idea_page.text
    entry_page = await client.get(f"/register/{project.slug}")
    assert "52.06000, 4.51000" in text_of(entry_page, "#place-title + p")
    no_place = await client.get(f"/ideas/{hidden['no_point'].id}")
    assert no_place.status_code == 200 and 'id="place-title"' not in no_place.text


async def test_the_place_picker_suggests_a_neighbourhood(client):
    found = (await client.get("/places/neighbourhood?latitude=52.0601&longitude=4.4942")).json()
    assert found == {"neighbourhood": "centrum", "name": "Centrum / Stadshart"}
    outside = (await client.get("/places/neighbourhood?latitude=52.3676&longitude=4.9041")).json()
    assert outside == {"neighbourhood": None, "name": None}
    assert (await client.get("/places/neighbourhood?latitude=x")).json()["neighbourhood"] is None


async def test_the_csp_allows_images_from_the_tile_host_only(client, settings):
    csp = (await client.get("/map")).headers["content-security-policy"]
    directives = {part.strip().split(" ")[0]: part.strip() for part in csp.split(";")}
    assert directives["img-src"] == "img-src 'self' data: https://service.pdok.nl"
    for name in ("script-src", "style-src", "connect-src", "font-src", "default-src"):
        assert "pdok" not in directives[name]
    assert "img-src 'self' data:;" in content_security_policy(None)


# -- a point stored and returned, through the API --------------------------------------------


async def test_an_idea_point_is_stored_and_returned_by_the_api(client, author):
    headers = await api_token(client, author.email)
    idea = {
        "title": "Parkeersensoren bij het station",
        "summary": "Sensoren die laten zien waar nog plek is om te parkeren.",
        "theme": "mobility",
        "neighbourhood": "centrum",
        "scope": "narrow",
        "latitude": 52.0601234,
        "longitude": 4.4942567,
    }
    created = await client.post("/api/v1/ideas", json=idea, headers=headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["latitude"], body["longitude"]) == (52.0601234, 4.4942567)
    stored = await Idea.objects().get(Idea.id == body["id"])
    assert (stored.latitude, stored.longitude) == (52.0601234, 4.4942567)
    fetched = (await client.get(f"/api/v1/ideas/{body['id']}", headers=headers)).json()
    assert (fetched["latitude"], fetched["longitude"]) == (52.0601234, 4.4942567)
    # Moving it, and clearing it with nulls.
    moved = await client.patch(
        f"/api/v1/ideas/{body['id']}", json={"latitude": 52.07, "longitude": 4.5}, headers=headers
    )
    assert (moved.json()["latitude"], moved.json()["longitude"]) == (52.07, 4.5)
    cleared = await client.patch(
        f"/api/v1/ideas/{body['id']}", json={"latitude": None, "longitude": None}, headers=headers
    )
    assert cleared.status_code == 200 and cleared.json().get("latitude") is None  # omitted, like every unset field
    assert (await Idea.objects().get(Idea.id == body["id"])).longitude is None


async def test_a_point_outside_the_city_is_a_problem_detail(client, author):
    headers = await api_token(client, author.email)
    response = await client.post(
        "/api/v1/ideas",
        json={
            "title": "Parkeersensoren bij het station",
            "summary": "Sensoren die laten zien waar nog plek is om te parkeren.",
            "theme": "mobility",
            "neighbourhood": "centrum",
            "scope": "narrow",
            "latitude": 52.3676,
            "longitude": 4.9041,
        },
        headers=headers,
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "latitude" in response.json()["errors"]
    assert await Idea.count() == 0


async def test_an_idea_without_a_neighbourhood_gets_the_one_its_point_lies_in(settings, author):
    from ideas.services import IdeaInput, validate_idea

    values = validate_idea(
        settings,
        IdeaInput(
            title="Parkeersensoren bij het station",
            summary="Sensoren die laten zien waar nog plek is om te parkeren.",
            theme="mobility",
            scope="narrow",
            latitude="52.082",
            longitude="4.51",
        ),
    )
    assert values["neighbourhood"] == "seghwaert"


async def test_an_entry_point_and_sensors_are_stored_and_returned(client, editor, places):
    _, _, project, draft = places
    headers = await api_token(client, editor.email)
    body = (await client.get(f"/api/v1/register/{project.slug}", headers=headers)).json()
    assert (body["latitude"], body["longitude"]) == (DORP["latitude"], DORP["longitude"])
    assert body["sensors"] == [
        {
            "kind": "Luchtkwaliteitsmeter",
            "measures": "Fijnstof",
            "mobile": False,
            "location": "Dorpsstraat",
            **DORP,
        }
    ]
    patched = await client.patch(
        f"/api/v1/register/{project.slug}",
        json={"sensors": [{"kind": "Geluidsmeter", "mobile": True}], "latitude": None, "longitude": None},
        headers=headers,
    )
    assert patched.status_code == 200, patched.text
    rows = await RegisterSensor.objects().where(RegisterSensor.entry == project.id)
    assert [(s.kind, s.mobile, s.latitude) for s in rows] == [("Geluidsmeter", True, None)]
    assert (await RegisterEntry.objects().get(RegisterEntry.id == project.id)).latitude is None


async def test_open_data_ends_with_the_point_and_the_sensors(client, places):
    _, _, project, draft = places
    rows = list(csv.DictReader(io.StringIO((await client.get("/register.csv")).text)))
    row = next(r for r in rows if r["slug"] == project.slug)
    assert (row["latitude"], row["longitude"]) == ("52.06", "4.51")
    assert row["sensors"] == "Luchtkwaliteitsmeter: Fijnstof (fixed) @ Dorpsstraat [52.06 4.51]"
    data = (await client.get("/register.json")).json()
    entry = next(e for e in data["entries"] if e["slug"] == project.slug)
    assert entry["sensors"][0]["kind"] == "Luchtkwaliteitsmeter"
    assert data["columns"][-3:] == ["latitude", "longitude", "sensors"]


async def test_the_privacy_statement_names_the_tile_server(client):
    page = await client.get("/privacy")
    assert "Kaarten: de kaartachtergrond komt van https://service.pdok.nl" in page.text
    english = await client.get("/privacy?lang=en")
    assert "Maps: the map background comes from https://service.pdok.nl" in english.text
