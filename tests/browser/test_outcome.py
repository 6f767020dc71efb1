"""The outcome in a real browser, in French and in English.

The data is set up through the JSON API: a 5G debate moved to `arguments`, where a citizen's
argument (with a source) is approved, then to `outcome`, where the working group drafts a
recommendation resting on it and publishes it, an elected official of the debate responds with a
commitment, the guarantor publishes an observation, and a second draft is opened to comments.

In the browser a visitor reaches the outcome from the debate's navigation (synthesis with its SVG
chart and table, the trace opened with the keyboard), a recommendation and the follow-up page; then
the working group drafts a recommendation through the form: first without any link (refused, the
error summary says why), then with an argument ticked from the keyboard.

Every page and state visited passes `check` (axe-core WCAG 2.0/2.1 A and AA, <html lang>, no
horizontal scroll at 360 px, no console or network error).
"""

import re
import time

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the _requirements fixture (a skip, or a failure in CI)
    expect = None

from tests.browser.conftest import active_element, sign_in, start

pytestmark = pytest.mark.browser

ARGUMENT = "Mesurer l'exposition près des écoles rassure les parents"
PUBLISHED = "Publier chaque année les mesures d'exposition près des écoles"
OPEN_DRAFT = "Organiser une réunion publique annuelle sur les mesures"
DRAFTED = "Créer un point d'information en mairie"
ANSES = {
    "url": "https://www.anses.fr/fr/content/exposition-5g-avis-2021",
    "title": "Exposition aux champs électromagnétiques liée au déploiement de la 5G",
    "publisher": "ANSES",
    "kind": "public_agency",
}


# Session scope: once per worker process (each serves its own instance), even when pytest-xdist
# runs this module's tests between other modules' ones (a module fixture would be made again).
@pytest.fixture(scope="session")
def seeded(world) -> dict:
    api, admin = world.api, world.admin
    member, elected, guarantor, citizen = (
        world.user("Groupe"),
        world.user("Elue"),
        world.user("Garante"),
        world.user("Camille"),
    )
    n = time.monotonic_ns()
    debate = admin.call(
        "POST",
        "/debates",
        {
            "slug": f"5g-bilan-{n}",
            "title": f"La 5G à Villeneuve-sur-Lande, le bilan ({n % 1000})",
            "municipality": "Villeneuve-sur-Lande",
            "question": "Faut-il accueillir de nouvelles antennes 5G ?",
            "description": "Le débat est arrivé à son bilan.",
            "template": "5g",
        },
        expect=201,
    )
    slug = debate["slug"]
    for person, role in ((member, "working_group"), (elected, "elected"), (guarantor, "guarantor")):
        admin.call("PUT", f"/debates/{slug}/members/{person['id']}", {"role": role}, expect=200)
    wg = api.signed_in(member["email"])
    wg.call("POST", f"/debates/{slug}/phase", {"phase": "arguments"}, expect=200)
    argument = api.signed_in(citizen["email"]).call(
        "POST",
        f"/debates/{slug}/arguments",
        {
            "theme": "health",
            "stance": "for",
            "title": ARGUMENT,
            "body": "Des mesures publiques répondent aux inquiétudes.",
            "sources": [ANSES],
        },
        expect=201,
    )
    wg.call("POST", f"/arguments/{argument['id']}/moderation", {"action": "approve"}, expect=200)
    wg.call("POST", f"/debates/{slug}/phase", {"phase": "outcome"}, expect=200)
    recommendation = wg.call(
        "POST",
        f"/debates/{slug}/recommendations",
        {
            "area": "health",
            "title": PUBLISHED,
            "body": "La commune demande des mesures à l'ANFR et les publie.",
            "rationale": "La demande la plus partagée du débat.",
            "origin": "working_group",
            "competence": "municipal",
            "consensus": "consensual",
            "argument_ids": [argument["id"]],
            "source_urls": [ANSES["url"]],
        },
        expect=201,
    )
    wg.call("POST", f"/debates/{slug}/recommendations/publish", expect=200)
    api.signed_in(elected["email"]).call(
        "PUT",
        f"/recommendations/{recommendation['id']}/response",
        {
            "decision": "adopted",
            "justification": "Une première campagne de mesures est commandée.",
            "commitments": [{"text": "Publier la carte des mesures", "due_on": "2031-06-30"}],
        },
        expect=200,
    )
    api.signed_in(guarantor["email"]).call(
        "POST",
        f"/debates/{slug}/observations",
        {"title": "Un débat équilibré", "body": "Les arguments des deux côtés ont été présentés."},
        expect=201,
    )
    draft = wg.call(
        "POST",
        f"/debates/{slug}/recommendations",
        {
            "area": "health",
            "title": OPEN_DRAFT,
            "body": "Une réunion chaque année.",
            "origin": "citizens",
            "competence": "municipal",
            "consensus": "majority",
            "argument_ids": [argument["id"]],
            "open_for_comments": True,
        },
        expect=201,
    )
    return {
        "slug": slug,
        "member": member,
        "argument": argument,
        "recommendation": recommendation,
        "draft": draft,
    }


def test_outcome_pages(page, seeded, check, lang):
    slug, rid = seeded["slug"], seeded["recommendation"]["id"]
    main = page.locator("main")
    start(page, lang, f"/debates/{slug}/")
    page.locator(f"nav.debate-nav a[href='/debates/{slug}/outcome']").click()
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/outcome$"))
    chart = main.locator(".glance svg[role=img]")
    expect(chart).to_be_visible()
    expect(chart.locator("title")).to_have_count(1)
    # The chart's table: one row per theme, as many as the collapsible theme details.
    expect(main.locator("#balance-table tbody tr")).to_have_count(
        main.locator("details.theme").count()
    )
    expect(main.locator(".observation")).to_contain_text("Un débat équilibré")
    expect(main.locator(f"#recommendation-{rid}")).to_contain_text(PUBLISHED)
    check(page, "outcome")

    # The trace opens with the keyboard onto the material.
    trace = main.locator(f"#recommendation-{rid} details.trace")
    for _ in range(120):
        page.keyboard.press("Tab")
        if active_element(page)["tag"] == "summary":
            break
    assert active_element(page)["tag"] == "summary", active_element(page)
    page.keyboard.press("Enter")
    expect(trace).to_have_attribute("open", "")
    expect(
        trace.locator(f"a[href='/debates/{slug}/arguments/{seeded['argument']['id']}']")
    ).to_be_visible()
    check(page, "outcome-trace-open", screenshot=False)

    main.locator(f"#recommendation-{rid} h3 a").click()
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/recommendations/{rid}$"))
    expect(main.locator("h1")).to_contain_text(PUBLISHED)
    expect(main.locator("ul.commitments")).to_contain_text("Publier la carte des mesures")
    check(page, "recommendation")

    page.goto(f"/debates/{slug}/outcome/follow-up")
    expect(main.locator("dl.figures")).to_contain_text("100")
    check(page, "outcome-follow-up")

    page.goto(f"/debates/{slug}/recommendations/{seeded['draft']['id']}")
    expect(main.locator("h1")).to_contain_text(OPEN_DRAFT)
    check(page, "recommendation-open-draft", screenshot=False)


def test_working_group_drafts_a_recommendation(page, seeded, check, lang):
    slug = seeded["slug"]
    main = page.locator("main")
    sign_in(page, lang, seeded["member"]["email"])
    page.goto(f"/debates/{slug}/outcome")
    main.locator(f"a.button[href='/debates/{slug}/recommendations/new']").click()
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/recommendations/new$"))
    check(page, "recommendation-form", screenshot=False)

    title = f"{DRAFTED} ({lang})"
    page.locator("#title").fill(title)
    page.locator("#body").fill("Les dossiers des opérateurs consultables à l'accueil de la mairie.")
    with page.expect_navigation():
        main.locator("form button[type=submit]").click()
    summary = main.locator("#error-summary[role=alert]")
    expect(summary).to_be_visible()
    expect(page.locator("#title")).to_have_value(title)
    check(page, "recommendation-form-error")

    # Tick the argument from the keyboard, then save.
    checkbox = main.locator(f"input[name=argument_ids][value='{seeded['argument']['id']}']")
    checkbox.focus()
    page.keyboard.press("Space")
    expect(checkbox).to_be_checked()
    with page.expect_navigation():
        main.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/recommendations/\d+$"))
    expect(page.locator(".flash-success")).to_be_visible()
    expect(main.locator("h1")).to_contain_text(title)
    check(page, "recommendation-drafted", screenshot=False)
