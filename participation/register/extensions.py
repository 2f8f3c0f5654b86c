"""What other domains may add to a register entry's page, without the register importing them.

The composition root (`participation.composition`) decides what goes in: voting adds the ideas
the entry came from (its routing records) and, for editors, the way to link further ideas.
The register controller receives one `RegisterExtensions` through dependency injection.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from litestar import Request

# (request, the entry's public view, its internal id) -> extra template context for register/entry.html
EntryContext = Callable[[Request, dict[str, Any], int], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class RegisterExtensions:
    entry_context: tuple[EntryContext, ...] = ()

    async def for_entry(self, request: Request, entry: dict[str, Any], entry_id: int) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for provider in self.entry_context:
            merged.update(await provider(request, entry, entry_id))
        return merged
