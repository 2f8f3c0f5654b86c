"""`/region`: other municipalities' register entries, imported from their open data (read-only)."""

from __future__ import annotations

import math

from litestar import Controller, get
from litestar.response import Template

from participation.register import region
from participation.validation import PageNumber


class RegionPages(Controller):
    path = "/region"
    include_in_schema = False

    @get("/", name="region_index")
    async def index(self, page: PageNumber = 1) -> Template:
        entries, total = await region.region_page(page=page)
        pages = max(1, math.ceil(total / region.PER_PAGE))
        return Template(
            "register/region.html",
            context={
                "sources": await region.region_sources(),
                "entries": entries,
                "total": total,
                "paging": {
                    "page": page,
                    "pages": pages,
                    "previous": f"/region?page={page - 1}" if page > 1 else None,
                    "next": f"/region?page={page + 1}" if page < pages else None,
                },
            },
        )
