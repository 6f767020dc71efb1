"""A first-time visitor, keyboard only, finds the action on the demo debate open for arguments.

The instance is the README's first command: `flask --app debate demo` on a migrated database, served
by gunicorn. In French and in English, at 1280 and at 360 px: from the home page (whose card says
which debate is open for arguments, with its dates, counts and action) to the debate's overview (its
H1 and its main action within the first screen; on a phone, the site menu folded behind one control
and the debate's tabs on one scrolling row), then "Sign in to take part", which comes back to the
argument form once signed in. Every page is checked by axe-core (and at 360 px by the Checker);
no mouse event is used.
"""

from __future__ import annotations

import re
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.browser.conftest import (
    CHROMIUM_ARGS,  # noqa: F401  (the browser fixture launches with them)
    LISTENING,
    PROJECT_ROOT,
    Checker,
    Instance,
    _bin,
    _copy_of_migrated_database,
    _flask,
    _server_env,
)
from tests.browser.journey_helpers import _FOCUS_PROBE

pytestmark = pytest.mark.browser

OPEN_DEBATE = "/debates/5g-val-de-lauziere/"
CITIZEN = ("lea.martin@demo.debat.example", "Marelle-Coquelicot-Zinc-11")
TEXT = {
    "fr": {
        "action": "Proposer un argument",
        "sign_in": "Se connecter pour participer",
        "menu": "Menu",
        "phase": "Arguments",
        "submit": re.compile(r"^(se connecter|connexion)$", re.I),
    },
    "en": {
        "action": "Propose an argument",
        "sign_in": "Sign in to take part",
        "menu": "Menu",
        "phase": "Arguments",
        "submit": re.compile(r"^(sign in)$", re.I),
    },
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Instance:
    """A migrated instance with the demo data, served by gunicorn on a free port."""
    folder = tmp_path_factory.mktemp("demo-instance")
    _copy_of_migrated_database(tmp_path_factory, folder)
    env = _server_env(folder)
    _flask(env, "demo")
    log = folder / "gunicorn.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [_bin("gunicorn"), "--bind", "127.0.0.1:0", "--workers", "1", "--threads", "4",
             "debate:create_app()"],
            cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    served = Instance("", log, process)
    deadline = time.monotonic() + 60
    try:
        while not served.url or not _healthy(served.url):
            assert process.poll() is None, f"gunicorn exited:\n{served.log_tail()}"
            assert time.monotonic() < deadline, f"no answer within 60 s:\n{served.log_tail()}"
            match = LISTENING.search(log.read_bytes())
            served.url = match.group(1).decode() if match else ""
            time.sleep(0.05)
        yield served
    finally:
        process.terminate()
        process.wait(timeout=10)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def tab_to(page, target, limit: int = 120) -> None:
    """Press Tab until `target` has the focus, each stop showing a visible focus indicator."""
    handle = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        probe = page.evaluate(_FOCUS_PROBE, handle)
        if probe["none"]:
            continue
        assert probe["visible"], f"no visible focus on {probe['what']}"
        if probe["hit"]:
            return
    pytest.fail(f"Tab never reached {target}")


def press_enter_and_wait(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("load")


def in_first_screen(page, locator) -> bool:
    """Is the element wholly within the first 360 × 640 (or 1280 × 900) screen, page unscrolled?"""
    box = locator.bounding_box()
    view = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= view["height"]


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_first_visit_finds_the_action(browser, demo, lang, width):
    words = TEXT[lang]
    phone = width == 360
    context = browser.new_context(
        base_url=demo.url,
        viewport={"width": width, "height": 640 if phone else 900},
        locale="fr-FR",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.console_errors = []
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    page.on(
        "response",
        lambda r: r.status >= 500 and page.console_errors.append(f"{r.status} {r.url}"),
    )
    check = Checker(lang)
    try:
        page.goto("/")
        assert page.locator("html").get_attribute("lang") == "fr"
        nav = page.locator(".site-nav")
        if phone:
            # The site menu is folded behind one control; the keyboard opens it.
            assert not nav.is_visible()
            summary = page.locator(".menu-toggle summary")
            tab_to(page, summary)
            page.keyboard.press("Enter")
            assert nav.is_visible()
        if lang == "en":
            tab_to(page, page.locator(".lang-switch a"))
            press_enter_and_wait(page)
        assert page.locator("html").get_attribute("lang") == lang
        check(page, "first-visit-home")

        # The home card of the debate open for arguments says so, with its action.
        card = page.locator(".debate-card", has=page.locator(f'a[href="{OPEN_DEBATE}"]'))
        assert card.locator(".chip-open").inner_text().strip() == words["phase"]
        assert card.locator(".card-counts li").count() == 3
        assert words["action"] in card.locator(".card-action").inner_text()

        # To the debate's overview, by its title.
        tab_to(page, card.locator(f'h2 a[href="{OPEN_DEBATE}"]'))
        press_enter_and_wait(page)
        assert page.url.endswith(OPEN_DEBATE)
        check(page, "first-visit-overview")
        page.evaluate("window.scrollTo(0, 0)")
        h1 = page.locator("main h1")
        action = page.locator(".next-action a.button")
        assert action.inner_text().strip() == words["sign_in"]
        assert in_first_screen(page, h1), "the H1 is below the first screen"
        assert in_first_screen(page, action), "the main action is below the first screen"
        # The debate's title is said once (the H1), not repeated by the banner.
        assert page.locator(".debate-banner").inner_text().count(h1.inner_text().strip()) == 0
        if phone:
            tabs = page.locator(".debate-nav ul")
            assert tabs.bounding_box()["height"] < 60, "the debate's tabs wrap on a phone"
            assert tabs.evaluate("ul => ul.scrollWidth > ul.clientWidth")  # a scrolling row

        # "Sign in to take part", then back to the argument form.
        tab_to(page, action)
        press_enter_and_wait(page)
        assert "/auth/login" in page.url and "arguments%2Fnew" in page.url.replace("/", "%2F")
        check(page, "first-visit-sign-in")
        email = page.locator("main input[type=email]")
        tab_to(page, email)
        page.keyboard.type(CITIZEN[0])
        page.keyboard.press("Tab")
        page.keyboard.type(CITIZEN[1])
        press_enter_and_wait(page)
        assert page.url.endswith("/debates/5g-val-de-lauziere/arguments/new"), page.url
        check(page, "first-visit-argument-form")
        assert not page.console_errors, page.console_errors
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_the_error_summary_takes_the_focus_on_a_phone(browser, demo, javascript):
    """After a form error the summary is focused and on the first screen, without JavaScript too
    (autofocus on the summary): a screen reader reads it, a phone shows it."""
    context = browser.new_context(
        base_url=demo.url,
        viewport={"width": 360, "height": 640},
        locale="fr-FR",
        java_script_enabled=javascript,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.console_errors = []
    try:
        page.goto("/auth/register")
        submit = page.locator("main form button[type=submit]")
        tab_to(page, submit)
        press_enter_and_wait(page)
        summary = page.locator("#error-summary")
        assert summary.is_visible()
        assert page.evaluate("() => document.activeElement && document.activeElement.id") == (
            "error-summary"
        )
        box = summary.bounding_box()
        scrolled = page.evaluate("() => window.scrollY")
        assert box["y"] >= 0 and box["y"] < 640, f"summary at {box['y']} (scrolled {scrolled})"
        if javascript:  # axe-core runs as a script: not in a page without JavaScript
            Checker("fr")(page, "first-visit-register-errors", screenshot=False)
    finally:
        context.close()
