"""Form-true testing: submit a form exactly as a browser would send it from the rendered page.

Hand-made POST data tests what the test author expected the page to send; a field the
template renders under another name (or not at all) then still passes. Here the page is
loaded, its form parsed with an HTML5 parser (selectolax/lexbor, the same tree a browser
builds), and only what a person can change is filled:

    form = await open_form(client, "/moderation/ideas/7", action="/moderation/ideas/7/reject")
    form.fill(category="spam", message="Dit is reclame voor een bedrijf.")
    page = await follow(client, await form.submit(client))

A file input is filled with `form.attach(name, file_name, content)`; its form must say
`enctype="multipart/form-data"` (as a browser needs), and is then sent as multipart.

The submitted data follows the HTML standard's form data set: every named, enabled
control owned by the form (nested or linked by `form="id"`) in tree order: inputs
(including hidden ones and the CSRF token), checked checkboxes and radios only, selects
with their selected option (or the first enabled one), textareas, and the name/value of
the button that was pressed. Filling a name the form does not have, a hidden or disabled
control, or an option the page does not offer fails the test with what the form offers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urlencode, urljoin, urlsplit, urlunsplit

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = [
    "Form",
    "Problems",
    "follow",
    "form_on",
    "forms_on",
    "open_form",
    "page_problems",
    "redirect_target",
    "expect_status",
    "text_of",
]

LISTED = "input, button, select, textarea"
NOT_SUBMITTED_INPUTS = {"reset", "button", "image"}
SUBMIT_INPUTS = {"submit"}
# Characters no field name of ours contains; seen when markup was escaped into an attribute.
MANGLED_NAME = re.compile(r"[\"'<>&]|^\s|\s$")


def _squash(text: str | None) -> str:
    return " ".join((text or "").split())


def _has(node: LexborNode, attribute: str) -> bool:
    return attribute in node.attributes


def _attr(node: LexborNode, attribute: str, default: str = "") -> str:
    value = node.attributes.get(attribute, default)
    return default if value is None else value


def _option_value(option: LexborNode) -> str:
    if _has(option, "value"):
        return _attr(option, "value")
    return _squash(option.text(deep=True))


def _crlf(value: str) -> str:
    """Browsers send every line break in a name or value as CRLF."""
    return re.sub(r"\r\n|\r|\n", "\r\n", value)


def _same(a: LexborNode | None, b: LexborNode | None) -> bool:
    return a is not None and b is not None and a.mem_id == b.mem_id


def _ancestors(node: LexborNode):
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _is_disabled(node: LexborNode) -> bool:
    """Disabled itself, or inside a disabled fieldset (but not inside that fieldset's first legend)."""
    if _has(node, "disabled"):
        return True
    if node.tag == "option":
        return False
    child = node
    for ancestor in _ancestors(node):
        if ancestor.tag == "fieldset" and _has(ancestor, "disabled"):
            first_legend = next((c for c in ancestor.iter() if c.tag == "legend"), None)
            if not _same(first_legend, child):
                return True
        child = ancestor
    return False


def _button_kind(node: LexborNode) -> str:
    """'submit', 'other' or '' (not a button) for a listed control."""
    if node.tag == "button":
        return "submit" if _attr(node, "type", "submit").lower() not in ("button", "reset") else "other"
    if node.tag == "input":
        kind = _attr(node, "type", "text").lower()
        if kind in SUBMIT_INPUTS:
            return "submit"
        if kind in ("button", "reset"):
            return "other"
    return ""


def _button_text(node: LexborNode) -> str:
    if node.tag == "input":
        return _squash(_attr(node, "value"))
    return _squash(node.text(deep=True))


@dataclass
class _Control:
    node: LexborNode
    name: str
    kind: str  # text-like input type, "checkbox", "radio", "hidden", "select", "textarea", "submit", "file"
    disabled: bool
    value: str = ""  # text value, or the checkbox/radio value
    checked: bool = False
    options: list[tuple[str, bool, bool]] = field(default_factory=list)  # (value, selected, disabled)
    multiple: bool = False
    readonly: bool = False
    maxlength: int | None = None
    upload: tuple[str, bytes, str] | None = None  # a file input's chosen file: (name, content, type)


class Form:
    """One form as a browser holds it: its target, its controls and their current state."""

    def __init__(self, document: LexborHTMLParser, node: LexborNode, page_url: str, *, strict: bool = True):
        self.document = document
        self.node = node
        self.page_url = page_url
        self.method = _attr(node, "method", "get").lower()
        if self.method not in ("get", "post", "dialog"):
            self.method = "get"
        self.enctype = _attr(node, "enctype", "application/x-www-form-urlencoded").lower()
        action = _attr(node, "action").strip()
        self.action = urljoin(page_url, action) if action else page_url
        self.controls: list[_Control] = []
        self.buttons: list[LexborNode] = []
        for control in self._owned_controls():
            self._add(control)
        self.pressed: LexborNode | None = next((b for b in self.buttons if not _is_disabled(b)), None)
        if strict:
            self.check_names()

    # -- reading the form ---------------------------------------------------------
    def _owned_controls(self) -> list[LexborNode]:
        """The controls this form owns, in tree order: descendants and `form="id"` controls elsewhere."""
        form_id = _attr(self.node, "id")
        owned = []
        for control in self.document.css(LISTED):
            if _has(control, "form"):
                if form_id and _attr(control, "form") == form_id:
                    owned.append(control)
                continue
            owner = next((a for a in _ancestors(control) if a.tag == "form"), None)
            if _same(owner, self.node):
                owned.append(control)
        return owned

    def _add(self, node: LexborNode) -> None:
        button = _button_kind(node)
        if button == "submit":
            self.buttons.append(node)
            return
        if button == "other":
            return
        name = _attr(node, "name")
        disabled = _is_disabled(node)
        if node.tag == "textarea":
            self.controls.append(
                _Control(
                    node,
                    name,
                    "textarea",
                    disabled,
                    value=node.text(deep=True),
                    readonly=_has(node, "readonly"),
                    maxlength=_maxlength(node),
                )
            )
        elif node.tag == "select":
            options = [(_option_value(o), _has(o, "selected"), _is_disabled(o)) for o in node.css("option")]
            self.controls.append(
                _Control(node, name, "select", disabled, options=options, multiple=_has(node, "multiple"))
            )
        elif node.tag == "input":
            kind = _attr(node, "type", "text").lower()
            if kind in NOT_SUBMITTED_INPUTS:
                return
            if kind in ("checkbox", "radio"):
                self.controls.append(
                    _Control(
                        node, name, kind, disabled, value=_attr(node, "value", "on"), checked=_has(node, "checked")
                    )
                )
            else:
                self.controls.append(
                    _Control(
                        node,
                        name,
                        kind,
                        disabled,
                        value=_sanitize(kind, _attr(node, "value")),
                        readonly=_has(node, "readonly"),
                        maxlength=_maxlength(node),
                    )
                )

    def check_names(self) -> None:
        """Fail on names no browser should post: quotes or markup escaped into the attribute."""
        mangled = [c.name for c in self.controls if MANGLED_NAME.search(c.name)]
        mangled += [_attr(b, "name") for b in self.buttons if MANGLED_NAME.search(_attr(b, "name"))]
        if mangled:
            pytest.fail(
                f"form {self.action} has mangled field names {mangled!r}: the browser posts them as written, "
                "with the quotes, and the handler never sees the field"
            )

    @property
    def names(self) -> list[str]:
        """Names of the controls a person can change (no hidden or disabled ones), in page order."""
        seen: list[str] = []
        for c in self.controls:
            if c.name and not c.disabled and c.kind != "hidden" and c.name not in seen:
                seen.append(c.name)
        return seen

    @property
    def button_texts(self) -> list[str]:
        return [_button_text(b) for b in self.buttons]

    def options(self, name: str) -> list[str]:
        """The values a person can choose for a select, radio group or checkbox group."""
        controls = self._fillable(name)
        if controls[0].kind == "select":
            return [value for value, _, disabled in controls[0].options if not disabled]
        return [c.value for c in controls]

    def __repr__(self) -> str:
        return f"<Form {self.method.upper()} {self.action} fields={self.names} buttons={self.button_texts}>"

    # -- what a person does ---------------------------------------------------------
    def _fillable(self, name: str) -> list[_Control]:
        controls = [c for c in self.controls if c.name == name]
        if not controls:
            pytest.fail(f"form {self.action} has no field {name!r}; a person can fill: {self.names}")
        usable = [c for c in controls if not c.disabled and c.kind != "hidden" and not c.readonly]
        if not usable:
            state = "hidden" if controls[0].kind == "hidden" else "disabled or read-only"
            pytest.fail(f"field {name!r} of form {self.action} is {state}: a person cannot fill it")
        return usable

    def fill(self, values: Mapping[str, Any] | None = None, /, **fields: Any) -> Form:
        """Type into text fields, choose options, tick boxes. Names that are not identifiers go in `values`.

        Text: a string. Select: the option's value (a list for `multiple`). Radio group: the value.
        Checkbox: True/False for a single box; for a group a value or list of values (exactly those ticked).
        """
        for name, value in {**(values or {}), **fields}.items():
            controls = self._fillable(name)
            kind = controls[0].kind
            if kind == "select":
                self._choose(controls[0], value)
            elif kind == "radio":
                self._tick(name, controls, [value], single=True)
            elif kind == "checkbox":
                if isinstance(value, bool):
                    if len(controls) > 1 and value:
                        pytest.fail(f"{name!r} is a group of {len(controls)} boxes: say which values to tick")
                    chosen = [c.value for c in controls] if value else []
                else:
                    chosen = [value] if isinstance(value, str) else list(value)
                self._tick(name, controls, chosen, single=False)
            else:
                if len(controls) > 1:
                    pytest.fail(f"form {self.action} has {len(controls)} text fields named {name!r}")
                control = controls[0]
                if not isinstance(value, str):
                    pytest.fail(f"type text into {name!r}, not {value!r}")
                if control.maxlength is not None and len(value) > control.maxlength:
                    pytest.fail(f"{name!r} takes at most {control.maxlength} characters; a browser stops typing there")
                control.value = _sanitize(control.kind, value)
        return self

    def attach(self, name: str, file_name: str, content: bytes, content_type: str = "application/octet-stream") -> Form:
        """Choose a file for a file input, as a person does in the file picker."""
        controls = [c for c in self.controls if c.name == name and c.kind == "file"]
        if not controls or controls[0].disabled:
            pytest.fail(f"form {self.action} has no usable file input {name!r}")
        controls[0].upload = (file_name, content, content_type)
        return self

    def _choose(self, control: _Control, value: Any) -> None:
        wanted = [value] if isinstance(value, str) else list(value)
        if len(wanted) > 1 and not control.multiple:
            pytest.fail(f"select {control.name!r} takes one option, not {wanted!r}")
        offered = [v for v, _, disabled in control.options if not disabled]
        for item in wanted:
            if item not in offered:
                pytest.fail(
                    f"select {control.name!r} of form {self.action} offers no option {item!r}; it offers {offered}"
                )
        control.options = [(v, v in wanted and not disabled, disabled) for v, _, disabled in control.options]

    def _tick(self, name: str, controls: list[_Control], chosen: list[Any], single: bool) -> None:
        offered = [c.value for c in controls]
        for item in chosen:
            if item not in offered:
                what = "radio group" if single else "checkboxes"
                pytest.fail(f"{what} {name!r} of form {self.action} offers no value {item!r}; it offers {offered}")
        for control in controls:
            control.checked = control.value in chosen

    def press(self, text: str) -> Form:
        """Choose the submit button by its visible text (default: the first one, as Enter does)."""
        matches = [b for b in self.buttons if _button_text(b) == _squash(text)]
        if not matches:
            pytest.fail(f"form {self.action} has no button {text!r}; it has {self.button_texts}")
        if _is_disabled(matches[0]):
            pytest.fail(f"button {text!r} of form {self.action} is disabled")
        self.pressed = matches[0]
        return self

    # -- what the browser sends -----------------------------------------------------
    def data(self) -> list[tuple[str, str]]:
        """The form data set: (name, value) pairs in tree order, line breaks as CRLF."""
        pairs: list[tuple[str, str]] = []
        for c in self.controls:
            if not c.name or c.disabled:
                continue
            if c.kind in ("checkbox", "radio"):
                if c.checked:
                    pairs.append((c.name, c.value))
            elif c.kind == "select":
                pairs += [(c.name, v) for v in _selected(c)]
            elif c.kind != "file":
                pairs.append((c.name, c.value))
        if self.pressed is not None and _attr(self.pressed, "name"):
            pairs = self._with_button(pairs)
        return [(_crlf(n), _crlf(v)) for n, v in pairs]

    def _with_button(self, pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The pressed button's entry sits where the button stands in the form."""
        pressed = self.pressed
        assert pressed is not None
        entry = (_attr(pressed, "name"), _attr(pressed, "value"))
        owned = self._owned_controls()
        position = next(i for i, n in enumerate(owned) if _same(n, pressed))
        before = {n.mem_id for n in owned[:position]}
        index = sum(len(_entries(c)) for c in self.controls if c.node.mem_id in before and _contributes(c))
        return [*pairs[:index], entry, *pairs[index:]]

    def request(self) -> tuple[str, str, dict[str, str], bytes | None]:
        """(method, url, headers, body) of the navigation a browser makes when the form is submitted."""
        method, action, enctype = self.method, self.action, self.enctype
        if self.pressed is not None:
            if _has(self.pressed, "formaction") and _attr(self.pressed, "formaction").strip():
                action = urljoin(self.page_url, _attr(self.pressed, "formaction").strip())
            method = _attr(self.pressed, "formmethod", method).lower() or method
            enctype = _attr(self.pressed, "formenctype", enctype).lower() or enctype
        url = urldefrag(action).url
        if method == "get":
            parts = urlsplit(url)
            return "GET", urlunsplit(parts._replace(query=urlencode(self.data()))), {}, None
        if method != "post":
            pytest.fail(f"form {self.action} has method {method!r}: a browser does not send it to the server")
        if enctype == "multipart/form-data":
            return "POST", url, *self._multipart(url)
        files = [c for c in self.controls if c.kind == "file" and c.upload is not None]
        if files:
            pytest.fail(f"form {self.action} has a file but posts {enctype!r}: a browser sends only the file's name")
        if enctype != "application/x-www-form-urlencoded":
            pytest.fail(f"form {self.action} posts {enctype!r}: the form helper sends urlencoded and multipart forms")
        headers = {"content-type": "application/x-www-form-urlencoded"}
        return "POST", url, headers, urlencode(self.data()).encode()

    def _multipart(self, url: str) -> tuple[dict[str, str], bytes]:
        """The multipart body: the form data set, and each file input's file (an empty part when none is chosen)."""
        fields: dict[str, list[str]] = {}
        for name, value in self.data():
            fields.setdefault(name, []).append(value)
        files = [
            (c.name, c.upload or ("", b"", "application/octet-stream"))
            for c in self.controls
            if c.kind == "file" and c.name and not c.disabled
        ]
        request = httpx.Request("POST", url, data=fields, files=files)
        return {"content-type": request.headers["content-type"]}, request.read()

    async def submit(self, client: httpx.AsyncClient, *, headers: Mapping[str, str] | None = None) -> httpx.Response:
        """Send the form with the client that loaded the page (its cookies hold the session and CSRF cookie)."""
        method, url, base_headers, body = self.request()
        return await client.request(method, url, headers={**base_headers, **(headers or {})}, content=body)


def _sanitize(kind: str, value: str) -> str:
    """The browser's value sanitization: single-line fields drop line breaks; email and url also trim."""
    if kind in ("text", "search", "tel", "password", "email", "url"):
        value = value.replace("\r", "").replace("\n", "")
    if kind in ("email", "url"):
        value = value.strip(" \t\f")
    return value


def _maxlength(node: LexborNode) -> int | None:
    value = _attr(node, "maxlength").strip()
    return int(value) if value.isdigit() else None


def _selected(control: _Control) -> list[str]:
    chosen = [v for v, selected, _ in control.options if selected]
    if control.multiple:
        return chosen
    if chosen:
        return chosen[-1:]  # a single select with several `selected` shows the last one
    first = next((v for v, _, disabled in control.options if not disabled), None)
    return [] if first is None else [first]


def _entries(control: _Control) -> list[str]:
    if control.kind in ("checkbox", "radio"):
        return [control.value] if control.checked else []
    if control.kind == "select":
        return _selected(control)
    return [control.value]


def _contributes(control: _Control) -> bool:
    return bool(control.name) and not control.disabled


# -- finding forms on a page ---------------------------------------------------------------


def _page(source: httpx.Response | str, url: str | None) -> tuple[LexborHTMLParser, str]:
    if isinstance(source, httpx.Response):
        return LexborHTMLParser(source.text), url or str(source.url)
    if url is None:
        raise TypeError("give the page URL with HTML text")
    return LexborHTMLParser(source), url


def forms_on(source: httpx.Response | str, url: str | None = None, *, strict: bool = True) -> list[Form]:
    document, page_url = _page(source, url)
    return [Form(document, node, page_url, strict=strict) for node in document.css("form")]


def form_on(
    source: httpx.Response | str,
    url: str | None = None,
    *,
    selector: str | None = None,
    action: str | None = None,
    button: str | None = None,
    method: str | None = None,
    strict: bool = True,
) -> Form:
    """The one form on the page that matches every criterion given.

    With `strict` (the default) a mangled field name in any form on the page fails the test.

    selector: CSS selector of the form, or of an element inside it (e.g. "#comment-5 form").
    action: the form's target, absolute or a path (compared without the fragment).
    button: the visible text of one of its submit buttons (which is then the one pressed).
    method: "get" or "post".
    """
    document, page_url = _page(source, url)
    forms = [Form(document, node, page_url, strict=False) for node in document.css("form")]
    candidates = forms
    if selector is not None:
        picked = {n.mem_id for n in document.css(selector)}
        candidates = [
            f for f in candidates if f.node.mem_id in picked or any(a.mem_id in picked for a in _ancestors(f.node))
        ]
        # An element inside a form: its form.
        for node in document.css(selector):
            owner = next((a for a in _ancestors(node) if a.tag == "form"), None)
            if owner is not None and not any(_same(owner, f.node) for f in candidates):
                candidates += [f for f in forms if _same(f.node, owner)]
    if action is not None:
        wanted = urldefrag(urljoin(page_url, action)).url
        candidates = [f for f in candidates if urldefrag(f.action).url == wanted]
    if method is not None:
        candidates = [f for f in candidates if f.method == method.lower()]
    if button is not None:
        candidates = [f for f in candidates if _squash(button) in f.button_texts]
    criteria = ", ".join(
        f"{k}={v!r}"
        for k, v in (("selector", selector), ("action", action), ("button", button), ("method", method))
        if v
    )
    if not candidates:
        offered = "\n  ".join(repr(f) for f in forms) or "(none)"
        pytest.fail(f"{page_url} offers no form with {criteria}; its forms:\n  {offered}")
    if len(candidates) > 1:
        offered = "\n  ".join(repr(f) for f in candidates)
        pytest.fail(f"{page_url} has {len(candidates)} forms with {criteria}; narrow it down:\n  {offered}")
    form = candidates[0]
    if strict:
        # Every form on the page, not only this one: a page that loads is a page to check.
        for each in forms:
            each.check_names()
    if button is not None:
        form.press(button)
    return form


async def open_form(client: httpx.AsyncClient, url: str, **criteria: Any) -> Form:
    """GET the page a person opens and take the form they would use (see `form_on`)."""
    response = await client.get(url)
    if response.status_code != 200:
        pytest.fail(f"GET {url} answered {response.status_code}, not the page with the form{_problem_text(response)}")
    return form_on(response, **criteria)


# -- reading the outcome -------------------------------------------------------------------


@dataclass
class Problems:
    """What a page says went wrong: the error summary, field messages, and error alerts."""

    summary: list[str]
    fields: dict[str, str]
    alerts: list[str]

    def __bool__(self) -> bool:
        return bool(self.summary or self.fields or self.alerts)

    def __str__(self) -> str:
        parts = []
        if self.summary:
            parts.append("summary: " + "; ".join(self.summary))
        if self.fields:
            parts.append("fields: " + "; ".join(f"{k}: {v}" for k, v in self.fields.items()))
        if self.alerts:
            parts.append("alerts: " + "; ".join(self.alerts))
        return " | ".join(parts) or "no error messages on the page"


def page_problems(response: httpx.Response) -> Problems:
    document = LexborHTMLParser(response.text)
    summary = [_squash(li.text(deep=True)) for li in document.css(".error-summary li")]
    fields = {}
    for node in document.css(".utrecht-form-field-error-message"):
        key = _attr(node, "id").removeprefix("f-").removesuffix("-error")
        fields[key] = _squash(node.text(deep=True))
    alerts = [
        _squash(n.text(deep=True))
        for n in document.css(".utrecht-alert--error, [role=alert]")
        if "error-summary" not in _attr(n, "class")
    ]
    return Problems(summary, fields, alerts)


def _problem_text(response: httpx.Response) -> str:
    if "html" not in response.headers.get("content-type", ""):
        return f": {response.text[:300]}"
    problems = page_problems(response)
    title = LexborHTMLParser(response.text).css_first("title")
    heading = LexborHTMLParser(response.text).css_first("h1")
    said = _squash(heading.text(deep=True)) if heading else (_squash(title.text()) if title else "")
    return f" ({said}): {problems}" if problems else f" ({said})"


def redirect_target(response: httpx.Response) -> str:
    """Where a redirect goes (absolute); fails with the page's error messages when it is not a redirect."""
    if not response.is_redirect:
        pytest.fail(
            f"{response.request.method} {response.request.url} answered {response.status_code}, "
            f"not a redirect{_problem_text(response)}"
        )
    return urljoin(str(response.request.url), response.headers["location"])


async def follow(client: httpx.AsyncClient, response: httpx.Response, *, max_hops: int = 5) -> httpx.Response:
    """Follow the redirect a form answered with (a browser GETs the Location) to the page shown."""
    redirect_target(response)
    for _ in range(max_hops):
        if not response.is_redirect:
            break
        response = await client.get(urldefrag(redirect_target(response)).url)
    if response.status_code != 200:
        pytest.fail(
            f"after the redirect, GET {response.request.url} answered {response.status_code}{_problem_text(response)}"
        )
    return response


def text_of(source: httpx.Response | str, selector: str = "main") -> str:
    """The visible text of the elements matching `selector`, whitespace squashed, joined by ' | '."""
    html = source.text if isinstance(source, httpx.Response) else source
    return " | ".join(_squash(n.text(deep=True)) for n in LexborHTMLParser(html).css(selector))


def expect_status(response: httpx.Response, *codes: int) -> httpx.Response:
    """Fail with the page's own error messages when the status is not one of `codes`."""
    if response.status_code not in codes:
        pytest.fail(
            f"{response.request.method} {response.request.url} answered {response.status_code}, "
            f"expected {codes}{_problem_text(response)}"
        )
    return response
