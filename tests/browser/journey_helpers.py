"""One way to write a role's journey, three ways to play it (tests/browser/test_role_journeys.py).

A journey is written once against `Journey`, whose verbs are what a person does: open an address,
follow a link, fill a field, choose an option, tick a box, press a button. The same journey is then
played:

- `mouse`: Playwright's clicks and fills, in French; every page and state visited is checked by
  axe-core in French *and* in English (the session's language is switched, the page loaded or the
  form sent again, then the session switched back to French), at 360 px, with screenshots of the
  main pages (tests/browser/screenshots/fr-<role>-<page>-desktop|phone.png);
- `keyboard`: no mouse event at all. The focus reaches each control by Tab (or Shift+Tab) from
  wherever it is (after a page loads, through the skip link when the control is in the main
  content), a bounded number of presses, and every control it stops on must show a visible
  focus indicator; links and buttons are activated with Enter, boxes with Space, radio buttons and
  selects with the arrow keys, text is typed. Each page is checked at 360 px;
- `nojs`: clicks and fills in a browser context with JavaScript disabled; each page at 360 px.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from types import SimpleNamespace

from flask import Flask

from debate.mail import tokens

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the _requirements fixture (a skip, or a failure in CI)
    expect = None

from tests.browser.conftest import PHONE_WIDTH, Checker

MODES = ("mouse", "keyboard", "nojs")
TAB_LIMIT = 160

# One evaluation per Tab press: is the target focused, and does the focused control show its focus?
_FOCUS_PROBE = """(target) => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return {none: true};
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  let sameGroup = false;
  if (target && el.type === 'radio' && target.type === 'radio') sameGroup = el.name === target.name && el.form === target.form;
  return {none: false, hit: el === target, sameGroup, visible: outline || shadow,
          what: `${el.tagName.toLowerCase()}#${el.id}.${el.className} "${(el.textContent || el.value || '').trim().slice(0, 60)}"`};
}"""


@dataclass
class Journey:
    """Plays a journey in one mode; `visited` lists the pages and states checked."""

    page: object
    mode: str
    role: str
    visited: list = field(default_factory=list)
    focus_stops: int = 0

    def __post_init__(self):
        assert self.mode in MODES, self.mode
        self.fr, self.en = Checker("fr"), Checker("en")

    # --- where we are ---------------------------------------------------------------------------

    @property
    def main(self):
        return self.page.locator("main")

    def open(self, path: str) -> None:
        """Type an address (keyboard users do that too)."""
        response = self.page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"

    # --- acting --------------------------------------------------------------------------------

    def follow(self, target) -> None:
        """Follow a link (or press a button) that loads another page."""
        with self.page.expect_navigation():
            self._activate(target)
        self.page.wait_for_load_state("load")

    press = follow

    def fill(self, target, text: str) -> None:
        if self.mode != "keyboard":
            target.fill(text)
            return
        dated = target.get_attribute("type") in ("date", "datetime-local")
        if dated:
            self._date_order()  # before the focus moves to the field
        self.focus(target)
        if dated:
            self._type_date(target, text)
        else:
            self.page.keyboard.press("Control+a")
            self.page.keyboard.type(text)
        expect(target).to_have_value(text)

    def _type_date(self, target, text: str) -> None:
        """Type a date (and time) segment by segment, in the order the browser shows them."""
        for _ in range(6):  # to the first segment: out of the field backwards, then in again
            self.page.keyboard.press("Shift+Tab")
            if not self.page.evaluate(
                "(el) => el === document.activeElement", target.element_handle()
            ):
                break
        self.page.keyboard.press("Tab")
        date, _, clock = text.partition("T")
        year, month, day = date.split("-")
        parts = {"y": year, "m": month, "d": day}
        self.page.keyboard.type("".join(parts[c] for c in self._date_order()))
        if clock:
            self.page.keyboard.press("Tab")  # the year field waits for more digits
            self.page.keyboard.type(clock.replace(":", ""))

    def _date_order(self) -> str:
        """The order of a date field's segments follows the browser's own locale (not the page's):
        a probe field, typed into, tells it (a check of the harness, not a step of the journey)."""
        if not hasattr(self, "_order"):
            probe = self.page.evaluate_handle("""() => { const el = document.createElement('input');
                el.type = 'date'; document.body.append(el); el.focus(); return el; }""")
            self.page.keyboard.type("01022003")
            value = probe.evaluate("el => { const v = el.value; el.remove(); return v; }")
            self._order = "mdy" if value == "2003-01-02" else "dmy"
        return self._order

    def choose(self, target, value: str) -> None:
        """Choose an option of a <select> by its value."""
        if self.mode != "keyboard":
            target.select_option(value)
            return
        self.focus(target)
        values = target.evaluate("el => [...el.options].map(o => o.value)")
        steps = values.index(value) - target.evaluate("el => el.selectedIndex")
        for _ in range(abs(steps)):
            self.page.keyboard.press("ArrowDown" if steps > 0 else "ArrowUp")
        expect(target).to_have_value(value)

    def tick(self, target) -> None:
        """Tick a checkbox, or select a radio button."""
        if self.mode != "keyboard":
            target.check()
            return
        if target.get_attribute("type") == "radio":
            self.focus(target, radio_group=True)
            for _ in range(12):
                if target.is_checked():
                    break
                self.page.keyboard.press("ArrowDown")
                self._probe(target.element_handle())
        else:
            self.focus(target)
            if not target.is_checked():
                self.page.keyboard.press("Space")
        expect(target).to_be_checked()

    def open_details(self, summary) -> None:
        """Open a <details> by its summary (no page load)."""
        if self.mode != "keyboard":
            summary.click()
        else:
            self.focus(summary)
            self.page.keyboard.press("Enter")
        expect(summary.locator("xpath=..")).to_have_attribute("open", "")

    def download(self, target):
        """Press a button or link that downloads a file; returns Playwright's Download."""
        with self.page.expect_download() as info:
            self._activate(target)
        return info.value

    def open_file(self, target, suffix: str):
        """Follow a link to a file the browser shows itself (a PDF, inline); returns the response,
        then comes back to the page."""
        with self.page.expect_response(lambda r: r.url.split("?")[0].endswith(suffix)) as info:
            self._activate(target)
        response = info.value
        # Chromium shows a PDF in its viewer, whose page replaces the body: the same file again,
        # with the browser's cookies.
        body = self.page.context.request.get(response.url).body()
        self.page.go_back()
        self.page.wait_for_load_state("load")
        return response, body

    def _activate(self, target) -> None:
        if self.mode != "keyboard":
            target.click()
        else:
            self.focus(target)
            self.page.keyboard.press("Enter")

    # --- the keyboard ----------------------------------------------------------------------------

    def _probe(self, handle):
        state = self.page.evaluate(_FOCUS_PROBE, handle)
        if not state["none"]:
            self.focus_stops += 1
            assert state["visible"], (
                f"{self.role}: the focus is not visible on {state['what']} ({self.page.url})"
            )
        return state

    def focus(self, target, *, radio_group: bool = False) -> None:
        """Move the focus to `target` with Tab, or Shift+Tab if it is behind, within TAB_LIMIT presses."""
        target.wait_for(state="visible")
        handle = target.element_handle()
        state = self._probe(handle)
        if state.get("hit") or (radio_group and state.get("sameGroup")):
            return
        last = state
        if (
            state["none"]
            and "#" not in self.page.url
            and handle.evaluate("el => !!el.closest('main')")
        ):
            # A page just loaded, the target in its main content: the skip link first.
            self.page.keyboard.press("Tab")
            assert "skip-link" in self._probe(handle)["what"], (
                f"the first Tab stop is not the skip link ({self.page.url})"
            )
            self.page.keyboard.press("Enter")
        for key in ("Tab", "Shift+Tab"):
            for _ in range(TAB_LIMIT):
                self.page.keyboard.press(key)
                last = self._probe(handle)
                if last.get("hit") or (radio_group and last.get("sameGroup")):
                    return
        raise AssertionError(
            f"{self.role}: Tab never reached {target} on {self.page.url} (last: {last})"
        )

    # --- the checks --------------------------------------------------------------------------------

    def _phone_width(self, label: str) -> None:
        viewport = self.page.viewport_size
        self.page.set_viewport_size({"width": PHONE_WIDTH, "height": 780})
        try:
            width = self.page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= PHONE_WIDTH, (
                f"{label}: horizontal scroll at {PHONE_WIDTH}px ({width}px wide)"
            )
        finally:
            self.page.set_viewport_size(viewport)

    def _language(self, lang: str) -> None:
        """Switch the session's language (the request shares the browser context's cookies)."""
        answer = self.page.context.request.get(f"/?lang={lang}")
        assert answer.ok, answer.status

    def seen(self, name: str, *, screenshot: bool = False) -> None:
        """Check the page as it is now; in mouse mode, again in English after loading it in English."""
        label = f"{self.role}-{name}"
        self.visited.append(name)
        if self.mode != "mouse":
            self.page.wait_for_load_state("load")
            assert self.page.locator("html").get_attribute("lang") == "fr", label
            self._phone_width(f"{self.mode}-{label}")
            return
        self.fr(self.page, label, screenshot=screenshot)
        url = self.page.url.split("#")[0]  # a fragment alone would not load the page again
        self._language("en")
        try:
            self.page.goto(url)
            self.en(self.page, label, screenshot=False)  # the screenshots are of the French pages
        finally:
            # The page stays in English until the next one loads (the steps find controls by
            # id or address, not by their text); the next one is French again.
            self._language("fr")

    def error_state(self, name: str, submit, *, screenshot: bool = False) -> None:
        """Send a form empty or invalid (`submit` is its button) and check the page with its errors.

        In mouse mode the form is then sent again in English (the values typed are kept by the page);
        the journey goes on from that page, and the next page loaded is French again."""
        self.press(submit)
        summary = self.page.locator("#error-summary, .flash-error").first
        expect(summary).to_be_visible()
        if self.mode != "mouse":
            self.seen(name)
            return
        label = f"{self.role}-{name}"
        self.visited.append(name)
        self.fr(self.page, label, screenshot=screenshot)
        self._language("en")
        try:
            self.press(submit)
            expect(summary).to_be_visible()
            self.en(self.page, label, screenshot=False)
        finally:
            self._language("fr")


def sign_in(journey: Journey, email: str, password: str) -> None:
    """Sign in through the header's link and the login form."""
    journey.page.context.clear_cookies()
    journey.open("/")
    journey.follow(journey.page.locator("header a[href^='/auth/login']"))
    form = journey.main.locator("form")
    journey.fill(form.locator("#email"), email)
    journey.fill(form.locator("#password"), password)
    journey.press(form.locator("button[type=submit]"))
    expect(journey.page.locator(".flash-success")).to_be_visible()


def sign_out(journey: Journey) -> None:
    journey.press(journey.page.locator("header form[action='/auth/logout'] button"))
    expect(journey.page.locator("header a[href^='/auth/login']")).to_be_visible()


NUMBER = re.compile(r"(\d+)$")


def last_number(url: str) -> int:
    """The id at the end of a URL (/debates/x/arguments/12 → 12)."""
    match = NUMBER.search(url.split("?")[0].split("#")[0])
    assert match, url
    return int(match.group(1))


def signed_link(instance, make) -> str:
    """Run `make` (a function of debate.mail.tokens) with the instance's secret key, as the
    instance does when it writes an e-mail."""
    signer = Flask("links")
    signer.config["SECRET_KEY"] = (instance.log.parent / "secret_key").read_text().strip()
    with signer.app_context():
        return make(tokens)


def account(instance, email: str) -> SimpleNamespace:
    """The account as e-mailed links see it (id, address, per-account link key), read from the
    instance's database."""
    (database,) = instance.log.parent.glob("*.sqlite")
    with closing(sqlite3.connect(database)) as connection:
        user_id, key = connection.execute(
            "SELECT id, link_key FROM users WHERE email = ?", (email,)
        ).fetchone()
    return SimpleNamespace(id=user_id, email=email, link_key=key)


def confirmation_path(instance, email: str) -> str:
    """The address-confirmation link the instance e-mails to a new account."""
    person = account(instance, email)
    return "/auth/confirm/" + signed_link(instance, lambda t: t.confirmation_token(person))
