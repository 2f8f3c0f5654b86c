"""Finding the point of an address (postcode + house number): the no-JavaScript way to pick a place.

Two implementations of one small interface, chosen by the GEOCODER setting:
- `PdokGeocoder`: the Dutch national PDOK Locatieserver (free search, type "adres"), URL configurable;
- `LocalGeocoder`: a small list of addresses bundled with the city configuration (tests and the demo:
  nothing leaves the machine).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import httpx

from participation.i18n import N_
from participation.validation import Errors, FormErrors, clean_text

POSTCODE_RE = re.compile(r"^([1-9][0-9]{3}) ?([A-Za-z]{2})$")
# 12, 12a, 12 A, 12-2, 12/bis: a letter may follow at once, anything else after a separator.
HOUSE_NUMBER_RE = re.compile(r"^([1-9][0-9]{0,4})(?:([A-Za-z]{1,4})|\s*[-/ ]\s*([A-Za-z0-9]{1,4}))?$")
# The Locatieserver answers in well under a second; a person waits for this at most.
TIMEOUT_S = 5.0


class GeocoderUnavailable(Exception):
    """The geocoder could not be asked (network, timeout, an answer that is not its format)."""


@dataclass(frozen=True)
class AddressQuery:
    postcode: str  # "2711EC"
    number: int
    addition: str  # "" or e.g. "A", "2" (upper case)

    @property
    def house_number(self) -> str:
        """As addresses are written: 12A, and 12-2 (a digit addition needs its hyphen)."""
        joint = "-" if self.addition[:1].isdigit() else ""
        return f"{self.number}{joint}{self.addition}"


@dataclass(frozen=True)
class Address:
    label: str  # "Stadhuisplein 1, 2711EC Zoetermeer"
    latitude: float
    longitude: float


class Geocoder(Protocol):
    async def find(self, query: AddressQuery) -> Address | None: ...


def parse_address(postcode: object, house_number: object) -> AddressQuery:
    """The query, or FormErrors naming the field to correct."""
    errors = Errors()
    code = POSTCODE_RE.match(clean_text(postcode))
    number = HOUSE_NUMBER_RE.match(clean_text(house_number))
    if not code:
        errors.add("postcode", N_("Enter a postcode such as 2711 EC."))
    if not number:
        errors.add("house_number", N_("Enter a house number such as 1 or 12a."))
    errors.raise_if_any()
    assert code and number
    addition = (number.group(2) or number.group(3) or "").upper()
    return AddressQuery(
        postcode=(code.group(1) + code.group(2)).upper(), number=int(number.group(1)), addition=addition
    )


def find_error() -> FormErrors:
    return FormErrors({"postcode": N_("No address was found for this postcode and house number.")})


class LocalGeocoder:
    """Addresses from a CSV file (postcode, house_number, street, place, latitude, longitude)."""

    def __init__(self, path: Path) -> None:
        self.addresses: dict[tuple[str, str], Address] = {}
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(line for line in handle if not line.startswith("#")):
                postcode = row["postcode"].replace(" ", "").upper()
                number = row["house_number"].strip().upper()
                label = f"{row['street']} {number}, {postcode} {row['place']}"
                self.addresses[(postcode, number)] = Address(label, float(row["latitude"]), float(row["longitude"]))

    async def find(self, query: AddressQuery) -> Address | None:
        return self.addresses.get((query.postcode, query.house_number))


_POINT_RE = re.compile(r"POINT\(\s*(-?[0-9.]+)\s+(-?[0-9.]+)\s*\)")


class PdokGeocoder:
    """The PDOK Locatieserver's free search (https://api.pdok.nl/bzk/locatieserver/search/v3_1/free)."""

    def __init__(self, url: str, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.url, self.transport = url, transport

    async def find(self, query: AddressQuery) -> Address | None:
        params = [
            ("q", f"{query.postcode} {query.house_number}"),
            ("fq", "type:adres"),
            ("fq", f"postcode:{query.postcode}"),
            ("fq", f"huisnummer:{query.number}"),
            ("fl", "weergavenaam,centroide_ll,huis_nlt,postcode,huisnummer"),
            ("rows", "10"),
        ]
        try:
            async with httpx.AsyncClient(timeout=TIMEOUT_S, transport=self.transport) as client:
                response = await client.get(self.url, params=params, headers={"Accept": "application/json"})
                response.raise_for_status()
                docs = response.json()["response"]["docs"]
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            raise GeocoderUnavailable(str(exc)) from exc
        return _pick(docs, query)


def _pick(docs: object, query: AddressQuery) -> Address | None:
    """The document of exactly this address (with its letter or addition when one was asked)."""
    if not isinstance(docs, list):
        raise GeocoderUnavailable("docs is not a list")
    wanted = query.house_number.upper().replace("-", "")
    for doc in docs:
        if not isinstance(doc, dict):
            continue
        if str(doc.get("postcode", "")).upper() != query.postcode:
            continue
        if str(doc.get("huis_nlt") or doc.get("huisnummer") or "").upper().replace("-", "") != wanted:
            continue
        point = _POINT_RE.match(str(doc.get("centroide_ll") or ""))
        if point:
            return Address(str(doc.get("weergavenaam") or ""), float(point.group(2)), float(point.group(1)))
    return None
