"""The composition root: the one place where the domains are wired to each other.

`build_parts(settings)` builds the application's cross-domain collaborators; `create_app`
and every CLI command (demo, tasks, accounts) use it, so the app and the command line run
with the same wiring. The layers, lowest first (a module imports only from its own layer or
below; tests/test_architecture.py checks it):

    shared      participation.settings, .database, .i18n, .validation, .lib, .outbox, ... (no domain)
    accounts    participation.accounts
    content     ideas, participation.register, participation.media
    voting      voting
    moderation  participation.moderation
    stats       participation.stats (public figures and staff exports: reads the tables of the layers below)
    notifications participation.notifications (who is told what; mail through the outbox)
    root        participation.composition, .core, .app, .cli, .pages, .tasks, .demo

A lower domain never calls a higher one. Where it must let a higher one react, it publishes a
typed event (below: who reacts to what), or accepts extensions to its pages (below: what each
page shows from higher domains). Nothing is registered at import or start-up anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from litestar.di import Provide

from ideas import erasure as ideas_erasure
from ideas import page_parts as ideas_parts
from ideas.events import CommentAdded, ContentWritten, IdeaActivity, IdeaStatusChanged
from ideas.extensions import IdeaExtensions
from participation.accounts.events import AccountErased, VerificationChanged
from participation.accounts.extensions import AccountSections
from participation.accounts.identity.pages import identity_section
from participation.accounts.two_factor_pages import two_factor_section
from participation.lib.events import DomainEvents
from participation.media import erasure as media_erasure
from participation.media import page_parts as media_parts
from participation.media.storage import Storage, build_storage
from participation.moderation import events as moderation_events
from participation.moderation import page_parts as moderation_parts
from participation.notifications import erasure as notifications_erasure
from participation.notifications import page_parts as notification_parts
from participation.notifications.handlers import NotificationHandlers
from participation.notifications.mailer import SendMail
from participation.notifications.services import Notifier
from participation.outbox.transport import Transport, build_transport
from participation.register import budget as register_budget
from participation.register import erasure as register_erasure
from participation.register.events import EntryUpdated
from participation.register.extensions import RegisterExtensions
from participation.settings import Settings
from voting import page_parts as voting_parts
from voting import trending as voting_trending
from voting.verified import VerifiedSupports


@dataclass(frozen=True)
class Parts:
    """Everything a use case may need besides its own domain: given to controllers by DI, to the CLI directly."""

    settings: Settings
    events: DomainEvents
    idea_extensions: IdeaExtensions
    account_sections: AccountSections
    register_extensions: RegisterExtensions
    notifier: Notifier
    # Where the outbox worker hands messages over (SMTP, the console and var/mail/, or memory).
    mail_transport: Transport
    # Where uploaded images and documents live (var/media/ or an S3-compatible store).
    media_storage: Storage

    def dependencies(self) -> dict[str, Provide]:
        """Litestar dependencies by name: a controller asks for e.g. `events: NamedDependency[DomainEvents]`."""
        values: dict[str, Any] = {
            "settings": self.settings,
            "events": self.events,
            "idea_extensions": self.idea_extensions,
            "account_sections": self.account_sections,
            "register_extensions": self.register_extensions,
            "media_storage": self.media_storage,
        }
        return {name: Provide(_constant(value), sync_to_thread=False) for name, value in values.items()}


def build_parts(settings: Settings, send_mail: SendMail | None = None) -> Parts:
    """`send_mail` replaces the outbox as the notifications' sender (tests record what would be sent)."""
    notifier = Notifier(settings, send_mail) if send_mail is not None else Notifier(settings)
    notifications = NotificationHandlers(notifier)
    verified_supports = VerifiedSupports(settings)
    # Who reacts to which domain event: after the commit (ContentWritten, IdeaActivity) or inside
    # the change's transaction (the rest: what they write commits or rolls back with the change).
    events = DomainEvents(
        {
            ContentWritten: (moderation_events.on_content_written,),
            IdeaActivity: (voting_trending.on_idea_activity,),
            IdeaStatusChanged: (notifications.on_idea_status_changed,),
            CommentAdded: (notifications.on_comment_added,),
            EntryUpdated: (notifications.on_entry_updated,),
            # Inside the deletion's transaction: what only concerned the person, and quotes of their name.
            AccountErased: (
                ideas_erasure.on_account_erased,
                register_erasure.on_account_erased,
                notifications_erasure.on_account_erased,
                media_erasure.on_account_erased,
            ),
            # Inside the verification's transaction: the verified supports of the account's ideas, and
            # routing where the city counts only those.
            VerificationChanged: (verified_supports.on_verification_changed,),
        }
    )
    verified_supports.events = events  # routing from that handler announces the status change
    return Parts(
        settings=settings,
        events=events,
        # What the idea pages and the ideas API show from higher domains, in this order.
        idea_extensions=IdeaExtensions(
            detail_context=(
                partial(voting_parts.idea_detail, events=events),
                moderation_parts.idea_detail,
                media_parts.idea_detail,
            ),
            list_context=(voting_parts.idea_cards,),
            api_detail=(partial(voting_parts.idea_api_detail, events=events), media_parts.idea_api_detail),
        ),
        # The account page's sections, in this order.
        account_sections=AccountSections(
            (
                ideas_parts.my_ideas_section,
                voting_parts.my_supports_section,
                moderation_parts.notices_section,
                notification_parts.settings_section,
                two_factor_section,
                partial(identity_section, settings),
            )
        ),
        # What a register entry's page shows from higher domains: the ideas it came from.
        register_extensions=RegisterExtensions(
            entry_context=(voting_parts.entry_sources, register_budget.entry_budget_context, media_parts.entry_detail)
        ),
        notifier=notifier,
        mail_transport=build_transport(settings),
        media_storage=build_storage(settings.media_storage_url, settings.var_dir),
    )


def _constant(value: Any):
    def provide() -> Any:
        return value

    return provide
