"""Where the demo ideas are (approximate points in Zoetermeer, inside their neighbourhood's demo
boundary), keyed by title like the demo ideas themselves."""

from __future__ import annotations

DEMO_PLACES: dict[str, tuple[float, float]] = {
    "Slimme fietsenstalling bij station Oosterheem": (52.0745, 4.5372),
    "Buurtbatterij voor Palenstein": (52.0502, 4.5121),
    "Regenwater opvangen onder het Rokkeveense schoolplein": (52.0383, 4.4705),
    "Slimme lantaarnpalen in het Dorp": (52.0598, 4.5093),
    "Deelauto's bij de nieuwbouw in Rokkeveen": (52.0352, 4.4620),
    "Sensoren voor luchtkwaliteit langs de A12": (52.0690, 4.4850),
    "Repaircafé met 3D-printer in de bibliotheek": (52.0590, 4.4912),
    "Slimme afvalcontainers die melden wanneer ze vol zijn": (52.0515, 4.5160),
    "Pilot adaptieve straatverlichting in Oosterheem": (52.0790, 4.5320),
    "Pilot autonome bezorgrobot op het Dutch Innovation Park": (52.0440, 4.5400),
    "Digitale buurtapp voor burenhulp in Seghwaert": (52.0830, 4.5110),
    "Waterstand van de Meerzichtplas live online": (52.0660, 4.4630),
    "Schoolstraten met slimme paaltjes in Noordhove": (52.0820, 4.4730),
    "Groene daken op bushokjes in Driemanspolder": (52.0495, 4.4580),
    "Taalcafé met vertaalhulp in De Leyens": (52.0712, 4.5105),
    "Veilige looproutes naar het station met betere verlichting": (52.0530, 4.5050),
    "Oud-Zoetermeer in een digitale wandeling": (52.0612, 4.5120),
    "Meer bankjes en watertappunten in het Stadshart": (52.0580, 4.4898),
    "Slimme verkeerslichten die fietsers voorrang geven": (52.0620, 4.4700),
    "Ruilkast voor spullen en gereedschap in Noordhove": (52.0850, 4.4800),
    "Geluidsmeters langs de spoorlijn": (52.0470, 4.4650),
    "Tegels eruit, groen erin: een wedstrijd per straat": (52.0480, 4.5080),
    "Snelheidsdisplays op de Dorpsstraat": (52.0605, 4.5100),
    "Parkeersensoren bij het ziekenhuis": (52.0700, 4.4920),
    "Pilot slimme laadstations met buurtbatterij in Driemanspolder": (52.0510, 4.4620),
    "Pilot digitale tweeling van het Stadshart": (52.0575, 4.4930),
    "Pilot slimme bankjes met zonnepaneel en oplaadpunt": (52.0395, 4.4750),
}


def demo_point(title: str) -> dict[str, str]:
    """The demo idea's point as form fields (none for an idea without a place)."""
    if title not in DEMO_PLACES:
        return {}
    latitude, longitude = DEMO_PLACES[title]
    return {"latitude": str(latitude), "longitude": str(longitude)}
