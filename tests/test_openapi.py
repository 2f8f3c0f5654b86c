"""The OpenAPI schema the app serves documents the JSON API and nothing else."""


async def test_schema_lists_the_api_and_no_html_pages(client):
    response = await client.get("/api/v1/schema/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for expected in (
        "/api/v1/auth/token",
        "/api/v1/me",
        "/api/v1/ideas",
        "/api/v1/ideas/{idea_id}",
        "/api/v1/ideas/{idea_id}/support",
        "/api/v1/register",
        "/api/v1/register/{slug}",
    ):
        assert expected in paths, expected
    assert {"put", "delete"} <= set(paths["/api/v1/ideas/{idea_id}/support"])
    assert [p for p in paths if not p.startswith("/api/v1/")] == []


async def test_schema_is_also_served_as_yaml(client):
    response = await client.get("/api/v1/schema/openapi.yaml")
    assert response.status_code == 200 and "openapi:" in response.text
