"""Demo data: a few residents, two organisations and staff for a first look. Idempotent.

Each domain keeps its own demo loader (keyed so that a second run creates nothing
new); this module runs them in order: accounts, register, ideas, supports, moderation.
"""

from __future__ import annotations

from dataclasses import dataclass

from ideas.demo import load_ideas_demo
from participation.accounts import services, two_factor
from participation.accounts.tables import Account, Role
from participation.composition import Parts
from participation.moderation.demo import load_moderation_demo
from participation.register.demo import load_register_demo
from participation.settings import Settings
from voting.demo import load_voting_demo

DEMO_PASSWORD = "smart-city-demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: Role = Role.member
    organisation: str | None = None
    kvk: str | None = None
    neighbourhood: str | None = None
    # Staff sign in with a second factor: the demo's keys are fixed and printed at start-up, so anyone
    # trying the demo can add them to an authenticator app (public keys: never use them for real accounts).
    two_factor_secret: str | None = None


DEMO_ACCOUNTS = (
    DemoAccount("anna@example.org", "Anna de Vries", neighbourhood="oosterheem"),
    DemoAccount("mohamed@example.org", "Mohamed El Amrani", neighbourhood="palenstein"),
    DemoAccount("sanne@example.org", "Sanne Bakker", neighbourhood="rokkeveen"),
    DemoAccount("pieter@example.org", "Pieter Jansen", neighbourhood="dorp"),
    DemoAccount("fatima@example.org", "Fatima Yilmaz", neighbourhood="seghwaert"),
    DemoAccount("jeroen@example.org", "Jeroen de Boer", neighbourhood="meerzicht"),
    DemoAccount("lotte@example.org", "Lotte Vermeulen", neighbourhood="noordhove"),
    DemoAccount("kees@example.org", "Kees van Dijk", neighbourhood="driemanspolder"),
    DemoAccount("priya@example.org", "Priya Ramdin", neighbourhood="de-leyens"),
    DemoAccount("info@slimmelantaarn.example", "Eva Smit", organisation="Slimme Lantaarn B.V.", kvk="12345678"),
    DemoAccount("pilots@dip-labs.example", "Ruben Visser", organisation="DIP Labs", kvk="87654321"),
    DemoAccount(
        "info@energiecooperatie.example", "Bram Hoekstra", organisation="Energiecoöperatie Zoetermeer", kvk="23456789"
    ),
    DemoAccount(
        "moderator@example.org",
        "Moderator Gemeente",
        role=Role.moderator,
        two_factor_secret="SMARTCITYDEMOMODERATORZOETERMEER",
    ),
    DemoAccount(
        "editor@example.org",
        "Redactie Smart City",
        role=Role.editor,
        two_factor_secret="SMARTCITYDEMOEDITORZOETERMEERTWO",
    ),
    DemoAccount(
        "admin@example.org", "Beheerder", role=Role.admin, two_factor_secret="SMARTCITYDEMOADMINZOETERMEERFOUR"
    ),
)


async def load_demo(parts: Parts) -> list[tuple[DemoAccount, bool]]:
    """Create the demo data that does not exist yet; returns (account, created) pairs."""
    settings = parts.settings
    accounts = await _load_accounts(settings)
    await load_register_demo(settings)
    await load_ideas_demo(settings, parts.events)
    await load_voting_demo(settings, parts.events)
    await load_moderation_demo(settings, parts.events)
    return accounts


async def _load_accounts(settings: Settings) -> list[tuple[DemoAccount, bool]]:
    result = []
    existing = set(await Account.select(Account.email).output(as_list=True))
    for demo in DEMO_ACCOUNTS:
        created = demo.email not in existing
        if created:
            account = await services.create_account(
                settings,
                email=demo.email,
                name=demo.name,
                password=DEMO_PASSWORD,
                role=demo.role,
                organisation=demo.organisation,
                kvk=demo.kvk,
                neighbourhood=demo.neighbourhood,
            )
        else:
            account = await Account.objects().get(Account.email == demo.email)
        if demo.two_factor_secret and not await two_factor.is_enabled(account):
            await two_factor.set_up(account, demo.two_factor_secret)
        result.append((demo, created))
    return result
