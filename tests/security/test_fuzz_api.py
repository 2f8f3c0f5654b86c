"""Schemathesis against the app's own OpenAPI, in-process over ASGI, with a member's token.

Every operation in the served schema gets valid and invalid requests (hypothesis, derandomized: the
same cases every run), bounded per operation so both databases take about a minute. A response
fails the test when it is a 5xx, or when its status, content type, headers or body are not what the
schema documents. New API routes are covered as soon as they appear in the schema.

The app runs in the test's event loop (its lifespan opens the database pool there); hypothesis runs
in a worker thread and hands each request back to the loop.
"""

from __future__ import annotations

from typing import Any

import anyio
import anyio.from_thread
import anyio.to_thread
import httpx
import hypothesis
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ideas.tables import IdeaStatus
from participation.app import create_app
from participation.validation import MAX_ID
from tests.helpers import api_token, make_account
from tests.ideas.factories import make_idea

BASE_URL = "http://testserver.local"
EXAMPLES_PER_MODE = 8  # per operation, valid and invalid each: about 400 requests per database
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _httpx_arguments(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Schemathesis serialises a case for `requests`; the same request for httpx."""
    arguments = {k: kwargs[k] for k in ("method", "url", "params") if k in kwargs}
    # Generated header values may hold Latin-1 text, which HTTP allows; httpx would encode str values as ASCII.
    headers = kwargs.get("headers") or {}
    arguments["headers"] = {k: v.encode("latin-1") if isinstance(v, str) else v for k, v in headers.items()}
    if "json" in kwargs:
        arguments["json"] = kwargs["json"]
    elif isinstance(kwargs.get("data"), bytes | str):
        arguments["content"] = kwargs["data"]
    elif kwargs.get("data") is not None:
        arguments["data"] = kwargs["data"]
    if kwargs.get("files"):
        arguments["files"] = kwargs["files"]
    return arguments


def fuzz(schema, http: httpx.AsyncClient, token: dict[str, str]) -> tuple[list[str], int]:
    """Runs in a worker thread: every operation, valid then invalid cases. Returns the failures and the count."""
    failures: list[str] = []
    sent = 0

    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @hypothesis.settings(
                max_examples=EXAMPLES_PER_MODE,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate],  # no shrinking: the first failing case is reported
                suppress_health_check=list(HealthCheck),
            )
            @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
            def check(case) -> None:
                nonlocal sent
                kwargs = case.as_transport_kwargs(base_url=BASE_URL, headers=token)
                response = anyio.from_thread.run(lambda: http.request(**_httpx_arguments(kwargs)))
                sent += 1
                case.validate_response(response, checks=CHECKS, headers=kwargs["headers"])

            try:
                check()
            except hypothesis.errors.Unsatisfiable:
                pass  # nothing in the operation can be made invalid (no parameters, or only a free-text path)
            except Exception as exc:  # noqa: BLE001 - every operation is fuzzed; failures are reported together
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    return failures, sent


async def test_api_answers_every_generated_request_as_documented(settings):
    member = await make_account(settings, email="member@example.org", name="Member")
    await make_idea(member, status=IdeaStatus.published.value)
    app = create_app(settings)
    async with app.lifespan(), httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url=BASE_URL) as http:
        token = await api_token(http, "member@example.org")
        document = (await http.get("/api/v1/schema/openapi.json")).json()
        schema = schemathesis.openapi.from_dict(document)
        failures, sent = await anyio.to_thread.run_sync(fuzz, schema, http, token)
    assert len(document["paths"]) > 15 and sent > 250, (len(document["paths"]), sent)
    assert not failures, "\n\n".join(failures)


async def test_schema_documents_every_api_error_as_problem_details(client):
    document = (await client.get("/api/v1/schema/openapi.json")).json()
    assert set(document["components"]["schemas"]["ProblemDetails"]["required"]) == {"type", "status", "title", "detail"}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            errors = {int(status) for status in responses if int(status) >= 400}
            where = f"{method.upper()} {path}: {sorted(errors)}"
            assert {400, 401} <= errors, where
            if "{" in path:
                assert 404 in errors, where
            if method in ("post", "put", "patch", "delete"):
                assert 409 in errors, where
            for status in errors:
                content = responses[str(status)]["content"]
                assert list(content) == ["application/problem+json"], where
                assert content["application/problem+json"]["schema"]["$ref"].endswith("/ProblemDetails"), where
    submit = document["paths"]["/api/v1/ideas"]["post"]["responses"]
    assert {"403", "413", "422", "429"} <= set(submit)
    assert "410" in document["paths"]["/api/v1/ideas/{idea_id}"]["get"]["responses"], "a hidden idea is gone"
    page = next(p for p in document["paths"]["/api/v1/ideas"]["get"]["parameters"] if p["name"] == "page")
    assert page["schema"]["maximum"] == MAX_ID
