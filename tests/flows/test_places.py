"""Picking a place without JavaScript, through the rendered forms: the address search fills the point,
the place's text and the neighbourhood; the idea, pilot or entry is then submitted as usual."""

from __future__ import annotations

from ideas.tables import Idea
from participation.register.tables import RegisterEntry, RegisterSensor
from tests.forms import expect_status, follow, form_on, open_form, text_of
from tests.helpers import make_account
from tests.ideas.factories import make_idea

IDEA = {
    "title": "Slimme bankjes op het Stadhuisplein",
    "summary": "Bankjes met een laadpunt en een sensor die meet hoe druk het plein is.",
    "theme": "public-space",
    "scope": "narrow",
}


async def test_resident_finds_an_address_and_submits_the_idea_with_its_point(people, browser, clock):
    author = await browser("author@example.org")
    form = await open_form(author, "/ideas/new", action="/ideas/new")
    form.fill(IDEA, postcode="2711 ec", house_number="1")
    clock.advance(60)
    page = expect_status(await form.press("Adres zoeken").submit(author), 200)

    # The form comes back with the point, the address as the place's text and the neighbourhood it lies in.
    assert "Gevonden: Stadhuisplein 1, 2711EC Zoetermeer" in text_of(page, "[role=status]")
    again = form_on(page, action="/ideas/new")
    data = dict(again.data())
    assert (data["latitude"], data["longitude"]) == ("52.0601", "4.4942")
    assert data["location"] == "Stadhuisplein 1, 2711EC Zoetermeer"
    assert data["neighbourhood"] == "centrum"
    assert data["title"] == IDEA["title"]  # nothing typed is lost

    page = await follow(author, await again.press("Idee indienen").submit(author))
    idea = await Idea.objects().get(Idea.title == IDEA["title"])
    assert str(page.url).endswith(f"/ideas/{idea.id}")
    assert (idea.latitude, idea.longitude, idea.neighbourhood) == (52.0601, 4.4942, "centrum")
    # The idea's page gives the place as text (the small map is an enhancement on top of it).
    place = text_of(page, "#place-title + p")
    assert "Stadhuisplein 1, 2711EC Zoetermeer" in place and "52.06010, 4.49420" in place


async def test_enter_in_a_field_with_no_address_submits_the_idea(people, browser, clock):
    """The address button is the form's first: Enter presses it; with no address that is a plain submit."""
    author = await browser("author@example.org")
    form = await open_form(author, "/ideas/new", action="/ideas/new")
    form.fill(IDEA, neighbourhood="dorp")
    clock.advance(60)
    await follow(author, await form.submit(author))  # the first button, as Enter does
    idea = await Idea.objects().get(Idea.title == IDEA["title"])
    assert (idea.latitude, idea.longitude, idea.neighbourhood) == (None, None, "dorp")


async def test_an_unknown_address_is_named_on_the_postcode_field(people, browser, clock):
    author = await browser("author@example.org")
    form = await open_form(author, "/ideas/new", action="/ideas/new")
    form.fill(IDEA, postcode="2711EC", house_number="999")
    response = await form.press("Adres zoeken").submit(author)
    assert response.status_code == 422
    assert "Er is geen adres gevonden" in text_of(response, "#f-postcode-error")
    assert dict(form_on(response, action="/ideas/new").data())["latitude"] == ""
    assert await Idea.count() == 0

    form = form_on(response, action="/ideas/new")
    form.fill(postcode="27", house_number="een")
    response = await form.press("Adres zoeken").submit(author)
    assert response.status_code == 422
    assert "2711 EC" in text_of(response, "#f-postcode-error")
    assert text_of(response, "#f-house_number-error")


async def test_a_chosen_neighbourhood_is_kept_and_coordinates_can_be_typed(people, browser, clock):
    author = await browser("author@example.org")
    form = await open_form(author, "/ideas/new", action="/ideas/new")
    form.fill(IDEA, neighbourhood="whole-city", postcode="2712CA", house_number="38")
    page = expect_status(await form.press("Adres zoeken").submit(author), 200)
    again = form_on(page, action="/ideas/new")
    assert dict(again.data())["neighbourhood"] == "whole-city"
    # Typed coordinates outside the municipality are refused with the field named.
    again.fill(latitude="52.3676", longitude="4.9041")
    clock.advance(60)
    response = await again.press("Idee indienen").submit(author)
    assert response.status_code == 422
    assert "buiten de gemeente" in text_of(response, "#f-latitude-error")


async def test_author_moves_the_point_of_an_idea_being_edited(people, browser):
    idea = await make_idea(people["author"], status="needs_changes", latitude=52.0601, longitude=4.4942)
    author = await browser("author@example.org")
    form = await open_form(author, f"/ideas/{idea.id}/edit", action=f"/ideas/{idea.id}/edit")
    assert dict(form.data())["latitude"] == "52.0601"
    form.fill(postcode="2719AA", house_number="7")
    page = expect_status(await form.press("Adres zoeken").submit(author), 200)
    again = form_on(page, action=f"/ideas/{idea.id}/edit")
    await follow(author, await again.press("Wijzigingen opslaan").submit(author))
    stored = await Idea.objects().get(Idea.id == idea.id)
    assert (stored.latitude, stored.longitude) == (52.082, 4.51)
    # Clearing both fields removes the point.
    form = await open_form(author, f"/ideas/{idea.id}/edit", action=f"/ideas/{idea.id}/edit")
    form.fill(latitude="", longitude="")
    await follow(author, await form.press("Wijzigingen opslaan").submit(author))
    assert (await Idea.objects().get(Idea.id == idea.id)).latitude is None


async def test_organisation_places_a_pilot(settings, browser, clock):
    org = await make_account(
        settings, email="sam@lichtlab.example", name="Sam", organisation="LichtLab", kvk="12345678"
    )
    page_browser = await browser(org.email)
    form = await open_form(page_browser, "/ideas/new?kind=pilot", action="/ideas/new")
    form.fill(
        title="Pilot slimme lantaarnpalen in Oosterheem",
        summary="Lantaarnpalen die dimmen als er niemand op straat is.",
        theme="energy",
        scope="narrow",
        pilot_what="Lantaarnpalen met een bewegingssensor die het licht dimmen.",
        pilot_where="Drie straten in Oosterheem",
        pilot_duration_weeks="26",
        pilot_asks=["space"],
        pilot_personal_data="no",
        postcode="2723AA",
        house_number="40",
    )
    page = expect_status(await form.press("Adres zoeken").submit(page_browser), 200)
    clock.advance(120)
    await follow(
        page_browser, await form_on(page, action="/ideas/new").press("Pilotvoorstel indienen").submit(page_browser)
    )
    pilot = await Idea.objects().get(Idea.kind == "pilot")
    assert (pilot.latitude, pilot.longitude, pilot.neighbourhood) == (52.07, 4.54, "oosterheem")


async def test_editor_places_an_entry_and_lists_its_sensors(people, browser):
    editor = await browser("editor@example.org")
    form = await open_form(editor, "/register/new", action="/register/new")
    form.fill(
        title="Sensoren voor wateroverlast in Meerzicht",
        summary="Sensoren in de riolering waarschuwen bij hevige regen.",
        theme="climate-adaptation",
        scope="narrow",
        postcode="2716AA",
        house_number="3",
        sensor_kind_0="Waterstandsensor",
        sensor_measures_0="Waterstand in de put",
        sensor_mobile_0="fixed",
        sensor_location_0="Put bij de Meerzichtlaan",
        sensor_latitude_0="52.0651",
        sensor_longitude_0="4.4601",
        sensor_kind_1="Regenmeter",
        sensor_mobile_1="unknown",
    )
    page = expect_status(await form.press("Adres zoeken").submit(editor), 200)
    again = form_on(page, action="/register/new")
    data = again.data()
    assert ("neighbourhoods", "meerzicht") in data  # suggested: none was ticked
    assert ("sensor_kind_1", "Regenmeter") in data  # typed rows survive the search
    page = await follow(editor, await again.press("Aan het register toevoegen").submit(editor))

    entry = await RegisterEntry.objects().get(RegisterEntry.title == "Sensoren voor wateroverlast in Meerzicht")
    assert (entry.latitude, entry.longitude) == (52.065, 4.46)
    sensors = await RegisterSensor.objects().where(RegisterSensor.entry == entry.id).order_by(RegisterSensor.position)
    assert [(s.kind, s.measures, s.mobile, s.location, s.latitude, s.longitude) for s in sensors] == [
        ("Waterstandsensor", "Waterstand in de put", False, "Put bij de Meerzichtlaan", 52.0651, 4.4601),
        ("Regenmeter", "", None, "", None, None),
    ]
    # The data-and-privacy block lists them for everyone.
    public = await (await browser()).get(f"/register/{entry.slug}")
    privacy = text_of(public, ".register-privacy")
    assert "Waterstandsensor: Waterstand in de put (vast), Put bij de Meerzichtlaan" in privacy
    assert "Regenmeter (vast of mobiel onbekend)" in privacy

    # Editing: the rows come back filled; emptying one removes that sensor.
    form = await open_form(editor, f"/register/{entry.slug}/edit", action=f"/register/{entry.slug}/edit")
    assert dict(form.data())["sensor_mobile_0"] == "fixed"
    form.fill(sensor_kind_1="")
    await follow(editor, await form.press("Opslaan").submit(editor))
    assert await RegisterSensor.count().where(RegisterSensor.entry == entry.id) == 1


async def test_a_sensor_without_a_type_is_refused(people, browser):
    editor = await browser("editor@example.org")
    form = await open_form(editor, "/register/new", action="/register/new")
    form.fill(
        title="Sensoren voor wateroverlast in Meerzicht",
        summary="Sensoren in de riolering.",
        theme="climate-adaptation",
        scope="narrow",
        sensor_measures_0="Waterstand",
    )
    response = await form.press("Aan het register toevoegen").submit(editor)
    assert response.status_code == 422
    assert "type" in text_of(response, "#f-sensors-error")
    assert await RegisterEntry.count() == 0
