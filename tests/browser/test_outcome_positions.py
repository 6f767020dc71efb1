"""The outcome of an open question in a real browser, in French and in English: the synthesis shows
each position with its arguments for and against and its endorsements, a recommendation resting on
a position links to it, and the working group's form offers the positions.

The data is set up through the JSON API: an open 5G question in `arguments`, where the working
group writes two positions, citizens argue for and against them and endorse one, then `outcome`,
where a recommendation resting on a position is published. Every page passes `check` (axe-core,
<html lang>, no horizontal scroll at 360 px, no console or network error).
"""

import re
import time

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the _requirements fixture (a skip, or a failure in CI)
    expect = None

from tests.browser.conftest import sign_in, start

pytestmark = pytest.mark.browser

CHARTER = "Négocier une charte d'implantation des antennes"
MEASURES = "Faire mesurer l'exposition près des écoles"
RECOMMENDED = "Signer la charte avec les opérateurs avant l'été"
SOURCE = {
    "url": "https://www.anfr.fr/publications/rapport-exposition-du-public-avant-et-apres-la-5g",
    "title": "Exposition du public aux ondes avant et après l'activation de la 5G",
    "publisher": "ANFR",
    "kind": "public_agency",
}


@pytest.fixture(scope="session")
def open_question(world) -> dict:
    api, admin = world.api, world.admin
    member, citizen, other = world.user("Groupe"), world.user("Camille"), world.user("Dominique")
    n = time.monotonic_ns()
    debate = admin.call(
        "POST",
        "/debates",
        {
            "slug": f"5g-positions-{n}",
            "title": f"La 5G à Villeneuve-sur-Lande, les options ({n % 1000})",
            "municipality": "Villeneuve-sur-Lande",
            "question": "Comment la commune doit-elle accompagner le déploiement de la 5G ?",
            "description": "Un débat sur les options ouvertes à la commune.",
            "template": "5g",
            "question_kind": "open",
        },
        expect=201,
    )
    slug = debate["slug"]
    admin.call("PUT", f"/debates/{slug}/members/{member['id']}", {"role": "working_group"})
    wg = api.signed_in(member["email"])
    wg.call("POST", f"/debates/{slug}/phase", {"phase": "arguments"}, expect=200)
    positions = {
        title: wg.call(
            "POST",
            f"/debates/{slug}/positions",
            {
                "title": title,
                "body": "Une option proposée par le groupe de travail.",
                "theme": None,
            },
            expect=201,
        )
        for title in (CHARTER, MEASURES)
    }
    for author, stance, title, position in (
        (citizen, "for", "Les riverains seraient prévenus avant chaque antenne", CHARTER),
        (other, "against", "Une charte ne contraint aucun opérateur", CHARTER),
        (citizen, "for", "Les parents demandent des mesures publiques", MEASURES),
    ):
        argument = api.signed_in(author["email"]).call(
            "POST",
            f"/debates/{slug}/arguments",
            {
                "theme": "health",
                "stance": stance,
                "title": title,
                "body": "Un argument sourcé.",
                "sources": [SOURCE],
                "position_id": positions[position]["id"],
            },
            expect=201,
        )
        if argument["status"] != "published":
            wg.call(
                "POST", f"/arguments/{argument['id']}/moderation", {"action": "approve"}, expect=200
            )
    api.signed_in(other["email"]).call(
        "PUT", f"/positions/{positions[CHARTER]['id']}/endorsement", expect=200
    )
    wg.call("POST", f"/debates/{slug}/phase", {"phase": "outcome"}, expect=200)
    recommendation = wg.call(
        "POST",
        f"/debates/{slug}/recommendations",
        {
            "area": "health",
            "title": RECOMMENDED,
            "body": "La commune propose une charte aux quatre opérateurs.",
            "origin": "working_group",
            "competence": "municipal",
            "consensus": "majority",
            "position_ids": [positions[CHARTER]["id"]],
        },
        expect=201,
    )
    wg.call("POST", f"/debates/{slug}/recommendations/publish", expect=200)
    return {
        "slug": slug,
        "member": member,
        "positions": positions,
        "recommendation": recommendation,
    }


def test_the_synthesis_of_an_open_question(page, open_question, check, lang):
    slug, rid = open_question["slug"], open_question["recommendation"]["id"]
    charter = open_question["positions"][CHARTER]["id"]
    main = page.locator("main")
    start(page, lang, f"/debates/{slug}/outcome")
    table = main.locator("#positions-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    # The endorsed position first, with one argument for and one against.
    first = table.locator("tbody tr").first
    expect(first.locator("th")).to_contain_text(CHARTER)
    expect(first.locator("td")).to_have_text(["1", "1", "0", "1"])
    expect(main.locator(f"details#position-{charter}")).to_contain_text(CHARTER)
    check(page, "outcome-positions")

    page.goto(f"/debates/{slug}/recommendations/{rid}")
    expect(main.locator(f"a[href='/debates/{slug}/positions/{charter}']").first).to_be_visible()
    check(page, "recommendation-on-a-position", screenshot=False)


def test_the_working_group_can_rest_a_recommendation_on_a_position(
    page, open_question, check, lang
):
    slug = open_question["slug"]
    sign_in(page, lang, open_question["member"]["email"])
    page.goto(f"/debates/{slug}/recommendations/new")
    expect(page.locator("main")).to_contain_text(MEASURES)
    box = page.get_by_role("checkbox", name=re.compile(re.escape(MEASURES)))
    expect(box).to_have_count(1)
    check(page, "recommendation-form-positions", screenshot=False)
