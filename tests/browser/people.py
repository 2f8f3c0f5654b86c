"""People using the site in a browser: one with a pointer (mouse clicks), one with the keyboard only.

A test says what a person does in the words on the screen (link and button names, field labels);
how they do it (click, or Tab/Shift+Tab to the element and Enter/Space/arrow keys) belongs to the
kind of person. The pointer person in a context with JavaScript disabled is the no-JS visitor.
After every page load `on_page` runs, e.g. the accessibility and HTML checks.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Locator, Page, expect

# Focus is visible when the element matches :focus-visible and draws an outline or a ring.
FOCUS_VISIBLE = """el => {
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const ring = s.boxShadow !== 'none' && !/^rgba\\(0, 0, 0, 0\\) 0px 0px 0px 0px$/.test(s.boxShadow);
  return el.matches(':focus-visible') && (outline || ring);
}"""

# 0: a target has focus; 1: focus is before the targets (press Tab); -1: after them (Shift+Tab).
WHERE_IS_FOCUS = """targets => {
  const active = document.activeElement;
  if (targets.includes(active)) return 0;
  if (!active || active === document.body) return 1;
  return (targets[0].compareDocumentPosition(active) & Node.DOCUMENT_POSITION_PRECEDING) ? 1 : -1;
}"""

MAX_TAB_PRESSES = 250


class Person:
    """Someone in one browser context (own cookies, own session)."""

    def __init__(self, context: BrowserContext, on_page: Callable[[Page], None] | None = None) -> None:
        self.page = context.new_page()
        self.on_page = on_page

    # -- what every kind of person does the same way ---------------------------
    def go(self, url: str) -> None:
        """Type an address (or open a link from an email)."""
        self.page.goto(url)
        self.loaded()

    def loaded(self) -> None:
        self.page.wait_for_load_state()
        if self.on_page is not None:
            self.on_page(self.page)

    def sees(self, text: str) -> None:
        expect(self.page.get_by_text(text, exact=False).first).to_be_visible()

    def sign_in(self, email: str, password: str, code: Callable[[str], str | None] | None = None) -> None:
        """`code`: what the authenticator app shows for `email` (staff sign in in two steps)."""
        self.follow("Inloggen")
        self.fill("E-mailadres", email)
        self.fill("Wachtwoord", password)
        self.press("Inloggen")
        if code is not None and (shown := code(email)):
            self.fill("Code", shown)
            self.press("Inloggen")
        expect(self.page.get_by_role("button", name="Uitloggen", exact=True)).to_be_visible()

    # -- where things are -------------------------------------------------------
    def link(self, name: str) -> Locator:
        return self.page.get_by_role("link", name=name, exact=True).first

    def button(self, name: str, within: Locator | None = None) -> Locator:
        return (within or self.page).get_by_role("button", name=name, exact=True).first

    def field(self, label: str, within: Locator | None = None) -> Locator:
        """The field with this label, which may end in "(niet verplicht)"."""
        exactly = re.compile("^" + re.escape(label) + r"(?: \((?:niet verplicht|optional)\))?$")
        return (within or self.page).get_by_label(exactly)

    # -- what each kind does its own way ------------------------------------------
    def follow(self, name: str) -> None:
        raise NotImplementedError

    def press(self, name: str, navigates: bool = True, within: Locator | None = None) -> None:
        raise NotImplementedError

    def fill(self, label: str, text: str, within: Locator | None = None) -> None:
        raise NotImplementedError

    def select(self, label: str, option: str) -> None:
        raise NotImplementedError

    def choose(self, label: str) -> None:
        raise NotImplementedError

    def open_details(self, summary: str, within: Locator | None = None) -> None:
        raise NotImplementedError


class PointerPerson(Person):
    """Clicks with the mouse and types into fields."""

    def follow(self, name: str) -> None:
        with self.page.expect_navigation():
            self.link(name).click()
        self.loaded()

    def press(self, name: str, navigates: bool = True, within: Locator | None = None) -> None:
        if navigates:
            with self.page.expect_navigation():
                self.button(name, within).click()
            self.loaded()
        else:
            self.button(name, within).click()

    def fill(self, label: str, text: str, within: Locator | None = None) -> None:
        self.field(label, within).fill(text)

    def select(self, label: str, option: str) -> None:
        self.field(label).select_option(label=option)

    def choose(self, label: str) -> None:
        self.field(label).check()

    def open_details(self, summary: str, within: Locator | None = None) -> None:
        (within or self.page).locator("summary", has_text=summary).first.click()


class KeyboardPerson(Person):
    """Never touches the mouse: Tab and Shift+Tab to move, Enter, Space and arrow keys to act.

    Every element reached must show where focus is (`focus_failures` collects the ones that do not).
    """

    def __init__(self, context: BrowserContext, on_page: Callable[[Page], None] | None = None) -> None:
        super().__init__(context, on_page)
        self.focus_failures: list[str] = []

    def tab_to(self, *targets: Locator) -> None:
        """Press Tab (or Shift+Tab) until one of the targets has focus."""
        handles = [t.element_handle() for t in targets]
        for _ in range(MAX_TAB_PRESSES):
            where = self.page.evaluate(WHERE_IS_FOCUS, handles)
            if where == 0:
                break
            self.page.keyboard.press("Tab" if where > 0 else "Shift+Tab")
        else:
            raise AssertionError(f"{targets[0]} cannot be reached with Tab on {self.page.url}")
        if not self.page.evaluate(f"() => ({FOCUS_VISIBLE})(document.activeElement)"):
            outer = self.page.evaluate("() => document.activeElement.outerHTML.slice(0, 160)")
            self.focus_failures.append(f"{self.page.url}: no visible focus on {outer}")

    def follow(self, name: str) -> None:
        self.tab_to(self.link(name))
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        self.loaded()

    def press(self, name: str, navigates: bool = True, within: Locator | None = None) -> None:
        self.tab_to(self.button(name, within))
        if navigates:
            with self.page.expect_navigation():
                self.page.keyboard.press("Enter")
            self.loaded()
        else:
            self.page.keyboard.press("Enter")

    def fill(self, label: str, text: str, within: Locator | None = None) -> None:
        self.tab_to(self.field(label, within))
        self.page.keyboard.press("Control+A")
        self.page.keyboard.press("Delete")
        self.page.keyboard.type(text)

    def select(self, label: str, option: str) -> None:
        """A closed select changes its choice with the arrow keys."""
        select = self.field(label)
        self.tab_to(select)
        count = select.locator("option").count()
        selected_text = "el => el.selectedOptions.length ? el.selectedOptions[0].textContent.trim() : ''"
        # Up to the first option, then down until the wanted one is chosen.
        for _ in range(count):
            self.page.keyboard.press("ArrowUp")
        for _ in range(count):
            if select.evaluate(selected_text) == option:
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"no option {option!r} in {label!r} reached with the arrow keys")

    def choose(self, label: str) -> None:
        """Tab into the radio group, then arrow keys until the wanted radio is checked."""
        radio = self.field(label)
        name = radio.get_attribute("name")
        group = self.page.locator(f"input[type=radio][name='{name}']")
        self.tab_to(*[group.nth(i) for i in range(group.count())])
        for _ in range(group.count() + 1):
            if radio.is_checked():
                return
            if radio.evaluate("el => el === document.activeElement"):
                self.page.keyboard.press("Space")
            else:
                self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"radio {label!r} not reached with the arrow keys")

    def open_details(self, summary: str, within: Locator | None = None) -> None:
        self.tab_to((within or self.page).locator("summary", has_text=summary).first)
        self.page.keyboard.press("Enter")


def wait_until(started: float, seconds: float) -> None:
    """Forms refuse what is sent faster than a person can fill them in."""
    remaining = started + seconds - time.monotonic()
    if remaining > 0:
        time.sleep(remaining)
