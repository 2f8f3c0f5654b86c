"""Comment text to HTML: plain text, links made clickable, line breaks kept; nothing else."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# Runs on escaped text: `&amp;` inside a URL stays part of it; `<` and `"` are already entities.
_URL_RE = re.compile(r"\bhttps?://(?:(?!&(?:lt|gt|quot|#34|#39);)[^\s])+", re.IGNORECASE)
_TRAILING = ".,;:!?)]'"


def _link(match: re.Match[str]) -> str:
    url = match.group(0)
    tail = ""
    while url and url[-1] in _TRAILING:
        url, tail = url[:-1], url[-1] + tail
    return f'<a class="utrecht-link" href="{url}" rel="nofollow ugc noopener">{url}</a>{tail}'


def render_comment(body: str) -> Markup:
    escaped = str(escape(body or ""))
    linked = _URL_RE.sub(_link, escaped)
    return Markup(linked.replace("\n", "<br>\n"))
