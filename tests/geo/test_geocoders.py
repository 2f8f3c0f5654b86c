"""The geocoders: the PDOK Locatieserver client against a local server answering in PDOK's format,
and the local list the tests and the demo use."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from participation.geo.geocoder import (
    AddressQuery,
    GeocoderUnavailable,
    LocalGeocoder,
    PdokGeocoder,
    parse_address,
)
from participation.settings import DEFAULT_CITY_CONFIG
from participation.validation import FormErrors

pytestmark = pytest.mark.anyio

# Two documents as the Locatieserver's free search returns them (v3_1, type adres), trimmed to what
# the client asks for with `fl`.
STADHUIS = {
    "type": "adres",
    "weergavenaam": "Stadhuisplein 1, 2711EC Zoetermeer",
    "centroide_ll": "POINT(4.49428123 52.06012345)",
    "postcode": "2711EC",
    "huisnummer": 1,
    "huis_nlt": "1",
    "id": "adr-0000000000000001",
    "score": 17.2,
}
WITH_LETTER = {
    **STADHUIS,
    "weergavenaam": "Stadhuisplein 1A, 2711EC Zoetermeer",
    "centroide_ll": "POINT(4.4950 52.0605)",
    "huis_nlt": "1A",
}


class FakeLocatieserver(BaseHTTPRequestHandler):
    """Answers /free like PDOK: {"response": {"numFound", "start", "maxScore", "docs"}} filtered by the fq's."""

    requests: list[dict[str, list[str]]] = []
    mode = "ok"

    def do_GET(self) -> None:  # noqa: N802 (the handler API)
        url = urlsplit(self.path)
        params = parse_qs(url.query)
        type(self).requests.append(params)
        if url.path != "/bzk/locatieserver/search/v3_1/free" or self.mode == "error":
            self.send_response(503)
            self.end_headers()
            return
        if self.mode == "garbage":
            body = b"<html>maintenance</html>"
        else:
            docs = [STADHUIS, WITH_LETTER]
            for fq in params.get("fq", []):
                field, _, value = fq.partition(":")
                if field != "type":
                    docs = [d for d in docs if str(d.get(field)) == value]
            body = json.dumps(
                {"response": {"numFound": len(docs), "start": 0, "maxScore": 17.2, "docs": docs}}
            ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def locatieserver() -> Iterator[str]:
    FakeLocatieserver.requests = []
    FakeLocatieserver.mode = "ok"
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLocatieserver)  # a free port from the OS
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/bzk/locatieserver/search/v3_1/free"
    finally:
        server.shutdown()
        server.server_close()


async def test_pdok_finds_an_address_and_reads_its_point(locatieserver):
    found = await PdokGeocoder(locatieserver).find(parse_address("2711 ec", "1"))
    assert found is not None
    assert found.label == "Stadhuisplein 1, 2711EC Zoetermeer"
    # centroide_ll is WKT: POINT(longitude latitude).
    assert (found.latitude, found.longitude) == (52.06012345, 4.49428123)
    [asked] = FakeLocatieserver.requests
    assert set(asked["fq"]) == {"type:adres", "postcode:2711EC", "huisnummer:1"}
    assert "centroide_ll" in asked["fl"][0]


async def test_pdok_picks_the_house_letter_that_was_asked(locatieserver):
    found = await PdokGeocoder(locatieserver).find(parse_address("2711EC", "1a"))
    assert found is not None and found.label == "Stadhuisplein 1A, 2711EC Zoetermeer"
    assert await PdokGeocoder(locatieserver).find(parse_address("2711EC", "1b")) is None


async def test_pdok_without_a_match_finds_nothing(locatieserver):
    assert await PdokGeocoder(locatieserver).find(parse_address("9999ZZ", "1")) is None


@pytest.mark.parametrize("mode", ["error", "garbage"])
async def test_pdok_failing_is_reported_as_unavailable(locatieserver, mode):
    FakeLocatieserver.mode = mode
    with pytest.raises(GeocoderUnavailable):
        await PdokGeocoder(locatieserver).find(parse_address("2711EC", "1"))


async def test_pdok_unreachable_is_reported_as_unavailable(locatieserver):
    closed = locatieserver.replace("/bzk", "/nowhere")
    with pytest.raises(GeocoderUnavailable):
        await PdokGeocoder(closed).find(parse_address("2711EC", "1"))


async def test_the_local_list_finds_its_addresses():
    local = LocalGeocoder(Path(DEFAULT_CITY_CONFIG).parent / "zoetermeer-addresses.csv")
    found = await local.find(AddressQuery("2711EC", 1, ""))
    assert found is not None and found.label == "Stadhuisplein 1, 2711EC Zoetermeer"
    assert (await local.find(parse_address("2712 ad", "5 a"))).label == "Dorpsstraat 5A, 2712AD Zoetermeer"
    assert await local.find(AddressQuery("2711EC", 2, "")) is None


@pytest.mark.parametrize(
    ("postcode", "number", "fields"),
    [
        ("", "1", {"postcode"}),
        ("0711EC", "1", {"postcode"}),
        ("2711E", "1", {"postcode"}),
        ("2711EC", "", {"house_number"}),
        ("2711EC", "0", {"house_number"}),
        ("2711EC", "123456", {"house_number"}),
        ("x", "y", {"postcode", "house_number"}),
    ],
)
def test_an_address_query_names_the_field_to_correct(postcode, number, fields):
    with pytest.raises(FormErrors) as failure:
        parse_address(postcode, number)
    assert failure.value.errors.keys() == fields


def test_an_address_query_is_normalised():
    assert parse_address(" 2711 ec ", "12-b") == AddressQuery("2711EC", 12, "B")
    assert parse_address("2711EC", "12a").house_number == "12A"
    assert parse_address("2711EC", "12 - 2").house_number == "12-2"
