"""Typed domain events: how a lower domain lets a higher one react, without importing it.

A domain defines its events as frozen dataclasses (e.g. `ideas.events.ContentWritten`). Which
handlers react is decided in one place, the composition root (`participation.composition.
build_parts`), which builds one immutable `DomainEvents` for the app and for every CLI command
alike. Handlers are awaited in order; an exception in one propagates to the caller, as any
other failure of the use case would.

Two kinds, said on each event class: most are published inside the use case's transaction, so
what a handler writes (a notification, an outbox message) commits or rolls back with the change
that caused it; handlers of those only write rows and never wait on the network (mail goes out
through the outbox). A few (`ContentWritten`, `IdeaActivity`) are published after the commit,
for derived data that must not hold the write lock.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

Event = TypeVar("Event")
Handler = Callable[[Any], Awaitable[None]]


class DomainEvents:
    """An immutable mapping of event type -> handlers, built once by the composition root."""

    def __init__(self, handlers: Mapping[type, tuple[Handler, ...]] | None = None) -> None:
        self._handlers: dict[type, tuple[Handler, ...]] = {
            kind: tuple(found) for kind, found in (handlers or {}).items()
        }

    async def publish(self, event: object) -> None:
        for handler in self._handlers.get(type(event), ()):
            await handler(event)

    def handlers(self, kind: type) -> tuple[Handler, ...]:
        """The handlers of one event type (for the README's list and the tests)."""
        return self._handlers.get(kind, ())

    def __repr__(self) -> str:
        listed = ", ".join(
            f"{kind.__name__}: [{', '.join(f'{h.__module__}.{h.__qualname__}' for h in found)}]"
            for kind, found in self._handlers.items()
        )
        return f"DomainEvents({listed})"


# Tests and tools that need no reactions (e.g. a pure service test) say so explicitly.
NO_EVENTS = DomainEvents()
