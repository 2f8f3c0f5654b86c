"""Dutch text for generated scale data: idea titles, summaries, bodies, comments and names.

Built from a smart-city vocabulary so that search behaves as on a real platform: common words
("sensor", "slimme", "data") match thousands of ideas, rarer ones a few. Pure functions of a
`random.Random`, so a seed gives the same texts on every engine.
"""

from __future__ import annotations

import random

# (plural noun as written in a title, a sentence about it); "sensor" is deliberately common.
SUBJECTS = (
    ("sensoren voor luchtkwaliteit", "Goedkope sensoren meten fijnstof en stikstof en publiceren de metingen."),
    ("slimme lantaarnpalen", "Lantaarnpalen met een bewegingssensor dimmen als de straat leeg is."),
    ("laadpalen", "Laadpalen die laden als er veel zonnestroom is, met een sensor voor de bezetting."),
    ("parkeersensoren", "Een sensor per parkeerplek laat zien waar nog plaats is."),
    ("slimme afvalcontainers", "Containers met een vulgraadsensor melden wanneer ze geleegd moeten worden."),
    ("een buurtbatterij", "Een gedeelde batterij slaat zonnestroom op voor de avond."),
    ("deelauto's", "Elektrische deelauto's op vaste plekken bij de nieuwbouw."),
    ("deelfietsen", "Deelfietsen en bakfietsen die je met een app per uur huurt."),
    ("een fietsenstalling met sensoren", "Een sensor per rek toont hoeveel plekken er nog vrij zijn."),
    ("slimme verkeerslichten", "Verkeerslichten die fietsers met een sensor zien aankomen."),
    ("wifi in buurthuizen", "Gratis en veilige wifi zodat iedereen online formulieren kan invullen."),
    ("een open data dashboard", "De gemeente publiceert de metingen als open data op een dashboard."),
    ("geluidsmeters", "Geluidssensoren langs de weg en het spoor meten het lawaai 's nachts."),
    ("waterpeilsensoren", "Sensoren meten het waterpeil en waarschuwen bij wateroverlast."),
    ("hittesensoren", "Temperatuursensoren van bewoners laten zien welke straten het heetst worden."),
    ("een digitale tweeling", "Een 3D-model met data over drukte, hitte en water om plannen te testen."),
    ("groene daken", "Sedumdaken vangen regenwater op; een sensor meet hoeveel."),
    ("slimme bankjes", "Bankjes met een zonnepaneel, een oplaadpunt en een sensor voor de luchtkwaliteit."),
    ("snelheidsdisplays", "Borden tonen je snelheid en tellen anoniem hoeveel auto's er rijden."),
    ("een buurtapp", "Een app zonder advertenties waarin buren elkaar helpen."),
    ("drones voor boominspectie", "Een drone fotografeert de bomen zodat zieke bomen eerder worden gezien."),
    ("camera's met privacy", "Camera's die alleen tellen en geen beelden bewaren."),
    ("slimme regentonnen", "Regentonnen die voor een bui automatisch leeglopen."),
    ("een meldingen-app", "Een melding over de openbare ruimte krijgt binnen een week antwoord."),
    ("bezettingssensoren in sporthallen", "Online zien wanneer een sporthal vrij is, gemeten met sensoren."),
    ("slimme paaltjes bij scholen", "Paaltjes sluiten de straat bij het begin en einde van de schooldag."),
    ("energiecoaches met slimme meter", "Inzicht uit de slimme meter helpt huishoudens energie te besparen."),
    ("watertappunten", "Drinkwater en schaduw op looproutes, met een kaart van koele plekken."),
)
OPENINGS = ("Plaats", "Graag", "Tijd voor", "Meer", "Proef met", "Test", "Samen aan de slag met", "Betere")
PURPOSES = (
    "voor schonere lucht",
    "tegen wateroverlast",
    "voor veiliger fietsen",
    "voor minder energieverbruik",
    "voor een groenere wijk",
    "voor ouderen en jonge ouders",
    "tegen zwerfafval",
    "voor minder zoekverkeer",
    "zodat bewoners meer weten",
    "voor een stillere nacht",
)
BENEFITS = (
    "Bewoners willen weten hoe het met hun wijk gaat.",
    "Dat scheelt geld en energie.",
    "Andere steden doen het al met goede resultaten.",
    "De data kan als open data online, zonder persoonsgegevens.",
    "Het helpt vooral mensen die slecht ter been zijn.",
    "Kinderen kunnen dan veiliger naar school.",
    "Met metingen voeren we het gesprek op basis van feiten.",
    "Het wijkcentrum en de bibliotheek willen meedoen.",
    "Begin klein, in een straat, en meet het effect na een half jaar.",
    "Vraag bewoners vooraf wat zij belangrijk vinden.",
)
COMMENT_OPENINGS = (
    "Goed idee!",
    "Mooi plan.",
    "Ik twijfel nog.",
    "Eens met de vorige reactie.",
    "Bij ons in de straat speelt dit ook.",
    "Wie betaalt dit?",
    "Graag ook aandacht voor privacy.",
    "Dit zou ik meteen gebruiken.",
    "Is dit al eens geprobeerd?",
    "Top, ik steun het.",
)
COMMENT_DETAILS = (
    "Kan de data ook als open data online?",
    "Denk ook aan mensen zonder smartphone.",
    "Hoe lang gaat zo'n sensor mee?",
    "In Delft werkt dit goed.",
    "Let op de kosten van onderhoud.",
    "Betrek de school en de wijkvereniging erbij.",
    "Graag eerst een proef in één straat.",
    "Wat gebeurt er met de gegevens?",
    "'s Avonds is het hier echt onveilig.",
    "Ik help graag mee als vrijwilliger.",
)
FIRST_NAMES = (
    "Anna Daan Emma Sem Julia Lucas Mila Finn Sophie Levi Noor Milan Sara Jesse Fleur Noah Lotte Bram Eva Ruben "
    "Fatima Mohamed Yusuf Aisha Priya Ravi Mei Wei Olga Piotr Ana Jorge Amira Omar Zeynep Emre"
).split()
LAST_NAMES = (
    "de Jong;Jansen;de Vries;van den Berg;van Dijk;Bakker;Janssen;Visser;Smit;Meijer;de Boer;Mulder;de Groot;Bos;"
    "Vos;Peters;Hendriks;van Leeuwen;Dekker;Brouwer;El Amrani;Yilmaz;Ramdin;Kaya;Nowak;Chen;Öztürk;Bouzid"
).split(";")
ORGANISATION_KINDS = ("B.V.", "Labs", "Coöperatie", "Stichting", "Innovatie", "Techniek")


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def organisation_name(rng: random.Random, number: int) -> str:
    return f"{rng.choice(LAST_NAMES).split()[-1]} {rng.choice(ORGANISATION_KINDS)} {number}"


def idea_text(rng: random.Random, place: str) -> tuple[str, str, str]:
    """(title, summary, body) for an idea in `place` (a neighbourhood's name)."""
    subject, sentence = rng.choice(SUBJECTS)
    purpose = rng.choice(PURPOSES)
    title = f"{rng.choice(OPENINGS)} {subject} in {place} {purpose}"[:120]
    summary = f"{sentence} {rng.choice(BENEFITS)}"[:300]
    paragraphs = [sentence, *rng.sample(BENEFITS, 3), f"Het gaat om {subject} {purpose}."]
    return title, summary, "\n\n".join(paragraphs)


def comment_text(rng: random.Random) -> str:
    return f"{rng.choice(COMMENT_OPENINGS)} {rng.choice(COMMENT_DETAILS)}"
