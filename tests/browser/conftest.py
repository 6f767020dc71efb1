"""Browser tests: a real instance served by gunicorn, driven by Debian's Chromium through Playwright.

The instance is started as api.md ("Running an instance") says: `flask --app debate db upgrade` and
`flask --app debate create-admin` in an instance folder (DEBATE_INSTANCE_PATH), then
`gunicorn 'debate:create_app()'` on a free local port. Test data is made through the JSON API.

The tests run on every core (pytest-xdist, `-n auto --dist worksteal`): each worker process serves
its own instance (own folder, port, database and secret key) and drives its own Chromium, so a test
never sees another worker's data. The migrated database with its administrator is made once per run
(by the first process to need it) and copied into each worker's instance folder.

Playwright never downloads a browser here: it launches /usr/bin/chromium. Without it the tests are
skipped, unless DEBATE_BROWSER_REQUIRED=1 (CI), which turns the skip into a failure.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import itertools
import json
import os
import re
import secrets
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
# The pictures are for people reviewing the pages (README: screenshots); DEBATE_SCREENSHOTS=0 (CI,
# where nobody looks at them) skips taking them. Every check runs either way.
TAKE_SCREENSHOTS = os.environ.get("DEBATE_SCREENSHOTS", "1") != "0"
ADMIN_EMAIL = "admin@example.org"
PASSWORD = "une phrase de passe assez longue"
DESKTOP = {"width": 1280, "height": 900}
PHONE_WIDTH = 360
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
REQUIRED = os.environ.get("DEBATE_BROWSER_REQUIRED", "").strip().lower() in {
    "1",
    "true",
    "yes",
    "on",
}

_numbers = itertools.count(1)


def _unavailable(reason: str):
    """Skip, or fail when the browser tests are required (CI)."""
    if REQUIRED:
        pytest.fail(f"{reason} (DEBATE_BROWSER_REQUIRED=1)", pytrace=False)
    pytest.skip(f"{reason}; set DEBATE_BROWSER_REQUIRED=1 to make this an error")


@pytest.fixture(autouse=True)
def _transaction():
    """Overrides tests/conftest.py: browser tests talk to a served instance, not to the test app."""
    yield


@pytest.fixture(scope="session", autouse=True)
def _requirements():
    """Before anything is started: Chromium, Playwright and axe-core must be there."""
    if not os.path.exists(CHROMIUM):
        _unavailable(f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    for module, package in (
        ("playwright.sync_api", "playwright"),
        ("axe_playwright_python.base", "axe-playwright-python"),
    ):
        try:
            __import__(module)
        except ImportError:
            _unavailable(f"{package} is not installed (pip install -e '.[test]')")


def pytest_collection_modifyitems(config, items):
    """The role journeys (the longest tests, 10 to 45 s each) first among the browser tests: on
    several workers the short ones are then left to even out the end, instead of one journey
    running alone after everything else is done."""
    browser = [n for n, item in enumerate(items) if Path(item.path).parent == Path(__file__).parent]
    ordered = sorted(
        (items[n] for n in browser),
        key=lambda item: Path(item.path).name != "test_role_journeys.py",
    )
    for n, item in zip(browser, ordered, strict=True):
        items[n] = item


@pytest.fixture(scope="session", autouse=True)
def _fresh_screenshots(_requirements):
    """The screenshots folder (git-ignored) holds the last run's pictures only.

    With pytest-xdist every worker gets here: the first one of the run (they share the run's id)
    empties the folder, under a lock, before any of them has saved a picture."""
    SCREENSHOTS.mkdir(exist_ok=True)
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex
    with open(SCREENSHOTS / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        marker = SCREENSHOTS / ".run"
        if not marker.exists() or marker.read_text() != run:
            for old in SCREENSHOTS.glob("*.png"):
                old.unlink(missing_ok=True)
            marker.write_text(run)


def save_screenshot(page, path: Path) -> None:
    """A full-page screenshot, written whole: two workers saving the same name (two tests checking
    pages of the same name) cannot leave a mixed file. Nothing when DEBATE_SCREENSHOTS=0."""
    if not TAKE_SCREENSHOTS:
        return
    data = page.screenshot(full_page=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_bytes(data)
    os.replace(partial, path)


# --- the served instance ----------------------------------------------------------------------


def _bin(name: str) -> str:
    """A console script of the running interpreter's environment (works from any virtualenv)."""
    path = Path(sys.executable).parent / name
    if not path.exists():
        _unavailable(f"{name} is not installed next to {sys.executable}")
    return str(path)


def _server_env(instance: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEBATE_")}
    for name in ("DATABASE_URL", "FLASK_APP", "FLASK_DEBUG"):
        env.pop(name, None)  # a fresh SQLite database in the instance folder, nothing inherited
    env.update(
        DEBATE_INSTANCE_PATH=str(instance),
        RATELIMIT_ENABLED="0",
        EMAIL_CONFIRMATION="0",
        PYTHONUNBUFFERED="1",
        # gunicorn (>= 25.1) opens a control socket in $XDG_RUNTIME_DIR, else one shared path in
        # ~/.gunicorn: one per instance, so that instances served at the same time leave each
        # other's alone.
        XDG_RUNTIME_DIR=str(instance),
    )
    return env


def _flask(env: dict, *args: str) -> None:
    result = subprocess.run(
        [_bin("flask"), "--app", "debate", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, (
        f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    )


@dataclass
class Instance:
    url: str
    log: Path
    process: subprocess.Popen

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _run_folder(tmp_path_factory) -> Path:
    """A folder of this run shared by all its processes: an xdist worker's temporary folder is a
    subfolder (gw0, gw1…) of the controller's."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _copy_of_migrated_database(tmp_path_factory, folder: Path) -> None:
    """Put in `folder` a copy of the database `flask db upgrade` and `flask create-admin` make.

    The two commands run once per run, in a template instance folder, by the first process that
    gets the lock (each one costs a start of the application); the others wait, then copy. SQLite's
    backup gives a consistent one-file copy (the database is in WAL mode)."""
    shared = _run_folder(tmp_path_factory)
    template = shared / "browser-template"
    with open(shared / "browser-template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        ready = template / ".ready"
        if not ready.exists():
            template.mkdir(exist_ok=True)
            env = _server_env(template)
            _flask(env, "db", "upgrade")
            _flask(env, "create-admin", ADMIN_EMAIL, "--password", PASSWORD)
            ready.touch()
        databases = sorted(template.glob("*.sqlite"))
        assert databases, f"flask db upgrade left no SQLite database in {template}"
        for database in databases:
            with (
                closing(sqlite3.connect(database)) as source,
                closing(sqlite3.connect(folder / database.name)) as copy,
            ):
                source.backup(copy)
    # The instance's own secret key, as the application makes it on a first start: made here so that
    # gunicorn's two workers do not both try to create it.
    key = folder / "secret_key"
    key.touch(mode=0o600)
    key.write_text(secrets.token_hex(32))


LISTENING = re.compile(rb"Listening at: (http://127\.0\.0\.1:\d+)")


@pytest.fixture(scope="session")
def _server(tmp_path_factory) -> Instance:
    """gunicorn started on the instance folder, not yet answering (`instance` waits for it).

    It binds port 0 and the port the system gave is read from its log: no other process (another
    worker, another test run on the machine) can take it between choosing and binding."""
    folder = tmp_path_factory.mktemp("browser-instance")
    _copy_of_migrated_database(tmp_path_factory, folder)
    log = folder / "gunicorn.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [
                _bin("gunicorn"),
                "--bind",
                "127.0.0.1:0",
                "--workers",
                "2",
                "--threads",
                "4",
                "--timeout",
                "60",
                "--access-logfile",
                "-",
                "debate:create_app()",
            ],
            cwd=PROJECT_ROOT,
            env=_server_env(folder),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield Instance("", log, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def instance(_server) -> Instance:
    """A real instance: migrated, with an administrator, served by gunicorn on a free port."""
    served, deadline = (
        _server,
        time.monotonic() + 60,
    )  # two app processes per worker, all booting at once
    while True:
        if served.process.poll() is not None:
            pytest.fail(
                f"gunicorn exited with {served.process.returncode}:\n{served.log_tail()}",
                pytrace=False,
            )
        if not served.url:
            listening = LISTENING.search(served.log.read_bytes())
            served.url = listening.group(1).decode() if listening else ""
        if served.url:
            try:
                with urllib.request.urlopen(served.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return served
            except (urllib.error.URLError, OSError):
                pass
        if time.monotonic() > deadline:
            pytest.fail(f"/healthz did not answer within 60 s:\n{served.log_tail()}", pytrace=False)
        time.sleep(0.05)


# --- test data through the JSON API -----------------------------------------------------------


@dataclass
class Api:
    """A tiny JSON client (stdlib only) for setting up data as an outside client would."""

    base: str
    token: str | None = None

    def call(
        self, method: str, path: str, body: dict | None = None, expect: int | tuple = (200, 201)
    ):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + "/api/v1" + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, payload = error.code, error.read()
        expected = expect if isinstance(expect, tuple) else (expect,)
        assert status in expected, f"{method} {path} → {status}: {payload[:500]!r}"
        return json.loads(payload) if payload else None

    def signed_in(self, email: str, password: str = PASSWORD) -> Api:
        answer = self.call("POST", "/tokens", {"email": email, "password": password}, expect=201)
        return Api(self.base, answer["token"])


@dataclass
class World:
    """Test data through the API: an anonymous client and the administrator's."""

    api: Api
    admin: Api
    instance: Instance | None = None  # for what only the server knows (its secret, its database)

    def user(self, display_name: str) -> dict:
        """Register a user through the API; returns {id, email, display_name}."""
        n = next(_numbers)
        email = f"person{n}-{time.monotonic_ns()}@example.org"
        body = self.api.call(
            "POST",
            "/users",
            {"email": email, "display_name": display_name, "password": PASSWORD},
            expect=201,
        )
        return {"id": body["id"], "email": email, "display_name": display_name}

    def debate(self, *, working_group: dict | None = None) -> dict:
        """A published debate from the 5g template; optionally with a working-group member."""
        n = next(_numbers)
        body = self.admin.call(
            "POST",
            "/debates",
            {
                "slug": f"5g-villeneuve-{n}",
                "title": f"La 5G à Villeneuve-sur-Lande ({n})",
                "municipality": "Villeneuve-sur-Lande",
                "question": "Faut-il accueillir de nouvelles antennes 5G sur le territoire communal ?",
                "description": "La commune ouvre un débat public sur le déploiement de la 5G : "
                "**santé**, environnement, souveraineté et économie.",
                "template": "5g",
            },
            expect=201,
        )
        if working_group:
            self.admin.call(
                "PUT",
                f"/debates/{body['slug']}/members/{working_group['id']}",
                {"role": "working_group"},
                expect=200,
            )
        return body


@pytest.fixture(scope="session")
def world(instance) -> World:
    api = Api(instance.url)
    return World(api=api, admin=api.signed_in(ADMIN_EMAIL), instance=instance)


# --- the browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(_server):
    """Chromium, launched while the instance boots (`_server` starts it first; it is stopped after
    Chromium has closed its connections)."""
    from playwright.sync_api import sync_playwright

    manager = sync_playwright().start()
    try:
        launched = manager.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()
    finally:
        manager.stop()


@functools.cache
def axe_script() -> str:
    """axe-core as bundled in the axe-playwright-python package (read from disk, never downloaded)."""
    from axe_playwright_python.base import AXE_FILE_PATH

    return AXE_FILE_PATH.read_text(encoding="utf-8")


@pytest.fixture
def page(browser, instance):
    """A fresh visitor (no cookies) on a desktop-sized window; console errors are collected.

    axe-core is added to a page when it is checked (see Checker), not to every page loaded: most
    pages a test goes through are not checked, and parsing axe-core (half a megabyte) made each
    load 20 to 40 ms (a fifth) slower here.
    """
    context = browser.new_context(base_url=instance.url, viewport=DESKTOP, locale="fr-FR")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.console_errors = []

    def on_console(message):
        # A page answered with 404 or 422 is logged as "Failed to load resource": the tests check
        # statuses themselves; failed assets are caught below.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            tab.console_errors.append(message.text)

    def on_response(response):
        # An asset that fails, or a server error on any page, fails the check of the page.
        document = response.request.resource_type == "document"
        if response.status >= (500 if document else 400):
            tab.console_errors.append(f"{response.status} for {response.url}")

    tab.on("console", on_console)
    tab.on("pageerror", lambda error: tab.console_errors.append(str(error)))
    tab.on("response", on_response)
    record_html(context)
    yield tab
    context.close()


# --- the pages visited, for the HTML checker -------------------------------------------------------

# DEBATE_HTML_DUMP=folder: every HTML page a test's browser receives (a document answered 200) is
# saved there, once per distinct content, for the W3C Nu HTML checker that .ci/run runs over them.
HTML_DUMP = os.environ.get("DEBATE_HTML_DUMP", "").strip()
_FORM_TOKEN = re.compile(rb'(name="csrf_token"[^>]*value=")[^"]*')


def record_html(context) -> None:
    """Save the HTML pages this browser context receives into DEBATE_HTML_DUMP (when set)."""
    if not HTML_DUMP:
        return
    from playwright.sync_api import Error as PlaywrightError

    folder = Path(HTML_DUMP)
    folder.mkdir(parents=True, exist_ok=True)

    def on_response(response):
        if response.request.resource_type != "document" or response.status != 200:
            return
        if not response.url.startswith(("http://", "https://")):
            return  # Chromium's own pages (its PDF viewer) are not the site's
        if not response.headers.get("content-type", "").startswith("text/html"):
            return
        try:
            body = response.body()
        except PlaywrightError:  # a page left before its body was read: nothing to check
            return
        # The same page seen twice differs only by its form token: saved once.
        name = hashlib.sha1(_FORM_TOKEN.sub(rb"\1", body)).hexdigest()[:20] + ".html"
        target = folder / name
        if target.exists():
            return
        partial = folder / f".{name}.{os.getpid()}"
        partial.write_bytes(body)
        os.replace(partial, target)
        with open(folder / "index.tsv", "a", encoding="utf-8") as index:
            index.write(f"{name}\t{response.url}\n")

    context.on("response", on_response)


# --- what every page must pass ------------------------------------------------------------------


def _axe_report(violations: list) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']} <{v.get('helpUrl', '')}>")
        for node in v["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}: {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


class Checker:
    """Runs the checks every page and state must pass, and saves the screenshots."""

    def __init__(self, lang: str):
        self.lang = lang
        self.visited: list[str] = []

    def __call__(self, page, name: str, *, screenshot: bool = True) -> None:
        page.wait_for_load_state("load")
        label = f"{self.lang}-{name}"
        self.visited.append(label)
        assert page.locator("html").get_attribute("lang") == self.lang, (
            f"{label}: <html lang> is not {self.lang}"
        )

        # As axe-playwright-python's Axe.run does: page.evaluate is not subject to the page's
        # Content-Security-Policy. Once per document (a state checked again keeps it).
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(axe_script())
        violations = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)[
            "violations"
        ]
        if violations:
            pytest.fail(f"axe found violations on {label} ({page.url}):\n{_axe_report(violations)}")

        if screenshot:
            save_screenshot(page, SCREENSHOTS / f"{label}-desktop.png")
        viewport = page.viewport_size
        page.set_viewport_size({"width": PHONE_WIDTH, "height": 780})
        try:
            widths = page.evaluate(
                "() => ({doc: document.documentElement.scrollWidth, body: document.body.scrollWidth})"
            )
            # What sticks out, for the message only (a walk of the whole page, seconds on the
            # largest pages, so only when there is a horizontal scroll): elements past the edge,
            # except those a scrolling box clips (an absolutely positioned one escapes the clip
            # unless the box is positioned too).
            wide = (
                []
                if widths["doc"] <= PHONE_WIDTH
                else page.evaluate(
                    """(limit) => [...document.querySelectorAll('body *')].filter(el => {
                    if (el.getBoundingClientRect().right <= limit + 1) return false;
                    const escapes = ['absolute', 'fixed'].includes(getComputedStyle(el).position);
                    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
                      const style = getComputedStyle(up);
                      if (style.overflowX !== 'visible' && !(escapes && style.position === 'static')) return false;
                    }
                    return true;
                  }).slice(0, 5).map(el => el.outerHTML.slice(0, 160))""",
                    PHONE_WIDTH,
                )
            )
            assert widths["doc"] <= PHONE_WIDTH, (
                f"{label}: horizontal scroll at {PHONE_WIDTH}px (scrollWidth {widths['doc']}); "
                f"elements past the edge: {wide}"
            )
            if screenshot:
                save_screenshot(page, SCREENSHOTS / f"{label}-phone.png")
        finally:
            page.set_viewport_size(viewport)
        assert not page.console_errors, (
            f"{label}: errors in the console or the network: {page.console_errors}"
        )


@pytest.fixture(params=["fr", "en"])
def lang(request) -> str:
    return request.param


@pytest.fixture
def check(lang) -> Checker:
    return Checker(lang)


def start(page, lang: str, path: str = "/") -> None:
    """Open a first page: French by default, English through the language switch."""
    page.goto(path)
    assert page.locator("html").get_attribute("lang") == "fr", "the default language is not French"
    if lang == "en":
        page.locator(".lang-switch a[hreflang=en]").click()
        page.wait_for_load_state("load")
        assert page.locator("html").get_attribute("lang") == "en"


# Accessible names, in both languages (the French ones match the translations or the English
# fallback, so the tests do not break while the catalogue is being written).
NAMES = {
    "email": re.compile(r"e-?mail|courriel|adresse électronique", re.I),
    "display_name": re.compile(r"display name|pseudonyme|nom (affiché|public|d.affichage)", re.I),
    "password": re.compile(r"^(password|mot de passe)", re.I),
    "phase": re.compile(r"phase to open|phase à ouvrir", re.I),
    "sign_out": re.compile(r"sign out|se déconnecter|déconnexion", re.I),
    "sign_in": re.compile(r"^(sign in|se connecter|connexion)$", re.I),
    "register": re.compile(r"^(register|s.inscrire|inscription|créer un compte)$", re.I),
}


CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def sign_in(page, lang: str, email: str, password: str = PASSWORD) -> None:
    """Sign in, in `lang`, for a test about what comes after: the login form sent by the browser
    context's own HTTP client (its cookies are the context's), without drawing the login page and
    the page after it. Signing in through the page itself, by the fields' accessible names, with the
    mouse and with the keyboard, is tested in test_journeys.py and test_role_journeys.py.

    The page stays where it was; the welcome message is read (and so used up) here, as the browser
    would on the page the form leads to."""
    sign_in_context(page.context, lang, email, password)


def sign_in_context(context, lang: str, email: str, password: str = PASSWORD) -> None:
    """`sign_in` for a browser context (its pages share the session)."""
    form = context.request.get("/auth/login" + ("?lang=en" if lang == "en" else ""))
    assert form.status == 200, f"/auth/login: {form.status}"
    token = CSRF_TOKEN.search(form.text())
    assert token, "no CSRF token on /auth/login"
    answer = context.request.post(
        "/auth/login", form={"csrf_token": token.group(1), "email": email, "password": password}
    )
    html = answer.text()
    assert answer.status == 200 and "flash-success" in html, (
        f"signing in as {email}: {answer.status} {answer.url}"
    )
    assert f'<html lang="{lang}"' in html, f"signed in, the page after is not in {lang}"


# --- the keyboard -------------------------------------------------------------------------------


def active_element(page) -> dict:
    """What has the focus: tag, id, class, type and text."""
    return page.evaluate(
        """() => { const el = document.activeElement;
                   return {tag: el.tagName.toLowerCase(), id: el.id, cls: el.className,
                           type: el.getAttribute('type'), text: (el.textContent || '').trim()}; }"""
    )


def tab_until(page, predicate, limit: int = 40) -> dict:
    """Press Tab until the focused element matches; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = active_element(page)
        if predicate(active):
            return active
    raise AssertionError(f"Tab never reached the expected element (last: {active})")
