"""The refused author of a question to the experts and of a scope proposal, in a real browser, played
with the mouse (every page checked by axe-core in French and in English, at 1280 and 360 px), with
the keyboard only (at 360 px) and without JavaScript:

- the author reads, where they wrote it (the expertise page, the scope page), the decision, the
  clause of the charter applied and the moderators' message; follows "revise"; an empty text is
  refused with the error summary; the revised text goes back to the moderators (awaiting moderation
  again), who find it in their queue.

The data is set up through the JSON API, as an outside client would.
"""

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the _requirements fixture (a skip, or a failure in CI)
    expect = None

from tests.browser.conftest import DESKTOP, PASSWORD
from tests.browser.journey_helpers import Journey, sign_in

pytestmark = pytest.mark.browser

QUESTION = "Pouvez-vous me rappeler au 06 12 34 56 78 pour parler des antennes ?"
REVISED_QUESTION = "Quelles mesures d'exposition sont prévues près des écoles ?"
PROPOSAL = "Le maire est-il payé par les opérateurs ?"
REVISED_PROPOSAL = "Qui contrôle les engagements des opérateurs envers la commune ?"
MESSAGE = "Pas de numéro de téléphone ici : reformulez votre question, sans données personnelles."


def _world(world, phase: str) -> dict:
    member = world.user("Camille Modératrice")
    debate = world.debate(working_group=member)
    slug = debate["slug"]
    wg = world.api.signed_in(member["email"])
    if phase != "scope":
        wg.call("POST", f"/debates/{slug}/phase", {"phase": phase}, expect=200)
    clauses = wg.call("GET", f"/debates/{slug}/charter")["clauses"]
    author = world.user("Alex Martin")
    return {
        "slug": slug,
        "wg": wg,
        "clause": clauses[1],  # no personal data
        "author": author,
        "author_api": world.api.signed_in(author["email"]),
    }


def refused_question_journey(j: Journey, world) -> None:
    data = _world(world, "expertise")
    slug = data["slug"]
    question = data["author_api"].call(
        "POST", f"/debates/{slug}/questions", {"theme": "health", "body": QUESTION}, expect=201
    )
    data["wg"].call(
        "POST",
        f"/questions/{question['id']}/moderation",
        {"action": "reject", "clause": data["clause"]["number"], "message": MESSAGE},
    )
    sign_in(j, data["author"]["email"], PASSWORD)
    j.open(f"/debates/{slug}/expertise")
    mine = j.main.locator(f"#question-{question['id']}")
    notice = mine.locator("section.decision-notice")
    expect(notice).to_contain_text(MESSAGE)
    expect(notice).to_contain_text(data["clause"]["text"][:40])
    j.seen("refused-question", screenshot=True)

    revise = f"/debates/{slug}/moderation/questions/{question['id']}/revise"
    j.follow(notice.locator(f"a.button[href='{revise}']"))
    form = j.main.locator("form.form")
    expect(j.main.locator("section.decision-notice")).to_contain_text(MESSAGE)
    j.seen("revise-question", screenshot=True)
    j.fill(form.locator("#body"), "   ")  # blank: refused with the error summary
    j.error_state("revise-question-empty", j.main.locator("form.form button[type=submit]"))
    form = j.main.locator("form.form")
    j.fill(form.locator("#body"), REVISED_QUESTION)
    j.press(form.locator("button[type=submit]"))
    expect(j.page.locator(".flash-success")).to_be_visible()
    mine = j.main.locator(f"#question-{question['id']}")
    expect(mine).to_contain_text(REVISED_QUESTION)
    expect(mine.locator("section.decision-notice")).to_have_count(0)
    j.seen("resubmitted-question")

    queue = data["wg"].call("GET", f"/debates/{slug}/moderation/queue")
    assert any(i["id"] == question["id"] and i["type"] == "question" for i in queue["items"])


def hidden_proposal_journey(j: Journey, world) -> None:
    data = _world(world, "scope")
    slug = data["slug"]
    proposal = data["author_api"].call(
        "POST",
        f"/debates/{slug}/scope-items",
        {"question": PROPOSAL, "in_scope": True, "rationale": "", "competence": "municipal"},
        expect=201,
    )
    data["wg"].call(
        "POST",
        f"/scope-items/{proposal['id']}/moderation",
        {"action": "hide", "clause": 1, "message": "Posez la question sans accuser personne."},
    )
    sign_in(j, data["author"]["email"], PASSWORD)
    j.open(f"/debates/{slug}/scope")
    notice = j.main.locator(f"#scope-{proposal['id']} section.decision-notice")
    expect(notice).to_contain_text("Posez la question sans accuser personne.")
    j.seen("hidden-proposal", screenshot=True)
    revise = f"/debates/{slug}/moderation/scope-items/{proposal['id']}/revise"
    j.follow(notice.locator(f"a.button[href='{revise}']"))
    form = j.main.locator("form.form")
    j.seen("revise-proposal")
    j.fill(form.locator("#question"), REVISED_PROPOSAL)
    j.press(form.locator("button[type=submit]"))
    expect(j.page.locator(".flash-success")).to_be_visible()
    expect(j.main.locator(f"#scope-{proposal['id']}")).to_contain_text(REVISED_PROPOSAL)
    j.seen("resubmitted-proposal")


COMMENT = "Ce projet est nul, comme ceux qui l'ont écrit."
REVISED_COMMENT = (
    "Une réunion par an ne suffit pas : proposons-en deux, dont une dans les quartiers."
)
ANSES = {
    "url": "https://www.anses.fr/fr/content/exposition-5g-avis-2021",
    "title": "Exposition aux champs électromagnétiques liée au déploiement de la 5G",
    "publisher": "ANSES",
    "kind": "public_agency",
}


def refused_comment_journey(j: Journey, world) -> None:
    data = _world(world, "arguments")
    slug, wg = data["slug"], data["wg"]
    argument = world.api.signed_in(world.user("Sacha")["email"]).call(
        "POST",
        f"/debates/{slug}/arguments",
        {
            "theme": "health",
            "stance": "for",
            "title": "Des mesures publiques répondent aux inquiétudes",
            "body": "",
            "sources": [ANSES],
        },
        expect=201,
    )
    wg.call("POST", f"/arguments/{argument['id']}/moderation", {"action": "approve"}, expect=200)
    wg.call("POST", f"/debates/{slug}/phase", {"phase": "outcome"}, expect=200)
    draft = wg.call(
        "POST",
        f"/debates/{slug}/recommendations",
        {
            "area": "health",
            "title": "Une réunion publique chaque année",
            "body": "La commune réunit les habitants une fois par an.",
            "origin": "working_group",
            "competence": "municipal",
            "consensus": "majority",
            "argument_ids": [argument["id"]],
            "open_for_comments": True,
        },
        expect=201,
    )
    comment = data["author_api"].call(
        "POST", f"/recommendations/{draft['id']}/comments", {"body": COMMENT}, expect=201
    )
    wg.call(
        "POST",
        f"/recommendation-comments/{comment['id']}/moderation",
        {"action": "reject", "clause": 1, "message": "Critiquez le projet, pas les personnes."},
    )
    sign_in(j, data["author"]["email"], PASSWORD)
    j.open(f"/debates/{slug}/recommendations/{draft['id']}")
    notice = j.main.locator(f"#comment-{comment['id']} section.decision-notice")
    expect(notice).to_contain_text("Critiquez le projet, pas les personnes.")
    j.seen("refused-comment", screenshot=True)
    edit = f"/debates/{slug}/recommendation-comments/{comment['id']}/edit"
    j.follow(notice.locator(f"a.button[href='{edit}']"))
    form = j.main.locator("form.form")
    j.seen("revise-comment")
    j.fill(form.locator("#body"), REVISED_COMMENT)
    j.press(form.locator("button[type=submit]"))
    expect(j.page.locator(".flash-success")).to_be_visible()
    mine = j.main.locator(f"#comment-{comment['id']}")
    expect(mine).to_contain_text("proposons-en deux")
    expect(mine.locator("section.decision-notice")).to_have_count(0)
    j.seen("resubmitted-comment")


JOURNEYS = {
    "refused_question": refused_question_journey,
    "hidden_proposal": hidden_proposal_journey,
    "refused_comment": refused_comment_journey,
}


@pytest.mark.parametrize("name", JOURNEYS)
def test_resubmission_journey_with_the_mouse_checked_in_french_and_english(page, world, name):
    journey = Journey(page, "mouse", name)
    JOURNEYS[name](journey, world)
    assert journey.fr.visited and journey.en.visited


@pytest.mark.parametrize("name", JOURNEYS)
def test_resubmission_journey_with_the_keyboard_only(page, world, name):
    journey = Journey(page, "keyboard", name)
    JOURNEYS[name](journey, world)
    assert journey.focus_stops > 0


@pytest.fixture
def page_without_javascript(browser, instance):
    context = browser.new_context(
        base_url=instance.url, viewport=DESKTOP, locale="fr-FR", java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.mark.parametrize("name", JOURNEYS)
def test_resubmission_journey_without_javascript(page_without_javascript, world, name):
    journey = Journey(page_without_javascript, "nojs", name)
    JOURNEYS[name](journey, world)
    assert journey.visited
