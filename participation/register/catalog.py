"""The data catalogue: `/catalog.jsonld`, DCAT-AP (2.x) in JSON-LD, with DCAT-AP-NL's choices.

National and regional portals (data.overheid.nl, data.europa.eu) harvest a catalogue like this
one to list the register's open data. It describes two datasets, the project register and the
algorithm register, and their distributions (JSON with its schema, CSV, the Atom change feed),
each with the licence, the publisher (the municipality; its TOOI identifier when the city
configuration names one under [open_data] publisher_uri, as DCAT-AP-NL asks), a contact point,
themes from the EU data-theme vocabulary, the language, the area and the modified date.

The @context is inline, so reading the catalogue never fetches a remote context; every address
is absolute (from BASE_URL).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.response import Response

from participation.register.open_data import OPEN_DATA, absolute, license_of, open_data_headers, publisher_name
from participation.register.schema import PATH as SCHEMA_PATH
from participation.register.tables import RegisterEntry
from participation.settings import Settings

EU = "http://publications.europa.eu/resource/authority"
IANA = "https://www.iana.org/assignments/media-types"
LANGUAGES = {"nl": f"{EU}/language/NLD", "en": f"{EU}/language/ENG"}
CONTEXT: dict[str, Any] = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "Catalog": "dcat:Catalog",
    "Dataset": "dcat:Dataset",
    "Distribution": "dcat:Distribution",
    "Agent": "foaf:Agent",
    "Organization": "vcard:Organization",
    "LicenseDocument": "dct:LicenseDocument",
    "title": {"@id": "dct:title", "@container": "@language"},
    "description": {"@id": "dct:description", "@container": "@language"},
    "keyword": {"@id": "dcat:keyword", "@container": "@language"},
    "identifier": "dct:identifier",
    "publisher": {"@id": "dct:publisher", "@type": "@id"},
    "license": {"@id": "dct:license", "@type": "@id"},
    "rights": "dct:rights",
    "issued": {"@id": "dct:issued", "@type": "xsd:dateTime"},
    "modified": {"@id": "dct:modified", "@type": "xsd:dateTime"},
    "language": {"@id": "dct:language", "@type": "@id"},
    "spatial": {"@id": "dct:spatial", "@type": "@id"},
    "accessRights": {"@id": "dct:accessRights", "@type": "@id"},
    "accrualPeriodicity": {"@id": "dct:accrualPeriodicity", "@type": "@id"},
    "conformsTo": {"@id": "dct:conformsTo", "@type": "@id"},
    "format": {"@id": "dct:format", "@type": "@id"},
    "theme": {"@id": "dcat:theme", "@type": "@id"},
    "themeTaxonomy": {"@id": "dcat:themeTaxonomy", "@type": "@id"},
    "dataset": {"@id": "dcat:dataset", "@container": "@set"},
    "distribution": {"@id": "dcat:distribution", "@container": "@set"},
    "accessURL": {"@id": "dcat:accessURL", "@type": "@id"},
    "downloadURL": {"@id": "dcat:downloadURL", "@type": "@id"},
    "mediaType": {"@id": "dcat:mediaType", "@type": "@id"},
    "landingPage": {"@id": "dcat:landingPage", "@type": "@id"},
    "contactPoint": {"@id": "dcat:contactPoint"},
    "homepage": {"@id": "foaf:homepage", "@type": "@id"},
    "name": {"@id": "foaf:name", "@container": "@language"},
    "fn": "vcard:fn",
    "hasEmail": {"@id": "vcard:hasEmail", "@type": "@id"},
}
THEMES = (f"{EU}/data-theme/GOVE", f"{EU}/data-theme/TECH")


async def register_dates() -> tuple[datetime | None, datetime | None]:
    """First publication and last change of the published register (drafts left out)."""
    row = (
        await RegisterEntry.select(RegisterEntry.created_at, RegisterEntry.updated_at)
        .where(RegisterEntry.draft.eq(False))
        .order_by(RegisterEntry.updated_at, ascending=False)
        .first()
    )
    first = (
        await RegisterEntry.select(RegisterEntry.created_at)
        .where(RegisterEntry.draft.eq(False))
        .order_by(RegisterEntry.created_at)
        .first()
    )
    return (first["created_at"] if first else None), (row["updated_at"] if row else None)


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def _distribution(settings: Settings, path: str, title: tuple[str, str], media: str, file_type: str, **extra: Any):
    url = absolute(settings, path)
    return {
        "@id": url + "#distribution",
        "@type": "Distribution",
        "title": {"nl": title[0], "en": title[1]},
        "accessURL": url,
        "downloadURL": url,
        "mediaType": f"{IANA}/{media}",
        "format": f"{EU}/file-type/{file_type}",
        "license": license_of(settings)["url"],
        **extra,
    }


def build_catalog(settings: Settings, issued: datetime | None, modified: datetime | None) -> dict[str, Any]:
    city = settings.city
    config = city.open_data
    publisher = config.publisher_uri or absolute(settings, "/#publisher")
    spatial = config.publisher_uri
    contact: dict[str, Any] = {"@type": "Organization", "fn": publisher_name(settings)}
    if config.contact_email:
        contact["hasEmail"] = f"mailto:{config.contact_email}"
    else:
        contact["homepage"] = settings.base_url
    common = {
        "publisher": publisher,
        "contactPoint": contact,
        "license": license_of(settings)["url"],
        "theme": list(THEMES),
        "language": [LANGUAGES[city.default_locale]],
        "accessRights": f"{EU}/access-right/PUBLIC",
        "accrualPeriodicity": f"{EU}/frequency/UPDATE_CONT",
        "issued": _iso(issued),
        "modified": _iso(modified),
        **({"spatial": spatial} if spatial else {}),
    }
    register = {
        "@id": absolute(settings, "/register#dataset"),
        "@type": "Dataset",
        "identifier": absolute(settings, "/register#dataset"),
        "title": {
            "nl": f"Smart City projectregister {city.name}",
            "en": f"Smart City project register of {city.name}",
        },
        "description": {
            "nl": f"De Smart City-projecten van de gemeente {city.name}: status, partners, budget, data en privacy, "
            "algoritmen en geleerde lessen.",
            "en": f"The Smart City projects of the municipality of {city.name}: status, partners, budget, data "
            "and privacy, algorithms and lessons learned.",
        },
        "keyword": {"nl": ["smart city", "projecten", "innovatie", "privacy"], "en": ["smart city", "projects"]},
        "landingPage": absolute(settings, "/register"),
        "conformsTo": absolute(settings, SCHEMA_PATH),
        **common,
        "distribution": [
            _distribution(
                settings,
                "/register.json",
                ("Projectregister (JSON)", "Project register (JSON)"),
                "application/json",
                "JSON",
                conformsTo=absolute(settings, SCHEMA_PATH),
            ),
            _distribution(
                settings, "/register.csv", ("Projectregister (CSV)", "Project register (CSV)"), "text/csv", "CSV"
            ),
            _distribution(
                settings,
                "/register/feed.atom",
                ("Wijzigingen (Atom-feed)", "Changes (Atom feed)"),
                "application/atom+xml",
                "ATOM",
            ),
        ],
    }
    algorithms = {
        "@id": absolute(settings, "/register/algorithms#dataset"),
        "@type": "Dataset",
        "identifier": absolute(settings, "/register/algorithms#dataset"),
        "title": {
            "nl": f"Algoritmen en sensoren in Smart City-projecten van {city.name}",
            "en": f"Algorithms and sensors in the Smart City projects of {city.name}",
        },
        "description": {
            "nl": "De projecten die een algoritme of sensoren gebruiken, in de velden van de standaard voor het "
            "algoritmeregister.",
            "en": "The projects that use an algorithm or sensors, in the fields of the Algorithmic Transparency "
            "Standard.",
        },
        "keyword": {"nl": ["algoritmeregister", "sensoren"], "en": ["algorithm register", "sensors"]},
        "landingPage": absolute(settings, "/register"),
        **common,
        "distribution": [
            _distribution(
                settings,
                "/register/algorithms.json",
                ("Algoritmeregister (JSON)", "Algorithm register (JSON)"),
                "application/json",
                "JSON",
            ),
            _distribution(
                settings,
                "/register/algorithms.csv",
                ("Algoritmeregister (CSV)", "Algorithm register (CSV)"),
                "text/csv",
                "CSV",
            ),
        ],
    }
    return {
        "@context": CONTEXT,
        "@id": absolute(settings, "/catalog.jsonld"),
        "@type": "Catalog",
        "title": {"nl": f"Open data van {city.name}: Smart City", "en": f"Open data of {city.name}: Smart City"},
        "description": {
            "nl": f"Open data over de Smart City-projecten van de gemeente {city.name}.",
            "en": f"Open data about the Smart City projects of the municipality of {city.name}.",
        },
        "homepage": settings.base_url,
        "publisher": {"@id": publisher, "@type": "Agent", "name": {city.default_locale: publisher_name(settings)}},
        "license": {
            "@id": license_of(settings)["url"],
            "@type": "LicenseDocument",
            "title": {"en": config.license_name},
        },
        "language": [LANGUAGES[city.default_locale]],
        "themeTaxonomy": f"{EU}/data-theme",
        "issued": _iso(issued),
        "modified": _iso(modified),
        "dataset": [register, algorithms],
    }


class DataCatalog(Controller):
    include_in_schema = False

    @get("/catalog.jsonld", name="data_catalog", opt=OPEN_DATA)
    async def catalog(self, settings: NamedDependency[Settings]) -> Response:
        issued, modified = await register_dates()
        return Response(
            build_catalog(settings, issued, modified),
            media_type="application/ld+json",
            headers={**open_data_headers(settings), "Cache-Control": "no-cache"},
        )
