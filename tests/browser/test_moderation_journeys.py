"""Two moderation journeys in a real browser, each played with the mouse (every page checked by
axe-core in French and in English, at 1280 and 360 px) and with the keyboard only (at 360 px):

- a refused author reads, on their argument, the decision, the clause of the charter applied and the
  moderators' message, revises the argument and sends it back to the moderation queue;
- a moderator decides from the queue without leaving it: the item is shown whole (text, sources,
  the author's earlier decisions, what changed since the refused version, the reports' reasons),
  no decision is chosen in advance, a refusal without a clause keeps the choice and says where the
  error is, then the refusal with its clause is recorded and the moderator is back on the queue.

Both are also played in a browser with JavaScript off (the pages need none). The data is set up
through the JSON API, as an outside client would.
"""

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the _requirements fixture (a skip, or a failure in CI)
    expect = None

from tests.browser.conftest import DESKTOP, PASSWORD
from tests.browser.journey_helpers import Journey, sign_in

pytestmark = pytest.mark.browser

REFUSED_TITLE = "Les antennes 5G rendent malades tous les riverains"
REVISED_TITLE = "Les riverains des antennes demandent des mesures régulières"
REPORTED_TITLE = "Les relevés de l'ANFR restent loin des valeurs limites"
MESSAGE = "Une affirmation aussi générale demande une étude : citez-la, ou nuancez."
ANSES = {
    "url": "https://www.anses.fr/fr/content/exposition-5g-avis-2021",
    "title": "Exposition aux champs électromagnétiques liée au déploiement de la 5G",
    "publisher": "ANSES",
    "kind": "public_agency",
}
ANFR = {
    "url": "https://www.anfr.fr/controle-des-frequences/exposition-du-public-aux-ondes/mesures",
    "title": "Mesures d'exposition du public aux ondes",
    "publisher": "ANFR",
    "kind": "public_agency",
}


def _debate(world) -> dict:
    """A pre-moderated 5G debate open for arguments, an author whose argument was refused with a
    clause and a message, and a published argument reported twice."""
    member = world.user("Camille Modératrice")
    debate = world.debate(working_group=member)
    slug = debate["slug"]
    wg = world.api.signed_in(member["email"])
    wg.call("POST", f"/debates/{slug}/phase", {"phase": "arguments"}, expect=200)
    clause = wg.call("GET", f"/debates/{slug}/charter")["clauses"][0]
    author = world.user("Alex Martin")
    author_api = world.api.signed_in(author["email"])

    def argue(api, title, body, sources, stance="against"):
        return api.call(
            "POST",
            f"/debates/{slug}/arguments",
            {"theme": "health", "stance": stance, "title": title, "body": body, "sources": sources},
            expect=201,
        )

    refused = argue(author_api, REFUSED_TITLE, "Tout le monde le sait.", [ANSES])
    wg.call(
        "POST",
        f"/arguments/{refused['id']}/moderation",
        {"action": "reject", "clause": clause["number"], "message": MESSAGE},
    )
    reported = argue(
        world.api.signed_in(world.user("Sacha")["email"]),
        REPORTED_TITLE,
        "Quelques V/m mesurés.",
        [ANFR],
        stance="for",
    )
    wg.call("POST", f"/arguments/{reported['id']}/moderation", {"action": "approve"})
    for name, reason in (("Noé", "Chiffres sortis de leur contexte."), ("Lou", "Hors sujet ici.")):
        world.api.signed_in(world.user(name)["email"]).call(
            "POST", f"/arguments/{reported['id']}/reports", {"reason": reason}, expect=201
        )
    return {
        "slug": slug,
        "member": member,
        "wg": wg,
        "author": author,
        "author_api": author_api,
        "clause": clause,
        "refused": refused["id"],
        "reported": reported["id"],
    }


def refused_author_journey(j: Journey, world) -> None:
    data = _debate(world)
    slug, refused = data["slug"], data["refused"]
    sign_in(j, data["author"]["email"], PASSWORD)
    j.open(f"/debates/{slug}/arguments/{refused}")
    notice = j.main.locator("section.decision-notice")
    expect(notice).to_contain_text(MESSAGE)
    expect(notice).to_contain_text(data["clause"]["text"][:40])
    j.seen("refused-argument", screenshot=True)

    j.follow(notice.locator(f"a.button[href='/debates/{slug}/arguments/{refused}/edit']"))
    form = j.main.locator("form.argument-form")
    expect(j.main.locator("section.decision-notice")).to_contain_text(MESSAGE)
    j.seen("revise-refused-argument", screenshot=True)
    j.fill(form.locator("#title"), REVISED_TITLE)
    j.fill(
        form.locator("#body"),
        "L'ANFR publie des mesures ; la commune peut en demander près des écoles.",
    )
    j.fill(form.locator("#sources-1-url"), ANFR["url"])
    j.fill(form.locator("#sources-1-title"), ANFR["title"])
    j.fill(form.locator("#sources-1-publisher"), ANFR["publisher"])
    j.press(form.locator("button[type=submit]:not([name])"))
    expect(j.page.locator(".flash-success")).to_be_visible()
    expect(j.main.locator("h1")).to_have_text(REVISED_TITLE)
    expect(j.main.locator("section.decision-notice")).to_have_count(0)
    j.seen("resubmitted-argument")

    queue = data["wg"].call("GET", f"/debates/{slug}/moderation/queue")
    items = queue["items"] if isinstance(queue, dict) else queue
    assert any(i["id"] == refused and i["type"] == "argument" for i in items), items
    versions = data["author_api"].call("GET", f"/arguments/{refused}/versions")
    titles = [v["title"] for v in (versions["items"] if isinstance(versions, dict) else versions)]
    assert REFUSED_TITLE in titles, versions


def moderator_journey(j: Journey, world) -> None:
    data = _debate(world)
    slug, refused, reported = data["slug"], data["refused"], data["reported"]
    # The author revises the refused argument: it is back in the queue, with what changed.
    data["author_api"].call("PATCH", f"/arguments/{refused}", {"title": REVISED_TITLE}, expect=200)
    sign_in(j, data["member"]["email"], PASSWORD)
    j.open(f"/debates/{slug}/")
    j.follow(j.page.locator(f"nav.debate-nav a[href='/debates/{slug}/moderation']"))
    key = f"arguments-{refused}"
    item = j.main.locator(f"#{key}")
    expect(item.locator(".queue-changes del", has_text="malades")).to_have_count(1)
    expect(item.locator(".queue-changes ins", has_text="demandent")).to_have_count(1)
    expect(item.locator(".source-list")).to_contain_text("ANSES")
    expect(item.locator(".author-history")).to_contain_text(re.compile(r"(Rejected|Refusé|Rejeté)"))
    expect(j.main.locator(f"#arguments-{reported} .report-reasons")).to_contain_text("Hors sujet")
    expect(j.main.locator("input[type=radio][name=action]:checked")).to_have_count(0)
    j.seen("queue", screenshot=True)

    form = item.locator("form.moderation-decision")
    j.tick(form.locator(f"#action-{key}-reject"))
    j.error_state(
        "queue-refusal-without-clause", form.locator("button[type=submit]"), screenshot=True
    )
    form = j.main.locator(f"#{key} form.moderation-decision")
    expect(form.locator(f"#action-{key}-reject")).to_be_checked()
    expect(form.locator(f"#clause-{key}-error")).to_be_visible()
    j.choose(form.locator(f"#clause-{key}"), str(data["clause"]["number"]))
    j.fill(form.locator(f"#message-{key}"), "Toujours pas de source pour cette affirmation.")
    j.press(form.locator("button[type=submit]"))
    expect(j.page.locator(".flash-success")).to_be_visible()
    expect(j.page).to_have_url(re.compile(rf"/debates/{slug}/moderation$"))  # never left it
    expect(j.main.locator(f"#{key}")).to_have_count(0)
    expect(j.main.locator(f"#arguments-{reported}")).to_be_visible()
    j.seen("queue-after-decision")
    decided = data["author_api"].call("GET", f"/arguments/{refused}")
    assert decided["status"] == "rejected", decided


JOURNEYS = {"refused_author": refused_author_journey, "moderator": moderator_journey}


@pytest.mark.parametrize("name", JOURNEYS)
def test_moderation_journey_with_the_mouse_checked_in_french_and_english(page, world, name):
    journey = Journey(page, "mouse", name)
    JOURNEYS[name](journey, world)
    assert journey.fr.visited and journey.en.visited


@pytest.mark.parametrize("name", JOURNEYS)
def test_moderation_journey_with_the_keyboard_only(page, world, name):
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
def test_moderation_journey_without_javascript(page_without_javascript, world, name):
    journey = Journey(page_without_javascript, "nojs", name)
    JOURNEYS[name](journey, world)
    assert journey.visited
