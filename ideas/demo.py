"""Demo ideas and pilots, in Dutch, from the demo accounts of `participation.demo`. Idempotent (keyed by title)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ideas import services
from ideas.demo_places import demo_point
from ideas.services import IdeaInput
from ideas.tables import Idea
from participation.accounts.tables import Account
from participation.lib.events import DomainEvents
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
    state: str = "published"  # or "submitted", "needs_changes", "rejected", "withdrawn"
    pilot: dict = field(default_factory=dict)
    comments: tuple[tuple[str, str], ...] = ()


DEMO_IDEAS = (
    DemoIdea(
        "anna@example.org",
        "Slimme fietsenstalling bij station Oosterheem",
        "Een fietsenstalling die per rij laat zien hoeveel plekken er nog vrij zijn.",
        "Elke ochtend zoeken forenzen minutenlang naar een plek. **Sensoren** per rek en een bord bij de ingang lossen dat op.\n\n"
        "- minder zoekverkeer\n- minder fietsen buiten de rekken",
        "mobility",
        "oosterheem",
        "narrow",
        comments=(
            ("mohamed@example.org", "Goed idee! Bij het Stadshart is hetzelfde probleem."),
            ("sanne@example.org", "Kan de bezetting ook als open data online?"),
        ),
    ),
    DemoIdea(
        "mohamed@example.org",
        "Buurtbatterij voor Palenstein",
        "Een gedeelde batterij slaat zonnestroom van de flatdaken op voor de avond.",
        "De flats in Palenstein hebben grote daken. Met een buurtbatterij gebruiken we de zonnestroom zelf, ook 's avonds.",
        "energy",
        "palenstein",
        "broad",
        comments=(("anna@example.org", "Wie wordt eigenaar? Een energiecoöperatie zou mooi zijn."),),
    ),
    DemoIdea(
        "sanne@example.org",
        "Regenwater opvangen onder het Rokkeveense schoolplein",
        "Een schoolplein dat bij hoosbuien water bergt en in de zomer verkoelt.",
        "Bij zware regen staat de straat blank. Een waterbergend schoolplein met groen helpt twee keer.",
        "climate-adaptation",
        "rokkeveen",
        "broad",
    ),
    DemoIdea(
        "pieter@example.org",
        "Slimme lantaarnpalen in het Dorp",
        "Lantaarnpalen die dimmen als de straat leeg is en oplichten als er iemand aankomt.",
        "Scheelt energie en is prettiger voor vleermuizen langs de Dorpsstraat.",
        "energy",
        "dorp",
        "narrow",
        comments=(("anna@example.org", "Graag wel genoeg licht voor wie 's avonds alleen naar huis fietst."),),
    ),
    DemoIdea(
        "anna@example.org",
        "Meldingen openbare ruimte met foto en vaste terugkoppeling",
        "Een melding over een losse stoeptegel krijgt binnen een week antwoord met wat er gebeurt.",
        "Nu hoor je vaak niets meer na een melding. Laat de status zien, net als bij een pakketje.",
        "digital-services",
        "whole-city",
        "narrow",
    ),
    DemoIdea(
        "mohamed@example.org",
        "Hitteplan met koele plekken op de kaart",
        "Een kaart met koele plekken, watertappunten en schaduwrijke routes voor warme dagen.",
        "Vooral voor ouderen en jonge ouders. De gemeente heeft de data al; maak er een kaart van.",
        "health-care",
        "whole-city",
        "narrow",
    ),
    DemoIdea(
        "sanne@example.org",
        "Deelauto's bij de nieuwbouw in Rokkeveen",
        "Vaste plekken voor elektrische deelauto's, zodat niet ieder huishouden een tweede auto nodig heeft.",
        "Minder geparkeerde auto's betekent meer ruimte voor groen en spelen.",
        "mobility",
        "rokkeveen",
        "broad",
    ),
    DemoIdea(
        "pieter@example.org",
        "Sensoren voor luchtkwaliteit langs de A12",
        "Meet fijnstof langs de snelweg en publiceer de metingen als open data.",
        "Bewoners willen weten hoe het met de lucht is. Goedkope sensoren en een openbaar dashboard.",
        "health-care",
        "buytenwegh",
        "narrow",
        state="submitted",
    ),
    DemoIdea(
        "anna@example.org",
        "Repaircafé met 3D-printer in de bibliotheek",
        "Kapotte onderdelen zelf printen met hulp van vrijwilligers in de bibliotheek.",
        "Minder weggooien, meer leren. De bibliotheek heeft ruimte en de vrijwilligers staan klaar.",
        "economy-innovation",
        "centrum",
        "broad",
        state="needs_changes",
    ),
    DemoIdea(
        "mohamed@example.org",
        "Slimme afvalcontainers die melden wanneer ze vol zijn",
        "Containers met een vulgraadsensor, zodat ze geleegd worden voordat er afval naast staat.",
        "Bij de flats staat in het weekend vaak afval naast de container.",
        "public-space",
        "palenstein",
        "narrow",
    ),
    DemoIdea(
        "info@slimmelantaarn.example",
        "Pilot adaptieve straatverlichting in Oosterheem",
        "Twintig lantaarnpalen met bewegingssensoren dimmen tot 20% als de straat leeg is.",
        "Wij testen of adaptieve verlichting energie bespaart zonder dat bewoners zich minder veilig voelen.",
        "energy",
        "oosterheem",
        "narrow",
        pilot={
            "pilot_what": "Adaptieve ledverlichting met bewegingssensoren en een anonieme telling van passanten.",
            "pilot_where": "Twee woonstraten en een fietspad in Oosterheem",
            "pilot_duration_weeks": "26",
            "pilot_asks": ["space", "permits"],
            "pilot_personal_data": "no",
            "pilot_partners": "Haagse Hogeschool (evaluatie)",
        },
        comments=(("pieter@example.org", "Worden bewoners vooraf gevraagd wat ze van de verlichting vinden?"),),
    ),
    DemoIdea(
        "pilots@dip-labs.example",
        "Pilot autonome bezorgrobot op het Dutch Innovation Park",
        "Een kleine bezorgrobot brengt pakketjes van het hub naar de bedrijven op het park.",
        "We willen leren hoe een robot zich tussen fietsers en voetgangers gedraagt op een bedrijventerrein.",
        "economy-innovation",
        "dutch-innovation-park",
        "broad",
        pilot={
            "pilot_what": "Een autonome bezorgrobot die pakketjes over de stoep bezorgt, met een operator op afstand.",
            "pilot_where": "De wegen en stoepen van het Dutch Innovation Park",
            "pilot_duration_weeks": "12",
            "pilot_asks": ["permits", "data"],
            "pilot_personal_data": "yes",
            "pilot_personal_data_details": "Camerabeelden voor navigatie; gezichten en kentekens worden direct onherkenbaar gemaakt.",
            "pilot_partners": "Bedrijvenvereniging DIP",
        },
    ),
    DemoIdea(
        "fatima@example.org",
        "Digitale buurtapp voor burenhulp in Seghwaert",
        "Een eenvoudige app waarin buren elkaar hulp aanbieden: boodschappen, klusjes of een praatje.",
        "Veel ouderen in Seghwaert wonen alleen. Een app van de gemeente, zonder advertenties, maakt burenhulp makkelijker. "
        "Wie geen smartphone heeft, kan bellen naar het wijkcentrum.",
        "health-care",
        "seghwaert",
        "broad",
        comments=(("priya@example.org", "Mooi! Zorg wel dat het ook werkt voor mensen die slecht zien."),),
    ),
    DemoIdea(
        "jeroen@example.org",
        "Waterstand van de Meerzichtplas live online",
        "Sensoren meten het waterpeil en de waterkwaliteit van de plas en tonen die op een openbare pagina.",
        "Zwemmers en vissers willen weten of het water goed is. Het hoogheemraadschap meet al; maak het zichtbaar.",
        "climate-adaptation",
        "meerzicht",
        "narrow",
    ),
    DemoIdea(
        "lotte@example.org",
        "Schoolstraten met slimme paaltjes in Noordhove",
        "Rond de basisscholen gaat de straat bij het begin en einde van de schooldag dicht voor auto's.",
        "Paaltjes die op vaste tijden omhoog komen, met een uitzondering voor bewoners en hulpdiensten. Veiliger voor kinderen.",
        "safety",
        "noordhove",
        "narrow",
        comments=(
            ("kees@example.org", "Hoe komen bewoners er dan in? Met een kentekenlijst?"),
            ("lotte@example.org", "Ja, of met een pasje. Zoals bij de milieuzone in andere steden."),
        ),
    ),
    DemoIdea(
        "kees@example.org",
        "Groene daken op bushokjes in Driemanspolder",
        "Sedumdaken op bushokjes vangen regenwater op en zijn goed voor bijen.",
        "Utrecht doet het al. In Driemanspolder staan veel bushokjes langs de Amerikaweg.",
        "climate-adaptation",
        "driemanspolder",
        "broad",
    ),
    DemoIdea(
        "priya@example.org",
        "Taalcafé met vertaalhulp in De Leyens",
        "Een wekelijkse plek waar nieuwkomers Nederlands oefenen, met hulp van vrijwilligers en een vertaalapp.",
        "Samen oefenen werkt beter dan alleen een app. De bibliotheek of het wijkcentrum kan de ruimte bieden.",
        "economy-innovation",
        "de-leyens",
        "broad",
    ),
    DemoIdea(
        "anna@example.org",
        "Laadpalen die zich aanpassen aan de zonnestroom",
        "Openbare laadpalen laden sneller als er veel zonnestroom is en langzamer als het net vol is.",
        "Zo gebruiken we meer eigen zonnestroom en hoeft het stroomnet minder snel verzwaard te worden.",
        "energy",
        "oosterheem",
        "narrow",
    ),
    DemoIdea(
        "mohamed@example.org",
        "Veilige looproutes naar het station met betere verlichting",
        "Een kaart van de looproutes naar station Palenstein met de donkere plekken, en verlichting waar het nodig is.",
        "Vooral in de winter voelen mensen zich 's avonds onveilig. Laat bewoners de donkere plekken melden.",
        "safety",
        "palenstein",
        "broad",
    ),
    DemoIdea(
        "sanne@example.org",
        "Open data over de bezetting van sporthallen",
        "Laat online zien wanneer sporthallen vrij zijn, zodat clubs en buurtgroepen makkelijk kunnen huren.",
        "Nu moet je bellen en mailen. Een overzicht met vrije uren scheelt iedereen tijd.",
        "digital-services",
        "whole-city",
        "narrow",
    ),
    DemoIdea(
        "pieter@example.org",
        "Oud-Zoetermeer in een digitale wandeling",
        "Een wandelroute langs historische plekken in het Dorp, met verhalen en oude foto's op je telefoon.",
        "Het historisch genootschap heeft prachtige foto's. Met QR-bordjes en een webpagina komen ze tot leven.",
        "economy-innovation",
        "dorp",
        "broad",
    ),
    DemoIdea(
        "fatima@example.org",
        "Meer bankjes en watertappunten in het Stadshart",
        "Rustpunten met schaduw, een bankje en drinkwater, ook voor ouderen en mensen met een rollator.",
        "Het Stadshart is groot. Wie slecht ter been is, heeft vaker een rustplek nodig, zeker op warme dagen.",
        "public-space",
        "centrum",
        "broad",
    ),
    DemoIdea(
        "jeroen@example.org",
        "Slimme verkeerslichten die fietsers voorrang geven",
        "Verkeerslichten die fietsers zien aankomen en eerder groen geven, vooral bij regen.",
        "Groningen en Rotterdam hebben al fietsdetectie met regensensor. Op de Meerzichtlaan staan fietsers lang te wachten.",
        "mobility",
        "meerzicht",
        "narrow",
        comments=(("anna@example.org", "Ja graag, en ook voor scholieren in de ochtendspits."),),
    ),
    DemoIdea(
        "lotte@example.org",
        "Ruilkast voor spullen en gereedschap in Noordhove",
        "Een kast in de wijk waar je gereedschap en spullen leent en terugbrengt, met een simpele reserveringspagina.",
        "Niet iedereen hoeft een boormachine te kopen. Een deelkast bij het winkelcentrum is makkelijk bereikbaar.",
        "economy-innovation",
        "noordhove",
        "broad",
    ),
    DemoIdea(
        "kees@example.org",
        "Geluidsmeters langs de spoorlijn",
        "Meet het geluid van treinen bij de woningen langs het spoor en publiceer de metingen.",
        "Bewoners klagen over nachtelijk lawaai. Met metingen kunnen we het gesprek met ProRail voeren op basis van feiten.",
        "health-care",
        "driemanspolder",
        "narrow",
    ),
    DemoIdea(
        "priya@example.org",
        "Digitaal spreekuur van de wijkagent",
        "Een vast moment per week waarop je de wijkagent via een videogesprek of chat kunt spreken.",
        "Niet iedereen durft naar het bureau te gaan. Een laagdrempelig digitaal spreekuur helpt.",
        "safety",
        "de-leyens",
        "narrow",
    ),
    DemoIdea(
        "anna@example.org",
        "Bewonerspanel voor nieuwe slimme projecten",
        "Een vaste groep bewoners denkt mee voordat de gemeente sensoren of camera's in de wijk plaatst.",
        "Zo weet je vooraf waarom iets wordt gemeten en wat er met de gegevens gebeurt. Dat bouwt vertrouwen.",
        "digital-services",
        "whole-city",
        "broad",
        comments=(("mohamed@example.org", "Goed plan. Loot de deelnemers, dan doen niet altijd dezelfde mensen mee."),),
    ),
    DemoIdea(
        "mohamed@example.org",
        "Tegels eruit, groen erin: een wedstrijd per straat",
        "Straten strijden wie de meeste tegels vervangt door groen, met een live scorebord.",
        "Het Nederlands Kampioenschap Tegelwippen bestaat al. Met een kaart per straat wordt het een buurtfeest.",
        "climate-adaptation",
        "palenstein",
        "broad",
    ),
    DemoIdea(
        "sanne@example.org",
        "Afvalbakken op looproutes naar school",
        "Meer afvalbakken op de routes waar scholieren lopen, met een sensor die meldt als ze vol zijn.",
        "Op de route naar de middelbare school ligt veel zwerfafval.",
        "public-space",
        "rokkeveen",
        "narrow",
        state="submitted",
    ),
    DemoIdea(
        "pieter@example.org",
        "Snelheidsdisplays op de Dorpsstraat",
        "Borden die je snelheid tonen en een smiley geven als je je aan de maximumsnelheid houdt.",
        "Er wordt hard gereden door de smalle straat. De displays kunnen ook anoniem tellen hoe druk het is.",
        "safety",
        "dorp",
        "narrow",
        state="submitted",
    ),
    DemoIdea(
        "fatima@example.org",
        "Wifi in alle buurthuizen",
        "Gratis en veilige wifi in buurthuizen, zodat iedereen er formulieren kan invullen en cursussen kan volgen.",
        "Veel mensen hebben thuis geen goede internetverbinding.",
        "digital-services",
        "seghwaert",
        "narrow",
        state="needs_changes",
    ),
    DemoIdea(
        "jeroen@example.org",
        "Een drone die de boomkwaliteit in parken controleert",
        "Laat een drone jaarlijks foto's maken van de bomen, zodat zieke bomen eerder worden gezien.",
        "Dat is sneller en goedkoper dan elke boom met de hand te controleren.",
        "public-space",
        "whole-city",
        "narrow",
        state="rejected",
    ),
    DemoIdea(
        "lotte@example.org",
        "Deelbakfietsen voor jonge gezinnen",
        "Elektrische bakfietsen die je per uur huurt via een app, bij de kinderopvang en de supermarkt.",
        "Een bakfiets is duur. Met deelbakfietsen kunnen gezinnen vaker de auto laten staan.",
        "mobility",
        "noordhove",
        "broad",
        state="withdrawn",
    ),
    DemoIdea(
        "kees@example.org",
        "Parkeersensoren bij het ziekenhuis",
        "Borden die aangeven hoeveel plekken er vrij zijn op de parkeerterreinen rond het ziekenhuis.",
        "Bezoekers rijden rondjes en komen te laat voor hun afspraak.",
        "mobility",
        "buytenwegh",
        "narrow",
    ),
    DemoIdea(
        "priya@example.org",
        "Gemeentelijke formulieren in eenvoudige taal en meer talen",
        "Alle formulieren van de gemeente op taalniveau B1, met een knop voor Engels, Turks en Arabisch.",
        "Veel inwoners begrijpen de brieven en formulieren niet goed. Dat kost hen en de gemeente tijd.",
        "digital-services",
        "whole-city",
        "broad",
    ),
    DemoIdea(
        "anna@example.org",
        "Hittestress meten met sensoren van bewoners",
        "Bewoners hangen kleine temperatuursensoren op, zodat we zien welke straten het heetst worden.",
        "Zo kan de gemeente gericht bomen planten en schaduw maken waar het het hardst nodig is.",
        "climate-adaptation",
        "oosterheem",
        "narrow",
        state="rejected",
    ),
    DemoIdea(
        "info@energiecooperatie.example",
        "Pilot slimme laadstations met buurtbatterij in Driemanspolder",
        "Vier laadstations en een buurtbatterij die overdag zonnestroom opslaat en 's avonds auto's laadt.",
        "Wij willen testen of een buurtbatterij de piekbelasting van het net in een woonwijk halveert.",
        "energy",
        "driemanspolder",
        "narrow",
        pilot={
            "pilot_what": "Een buurtbatterij van 200 kWh gekoppeld aan vier openbare laadstations en zonnepanelen op een school.",
            "pilot_where": "Parkeerplaats bij de basisschool in Driemanspolder",
            "pilot_duration_weeks": "52",
            "pilot_asks": ["space", "permits", "data"],
            "pilot_personal_data": "yes",
            "pilot_personal_data_details": "Laadsessies per pas (gepseudonimiseerd) om het laadpatroon te leren.",
            "pilot_partners": "Netbeheerder, TU Delft",
        },
        comments=(("kees@example.org", "Mooi dat het bij ons in de wijk kan. Wie mag er laden?"),),
    ),
    DemoIdea(
        "info@energiecooperatie.example",
        "Pilot energiecoach met slimme meter-inzicht",
        "Energiecoaches helpen huishoudens met een hoge energierekening, met inzicht uit hun eigen slimme meter.",
        "Met toestemming kijken we samen naar het verbruik en zoeken we besparingen. We meten het effect na een half jaar.",
        "energy",
        "palenstein",
        "broad",
        pilot={
            "pilot_what": "Huisbezoeken door energiecoaches, met een dashboard van het eigen verbruik.",
            "pilot_where": "Flats in Palenstein",
            "pilot_duration_weeks": "26",
            "pilot_asks": ["funding", "other"],
            "pilot_ask_details": "Hulp bij het bereiken van huishoudens.",
            "pilot_personal_data": "yes",
            "pilot_personal_data_details": "Meterstanden van deelnemers, alleen met hun toestemming.",
            "pilot_partners": "Woningcorporatie, Energieloket",
        },
    ),
    DemoIdea(
        "pilots@dip-labs.example",
        "Pilot digitale tweeling van het Stadshart",
        "Een 3D-model van het Stadshart waarin we drukte, hitte en wateroverlast kunnen simuleren.",
        "Met een digitale tweeling kunnen gemeente en ondernemers plannen testen voordat ze iets bouwen.",
        "digital-services",
        "centrum",
        "narrow",
        pilot={
            "pilot_what": "Een digitale tweeling op basis van open data (3D BAG, AHN) en anonieme tellingen.",
            "pilot_where": "Het Stadshart",
            "pilot_duration_weeks": "40",
            "pilot_asks": ["data"],
            "pilot_personal_data": "no",
            "pilot_partners": "Haagse Hogeschool, ondernemersvereniging Stadshart",
        },
    ),
    DemoIdea(
        "info@slimmelantaarn.example",
        "Pilot slimme bankjes met zonnepaneel en oplaadpunt",
        "Zes bankjes met een zonnepaneel, een USB-oplaadpunt en een sensor die de luchtkwaliteit meet.",
        "Wij testen of mensen de bankjes gebruiken en of de metingen betrouwbaar genoeg zijn voor open data.",
        "public-space",
        "rokkeveen",
        "narrow",
        pilot={
            "pilot_what": "Zonnebankjes met oplaadpunt en luchtkwaliteitssensor.",
            "pilot_where": "Park en pleinen in Rokkeveen",
            "pilot_duration_weeks": "20",
            "pilot_asks": ["space", "permits"],
            "pilot_personal_data": "no",
            "pilot_partners": "Wijkvereniging Rokkeveen",
        },
    ),
)


async def load_ideas_demo(settings: Settings, events: DomainEvents) -> int:
    """Create the demo ideas that do not exist yet (by title); returns how many were created.

    Decisions go through the same services as the moderators' (without the decision log):
    `events` are the app's, so spam signals and trending scores are what the app would produce.
    """
    emails = {d.author for d in DEMO_IDEAS} | {c[0] for d in DEMO_IDEAS for c in d.comments} | {MODERATOR}
    accounts = {a.email: a for a in await Account.objects().where(Account.email.is_in(sorted(emails)))}
    existing = set(
        await Idea.select(Idea.title).where(Idea.title.is_in([d.title for d in DEMO_IDEAS])).output(as_list=True)
    )
    moderator = accounts.get(MODERATOR)
    created = 0
    for demo in DEMO_IDEAS:
        author = accounts.get(demo.author)
        if demo.title in existing or author is None:
            continue
        kind = "pilot" if demo.pilot else "idea"
        form = {
            "title": demo.title,
            "summary": demo.summary,
            "body": demo.body,
            "theme": demo.theme,
            "neighbourhood": demo.neighbourhood,
            "scope": demo.scope,
            **demo_point(demo.title),
            **demo.pilot,
        }
        data = IdeaInput.from_form(form, list(demo.pilot.get("pilot_asks", [])), kind)
        idea, _ = await services.submit_idea(settings, author, data, events=events)
        created += 1
        if moderator is None:
            continue
        if demo.state == "rejected":
            await services.reject(
                idea.id,
                "Dit valt buiten wat de gemeente nu kan oppakken; zie de toelichting van de moderator.",
                events=events,
            )
        elif demo.state == "needs_changes":
            await services.request_changes(
                idea.id, "Kun je aangeven wie het repaircafé gaat organiseren?", events=events
            )
        elif demo.state == "withdrawn":
            await services.publish(settings, idea.id, events=events)
            await services.withdraw_idea(author, idea.id, "elsewhere", events=events)
        elif demo.state == "published":
            await services.publish(settings, idea.id, events=events)
            for email, text in demo.comments:
                if commenter := accounts.get(email):
                    await services.add_comment(commenter, idea.id, text, events=events)
    return created
