"""The outcome at a glance, in a real browser, as a visitor and as an elected official.

Data through the JSON API: a 5G debate with arguments on two themes, three published
recommendations, one answered (adopted, with a commitment), two awaiting a response.

What the first screen shows is read from the bounding boxes at 1280 px and at 360 px: the key
figures, the recommendations counted by decision and the balance chart start within the first
screen. Every page passes `check` (axe-core, no horizontal scroll at 360 px, no console error).
An elected official answers a recommendation from the outcome page with the keyboard only.
"""

import re
import time
from pathlib import Path

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the _requirements fixture
    expect = None

from tests.browser.conftest import active_element, save_screenshot, sign_in, start

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots/outcome")
ANSWERED = "Publier chaque année les mesures d'exposition près des écoles"
WAITING = ["Une charte d'implantation des antennes", "Un guichet d'information en mairie"]
SOURCE = {
    "url": "https://www.anses.fr/fr/content/exposition-5g-avis-2021",
    "title": "Exposition aux champs électromagnétiques liée au déploiement de la 5G",
    "publisher": "ANSES",
    "kind": "public_agency",
}


def _debate_with_outcome(world) -> dict:
    api, admin = world.api, world.admin
    member, elected, citizen = world.user("Groupe"), world.user("Élue"), world.user("Camille")
    n = time.monotonic_ns()
    debate = admin.call(
        "POST",
        "/debates",
        {
            "slug": f"5g-synthese-{n}",
            "title": f"La 5G à Villeneuve-sur-Lande, la synthèse ({n % 1000})",
            "municipality": "Villeneuve-sur-Lande",
            "question": "Faut-il accueillir de nouvelles antennes 5G ?",
            "description": "Le débat est arrivé à son bilan.",
            "template": "5g",
        },
        expect=201,
    )
    slug = debate["slug"]
    for person, role in ((member, "working_group"), (elected, "elected")):
        admin.call("PUT", f"/debates/{slug}/members/{person['id']}", {"role": role}, expect=200)
    wg = api.signed_in(member["email"])
    wg.call("POST", f"/debates/{slug}/phase", {"phase": "arguments"}, expect=200)
    author = api.signed_in(citizen["email"])
    ids = []
    for i, (theme, stance) in enumerate(
        [
            ("health", "for"),
            ("health", "against"),
            ("environment", "nuance"),
            ("environment", "for"),
        ]
    ):
        argument = author.call(
            "POST",
            f"/debates/{slug}/arguments",
            {
                "theme": theme,
                "stance": stance,
                "title": f"Argument {i + 1} sur la 5G et le territoire",
                "body": "Un argument sourcé.",
                "sources": [SOURCE],
            },
            expect=201,
        )
        wg.call(
            "POST", f"/arguments/{argument['id']}/moderation", {"action": "approve"}, expect=200
        )
        ids.append(argument["id"])
    wg.call("POST", f"/debates/{slug}/phase", {"phase": "outcome"}, expect=200)
    recommendations = [
        wg.call(
            "POST",
            f"/debates/{slug}/recommendations",
            {
                "area": "health",
                "title": title,
                "body": "La commune agit dans la limite de ses compétences.",
                "rationale": "Une demande partagée du débat.",
                "origin": "working_group",
                "competence": "municipal",
                "consensus": "majority",
                "dissent": "Une minorité demande un moratoire.",
                "argument_ids": [ids[0]],
                "source_urls": [SOURCE["url"]],
            },
            expect=201,
        )
        for title in [ANSWERED, *WAITING]
    ]
    wg.call("POST", f"/debates/{slug}/recommendations/publish", expect=200)
    api.signed_in(elected["email"]).call(
        "PUT",
        f"/recommendations/{recommendations[0]['id']}/response",
        {
            "decision": "adopted",
            "justification": "Une première campagne de mesures est commandée.",
            "commitments": [{"text": "Publier la carte des mesures", "due_on": "2031-06-30"}],
        },
        expect=200,
    )
    return {
        "slug": slug,
        "elected": elected,
        "member": member,
        "recommendations": recommendations,
        "wg": wg,
        "argument_id": ids[0],
    }


@pytest.fixture(scope="session")
def glance(world) -> dict:
    """A debate that only visitors read (its figures stay as set up)."""
    return _debate_with_outcome(world)


@pytest.fixture(scope="session")
def answering(world) -> dict:
    """A debate whose recommendations the elected-official tests answer."""
    return _debate_with_outcome(world)


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    save_screenshot(page, SHOTS / f"{name}.png")
    page.screenshot(path=str(SHOTS / f"{name}-first-screen.png"))


def _first_screen(page, selectors: list[str]) -> None:
    """Each element starts within the first screen (its top above the bottom of the viewport) and
    has a size: the reader sees it without scrolling."""
    height = page.viewport_size["height"]
    for selector in selectors:
        box = page.locator(selector).first.bounding_box()
        assert box is not None and box["height"] > 0, f"{selector} is not shown"
        assert box["y"] + min(box["height"], 40) <= height, (
            f"{selector} starts at {box['y']:.0f}px, below the first screen ({height}px)"
        )


@pytest.mark.parametrize("width", [1280, 360])
def test_visitor_reads_the_outcome_at_a_glance(page, glance, check, lang, width):
    slug = glance["slug"]
    main = page.locator("main")
    start(page, lang, f"/debates/{slug}/outcome")
    page.set_viewport_size({"width": width, "height": 900 if width == 1280 else 780})
    _shoot(page, f"visitor-{lang}-{width}")
    _first_screen(page, [".key-figures", ".decision-counts", ".glance svg[role=img]"])
    expect(main.locator(".decision-count.decision-adopted strong")).to_have_text("1")
    expect(main.locator(".decision-count.decision-none strong")).to_have_text("2")
    expect(main.locator(".glance svg[role=img] title")).to_have_count(1)
    expect(main.locator("#balance-table tbody tr")).to_have_count(
        main.locator("details.theme").count()
    )
    # In their published order, with the text, the dissent and the response.
    titles = main.locator(".recommendation h3").all_inner_texts()
    assert [re.sub(r"^\d+\. ", "", t) for t in titles] == [ANSWERED, *WAITING]
    first = main.locator(".recommendation").first
    expect(first).to_contain_text("Une minorité demande un moratoire.")
    expect(first.locator(".response")).to_contain_text("Publier la carte des mesures")
    expect(main.locator("#to-answer")).to_have_count(0)
    expect(main.locator(".recommendation a.button")).to_have_count(0)
    check(page, f"outcome-glance-{width}", screenshot=False)


@pytest.mark.parametrize("width", [1280, 360])
def test_elected_official_answers_with_the_keyboard(page, answering, check, lang, width):
    slug, wg = answering["slug"], answering["wg"]
    main = page.locator("main")
    # A recommendation of its own to answer (the other runs of this test answer theirs).
    wg.call(
        "POST",
        f"/debates/{slug}/recommendations",
        {
            "area": "environment",
            "title": f"Mesurer l'exposition chaque année ({lang}, {width} px)",
            "body": "Des mesures publiques, site par site.",
            "origin": "citizens",
            "competence": "municipal",
            "consensus": "divided",
            "dissent": "Une minorité demande un moratoire.",
            "argument_ids": [answering["argument_id"]],
        },
        expect=201,
    )
    wg.call("POST", f"/debates/{slug}/recommendations/publish", expect=200)
    start(page, lang, "/")
    page.set_viewport_size({"width": width, "height": 900 if width == 1280 else 780})
    sign_in(page, lang, answering["elected"]["email"])
    page.goto("/")
    # The home page lists what awaits this official's response too.
    expect(page.locator("#home-to-answer")).to_be_visible()
    expect(page.locator("#home-to-answer ~ ul li")).not_to_have_count(0)
    check(page, f"home-elected-{width}", screenshot=False)
    page.goto(f"/debates/{slug}/outcome")
    waiting = main.locator("#to-answer ~ ul li")
    before = waiting.count()
    assert before >= 1
    _first_screen(page, [".key-figures", ".decision-counts"])
    if width == 1280:
        _first_screen(page, [".glance svg[role=img]", "#to-answer"])
    _shoot(page, f"elected-{lang}-{width}")
    check(page, f"outcome-elected-{width}", screenshot=False)
    title = main.locator("#to-answer ~ ul li").first.locator("a").first.inner_text()

    # From the top of the page, Tab to the first "Respond" button of the list, then Enter.
    page.locator("body").focus()
    for _ in range(80):
        page.keyboard.press("Tab")
        active = active_element(page)
        if active["tag"] == "a" and "button-small" in active["cls"]:
            break
    assert "button-small" in active_element(page)["cls"], active_element(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/recommendations/\d+/response$"))
    expect(main.locator(".respond-context")).to_contain_text("Une minorité demande un moratoire.")
    expect(main.locator(".respond-context")).to_contain_text(title.split(" — ", 1)[1])
    check(page, f"respond-{width}", screenshot=False)

    # Choose a decision with the keyboard, type the justification, send.
    radio = main.locator("input[name=decision]").first
    radio.focus()
    page.keyboard.press("ArrowDown")  # moves to and selects the second decision (partly adopted)
    expect(main.locator("input[name=decision][value=partially_adopted]")).to_be_checked()
    page.keyboard.press("Tab")
    assert active_element(page)["tag"] == "textarea", active_element(page)
    page.keyboard.type("Nous retenons la charte pour les nouveaux sites.")
    submit = main.locator("form button[type=submit]")
    for _ in range(20):
        page.keyboard.press("Tab")
        if active_element(page)["tag"] == "button":
            break
    assert active_element(page)["tag"] == "button", active_element(page)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".flash-success")).to_be_visible()
    expect(main.locator("#response ~ p .decision")).to_have_text(
        re.compile("Adoptée en partie|Partially adopted")
    )
    assert submit is not None
    page.goto(f"/debates/{slug}/outcome")
    expect(main.locator("#to-answer ~ ul li")).to_have_count(before - 1)


def test_working_group_publishes_after_a_confirmation_page(page, answering, check, lang):
    slug, wg = answering["slug"], answering["wg"]
    main = page.locator("main")
    title = f"Une fiche d'information par quartier ({lang})"
    wg.call(
        "POST",
        f"/debates/{slug}/recommendations",
        {
            "area": "health",
            "title": title,
            "body": "Une fiche par quartier.",
            "origin": "working_group",
            "competence": "municipal",
            "consensus": "consensual",
            "argument_ids": [answering["argument_id"]],
        },
        expect=201,
    )
    start(page, lang, "/")
    sign_in(page, lang, answering["member"]["email"])
    page.goto(f"/debates/{slug}/outcome")
    with page.expect_navigation():
        main.locator(f"a.button[href='/debates/{slug}/recommendations/publish']").click()
    expect(main.locator("h1")).to_have_text(
        re.compile("Publier les recommandations|Publish the recommendations")
    )
    expect(main.locator(".card")).to_contain_text(title)
    _shoot(page, f"publish-{lang}")
    check(page, "publish-confirmation", screenshot=False)
    with page.expect_navigation():
        main.locator("form button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(main.locator(".recommendation h3", has_text=title)).to_contain_text(
        re.compile(r"^\d+\. ")
    )
