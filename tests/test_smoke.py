from tests.helpers import make_account, sign_in


async def test_home_page_in_dutch_by_default(client):
    response = await client.get("/")
    assert response.status_code == 200
    assert '<html lang="nl"' in response.text
    assert "Zoetermeer" in response.text


async def test_sign_in_shows_account(client, settings):
    await make_account(settings, email="anna@example.org", name="Anna")
    await sign_in(client, "anna@example.org")
    page = await client.get("/account")
    assert page.status_code == 200
    assert "anna@example.org" in page.text
