"""Reading rendered pages as a browser or screen reader would: elements, attributes, text and its language.

The standard library's HTML parser is enough for these assertions; it keeps a stack of open
elements so a piece of text knows its nearest `lang`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    lang: str
    text: str = ""
    ancestors: list[str] = field(default_factory=list)

    def has_class(self, name: str) -> bool:
        return name in self.attrs.get("class", "").split()


@dataclass
class TextNode:
    text: str
    lang: str
    ancestors: list[Element]


class Page(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.texts: list[TextNode] = []
        self._open: list[Element] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: (v if v is not None else "") for k, v in attrs}
        lang = values.get("lang") or (self._open[-1].lang if self._open else "")
        element = Element(tag, values, lang, ancestors=[e.tag for e in self._open])
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self._open and self._open[-1].tag == tag:
            self._open.pop()

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i].tag == tag:
                del self._open[i:]
                break

    def handle_data(self, data: str) -> None:
        if not data.strip():
            return
        for element in self._open:
            element.text += data
        self.texts.append(TextNode(data, self._open[-1].lang if self._open else "", list(self._open)))

    # -- queries -------------------------------------------------------------------
    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.elements
            if (tag is None or e.tag == tag)
            and all(e.attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())
        ]

    def one(self, tag: str | None = None, **attrs: str) -> Element:
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"expected one <{tag}> with {attrs}, found {len(found)}"
        return found[0]

    def by_id(self, element_id: str) -> Element:
        return self.one(id=element_id)

    def lang_of(self, text: str) -> str:
        """The language a screen reader uses for the text node that contains `text`."""
        nodes = [t for t in self.texts if text in t.text and not any(e.tag == "head" for e in t.ancestors)]
        assert nodes, f"{text!r} is not on the page"
        return nodes[0].lang

    @property
    def text(self) -> str:
        return " ".join(" ".join(t.text.split()) for t in self.texts)
