"""Algorithmic transparency: the fields of the algorithm register an entry's data-and-privacy block adds.

The Algorithmic Transparency Standard (the Dutch government's algoritmeregister, Amsterdam,
Utrecht, Eurocities) asks for fields the register had no place for. The ones it already had
stay where they are (purpose, lawful basis, source data, DPIA, contact); these are the rest:

| field | the standard's field |
|---|---|
| `decision_making` | decision-making process: which decisions the algorithm or sensors support, and how |
| `impact` | impact on residents and the city |
| `risks` | risks and how they are managed (risk management) |
| `risk_category` | risk category under the EU AI Act: `minimal`, `limited`, `high`, `unacceptable` |
| `proportionality` | proportionality and subsidiarity: why this means, and no lighter one |
| `human_intervention` | human intervention: who checks, can overrule or stop the outcome |
| `iama_url` | the IAMA (human rights and algorithms impact assessment); the DPIA has its own field |

All optional and NULL when unknown, like the rest of the block. The entry form, the API and
the exports use these names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import Enum
from typing import Any

from participation.i18n import N_
from participation.validation import Errors, check_length, clean_text


class RiskCategory(str, Enum):
    minimal = "minimal"
    limited = "limited"
    high = "high"
    unacceptable = "unacceptable"


FIELDS = (
    "decision_making",
    "impact",
    "risks",
    "risk_category",
    "proportionality",
    "human_intervention",
    "iama_url",
)
_TEXT_LIMITS = {
    "decision_making": 3000,
    "impact": 3000,
    "risks": 3000,
    "proportionality": 3000,
    "human_intervention": 3000,
}


def clean(raw: Mapping[str, Any], errors: Errors) -> dict[str, Any]:
    """The block's fields from a form or API body; unknown (blank) is None."""
    out: dict[str, Any] = {}
    for name, limit in _TEXT_LIMITS.items():
        out[name] = clean_text(raw.get(name)) or None
        if out[name]:
            check_length(errors, name, out[name], 1, limit)
    category = clean_text(raw.get("risk_category")) or None
    if category is not None and category not in {c.value for c in RiskCategory}:
        errors.add("risk_category", N_("Choose an option from the list."))
        category = None
    out["risk_category"] = category
    url = clean_text(raw.get("iama_url")) or None
    if url and (len(url) > 500 or not re.match(r"^https?://[^\s/]+\.[^\s]+$", url)):
        errors.add("iama_url", N_("Enter a web address starting with https://."))
    out["iama_url"] = url
    return out


def has_any(view: Mapping[str, Any]) -> bool:
    """Whether the entry page has anything of this block to show."""
    return any(view.get(name) for name in FIELDS)
