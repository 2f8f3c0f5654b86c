"""Where the demo register projects are and which sensors they list (approximate points in
Zoetermeer), keyed by the demo entries' slugs."""

from __future__ import annotations

from typing import Any


def _sensor(kind: str, measures: str, mobile: bool | None, location: str, point: tuple[float, float] | None = None):
    latitude, longitude = point or (None, None)
    return {
        "kind": kind,
        "measures": measures,
        "mobile": mobile,
        "location": location,
        "latitude": latitude,
        "longitude": longitude,
    }


DEMO_PLACES: dict[str, dict[str, Any]] = {
    "slimme-parkeersensoren": {
        "latitude": 52.0585,
        "longitude": 4.4880,
        "sensors": [
            _sensor(
                "Parkeersensor in het wegdek",
                "Bezetting van het parkeervak",
                False,
                "Parkeerterrein Stadshart",
                (52.0588, 4.4875),
            ),
            _sensor(
                "Parkeersensor in het wegdek", "Bezetting van het parkeervak", False, "Europaweg", (52.0562, 4.4858)
            ),
        ],
    },
    "hittestress-meetnet": {
        "sensors": [
            _sensor(
                "Temperatuursensor",
                "Temperatuur en luchtvochtigheid",
                False,
                "Lantaarnpaal Palenstein",
                (52.0505, 4.5130),
            ),
            _sensor(
                "Temperatuursensor",
                "Temperatuur en luchtvochtigheid",
                False,
                "Lantaarnpaal Meerzicht",
                (52.0655, 4.4610),
            ),
            _sensor("Meetfiets", "Temperatuur onderweg", True, "Routes door de wijken"),
        ],
    },
    "drukte-tellen-station": {
        "latitude": 52.0555,
        "longitude": 4.4820,
        "sensors": [
            _sensor(
                "Telcamera",
                "Aantal passanten (telt alleen, slaat geen beelden op)",
                False,
                "Station Centrum-West",
                (52.0556, 4.4822),
            ),
        ],
    },
    "bezorgrobot-bedrijventerrein": {
        "latitude": 52.0445,
        "longitude": 4.5395,
        "sensors": [_sensor("Lidar op de robot", "Afstand tot obstakels", True, "Dutch Innovation Park")],
    },
    "slimme-regentonnen": {"latitude": 52.0705, "longitude": 4.4880},
    "deelfietsen-in-de-wijk": {"latitude": 52.0760, "longitude": 4.5400},
    "dimmende-straatverlichting": {"latitude": 52.0830, "longitude": 4.5050},
}
