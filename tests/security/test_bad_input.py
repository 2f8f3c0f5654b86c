"""Hand-made bad input against every route of the app's route table, on both databases.

Whatever arrives (ids beyond the database's integer range, NUL bytes, invalid UTF-8,
overlong text, wrong JSON types, wrong content types, OPTIONS), the answer is never a
500: it is a 4xx page for people or problem details on the API.
"""

from __future__ import annotations

import re

import pytest

from participation.accounts.tables import Role
from participation.app import create_app
from participation.validation import MAX_ID
from tests.helpers import api_token, csrf_from, make_account, sign_in

PROBLEM_JSON = "application/problem+json"
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
OUT_OF_RANGE_IDS = [str(MAX_ID + 1), str(2**63), str(2**64 + 1), "-1", "99999999999999999999999999"]
PARAMETER = re.compile(r"\{(\w+):(\w+)\}")


def route_table(settings) -> list[tuple[str, list[str], dict[str, type]]]:
    """(path template, methods, path parameter types) of every HTTP route the app serves."""
    app = create_app(settings)
    table = []
    for route in app.routes:
        methods = sorted(getattr(route, "methods", ()))
        if methods and not route.path.startswith("/static/"):
            table.append((route.path, methods, {name: p.type for name, p in route.path_parameters.items()}))
    return table


def fill(path: str, value_for_int: str, value_for_str: str = "x") -> str:
    return PARAMETER.sub(lambda m: value_for_int if m.group(2) == "int" else value_for_str, path)


def assert_well_formed_refusal(response, url: str) -> None:
    """A 4xx (or a redirect to sign-in) in the shape the caller understands, never a 500."""
    where = f"{response.request.method} {url} -> {response.status_code}"
    assert response.status_code < 500, where
    if url.startswith("/api/v1/schema/") and response.status_code == 404:
        return  # Litestar's schema router answers an unknown schema file with its own small 404 page
    if url.startswith("/api/") and response.status_code >= 400:
        assert response.headers["content-type"].startswith(PROBLEM_JSON), where
        body = response.json()
        assert body["status"] == response.status_code and body["detail"], where
    elif response.status_code >= 400 and response.request.method != "HEAD":
        assert response.headers["content-type"].startswith("text/html"), where
        assert '<html lang="' in response.text, where


@pytest.fixture
async def admin(client, settings):
    """An admin passes every guard, so bad input reaches each handler rather than stopping at sign-in."""
    await make_account(settings, email="admin@example.org", name="Admin", role=Role.admin)
    await sign_in(client, "admin@example.org")
    return {"csrf": csrf_from((await client.get("/account")).text), **await api_token(client, "admin@example.org")}


async def send(client, method: str, url: str, admin: dict, **kwargs):
    headers = kwargs.pop("headers", {})
    if url.startswith("/api/"):
        headers.setdefault("Authorization", admin["Authorization"])
    elif method in WRITE_METHODS:
        headers.setdefault("x-csrftoken", admin["csrf"])
    return await client.request(method, url, headers=headers, **kwargs)


async def test_out_of_range_ids_in_paths_are_not_found(client, settings, admin):
    checked = 0
    for path, methods, parameters in route_table(settings):
        if int not in parameters.values():
            continue
        for method in methods:
            if method in ("OPTIONS", "HEAD"):
                continue
            for value in OUT_OF_RANGE_IDS:
                url = fill(path, value, "idea")
                response = await send(client, method, url, admin, **({"json": {}} if method in WRITE_METHODS else {}))
                assert_well_formed_refusal(response, url)
                assert response.status_code == 404, f"{method} {url} -> {response.status_code}"
                checked += 1
    assert checked > 100, "the route table has routes with an id in the path"


async def test_options_on_every_route_is_answered(client, settings, admin):
    for signed_in in (True, False):
        for path, methods, _ in route_table(settings):
            url = fill(path, "1", "x")
            token = {"Authorization": admin["Authorization"]} if signed_in and url.startswith("/api/") else {}
            response = await client.options(url, headers=token)
            assert response.status_code in (200, 204, 405), f"OPTIONS {url} -> {response.status_code}"
            if response.status_code != 405:
                allowed = {m.strip() for m in response.headers["allow"].split(",")}
                assert set(methods) - {"OPTIONS"} <= allowed, f"OPTIONS {url}: {allowed}"
        await client.post("/logout", headers={"x-csrftoken": admin["csrf"]})


NUL_AND_BAD_UTF8 = ["%00", "a%00b", "%FF", "%C3%28", "%ED%A0%80"]  # NUL, lone/invalid bytes, an encoded surrogate


async def test_nul_and_invalid_utf8_in_paths_and_query_strings_are_bad_requests(client, settings, admin):
    checked = 0
    for path, methods, parameters in route_table(settings):
        if "GET" not in methods:
            continue
        for bad in NUL_AND_BAD_UTF8:
            urls = [f"{fill(path, '1', 'x')}?q={bad}&page=1"]
            if str in parameters.values():
                urls.append(fill(path, "1", bad))
            for url in urls:
                response = await send(client, "GET", url, admin)
                assert_well_formed_refusal(response, url)
                assert response.status_code == 400, f"GET {url} -> {response.status_code}"
                checked += 1
    assert checked > 200
    page = await client.get("/ideas?q=a%00b")
    assert "Het verzoek bevat een NUL-teken of tekst die geen geldige UTF-8 is." in page.text
    english = await client.get("/ideas?q=a%00b&lang=en")
    assert "The request contains a NUL character or text that is not valid UTF-8." in english.text
    api = await send(client, "GET", "/api/v1/ideas?q=x%00y", admin)
    assert api.json()["detail"] == "The request contains a NUL character or text that is not valid UTF-8."


async def test_nul_and_invalid_utf8_in_form_and_json_bodies_are_bad_requests(client, settings, admin):
    checked = 0
    for path, methods, _ in route_table(settings):
        url = fill(path, "1", "x")
        for method in set(methods) & set(WRITE_METHODS):
            if url.startswith("/api/"):
                bodies = [
                    (b'{"title": "a\\u0000b", "body": "x", "reason": "x", "email": "a\\u0000@example.org"}', "json"),
                    (b'{"title": "\xff\xfe", "body": "\xc3\x28"}', "json"),
                ]
            else:
                bodies = [(f"_csrf_token={admin['csrf']}&title=a%00b&body=x&email=a%00b".encode(), "form")]
                bodies.append((f"_csrf_token={admin['csrf']}&title=%FF&body=%C3%28".encode(), "form"))
            for body, kind in bodies:
                content_type = "application/json" if kind == "json" else "application/x-www-form-urlencoded"
                response = await send(client, method, url, admin, content=body, headers={"content-type": content_type})
                assert_well_formed_refusal(response, url)
                assert response.status_code == 400, f"{method} {url} {body!r} -> {response.status_code}"
                checked += 1
    assert checked > 50


async def test_an_escaped_backslash_before_u0000_is_ordinary_text(client, settings, admin):
    """`\\\\u0000` in JSON is a backslash and the text "u0000", not a NUL: it is accepted."""
    response = await send(
        client,
        "POST",
        "/api/v1/reports",
        admin,
        content=b'{"target_type": "idea", "target_id": 1, "reason": "\\\\u0000"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code != 400 or "NUL" not in response.json()["detail"], response.text


HUGE_NUMBERS = [str(MAX_ID + 1), str(2**64 + 1), "-9223372036854775809", "1e400"]


def int_query_parameters(settings) -> dict[str, set[str]]:
    """Path template -> names of the whole-number parameters its handlers read from the query string."""
    found: dict[str, set[str]] = {}
    for route in create_app(settings).routes:
        for handler in getattr(route, "route_handlers", ()):
            for name, field in handler.parsed_fn_signature.parameters.items():
                if name not in route.path_parameters and field.is_subclass_of(int):
                    found.setdefault(route.path, set()).add(name)
    return found


async def test_huge_numbers_in_query_strings_are_refused_not_crashed(client, settings, admin):
    declared = int_query_parameters(settings)
    assert {"page", "per_page"} <= declared["/api/v1/ideas"]
    checked = 0
    for path, methods, _ in route_table(settings):
        if "GET" not in methods:
            continue
        names = {"page", "per_page", "idea", "parent", "target_id", "actor", *declared.get(path, ())}
        for number in HUGE_NUMBERS:
            url = f"{fill(path, '1', 'x')}?" + "&".join(f"{name}={number}" for name in sorted(names))
            response = await send(client, "GET", url, admin)
            assert_well_formed_refusal(response, url)
            checked += 1
    api = await send(client, "GET", f"/api/v1/ideas?page={2**63}", admin)
    assert api.status_code == 400 and "page" in api.text, api.text
    assert checked > 100


def json_cases() -> list[bytes | object]:
    huge = 2**63
    return [
        {},
        [],
        "text",
        None,
        {"title": 1, "summary": [], "body": {}, "reason": 5, "email": 7, "password": None},
        {"target_type": "idea", "target_id": huge, "reason": "spam"},
        {"target_type": "comment", "target_id": MAX_ID + 1, "reason": "spam"},
        {"body": "x", "parent_id": huge},
        {"body": "x", "parent_id": -1},
        {"title": "x" * 100_000, "summary": "x" * 100_000, "body": "x" * 200_000, "reason": "x" * 100_000},
        {"pilot_duration_weeks": huge, "kind": "pilot", "decision": "publish", "threshold": huge},
        {"email": "a@example.org", "password": "x" * 100_000},
        {"role": "admin", "status": "nonsense", "support_threshold": -huge},
    ]


async def test_wrong_json_bodies_are_refused_with_problem_details(client, settings, admin):
    import json

    checked = 0
    for path, methods, _ in route_table(settings):
        url = fill(path, "1", "x")
        if not url.startswith("/api/"):
            continue
        for method in set(methods) & set(WRITE_METHODS):
            for case in json_cases():
                response = await send(
                    client,
                    method,
                    url,
                    admin,
                    content=json.dumps(case).encode(),
                    headers={"content-type": "application/json"},
                )
                assert_well_formed_refusal(response, url)
                checked += 1
            for body, content_type in [
                (b"{", "application/json"),
                (b'{"title": "\\udc00", "body": "\\ud800"}', "application/json"),  # lone surrogates
                (b"title=x", "text/plain"),
                (b"", "application/json"),
            ]:
                response = await send(client, method, url, admin, content=body, headers={"content-type": content_type})
                assert_well_formed_refusal(response, url)
                checked += 1
    assert checked > 100


async def test_forms_with_missing_overlong_and_wrong_fields_never_crash(client, settings, admin):
    checked = 0
    for path, methods, _ in route_table(settings):
        url = fill(path, "1", "x")
        if url.startswith("/api/") or "POST" not in methods or url == "/logout":
            continue
        for fields in (
            {},
            {"title": "x" * 100_000, "body": "x" * 200_000, "email": "x" * 10_000, "reason": "x" * 50_000},
            {"parent_id": str(2**63), "idea": str(2**63), "target_id": "-1", "threshold": str(2**64), "page": "1e9"},
            {"kind": "nonsense", "role": "nonsense", "decision": "nonsense", "status": "nonsense", "scope": "x"},
            {"form_token": "1.x.\u00e9", "title": "Een titel", "body": "Tekst", "summary": "Kort"},
            {"form_token": f"{2**70}.x.y", "kind": "idea", "title": "Een titel", "body": "Tekst"},
        ):
            response = await send(client, "POST", url, admin, data={"_csrf_token": admin["csrf"], **fields})
            assert_well_formed_refusal(response, url)
            checked += 1
    assert checked > 50


MALFORMED_LINK_TOKENS = [
    "99999999999999999999.1.x",
    f"{2**63}.{2**63}.x",
    "-1.1.x",
    "1.99999999999999999999999.x",
    "a.b.c",
    "1.1",
    "",
    "1.1.x.y",
    "%00.1.x",
    "1_0.1.x",
    "1.1.%C3%A9",  # a MAC with non-ASCII text
    "%C2%B2.1.x",  # a superscript two: a digit to str.isdigit, not to int
]


async def test_malformed_signed_link_tokens_show_link_not_valid(client, settings):
    for path in ("/account/reset", "/account/verify"):
        for token in MALFORMED_LINK_TOKENS:
            url = f"{path}?token={token}"
            response = await client.get(url)
            assert_well_formed_refusal(response, url)
            if "%00" not in token:
                assert response.status_code == 400, f"{url} -> {response.status_code}"
                assert "Deze link is niet geldig of is al gebruikt." in response.text, url
    for token in MALFORMED_LINK_TOKENS:
        url = f"/unsubscribe/all?token={token}"
        assert_well_formed_refusal(await client.get(url), url)
    # The reset form posts the token back in its body.
    csrf = csrf_from((await client.get("/login")).text)
    for token in ("99999999999999999999.1.x", f"{2**63}.1.x", "1.1.\u00e9"):
        response = await client.post(
            "/account/reset", data={"_csrf_token": csrf, "token": token, "password": "a new long password 2026"}
        )
        assert response.status_code == 400 and "Deze link is niet geldig of is al gebruikt." in response.text, token
