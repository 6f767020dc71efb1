"""The citizens' panel in a real browser: every page checked by axe-core in French and in English, at
1280 and 360 px (tests/browser/journey_helpers.py).

- a volunteer reads the panel from the debate's page, volunteers (an empty form is refused with the
  error summary, naming each missing answer and the consent), sees their opaque key, and withdraws
  — with the mouse, and with the keyboard only;
- the working group sets up the quotas with the categories editor (adding a category and an answer
  without JavaScript), sees the preview, then, once volunteers came, draws the panel with a given
  seed and reads the public draw page — with the mouse, and without JavaScript.

The data is set up through the JSON API, as an outside client would. The instance runs draws as
jobs (PANEL_DRAW_JOBS=process): a draw longer than PANEL_DRAW_WAIT_SECONDS shows its progress on the
panel page first.
"""

import re
from datetime import date, timedelta

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the _requirements fixture (a skip, or a failure in CI)
    expect = None

from tests.browser.conftest import DESKTOP, PASSWORD
from tests.browser.journey_helpers import Journey, sign_in

pytestmark = pytest.mark.browser

SEED = "7 12 19 33 41 — loto du 4 décembre"
CATEGORIES = [
    {
        "key": "quartier",
        "title": "Quartier",
        "values": [
            {"key": "nord", "title": "Nord", "min": 1, "max": 3},
            {"key": "sud", "title": "Sud", "min": 1, "max": 3},
        ],
    },
    {
        "key": "age",
        "title": "Tranche d'âge",
        "values": [
            {"key": "jeunes", "title": "Moins de 40 ans", "min": 1, "max": 3},
            {"key": "aines", "title": "40 ans et plus", "min": 1, "max": 3},
        ],
    },
]


def _until() -> str:
    return (date.today() + timedelta(days=30)).isoformat()


def _debate_with_panel(world) -> dict:
    member = world.user("Camille Animatrice")
    debate = world.debate(working_group=member)
    wg = world.api.signed_in(member["email"])
    wg.call(
        "PUT",
        f"/debates/{debate['slug']}/panel",
        {"size": 4, "volunteers_until": _until(), "categories": CATEGORIES},
        expect=200,
    )
    return {"slug": debate["slug"], "wg": wg, "member": member}


def _volunteers(world, slug: str, count: int) -> None:
    for i in range(count):
        person = world.api.signed_in(world.user(f"Volontaire {i}")["email"])
        person.call(
            "POST",
            f"/debates/{slug}/panel/volunteers",
            {
                "answers": {
                    "quartier": ("nord", "sud")[i % 2],
                    "age": ("jeunes", "aines")[(i // 2) % 2],
                },
                "consent": True,
            },
            expect=201,
        )


def volunteer_journey(j: Journey, world) -> None:
    data = _debate_with_panel(world)
    slug = data["slug"]
    citizen = world.user("Léa Martin")
    sign_in(j, citizen["email"], PASSWORD)
    j.open(f"/debates/{slug}/")
    box = j.main.locator("section.panel-box")
    expect(box).to_contain_text("4")
    j.follow(box.locator(f"a[href='/debates/{slug}/panel']"))
    expect(j.main.locator("h1")).to_be_visible()
    j.seen("panel-page", screenshot=True)
    j.follow(j.main.locator(f"#panel-status a[href='/debates/{slug}/panel/volunteer']"))
    j.seen("volunteer-form", screenshot=True)
    form = j.main.locator("form.form")
    # Nothing chosen: the summary names each missing answer and the consent.
    j.error_state("volunteer-form-empty", form.locator("button[type=submit]"), screenshot=True)
    form = j.main.locator("form.form")
    expect(j.page.locator("#error-summary li")).to_have_count(3)
    j.tick(form.locator("#answers_quartier-1"))
    j.tick(form.locator("#answers_age-0"))
    j.tick(form.locator("#consent"))
    j.press(form.locator("button[type=submit]"))
    expect(j.page.locator(".flash-success")).to_be_visible()
    status = j.main.locator("#panel-status")
    expect(status).to_contain_text(re.compile(r"v[a-z0-9]{10}"))
    key = re.search(r"v[a-z0-9]{10}", status.inner_text()).group(0)
    j.seen("volunteered")
    j.follow(status.locator(f"a[href='/debates/{slug}/panel/withdraw']"))
    expect(j.main).to_contain_text(key)
    j.seen("withdraw-confirm")
    j.press(j.main.locator("form.form button[type=submit]"))
    expect(j.page.locator(".flash-success")).to_be_visible()
    expect(j.main.locator("#panel-status")).not_to_contain_text(key)
    assert data["wg"].call("GET", f"/debates/{slug}/panel")["volunteers_count"] == 0


def _settings(j: Journey, slug: str) -> None:
    """The working group types the quotas in, adding a category and an answer as it goes."""
    j.open(f"/debates/{slug}/panel/settings")
    j.seen("settings-empty", screenshot=True)
    form = j.main.locator("form.panel-settings")
    j.fill(form.locator("#size"), "4")
    j.fill(form.locator("#volunteers_until"), _until())
    first = CATEGORIES[0]
    j.fill(form.locator("#categories-0-key"), first["key"])
    j.fill(form.locator("#categories-0-title"), first["title"])
    for n, value in enumerate(first["values"]):
        for name in ("key", "title", "min", "max"):
            j.fill(form.locator(f"#categories-0-values-{n}-{name}"), str(value[name]))
    # One more answer row, then one more category: the page comes back with what was typed.
    j.press(form.locator("button[value='add_value-0']"))
    expect(j.main.locator("#categories-0-values-2-key")).to_have_value("")
    expect(j.main.locator("#categories-0-values-1-title")).to_have_value("Sud")
    form = j.main.locator("form.panel-settings")
    j.press(form.locator("button[value='add_category']"))
    form = j.main.locator("form.panel-settings")
    second = CATEGORIES[1]
    j.fill(form.locator("#categories-1-key"), second["key"])
    j.fill(form.locator("#categories-1-title"), second["title"])
    for n, value in enumerate(second["values"]):
        for name in ("key", "title", "min", "max"):
            j.fill(form.locator(f"#categories-1-values-{n}-{name}"), str(value[name]))
    # A minimum above the seats: refused, the preview says why.
    j.fill(form.locator("#categories-1-values-0-min"), "5")
    j.error_state("settings-error", form.locator(".actions button[value='save']"), screenshot=True)
    expect(j.main.locator("#preview")).to_contain_text("5")
    form = j.main.locator("form.panel-settings")
    j.fill(form.locator("#categories-1-values-0-min"), "1")
    j.press(form.locator(".actions button[value='save']"))
    expect(j.page.locator(".flash-success")).to_be_visible()
    expect(j.main.locator("#categories-1-values-1-title")).to_have_value("40 ans et plus")
    j.seen("settings-saved")


def _draw(j: Journey, world, slug: str) -> None:
    _volunteers(world, slug, 12)
    j.open(f"/debates/{slug}/panel/settings")
    expect(j.main.locator("#preview .chip-published")).to_have_count(2)  # size OK, pool OK
    j.open(f"/debates/{slug}/panel/draw")
    j.seen("draw-form", screenshot=True)
    form = j.main.locator("#draw-form form")
    j.fill(form.locator("#seed"), SEED)
    j.tick(form.locator("#confirm"))
    j.press(form.locator("button[type=submit]"))
    if not j.page.url.split("#")[0].endswith("/panel/draw"):
        # A draw longer than the request's wait: the panel page shows its progress. With
        # JavaScript, static/js/panel.js polls the API and opens the draw page once it is done;
        # without, the visitor follows "Refresh" (the job writes its progress every few seconds).
        expect(j.main.locator(".panel-progress")).to_be_visible()
        if j.mode == "nojs":
            j.seen("draw-progress")
            for _ in range(90):
                refresh = j.main.locator(".panel-progress a")
                if refresh.count() == 0:
                    break
                j.page.wait_for_timeout(1000)
                j.follow(refresh)
        else:
            j.page.wait_for_url(re.compile(r"/panel/draw$"), timeout=90_000)
    j.open(f"/debates/{slug}/panel/draw")
    expect(j.main.locator(".panel-seed")).to_have_text(SEED)
    expect(j.main.locator("table.panel-chances tbody tr")).to_have_count(12)
    j.seen("draw-page", screenshot=True)
    record = world.api.call("GET", f"/debates/{slug}/panel/draw")
    assert record["seed"] == SEED and len(record["selected"]) == 4


def working_group_journey(j: Journey, world) -> None:
    member = world.user("Camille Animatrice")
    debate = world.debate(working_group=member)
    slug = debate["slug"]
    sign_in(j, member["email"], PASSWORD)
    _settings(j, slug)
    _draw(j, world, slug)
    j.open(f"/debates/{slug}/panel/verify")
    j.seen("verify", screenshot=True)


@pytest.mark.parametrize("mode", ["mouse", "keyboard"])
def test_volunteer_journey(page, world, mode):
    journey = Journey(page, mode, "panel-volunteer")
    volunteer_journey(journey, world)
    assert journey.visited


def test_working_group_journey_with_the_mouse_in_french_and_english(page, world):
    journey = Journey(page, "mouse", "panel-working-group")
    working_group_journey(journey, world)
    assert journey.fr.visited and journey.en.visited


@pytest.fixture
def page_without_javascript(browser, instance):
    context = browser.new_context(
        base_url=instance.url, viewport=DESKTOP, locale="fr-FR", java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def test_working_group_journey_without_javascript(page_without_javascript, world):
    journey = Journey(page_without_javascript, "nojs", "panel-working-group")
    working_group_journey(journey, world)
    assert journey.visited
