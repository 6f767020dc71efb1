"""An open question in a real browser, in French and in English: a citizen proposes a position
(after the "similar positions" hint), then argues against another position, and supports it.

The data is set up through the JSON API: a 5G debate whose question is open (`question_kind`), in
the `arguments` phase without pre-moderation, with two positions written by the working group and
one argument for the first. Every page and state visited passes `check` (axe-core WCAG 2.0/2.1 A
and AA, <html lang>, no horizontal scroll at 360 px, no console or network error).
"""

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the _requirements fixture (a skip, or a failure in CI)
    expect = None

from tests.browser.conftest import sign_in, start

pytestmark = pytest.mark.browser

MORATORIUM = "Un moratoire local jusqu'aux conclusions de l'ANSES"
CHARTER = "Une charte d'implantation des antennes concertée avec les opérateurs"


@pytest.fixture
def open_question(world) -> dict:
    member = world.user("Groupe de travail")
    wg = world.api.signed_in(member["email"])
    author = world.api.signed_in(world.user("Alex")["email"])
    debate = world.debate(working_group=member)
    slug = debate["slug"]
    wg.call("PATCH", f"/debates/{slug}", {"question_kind": "open"}, expect=200)
    wg.call("POST", f"/debates/{slug}/phase", {"phase": "arguments"}, expect=200)
    wg.call(
        "PATCH",
        f"/debates/{slug}",
        {"settings": {"pre_moderation": False, "source_required": False}},
        expect=200,
    )
    moratorium = wg.call(
        "POST", f"/debates/{slug}/positions", {"title": MORATORIUM, "theme": "health"}, expect=201
    )
    charter = wg.call("POST", f"/debates/{slug}/positions", {"title": CHARTER}, expect=201)
    author.call(
        "POST",
        f"/debates/{slug}/arguments",
        {
            "theme": "health",
            "stance": "for",
            "title": "Le principe de précaution s'applique tant que les études manquent",
            "position_id": moratorium["id"],
        },
        expect=201,
    )
    return {"slug": slug, "moratorium": moratorium, "charter": charter}


def test_citizen_proposes_a_position_and_argues_against_another(
    page, world, open_question, check, lang
):
    slug = open_question["slug"]
    moratorium = open_question["moratorium"]
    citizen = world.user(f"Camille ({lang})")
    start(page, lang, f"/debates/{slug}/arguments")
    main = page.locator("main")
    expect(main.locator(".position-summary")).to_have_count(2)
    expect(main.locator(f"#position-{moratorium['id']}")).to_contain_text(MORATORIUM)
    check(page, "positions")

    sign_in(page, lang, citizen["email"])
    page.reload()
    main.locator(f"a[href='/debates/{slug}/positions/new']").first.click()
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/positions/new"))
    check(page, "position-new", screenshot=False)
    form = main.locator("form.form")
    form.locator("#title").fill("Un moratoire sur les nouvelles antennes")
    form.locator("button[name=check_similar]").click()
    expect(main.locator("section.similar")).to_contain_text(MORATORIUM)
    check(page, "position-similar")

    title = f"Des campagnes de mesure indépendantes ({lang})"
    form = main.locator("form.form")
    form.locator("#title").fill(title)
    form.locator("#body").fill("Financées par la commune, publiées en ligne.")
    form.locator("button[type=submit]:not([name])").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(main.locator("h1")).to_have_text(title)
    check(page, "position-created", screenshot=False)

    # Argue against another position, from its page.
    page.goto(f"/debates/{slug}/positions/{moratorium['id']}")
    check(page, "position")
    main.locator(f"a.button[href^='/debates/{slug}/arguments/new?position=']").click()
    form = main.locator("form.argument-form")
    expect(form.locator("#position")).to_have_value(str(moratorium["id"]))
    form.locator("input[name=stance][value=against]").check()
    form.locator("#title").fill(f"Une commune ne peut pas décider d'un moratoire ({lang})")
    check(page, "argument-on-position", screenshot=False)
    form.locator("button[type=submit]:not([name])").click()
    expect(page.locator(".flash-success")).to_be_visible()

    # The position page shows it in the "against" column; supporting the position works.
    page.goto(f"/debates/{slug}/positions/{moratorium['id']}")
    expect(main.locator(".stance-column-against")).to_contain_text("ne peut pas décider")
    toggle = main.locator("button.endorse-toggle")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(main.locator("button.endorse-toggle")).to_have_attribute("aria-pressed", "true")
    check(page, "position-supported")
