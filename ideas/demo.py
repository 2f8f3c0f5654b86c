"""Demo ideas and pilots, in Dutch, from the demo accounts of `participation.demo`. Idempotent (keyed by title)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ideas import services
from ideas.services import IdeaInput
from ideas.tables import Idea
from participation.accounts.tables import Account
from participation.settings import Settings

MODERATOR = "moderator@example.org"


@dataclass(frozen=True)
class DemoIdea:
    author: str
    title: str
    summary: str
    body: str
    theme: str
    neighbourhood: str
    scope: str
    state: str = "published"  # or "submitted", "needs_changes"
    pilot: dict = field(default_factory=dict)
    comments: tuple[tuple[str, str], ...] = ()


DEMO_IDEAS = (
    DemoIdea("anna@example.org", "Slimme fietsenstalling bij station Oosterheem",
             "Een fietsenstalling die per rij laat zien hoeveel plekken er nog vrij zijn.",
             "Elke ochtend zoeken forenzen minutenlang naar een plek. **Sensoren** per rek en een bord bij de ingang lossen dat op.\n\n"
             "- minder zoekverkeer\n- minder fietsen buiten de rekken", "mobility", "oosterheem", "narrow",
             comments=(("mohamed@example.org", "Goed idee! Bij het Stadshart is hetzelfde probleem."),
                       ("sanne@example.org", "Kan de bezetting ook als open data online?"))),
    DemoIdea("mohamed@example.org", "Buurtbatterij voor Palenstein",
             "Een gedeelde batterij slaat zonnestroom van de flatdaken op voor de avond.",
             "De flats in Palenstein hebben grote daken. Met een buurtbatterij gebruiken we de zonnestroom zelf, ook 's avonds.",
             "energy", "palenstein", "broad",
             comments=(("anna@example.org", "Wie wordt eigenaar? Een energiecoöperatie zou mooi zijn."),)),
    DemoIdea("sanne@example.org", "Regenwater opvangen onder het Rokkeveense schoolplein",
             "Een schoolplein dat bij hoosbuien water bergt en in de zomer verkoelt.",
             "Bij zware regen staat de straat blank. Een waterbergend schoolplein met groen helpt twee keer.",
             "climate-adaptation", "rokkeveen", "broad"),
    DemoIdea("pieter@example.org", "Slimme lantaarnpalen in het Dorp",
             "Lantaarnpalen die dimmen als de straat leeg is en oplichten als er iemand aankomt.",
             "Scheelt energie en is prettiger voor vleermuizen langs de Dorpsstraat.", "energy", "dorp", "narrow",
             comments=(("anna@example.org", "Graag wel genoeg licht voor wie 's avonds alleen naar huis fietst."),)),
    DemoIdea("anna@example.org", "Meldingen openbare ruimte met foto en vaste terugkoppeling",
             "Een melding over een losse stoeptegel krijgt binnen een week antwoord met wat er gebeurt.",
             "Nu hoor je vaak niets meer na een melding. Laat de status zien, net als bij een pakketje.",
             "digital-services", "whole-city", "narrow"),
    DemoIdea("mohamed@example.org", "Hitteplan met koele plekken op de kaart",
             "Een kaart met koele plekken, watertappunten en schaduwrijke routes voor warme dagen.",
             "Vooral voor ouderen en jonge ouders. De gemeente heeft de data al; maak er een kaart van.",
             "health-care", "whole-city", "narrow"),
    DemoIdea("sanne@example.org", "Deelauto's bij de nieuwbouw in Rokkeveen",
             "Vaste plekken voor elektrische deelauto's, zodat niet ieder huishouden een tweede auto nodig heeft.",
             "Minder geparkeerde auto's betekent meer ruimte voor groen en spelen.", "mobility", "rokkeveen", "broad"),
    DemoIdea("pieter@example.org", "Sensoren voor luchtkwaliteit langs de A12",
             "Meet fijnstof langs de snelweg en publiceer de metingen als open data.",
             "Bewoners willen weten hoe het met de lucht is. Goedkope sensoren en een openbaar dashboard.",
             "health-care", "buytenwegh", "narrow", state="submitted"),
    DemoIdea("anna@example.org", "Repaircafé met 3D-printer in de bibliotheek",
             "Kapotte onderdelen zelf printen met hulp van vrijwilligers in de bibliotheek.",
             "Minder weggooien, meer leren. De bibliotheek heeft ruimte en de vrijwilligers staan klaar.",
             "economy-innovation", "centrum", "broad", state="needs_changes"),
    DemoIdea("mohamed@example.org", "Slimme afvalcontainers die melden wanneer ze vol zijn",
             "Containers met een vulgraadsensor, zodat ze geleegd worden voordat er afval naast staat.",
             "Bij de flats staat in het weekend vaak afval naast de container.", "public-space", "palenstein", "narrow"),
    DemoIdea("info@slimmelantaarn.example", "Pilot adaptieve straatverlichting in Oosterheem",
             "Twintig lantaarnpalen met bewegingssensoren dimmen tot 20% als de straat leeg is.",
             "Wij testen of adaptieve verlichting energie bespaart zonder dat bewoners zich minder veilig voelen.",
             "energy", "oosterheem", "narrow",
             pilot={"pilot_what": "Adaptieve ledverlichting met bewegingssensoren en een anonieme telling van passanten.",
                    "pilot_where": "Twee woonstraten en een fietspad in Oosterheem", "pilot_duration_weeks": "26",
                    "pilot_asks": ["space", "permits"], "pilot_personal_data": "no",
                    "pilot_partners": "Haagse Hogeschool (evaluatie)"},
             comments=(("pieter@example.org", "Worden bewoners vooraf gevraagd wat ze van de verlichting vinden?"),)),
    DemoIdea("pilots@dip-labs.example", "Pilot autonome bezorgrobot op het Dutch Innovation Park",
             "Een kleine bezorgrobot brengt pakketjes van het hub naar de bedrijven op het park.",
             "We willen leren hoe een robot zich tussen fietsers en voetgangers gedraagt op een bedrijventerrein.",
             "economy-innovation", "dutch-innovation-park", "broad",
             pilot={"pilot_what": "Een autonome bezorgrobot die pakketjes over de stoep bezorgt, met een operator op afstand.",
                    "pilot_where": "De wegen en stoepen van het Dutch Innovation Park", "pilot_duration_weeks": "12",
                    "pilot_asks": ["permits", "data"], "pilot_personal_data": "yes",
                    "pilot_personal_data_details": "Camerabeelden voor navigatie; gezichten en kentekens worden direct onherkenbaar gemaakt.",
                    "pilot_partners": "Bedrijvenvereniging DIP"}),
)


async def load_ideas_demo(settings: Settings) -> int:
    """Create the demo ideas that do not exist yet (by title); returns how many were created."""
    emails = {d.author for d in DEMO_IDEAS} | {c[0] for d in DEMO_IDEAS for c in d.comments} | {MODERATOR}
    accounts = {a.email: a for a in await Account.objects().where(Account.email.is_in(sorted(emails)))}
    existing = set(await Idea.select(Idea.title).where(Idea.title.is_in([d.title for d in DEMO_IDEAS])).output(as_list=True))
    moderator = accounts.get(MODERATOR)
    created = 0
    for demo in DEMO_IDEAS:
        author = accounts.get(demo.author)
        if demo.title in existing or author is None:
            continue
        kind = "pilot" if demo.pilot else "idea"
        form = {"title": demo.title, "summary": demo.summary, "body": demo.body, "theme": demo.theme,
                "neighbourhood": demo.neighbourhood, "scope": demo.scope, **demo.pilot}
        data = IdeaInput.from_form(form, list(demo.pilot.get("pilot_asks", [])), kind)
        idea, _ = await services.submit_idea(settings, author, data)
        created += 1
        if moderator is None:
            continue
        if demo.state == "needs_changes":
            await services.request_changes(settings, moderator, idea.id, "Kun je aangeven wie het repaircafé gaat organiseren?")
        elif demo.state == "published":
            await services.publish(settings, moderator, idea.id)
            for email, text in demo.comments:
                if commenter := accounts.get(email):
                    await services.add_comment(commenter, idea.id, text)
    return created
