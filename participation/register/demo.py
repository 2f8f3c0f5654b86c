"""Demo register: about fifteen entries across statuses, programme lines and both scopes. Idempotent.

Keyed by slug: a second run creates nothing. Themes, programme lines and
neighbourhoods are taken from the city configuration (a preferred slug when the
city has it, otherwise the first configured one), so any city can load it.
Timelines are back-dated so that the register looks lived-in.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from participation.city import WHOLE_CITY, Choice
from participation.database import write_transaction
from participation.lib.clock import utcnow
from participation.register import services
from participation.register.demo_places import DEMO_PLACES
from participation.register.tables import (
    RegisterBudgetLine,
    RegisterEntry,
    RegisterGoal,
    RegisterIndicator,
    RegisterMeasurement,
    RegisterUpdate,
    Status,
)
from participation.settings import Settings

# The canonical road to each status (DESIGN.md section 3).
_PATH = {
    Status.received: [Status.received],
    Status.under_assessment: [Status.received, Status.under_assessment],
    Status.planned: [Status.received, Status.under_assessment, Status.planned],
    Status.running: [Status.received, Status.under_assessment, Status.planned, Status.running],
    Status.completed: [Status.received, Status.under_assessment, Status.planned, Status.running, Status.completed],
    Status.stopped: [Status.received, Status.under_assessment, Status.planned, Status.running, Status.stopped],
    Status.declined: [Status.received, Status.under_assessment, Status.declined],
}
_UPDATE_TEXT = {
    Status.received: "Opgenomen in het register.",
    Status.under_assessment: "We onderzoeken haalbaarheid, kosten en privacy-effecten.",
    Status.planned: "Het college heeft budget vrijgemaakt; de voorbereiding loopt.",
    Status.running: "De pilot is gestart.",
    # The page shows the lessons above the timeline, and only an entry with lessons may point at them.
    Status.completed: "Het project is afgerond.",
    Status.stopped: "Het project is gestopt.",
    Status.declined: "De gemeente neemt dit niet verder in behandeling; zie de toelichting.",
}

LESSONS_SCALE_UP = {
    "lessons_tried": "Lantaarnpalen die dimmen als er niemand is en oplichten bij beweging, in twee wijken.",
    "lessons_outcome": "38% minder stroomverbruik (doel: 30%); geen toename van meldingen over onveiligheid.",
    "lessons_decision": "scale_up",
    "lessons_decision_reason": "Doelen gehaald, bewoners tevreden; vervanging valt samen met regulier onderhoud.",
    "lessons_advice": "Betrek bewoners vooraf bij het lichtniveau en meet onveiligheidsgevoel vóór en na.",
}
LESSONS_CONTINUE = {
    "lessons_tried": "Slimme regentonnen die voor een bui automatisch leeglopen, bij 60 woningen.",
    "lessons_outcome": "Piekafvoer bij hevige buien 20% lager; doel van 25% net niet gehaald.",
    "lessons_decision": "continue",
    "lessons_decision_reason": "Goedkoop en populair; doorgaan als subsidie voor bewoners in plaats van als gemeentelijk project.",
    "lessons_advice": "Begin met een wijk met veel verharde tuinen; daar is het effect het grootst.",
}
LESSONS_STOP = {
    "lessons_tried": "Een co-creatieplatform waar scholen en bedrijven samen stadsvraagstukken oppakten.",
    "lessons_outcome": "Veel enthousiasme bij de start, maar na een half jaar nog maar twee actieve teams.",
    "lessons_decision": "stop",
    "lessons_decision_reason": "Te weinig blijvende deelname om de kosten te rechtvaardigen.",
    "lessons_advice": "Koppel zo'n platform aan bestaande lesprogramma's; los ervan houdt niemand het vol.",
}


# Goals of the entries that are planned or further (a planned entry has at least one): goal text,
# then per indicator (name, unit, baseline, target, direction, [(days ago, measured value)]).
_GOALS: dict[str, list[tuple[str, list[tuple[Any, ...]]]]] = {
    "slimme-parkeersensoren": [
        (
            "Minder zoekverkeer in het centrum.",
            [("Gemiddelde zoektijd naar een plek", "minuten", 9, 5, None, [(150, 8), (60, 6.5)])],
        ),
    ],
    "dimmende-straatverlichting": [
        (
            "Minder stroom voor straatverlichting zonder dat het onveiliger voelt.",
            [
                ("Stroomverbruik straatverlichting", "MWh per jaar", 420, 294, None, [(400, 360), (160, 260)]),
                ("Meldingen over onveiligheid door verlichting", "per jaar", 14, 14, "lower", [(160, 12)]),
            ],
        ),
    ],
    "zonnedaken-energiecooperatie": [
        (
            "Meer lokaal opgewekte zonnestroom.",
            [("Zonnepanelen op gemeentelijke daken", "stuks", 0, 2500, None, [(90, 1100)])],
        ),
    ],
    "hittestress-meetnet": [
        ("Weten waar het in de zomer te heet wordt.", [("Wijken met een hittemeting", "wijken", 0, 11, None, [])]),
    ],
    "slimme-regentonnen": [
        (
            "Minder wateroverlast bij hevige buien.",
            [("Piekafvoer bij hevige regen", "procent van nu", 100, 75, None, [(100, 80)])],
        ),
    ],
    "digitale-afsprakenassistent": [
        ("Sneller een afspraak bij de balie.", [("Wachttijd tot een afspraak", "dagen", 12, 5, None, [(30, 7)])]),
    ],
    "zorg-op-afstand-living-lab": [
        (
            "Langer zelfstandig thuis wonen.",
            [("Deelnemers die zelfstandig blijven wonen", "procent", 70, 85, None, [])],
        ),
    ],
    "slimme-afvalcontainers": [
        (
            "Minder ritten en geen overvolle containers.",
            [("Ledigingsritten per week", "ritten", 60, 40, None, [(45, 48)])],
        ),
    ],
    "open-sensordata-portaal": [
        (
            "Sensordata van de stad voor iedereen bruikbaar.",
            [("Open datasets met sensordata", "datasets", 2, 12, None, [])],
        ),
    ],
    "co-creatie-scholen": [
        (
            "Scholen en bedrijven werken samen aan stadsvraagstukken.",
            [("Actieve teams", "teams", 0, 10, None, [(200, 6), (60, 2)])],
        ),
    ],
}


def _pick(choices: tuple[Choice, ...], preferred: str) -> str:
    return next((c.slug for c in choices if c.slug == preferred), choices[0].slug)


def _entries(settings: Settings, now: datetime) -> list[dict[str, Any]]:
    city = settings.city
    line = lambda slug: _pick(city.programme_lines, slug)  # noqa: E731
    theme = lambda slug: _pick(city.themes, slug)  # noqa: E731
    known = {n.slug for n in city.neighbourhoods}
    places = lambda *slugs: [s for s in slugs if s in known] or [WHOLE_CITY]  # noqa: E731
    today = now.date()
    ago = lambda days: today - timedelta(days=days)  # noqa: E731
    return [
        dict(
            slug="slimme-parkeersensoren",
            priority="low",
            priority_rationale="Loopt al en kost de gemeente weinig tijd; verbeteren kan later.",
            title="Slimme parkeersensoren in het centrum",
            status=Status.running,
            summary="Sensoren in parkeervakken laten via een app en borden zien waar plek is, zodat er minder zoekverkeer is.",
            programme_line=line("accessible-city"),
            theme=theme("mobility"),
            scope="narrow",
            neighbourhoods=places("centrum"),
            department="mobiliteit",
            contact_email="mobiliteit@example.org",
            partners=[("ParkSense B.V.", "business")],
            start_date=ago(200),
            budget_eur=180_000,
            budget_lines=[
                ("Gemeente Zoetermeer, programma Smart City", today.year - 1, 120_000, 95_000),
                ("Provincie Zuid-Holland (subsidie)", today.year, 60_000, 20_000),
            ],
            personal_data=False,
            data_description="Bezetting per parkeervak (bezet/vrij); geen kentekens of beelden.",
            data_purpose="Zoekverkeer verminderen.",
            dpia_status="not_needed",
            algorithm_used=False,
            open_data_url="https://data.example.org/parkeerbezetting",
            retention_period="Geaggregeerd per uur: 5 jaar.",
        ),
        dict(
            slug="dimmende-straatverlichting",
            title="Straatverlichting die meebeweegt",
            status=Status.completed,
            summary="Led-lantaarnpalen dimmen als het stil is en lichten op bij beweging.",
            programme_line=line("sustainable-city"),
            theme=theme("energy"),
            scope="narrow",
            neighbourhoods=places("seghwaert", "noordhove"),
            department="openbare-ruimte",
            contact_email="openbareruimte@example.org",
            partners=[("LichtLab", "business"), ("TU Delft", "knowledge_institution")],
            start_date=ago(700),
            end_date=ago(150),
            budget_eur=240_000,
            budget_lines=[
                ("Gemeente Zoetermeer, onderhoud openbare verlichting", today.year - 2, 140_000, 138_500),
                ("Rijk: regeling energiebesparing (SPUK)", today.year - 1, 100_000, 100_000),
            ],
            personal_data=False,
            data_description="Bewegingsdetectie zonder camera; alleen aantallen.",
            dpia_status="not_needed",
            algorithm_used=False,
            **LESSONS_SCALE_UP,
        ),
        dict(
            slug="zonnedaken-energiecooperatie",
            title="Zonnedaken met de buurtenergiecoöperatie",
            status=Status.running,
            summary="Bewoners leggen samen zonnepanelen op scholen en sporthallen; de gemeente stelt daken beschikbaar.",
            programme_line=line("sustainable-city"),
            theme=theme("energy"),
            scope="broad",
            neighbourhoods=places("rokkeveen", "oosterheem"),
            department="duurzaamheid",
            partners=[("Buurtstroom Coöperatie", "residents_initiative"), ("Netbeheerder", "other")],
            start_date=ago(300),
            personal_data=False,
            dpia_status="not_needed",
            algorithm_used=False,
        ),
        dict(
            slug="hittestress-meetnet",
            priority="high",
            priority_rationale="Hitte raakt ouderen het hardst; de metingen sturen de vergroening van 2027.",
            title="Meetnet voor hittestress in de wijken",
            status=Status.planned,
            summary="Temperatuursensoren in bomen en lantaarnpalen tonen waar de stad het heetst wordt.",
            programme_line=line("sustainable-city"),
            theme=theme("climate-adaptation"),
            scope="narrow",
            neighbourhoods=places("palenstein", "meerzicht"),
            department="klimaatadaptatie",
            partners=[("Hogeschool", "knowledge_institution")],
            start_date=today + timedelta(days=60),
            budget_eur=65_000,
            personal_data=False,
            data_description="Temperatuur en luchtvochtigheid.",
            open_data_url="https://data.example.org/hittestress",
            dpia_status="not_needed",
            algorithm_used=False,
        ),
        dict(
            slug="slimme-regentonnen",
            title="Slimme regentonnen bij woningen",
            status=Status.completed,
            summary="Regentonnen die vóór een bui leeglopen, zodat het riool minder piekbelasting krijgt.",
            programme_line=line("sustainable-city"),
            theme=theme("climate-adaptation"),
            scope="broad",
            neighbourhoods=places("buytenwegh"),
            department="water",
            partners=[("Waterschap", "government"), ("Regenwijs", "business")],
            start_date=ago(600),
            end_date=ago(60),
            budget_eur=45_000,
            personal_data=True,
            data_description="Adres en vulgraad van de ton.",
            data_purpose="Aansturing en evaluatie.",
            legal_basis="Toestemming (AVG art. 6 lid 1a)",
            dpia_status="done",
            dpia_url="https://www.example.org/dpia/regentonnen",
            retention_period="Tot 1 jaar na afloop.",
            algorithm_used=False,
            **LESSONS_CONTINUE,
        ),
        dict(
            slug="drukte-tellen-station",
            title="Drukte tellen rond het station",
            status=Status.under_assessment,
            summary="Tellen hoeveel mensen op het stationsplein zijn om drukte bij evenementen te spreiden.",
            programme_line=line("applied-innovation"),
            theme=theme("safety"),
            scope="narrow",
            neighbourhoods=places("centrum"),
            department="openbare-orde-en-veiligheid",
            personal_data=True,
            data_description="Camerabeelden, direct op de camera omgezet in aantallen.",
            data_purpose="Drukte spreiden bij evenementen.",
            legal_basis="Publieke taak (AVG art. 6 lid 1e)",
            dpia_status="planned",
            algorithm_used=True,
            decision_making="De telling geeft een signaal; de evenementencoördinator besluit over extra maatregelen.",
            impact="Minder drukte op het plein; bezoekers worden niet herkend of gevolgd.",
            risks="Verkeerde tellingen bij slecht weer: de telling wordt met handmatige steekproeven gecontroleerd.",
            risk_category="limited",
            proportionality="Alleen aantallen, geen beelden: lichtere middelen (handmatig tellen) zijn te traag.",
            human_intervention="Een medewerker bekijkt elk signaal en kan de telling uitzetten.",
        ),
        dict(
            slug="digitale-afsprakenassistent",
            title="Digitale assistent voor afspraken",
            status=Status.running,
            summary="Een assistent op de website helpt bij het maken en verzetten van afspraken bij de balie.",
            programme_line=line("smart-municipality"),
            theme=theme("digital-services"),
            scope="narrow",
            neighbourhoods=[WHOLE_CITY],
            department="dienstverlening",
            contact_email="dienstverlening@example.org",
            partners=[("Samenwerkende gemeenten", "government")],
            start_date=ago(120),
            budget_eur=90_000,
            personal_data=True,
            data_description="Naam, geboortedatum en gekozen afspraak.",
            data_purpose="Afspraken plannen.",
            legal_basis="Publieke taak (AVG art. 6 lid 1e)",
            dpia_status="done",
            dpia_url="https://www.example.org/dpia/afsprakenassistent",
            retention_period="3 maanden.",
            algorithm_used=True,
            algorithm_register_url="https://algoritmes.overheid.nl/",
        ),
        dict(
            slug="zorg-op-afstand-living-lab",
            title="Living lab zorg op afstand",
            status=Status.planned,
            summary="Ouderen testen met hun mantelzorgers sensoren die thuis waarschuwen bij een val.",
            programme_line=line("healthy-city"),
            theme=theme("health-care"),
            scope="broad",
            neighbourhoods=places("dorp", "driemanspolder"),
            department="zorg-en-welzijn",
            partners=[("Zorgorganisatie", "other"), ("Hogeschool", "knowledge_institution")],
            personal_data=True,
            data_description="Bewegingssensoren in huis; valmeldingen.",
            data_purpose="Sneller hulp bij een val.",
            legal_basis="Uitdrukkelijke toestemming (AVG art. 9 lid 2a)",
            dpia_status="done",
            dpia_url="https://www.example.org/dpia/zorg-op-afstand",
            algorithm_used=None,
        ),
        dict(
            slug="deelfietsen-in-de-wijk",
            title="Elektrische deelfietsen in de wijk",
            status=Status.received,
            summary="Een idee van bewoners: deelfietsen bij de winkelcentra, zodat je zonder auto boodschappen doet.",
            origin="idea",
            programme_line=None,
            theme=theme("mobility"),
            scope="broad",
            neighbourhoods=places("oosterheem"),
            response_due_at=now - timedelta(days=5),
            personal_data=None,
        ),
        dict(
            slug="bezorgrobot-bedrijventerrein",
            title="Proef met een bezorgrobot op het bedrijventerrein",
            status=Status.received,
            summary="Een pilotvoorstel: een kleine bezorgrobot brengt pakketten rond op het bedrijventerrein.",
            origin="pilot",
            programme_line=None,
            theme=theme("economy-innovation"),
            scope="narrow",
            neighbourhoods=places("dutch-innovation-park"),
            response_due_at=now + timedelta(days=30),
            personal_data=True,
            data_description="Camera's voor navigatie; gezichten worden vervaagd.",
        ),
        dict(
            slug="slimme-afvalcontainers",
            title="Afvalcontainers die melden wanneer ze vol zijn",
            status=Status.running,
            summary="Vulgraadsensoren in ondergrondse containers zodat de wagen alleen rijdt als het nodig is.",
            programme_line=line("applied-innovation"),
            theme=theme("public-space"),
            scope="narrow",
            neighbourhoods=[WHOLE_CITY],
            department="afval",
            partners=[("Afvalbedrijf", "business")],
            start_date=ago(400),
            budget_eur=120_000,
            personal_data=False,
            dpia_status="not_needed",
            algorithm_used=True,
            open_data_url="https://data.example.org/containers",
        ),
        dict(
            slug="drones-groeninspectie",
            title="Drones voor inspectie van bomen en groen",
            status=Status.declined,
            summary="Drones met camera's zouden de staat van bomen en plantsoenen inspecteren.",
            programme_line=line("applied-innovation"),
            theme=theme("public-space"),
            scope="narrow",
            neighbourhoods=[WHOLE_CITY],
            personal_data=True,
            data_description="Luchtbeelden, ook van tuinen.",
            dpia_status=None,
            declined_reason="Het voordeel weegt niet op tegen het filmen van privétuinen; "
            "inspectie vanaf de grond blijft de werkwijze.",
        ),
        dict(
            slug="open-sensordata-portaal",
            priority="medium",
            priority_rationale="Nodig voor de andere sensorprojecten, maar het kan na de eerste metingen.",
            title="Eén portaal voor alle sensordata van de stad",
            status=Status.planned,
            summary="Alle open sensordata van gemeentelijke projecten op één plek, met een API.",
            programme_line=line("smart-municipality"),
            theme=theme("digital-services"),
            scope="narrow",
            neighbourhoods=[WHOLE_CITY],
            department="informatievoorziening",
            personal_data=False,
            dpia_status="not_needed",
            algorithm_used=False,
            open_data_url="https://data.example.org/",
        ),
        dict(
            slug="co-creatie-scholen",
            title="Co-creatie met scholen en bedrijven",
            status=Status.stopped,
            summary="Leerlingen en bedrijven werkten samen aan stadsvraagstukken op een online platform.",
            programme_line=line("applied-innovation"),
            theme=theme("economy-innovation"),
            scope="broad",
            neighbourhoods=[WHOLE_CITY],
            department="economie",
            partners=[("ROC", "knowledge_institution")],
            start_date=ago(500),
            end_date=ago(200),
            budget_eur=30_000,
            personal_data=True,
            data_description="Namen en e-mailadressen van deelnemers.",
            legal_basis="Toestemming (AVG art. 6 lid 1a)",
            dpia_status="not_needed",
            algorithm_used=False,
            **LESSONS_STOP,
        ),
        dict(
            slug="voorrang-fietsers-verkeerslichten",
            title="Slimme verkeerslichten met voorrang voor fietsers",
            status=Status.under_assessment,
            summary="Verkeerslichten die fietsers eerder groen geven als het regent of als er veel fietsers wachten.",
            programme_line=line("accessible-city"),
            theme=theme("mobility"),
            scope="narrow",
            neighbourhoods=places("centrum", "meerzicht"),
            department="mobiliteit",
            personal_data=None,
            algorithm_used=True,
        ),
    ]


async def load_register_demo(settings: Settings) -> int:
    """Create the demo entries that do not exist yet; returns how many were created."""
    now = utcnow()
    existing = set(await RegisterEntry.select(RegisterEntry.slug).output(as_list=True))
    created = 0
    for spec in _entries(settings, now):
        if spec["slug"] in existing:
            continue
        await _create(spec, now)
        created += 1
    return created


async def _create(spec: dict[str, Any], now: datetime) -> None:
    spec = dict(spec)
    slug, status = spec.pop("slug"), spec.pop("status")
    budget_lines = spec.pop("budget_lines", [])
    values: dict[str, Any] = {name: None for name in services.EDITABLE_FIELDS}
    values.update(description="", origin="city", department="", partners=[], neighbourhoods=[])
    values.update({k: v for k, v in spec.items() if k != "declined_reason"})
    values.update(DEMO_PLACES.get(slug, {}))
    values["partners"] = [{"name": name, "kind": kind} for name, kind in values["partners"]]
    path = _PATH[status]
    started = now - timedelta(days=30 * len(path))
    async with write_transaction():
        entry = await services._insert_entry(values, status.value, slug, None)
        updates = {RegisterEntry.created_at: started, RegisterEntry.updated_at: now}
        if spec.get("declined_reason"):
            updates[RegisterEntry.declined_reason] = spec["declined_reason"]
        await RegisterEntry.update(updates).where(RegisterEntry.id == entry.id)
        if budget_lines:
            await RegisterBudgetLine.insert(
                *[
                    RegisterBudgetLine(entry=entry.id, position=i, source=source, year=year, planned_eur=p, spent_eur=x)
                    for i, (source, year, p, x) in enumerate(budget_lines)
                ]
            )
        role = "system" if values["origin"] in ("idea", "pilot") else "editor"
        previous = None
        for step, step_status in enumerate(path):
            text = services.ROUTED_TEXT if step == 0 and role == "system" else _UPDATE_TEXT[step_status]
            if step_status in (Status.completed, Status.stopped) and values.get("lessons_tried"):
                text += " Wat we ervan leerden staat bij de geleerde lessen."
            await RegisterUpdate.insert(
                RegisterUpdate(
                    entry=entry.id,
                    created_at=started + timedelta(days=30 * step),
                    status=step_status.value,
                    previous_status=previous,
                    text=text,
                    author_role=role if step == 0 else "editor",
                )
            )
            previous = step_status.value
        await _add_goals(entry.id, slug, now)


async def _add_goals(entry_id: int, slug: str, now: datetime) -> None:
    for g, (text, indicators) in enumerate(_GOALS.get(slug, [])):
        goal = RegisterGoal(entry=entry_id, position=g, text=text)
        await goal.save()
        for i, (name, unit, baseline, target, direction, measured) in enumerate(indicators):
            indicator = RegisterIndicator(
                goal=goal.id, entry=entry_id, position=i, name=name, unit=unit, baseline=baseline, target=target
            )
            indicator.direction = direction
            await indicator.save()
            for days, value in measured:
                await RegisterMeasurement(
                    indicator=indicator.id, value=value, measured_on=(now - timedelta(days=days)).date(), note=""
                ).save()
