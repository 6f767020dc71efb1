"""What visitors, citizens and the working group do in a real browser, in French and in English.

Every page and state visited passes `check`: axe-core (WCAG 2.0/2.1 A and AA) with zero violations,
the right <html lang>, no horizontal scroll at 360 px, no console or network error; screenshots at
1280 px and 360 px go to tests/browser/screenshots/ (git-ignored).
"""

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the _requirements fixture (a skip, or a failure in CI)
    expect = None

from tests.browser.conftest import ADMIN_EMAIL, NAMES, PASSWORD, sign_in, start
from tests.browser.conftest import active_element as _active
from tests.browser.conftest import tab_until as _tab_until

pytestmark = pytest.mark.browser


def _timeline(page):
    return page.locator("ol.timeline > li")


def _expect_open_phase(page, index: int) -> None:
    """The timeline shows four phases, the one at `index` (0-based) open and marked current."""
    phases = _timeline(page)
    expect(phases).to_have_count(4)
    expect(page.locator("ol.timeline > li[aria-current='step']")).to_have_count(1)
    expect(phases.nth(index)).to_have_attribute("aria-current", "step")
    expect(phases.nth(index).locator(".status-open")).to_be_visible()
    for before in range(index):
        expect(phases.nth(before).locator(".status-closed")).to_be_visible()
    for after in range(index + 1, 4):
        expect(phases.nth(after).locator(".status-upcoming")).to_be_visible()


def test_citizen_discovers_registers_signs_out_and_in(page, world, check, lang):
    debate = world.debate()
    slug = debate["slug"]

    # Home: the debate is listed.
    start(page, lang)
    check(page, "home")
    page.get_by_role("link", name=debate["title"]).click()

    # The debate page: its question, its municipality and the four phases, the first one open.
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/$"))
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text(debate["title"])
    expect(main.locator(".question").first).to_have_text(debate["question"])
    expect(main).to_contain_text("Villeneuve-sur-Lande")
    _expect_open_phase(page, 0)
    check(page, "debate")

    # Register through the form, by the fields' accessible names.
    page.locator("header a[href^='/auth/register']").click()
    expect(page).to_have_url(re.compile(r"/auth/register"))
    check(page, "register")
    email = f"citoyenne-{lang}-{slug}@example.org"
    form = main.locator("form")
    form.get_by_label(NAMES["email"]).fill(email)
    form.get_by_label(NAMES["display_name"]).fill(f"Camille ({lang})")
    form.get_by_label(NAMES["password"]).fill(PASSWORD)
    form.get_by_role("button").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("header form[action='/auth/logout'] button")).to_be_visible()
    check(page, "registered", screenshot=False)

    # Sign out.
    page.locator("header").get_by_role("button", name=NAMES["sign_out"]).click()
    expect(page.locator(".flash")).to_be_visible()
    expect(page.locator("header a[href^='/auth/login']")).to_be_visible()
    check(page, "signed-out", screenshot=False)

    # Sign in again, then read the scope page.
    page.locator("header a[href^='/auth/login']").click()
    expect(page).to_have_url(re.compile(r"/auth/login"))
    check(page, "login")
    form = main.locator("form")
    form.get_by_label(NAMES["email"]).fill(email)
    form.get_by_label(NAMES["password"]).fill(PASSWORD)
    form.get_by_role("button").click()
    expect(page.locator(".flash-success")).to_contain_text(f"Camille ({lang})")
    check(page, "signed-in", screenshot=False)

    page.goto(f"/debates/{slug}/")
    page.locator(f"nav.debate-nav a[href='/debates/{slug}/scope']").click()
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/scope$"))
    expect(page.locator(f"nav.debate-nav a[href='/debates/{slug}/scope']")).to_have_attribute(
        "aria-current", "page"
    )
    check(page, "scope-citizen")


def test_register_form_errors_are_summarised_and_accessible(page, world, check, lang):
    start(page, lang, "/auth/register")
    form = page.locator("main form")
    form.get_by_label(NAMES["email"]).fill(f"faible-{lang}@example.org")
    form.get_by_label(NAMES["display_name"]).fill("Dominique")
    form.get_by_label(NAMES["password"]).fill("motdepasse")
    form.get_by_role("button").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.locator("a[href='#password']")).to_be_visible()
    password = form.get_by_label(NAMES["password"])
    expect(password).to_have_attribute("aria-invalid", "true")
    described = (password.get_attribute("aria-describedby") or "").split()
    assert "password-error" in described, described
    expect(page.locator("#password-error")).to_be_visible()
    # The values typed are kept (except the password).
    expect(form.get_by_label(NAMES["email"])).to_have_value(f"faible-{lang}@example.org")
    check(page, "register-errors")

    # The summary's link leads to the field.
    summary.locator("a[href='#password']").click()
    expect(password).to_be_focused()


def test_working_group_opens_the_next_phase_signing_in_with_the_keyboard(page, world, check, lang):
    member = world.user(f"Groupe de travail ({lang})")
    debate = world.debate(working_group=member)
    slug = debate["slug"]

    # The skip link is the first Tab stop and moves the focus to <main>.
    start(page, lang, "/auth/login")
    page.reload()
    page.keyboard.press("Tab")
    active = _active(page)
    assert "skip-link" in active["cls"], f"the first Tab stop is not the skip link: {active}"
    page.keyboard.press("Enter")
    assert _active(page)["id"] == "main", _active(page)
    check(page, "login-skipped-to-main", screenshot=False)

    # Sign in with the keyboard only.
    active = _tab_until(page, lambda a: a["id"] == "email")
    page.keyboard.type(member["email"])
    page.keyboard.press("Tab")
    assert _active(page)["id"] == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    active = _active(page)
    assert active["tag"] == "button" and active["type"] == "submit", active
    page.keyboard.press("Enter")
    expect(page.locator(".flash-success")).to_contain_text(member["display_name"])

    # The debate page shows the working group the form to open another phase.
    page.get_by_role("link", name=debate["title"]).click()
    _expect_open_phase(page, 0)
    phase_form = page.locator(f"form[action='/debates/{slug}/phase']")
    select = phase_form.get_by_label(NAMES["phase"])
    expect(select).to_have_value("expertise")  # the next phase is proposed
    check(page, "debate-working-group")

    select.select_option("expertise")
    phase_form.get_by_role("button").click()
    # A page of its own says what opening the phase will do, then opens it.
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/phase\?phase=expertise$"))
    check(page, "phase-confirm")
    page.locator(
        f"main form[method=post][action='/debates/{slug}/phase'] button[type=submit]"
    ).click()
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/$"))
    expect(page.locator(".flash-success")).to_be_visible()
    _expect_open_phase(page, 1)
    expect(page.locator("ul.history li")).to_have_count(1)
    check(page, "phase-opened")
    assert world.api.call("GET", f"/debates/{slug}")["current_phase"] == "expertise"


def test_skip_link_is_the_first_tab_stop_on_every_public_page(page, world, lang):
    slug = world.debate()["slug"]
    start(page, lang)
    for path in [
        "/",
        f"/debates/{slug}/",
        f"/debates/{slug}/scope",
        f"/debates/{slug}/charter",
        "/auth/login",
        "/auth/register",
    ]:
        page.goto(path)
        page.keyboard.press("Tab")
        active = _active(page)
        assert "skip-link" in active["cls"], f"{path}: the first Tab stop is {active}"
        expect(page.locator(".skip-link")).to_be_in_viewport()  # visible once focused
        page.keyboard.press("Enter")
        assert _active(page)["id"] == "main", f"{path}: the skip link did not move focus to <main>"


def test_other_public_pages(page, world, check, lang):
    slug = world.debate()["slug"]
    start(page, lang, f"/debates/{slug}/charter")
    expect(page.locator("main h1")).to_be_visible()
    check(page, "charter")
    page.goto(f"/debates/{slug}/members")
    check(page, "members", screenshot=False)
    page.goto(f"/debates/{slug}/scope")
    check(page, "scope-visitor", screenshot=False)
    page.goto("/api/v1/docs")
    check(page, "api-docs", screenshot=False)
    response = page.goto("/debates/does-not-exist/")
    assert response.status == 404
    check(page, "not-found")


def test_administration_pages(page, world, check, lang):
    """The pages of the administrator, also in the debate's working group, with a form in error."""
    slug = world.debate(working_group=world.admin.call("GET", "/me"))["slug"]
    sign_in(page, lang, ADMIN_EMAIL)

    page.goto("/debates/new")
    check(page, "debate-new", screenshot=False)
    page.locator("main form").get_by_role("button").last.click()
    expect(page.locator("#error-summary")).to_be_visible()
    check(page, "debate-new-errors", screenshot=False)
    for path, name in [
        (f"/debates/{slug}/edit", "debate-edit"),
        (f"/debates/{slug}/members", "members-admin"),
        (f"/debates/{slug}/charter/edit", "charter-edit"),
        (f"/debates/{slug}/modalities/new", "modality-new"),
        (f"/debates/{slug}/scope", "scope-working-group"),
    ]:
        response = page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
        check(page, name, screenshot=name == "debate-edit")
    page.goto("/account")  # the administrator has API tokens: the table of tokens is shown
    expect(page.locator("main table")).to_be_visible()
    check(page, "account")
