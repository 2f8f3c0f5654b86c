"""What other domains may add to the idea pages and the ideas API, without this package importing them.

The composition root (`participation.composition`) decides what goes in: voting adds the
support panel and progress, moderation the author's notices and the report and staff tools.
Controllers receive one `IdeaExtensions` through dependency injection.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from litestar import Request

from ideas.tables import Idea
from participation.accounts.tables import Account
from participation.settings import Settings

DetailContext = Callable[[Request, Idea], Awaitable[dict[str, Any]]]
ListContext = Callable[[Request, list[Idea]], Awaitable[dict[str, Any]]]
ApiDetail = Callable[[Settings, "Account | None", Idea], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class IdeaExtensions:
    detail_context: tuple[DetailContext, ...] = ()  # template context for ideas/detail.html
    list_context: tuple[ListContext, ...] = ()  # template context for a page of idea cards
    api_detail: tuple[ApiDetail, ...] = ()  # extra fields of the API's idea detail

    async def for_detail(self, request: Request, idea: Idea) -> dict[str, Any]:
        return await _merged(provider(request, idea) for provider in self.detail_context)

    async def for_list(self, request: Request, ideas: list[Idea]) -> dict[str, Any]:
        return await _merged(provider(request, ideas) for provider in self.list_context)

    async def for_api(self, settings: Settings, viewer: Account | None, idea: Idea) -> dict[str, Any]:
        return await _merged(provider(settings, viewer, idea) for provider in self.api_detail)


async def _merged(contributions) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for contribution in contributions:
        merged.update(await contribution)
    return merged
