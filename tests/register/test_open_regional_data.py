"""Open regional data: licence and CORS, the JSON Schema, the DCAT catalogue, the algorithm register
export, the change feed and the algorithm-register fields of the entry form."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC

import feedparser
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from pyld import jsonld

from participation.city import OpenDataConfig, load_city_config
from participation.register import algorithms, services
from participation.register.exports import COLUMNS
from participation.register.schema import ENTRY_PROPERTIES
from participation.register.tables import RegisterEntry, RegisterSensor
from participation.settings import ROOT
from tests.forms import open_form
from tests.helpers import sign_in
from tests.register.conftest import LESSONS

pytestmark = pytest.mark.anyio

OPEN_DATA_PATHS = (
    "/register.json",
    "/register.csv",
    "/register/schema/v1.json",
    "/register/algorithms.json",
    "/register/algorithms.csv",
    "/register/feed.atom",
    "/catalog.jsonld",
)
TRANSPARENCY = {
    "decision_making": "De camera telt fietsen; een medewerker besluit over extra stallingsplekken.",
    "impact": "Minder fietsen op de stoep, betere doorstroming.",
    "risks": "Herkenning van personen: de camera verwerkt alleen silhouetten en bewaart geen beelden.",
    "risk_category": "limited",
    "proportionality": "Tellen met de hand kost te veel en is minder nauwkeurig.",
    "human_intervention": "Een beheerder controleert de tellingen wekelijks en kan de camera uitzetten.",
    "iama_url": "https://example.org/iama/fietstelling",
}
PRIVACY = {
    "personal_data": True,
    "data_description": "Beelden van een telcamera, direct omgezet in aantallen.",
    "data_purpose": "Bepalen hoeveel stallingsplekken nodig zijn.",
    "legal_basis": "Algemeen belang (AVG art. 6 lid 1e)",
    "dpia_status": "done",
    "dpia_url": "https://example.org/dpia/fietstelling",
    "retention_period": "Aantallen vijf jaar; beelden niet",
    "open_data_url": "https://example.org/data/fietstelling",
    "algorithm_used": True,
    "algorithm_register_url": "https://algoritmes.example.org/fietstelling",
}


@pytest.fixture
async def fixture_entries(new_entry, editor, settings, events):
    """A complete entry (every optional block, sensors), a plain one, a draft and a declined one."""
    full = await new_entry(
        title="Fietstelling bij het station",
        description="Een **telcamera** bij de stalling.",
        partners=[{"name": "TelTech", "kind": "business"}],
        neighbourhoods=["centrum"],
        start_date="2026-01-05",
        end_date="2026-12-31",
        budget_eur=25000,
        status="running",
        **PRIVACY,
        **TRANSPARENCY,
    )
    await RegisterSensor.insert(
        RegisterSensor(
            entry=full.id,
            position=0,
            kind="telcamera",
            measures="fietsen",
            mobile=False,
            location="Stationsplein",
            latitude=52.05,
            longitude=4.48,
        ),
        RegisterSensor(
            entry=full.id, position=1, kind="luchtsensor", measures="fijnstof", mobile=True, location="Op de veegwagen"
        ),
    )
    plain = await new_entry(
        title="Samen ontwerpen met bewoners",
        scope="broad",
        neighbourhoods=[],
        partners=[],
        origin="idea",
        idea_id=7,
        response_due_at="2027-01-31",
    )
    await services.post_update(
        settings,
        editor,
        plain.slug,
        text="We zijn met de bewoners in gesprek.",
        status="under_assessment",
        events=events,
    )
    sensors_only = await new_entry(title="Geluidsmeters in de wijk", algorithm_used=False, **LESSONS)
    await RegisterSensor.insert(
        RegisterSensor(entry=sensors_only.id, kind="geluidsmeter", measures="geluid", location="Dorpsstraat")
    )
    draft = await new_entry(title="Geheim conceptproject met camera's", algorithm_used=True)
    await RegisterEntry.update({RegisterEntry.draft: True}).where(RegisterEntry.id == draft.id)
    await RegisterSensor.insert(RegisterSensor(entry=draft.id, kind="conceptcamera"))
    declined = await new_entry(title="Gezichtsherkenning in het winkelcentrum", algorithm_used=True)
    await services.post_update(
        settings,
        editor,
        declined.slug,
        text="Niet proportioneel.",
        status="declined",
        reason="Niet proportioneel.",
        events=events,
    )
    return {"full": full, "plain": plain, "sensors_only": sensors_only, "draft": draft, "declined": declined}


# -- licence and CORS ----------------------------------------------------------


async def test_open_data_endpoints_carry_cors_and_the_licence(client, fixture_entries):
    for path in OPEN_DATA_PATHS:
        response = await client.get(path, headers={"Origin": "https://other-city.example"})
        assert response.status_code == 200, path
        assert response.headers["access-control-allow-origin"] == "*", path
        assert response.headers["access-control-allow-methods"] == "GET", path
        assert "access-control-allow-credentials" not in response.headers, path
        assert response.headers["link"] == '<https://creativecommons.org/publicdomain/zero/1.0/>; rel="license"', path
        preflight = await client.options(
            path, headers={"Origin": "https://other-city.example", "Access-Control-Request-Method": "GET"}
        )
        assert preflight.headers["access-control-allow-origin"] == "*", path
        assert "POST" not in preflight.headers["access-control-allow-methods"]
    document = (await client.get("/register.json")).json()
    assert document["license"] == {
        "name": "CC0 1.0 Universal",
        "url": "https://creativecommons.org/publicdomain/zero/1.0/",
    }
    assert (await client.get("/register/algorithms.json")).json()["license"] == document["license"]


async def test_pages_and_the_authenticated_api_send_no_cors(client, fixture_entries):
    slug = fixture_entries["full"].slug
    for path in ("/register", f"/register/{slug}", "/region", "/api/v1/register", f"/api/v1/register/{slug}", "/"):
        response = await client.get(path, headers={"Origin": "https://other-city.example"})
        assert response.status_code == 200, path
        assert "access-control-allow-origin" not in response.headers, path
        preflight = await client.options(
            path, headers={"Origin": "https://other-city.example", "Access-Control-Request-Method": "GET"}
        )
        assert "access-control-allow-origin" not in preflight.headers, path


async def test_register_pages_state_the_licence(client, fixture_entries):
    index = await client.get("/register")
    assert 'href="https://creativecommons.org/publicdomain/zero/1.0/" rel="license"' in index.text
    assert 'href="/register/feed.atom"' in index.text and 'href="/catalog.jsonld"' in index.text
    entry = await client.get(f"/register/{fixture_entries['full'].slug}")
    assert 'rel="license"' in entry.text and "CC0 1.0 Universal" in entry.text


def test_the_licence_is_configurable(tmp_path):
    source = ROOT / "participation" / "cities" / "zoetermeer.toml"
    text = source.read_text().replace(
        "[open_data]\n",
        '[open_data]\nlicense_name = "CC BY 4.0"\nlicense_url = "https://creativecommons.org/licenses/by/4.0/"\n',
    )
    path = tmp_path / "city.toml"
    path.write_text(text)
    config = load_city_config(path).open_data
    assert (config.license_name, config.license_url) == ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
    path.write_text(source.read_text().replace("[open_data]\n", '[open_data]\nlicense_name = "Eigen licentie"\n'))
    with pytest.raises(Exception, match="license_url"):
        load_city_config(path)


async def test_a_configured_licence_reaches_the_exports(settings, fixture_entries):
    from participation.register.catalog import build_catalog
    from participation.register.open_data import license_of, open_data_headers

    city = replace(settings.city, open_data=OpenDataConfig("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"))
    other = replace(settings, city=city)
    assert license_of(other) == {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
    assert open_data_headers(other)["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    catalog = build_catalog(other, None, None)
    assert {d["license"] for d in catalog["dataset"]} == {"https://creativecommons.org/licenses/by/4.0/"}


# -- JSON schema ---------------------------------------------------------------


async def test_the_live_export_validates_against_its_published_schema(client, fixture_entries):
    schema_response = await client.get("/register/schema/v1.json")
    assert schema_response.headers["content-type"].startswith("application/schema+json")
    schema = schema_response.json()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    document = (await client.get("/register.json")).json()
    assert document["$schema"] == schema["$id"] == "http://127.0.0.1:8000/register/schema/v1.json"
    errors = list(Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(document))
    assert errors == [], [e.message for e in errors]
    plain = next(e for e in document["entries"] if e["slug"] == fixture_entries["plain"].slug)
    assert plain["idea_url"].endswith("/ideas/7") and plain["response_due_at"].startswith("2027-01-31")
    declined = next(e for e in document["entries"] if e["slug"] == fixture_entries["declined"].slug)
    assert declined["declined_reason"] and any(e["lessons_decision"] for e in document["entries"])
    full = next(e for e in document["entries"] if e["slug"] == fixture_entries["full"].slug)
    assert all(full[name] not in (None, "", []) for name in ("partners", "neighbourhoods", "budget_eur", "start_date"))
    assert {name: full[name] for name in TRANSPARENCY} == TRANSPARENCY
    slugs = {e["slug"] for e in document["entries"]}
    assert fixture_entries["draft"].slug not in slugs and fixture_entries["plain"].slug in slugs


async def test_the_schema_names_every_column_and_rejects_a_broken_export(client, fixture_entries):
    assert tuple(ENTRY_PROPERTIES) == COLUMNS
    schema = (await client.get("/register/schema/v1.json")).json()
    document = (await client.get("/register.json")).json()
    document["entries"][0]["status"] = "almost-done"
    del document["entries"][1]["title"]
    messages = [e.message for e in Draft202012Validator(schema).iter_errors(document)]
    assert any("almost-done" in m for m in messages) and any("'title' is a required property" in m for m in messages)


async def test_the_schema_address_is_never_an_entry_address(new_entry):
    entry = await new_entry(title="Schema ...!!!", summary="Een project dat zo heet.")
    assert entry.slug != "schema"


# -- DCAT catalogue ------------------------------------------------------------


def _offline_loader(url, options=None):
    raise AssertionError(f"the catalogue made JSON-LD fetch {url}")


async def test_the_catalogue_is_json_ld_with_the_dcat_terms(client, fixture_entries):
    response = await client.get("/catalog.jsonld")
    assert response.headers["content-type"].startswith("application/ld+json")
    document = response.json()
    expanded = jsonld.expand(document, {"documentLoader": _offline_loader})
    nodes = jsonld.flatten(expanded, None, {"documentLoader": _offline_loader})
    DCAT, DCT = "http://www.w3.org/ns/dcat#", "http://purl.org/dc/terms/"

    def of_type(kind):
        return [n for n in nodes if DCAT + kind in n.get("@type", [])]

    def ids(node, prop):
        return [v["@id"] for v in node.get(prop, [])]

    (catalog,) = of_type("Catalog")
    datasets, distributions = of_type("Dataset"), of_type("Distribution")
    assert len(datasets) == 2 and len(distributions) == 5
    assert {d["@id"] for d in datasets} == set(ids(catalog, DCAT + "dataset"))
    assert ids(catalog, DCT + "publisher") == ["https://identifier.overheid.nl/tooi/id/gemeente/gm0637"]
    downloads = {url for d in distributions for url in ids(d, DCAT + "downloadURL")}
    assert downloads == {
        "http://127.0.0.1:8000" + path
        for path in (
            "/register.json",
            "/register.csv",
            "/register/feed.atom",
            "/register/algorithms.json",
            "/register/algorithms.csv",
        )
    }
    for node in datasets + distributions:
        assert ids(node, DCT + "license") == ["https://creativecommons.org/publicdomain/zero/1.0/"]
    for dataset in datasets:
        assert ids(dataset, DCAT + "theme") == [
            "http://publications.europa.eu/resource/authority/data-theme/GOVE",
            "http://publications.europa.eu/resource/authority/data-theme/TECH",
        ]
        assert dataset[DCAT + "contactPoint"]
        assert dataset[DCT + "modified"][0]["@type"] == "http://www.w3.org/2001/XMLSchema#dateTime"
        assert dataset[DCT + "title"] and ids(dataset, DCAT + "landingPage") == ["http://127.0.0.1:8000/register"]
    contact = next(n for n in nodes if "http://www.w3.org/2006/vcard/ns#hasEmail" in n)
    assert ids(contact, "http://www.w3.org/2006/vcard/ns#hasEmail") == ["mailto:opendata@zoetermeer.nl"]
    json_distribution = next(
        d for d in distributions if ids(d, DCAT + "downloadURL") == ["http://127.0.0.1:8000/register.json"]
    )
    assert ids(json_distribution, DCT + "conformsTo") == ["http://127.0.0.1:8000/register/schema/v1.json"]
    # The modified date is the register's, drafts left out.
    published = (
        await RegisterEntry.select(RegisterEntry.updated_at)
        .where(RegisterEntry.draft.eq(False))
        .order_by(RegisterEntry.updated_at, ascending=False)
        .first()
    )
    register = next(d for d in document["dataset"] if d["@id"].endswith("/register#dataset"))
    assert register["modified"][:19] == published["updated_at"].astimezone(UTC).isoformat()[:19]


# -- algorithm register ----------------------------------------------------------

# The fields the Algorithmic Transparency Standard asks of every algorithm (the list).
STANDARD_FIELDS = (
    "name",
    "organisation",
    "department",
    "description",
    "status",
    "decision_making_process",
    "domain",
    "goal",
    "impact",
    "risks",
    "risk_category",
    "proportionality",
    "lawful_basis",
    "source_data",
    "human_intervention",
    "contact",
    "publication_date",
    "revision_date",
)


async def test_the_algorithm_register_has_every_field_of_the_standard(client, fixture_entries):
    document = (await client.get("/register/algorithms.json")).json()
    by_id = {a["id"]: a for a in document["algorithms"]}
    # Algorithm used or sensors listed; never drafts, never declined projects, never entries with neither.
    assert set(by_id) == {fixture_entries["full"].slug, fixture_entries["sensors_only"].slug}
    record = by_id[fixture_entries["full"].slug]
    for name in STANDARD_FIELDS:
        assert record[name] not in (None, "", {}, []), name
    assert record["name"] == "Fietstelling bij het station" and record["organisation"] == "Gemeente Zoetermeer"
    assert record["department"] == "Openbare ruimte" and record["domain"] == "Energie"
    assert record["status"] == "operational" and record["register_status"] == "running"
    assert record["goal"] == PRIVACY["data_purpose"] and record["lawful_basis"] == PRIVACY["legal_basis"]
    assert record["source_data"] == PRIVACY["data_description"]
    assert record["decision_making_process"] == TRANSPARENCY["decision_making"]
    assert record["human_intervention"] == TRANSPARENCY["human_intervention"] and record["risk_category"] == "limited"
    assert record["contact"] == {"email": "team@example.org", "department": "Openbare ruimte"}
    assert (
        record["dpia"] == {"status": "done", "url": PRIVACY["dpia_url"]}
        and record["iama_url"] == TRANSPARENCY["iama_url"]
    )
    assert record["publication_date"] <= record["revision_date"] and len(record["publication_date"]) == 10
    assert record["sensors"] == [
        {
            "type": "telcamera",
            "measures": "fietsen",
            "mobility": "fixed",
            "location": "Stationsplein",
            "latitude": 52.05,
            "longitude": 4.48,
        },
        {
            "type": "luchtsensor",
            "measures": "fijnstof",
            "mobility": "mobile",
            "location": "Op de veegwagen",
            "latitude": None,
            "longitude": None,
        },
    ]
    assert set(record) == set(algorithms.FIELDS)
    assert by_id[fixture_entries["sensors_only"].slug]["sensors"][0]["mobility"] == "unknown"
    rows = list(csv.DictReader(io.StringIO((await client.get("/register/algorithms.csv")).text)))
    assert [r["id"] for r in rows] == sorted(by_id) and "telcamera: fietsen (fixed), Stationsplein" in rows[0][
        "sensors"
    ] + rows[1]["sensors"]


@pytest.mark.parametrize(
    ("status", "origin", "decision", "expected"),
    [
        ("received", "idea", None, "planned"),
        ("under_assessment", "city", None, "planned"),
        ("planned", "city", None, "design"),
        ("running", "pilot", None, "pilot"),
        ("running", "city", None, "operational"),
        ("completed", "city", "scale_up", "operational"),
        ("completed", "city", "stop", "retired"),
        ("stopped", "city", "stop", "retired"),
        ("declined", "city", None, None),
    ],
)
def test_register_statuses_map_to_the_standards_statuses(status, origin, decision, expected):
    assert algorithms.standard_status(status, origin, decision) == expected
    assert expected is None or expected in algorithms.STATUSES


# -- change feed -------------------------------------------------------------------


async def test_the_change_feed_is_valid_atom_with_the_changes_and_no_drafts(client, fixture_entries):
    response = await client.get("/register/feed.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    titles = [e.title for e in feed.entries]
    assert "Status van Samen ontwerpen met bewoners: In beoordeling" in titles
    assert "Nieuw in het register: Fietstelling bij het station" in titles
    assert not any("conceptproject" in t for t in titles) and "conceptproject" not in response.text
    note = next(e for e in feed.entries if e.title.startswith("Status van Samen ontwerpen met bewoners"))
    assert note.summary == "We zijn met de bewoners in gesprek."
    assert note.link == f"http://127.0.0.1:8000/register/{fixture_entries['plain'].slug}"
    assert len({e.id for e in feed.entries}) == len(feed.entries)
    english = feedparser.parse((await client.get("/register/feed.atom?lang=en")).content)
    assert "New in the register: Fietstelling bij het station" in [e.title for e in english.entries]


# -- the entry form's algorithm-register fields ------------------------------------


async def test_an_editor_records_the_algorithm_fields_through_the_form(client, editor, fixture_entries):
    await sign_in(client, editor.email)
    slug = fixture_entries["plain"].slug
    form = await open_form(client, f"/register/{slug}/edit", action=f"/register/{slug}/edit")
    form.fill(**TRANSPARENCY)
    response = await form.submit(client)
    assert response.status_code in (302, 303), response.text[:1000]
    view = await services.get_entry(slug)
    assert {name: view[name] for name in TRANSPARENCY} == TRANSPARENCY
    page = await client.get(f"/register/{slug}")
    assert "Menselijke tussenkomst" in page.text and TRANSPARENCY["human_intervention"] in page.text
    assert "Beperkt risico" in page.text

    form = await open_form(client, f"/register/{slug}/edit", action=f"/register/{slug}/edit")
    form.fill(iama_url="ftp://example.org/iama")
    response = await form.submit(client)
    assert response.status_code == 422 and "https://" in response.text
    assert (await services.get_entry(slug))["iama_url"] == TRANSPARENCY["iama_url"]


async def test_the_api_reads_and_writes_the_algorithm_fields(client, settings, editor, fixture_entries):
    from tests.helpers import api_token

    headers = await api_token(client, editor.email)
    slug = fixture_entries["plain"].slug
    response = await client.patch(f"/api/v1/register/{slug}", json={"risk_category": "high"}, headers=headers)
    assert response.status_code == 200, response.text
    assert (await client.get(f"/api/v1/register/{slug}")).json()["risk_category"] == "high"
    response = await client.patch(f"/api/v1/register/{slug}", json={"risk_category": "enormous"}, headers=headers)
    assert response.status_code == 422


async def test_building_the_feed_leaves_other_documents_namespaces_alone(settings):
    """The feed's Atom default namespace is its own: the statistics' SVG charts keep theirs."""
    import xml.etree.ElementTree as ET

    from participation.register.feed import build_feed

    svg = ET.Element("{http://www.w3.org/2000/svg}svg")
    before = ET.tostring(svg, encoding="unicode")
    build_feed(settings, [])
    assert ET.tostring(svg, encoding="unicode") == before == '<svg xmlns="http://www.w3.org/2000/svg" />'
