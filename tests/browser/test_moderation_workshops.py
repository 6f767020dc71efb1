"""Moderation and workshops in a real browser, in French and in English.

The data is set up through the JSON API, as an outside client would: a 5G debate (pre-moderation
stays on, as the template sets it) in the `arguments` phase, with a working-group member and a
guarantor; citizens submit arguments, which wait in the moderation queue; a workshop is recorded
with its agenda, icebreaker words, sticky notes in two sub-groups with clusters, SWOT notes for two
sub-groups and actions.

In the browser the working group approves an argument and rejects another with a clause (after a
first rejection without a clause, which must be refused); the log is read by a visitor and by the
guarantor; the author reads the decision in their notifications; the debate page shows the
moderation statistics; then the workshop pages, and the quick note entry with the keyboard only.

Every page and state visited passes `check` (axe-core WCAG 2.0/2.1 A and AA, <html lang>, no
horizontal scroll at 360 px, no console or network error).
"""

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the _requirements fixture (a skip, or a failure in CI)
    expect = None

from tests.browser.conftest import active_element, sign_in, start

pytestmark = pytest.mark.browser

APPROVED_TITLE = "Les relevés de l'ANFR restent loin des valeurs limites"
REJECTED_TITLE = "Les opérateurs sont tous des menteurs"
WAITING_TITLE = "Mutualiser les pylônes entre opérateurs"
ANSES = {
    "url": "https://www.anses.fr/fr/content/exposition-5g-avis-2021",
    "title": "Exposition aux champs électromagnétiques liée au déploiement de la 5G",
    "publisher": "ANSES",
    "kind": "public_agency",
}
ICEBREAKER = [
    "Santé",
    "sante",
    "Vitesse",
    "vie privée",
    "Vie privée",
    "antennes",
    "Écoles",
    "ondes",
]
STICKY = [
    ("Groupe A", "Santé", "Mesurer les ondes près des écoles"),
    ("Groupe A", "Santé", "Informer sur le DAS des téléphones"),
    ("Groupe A", "Environnement", "Limiter le renouvellement des téléphones"),
    ("Groupe B", "Usages", "Le télétravail a besoin de débit"),
    ("Groupe B", "Santé", "Capteurs permanents près des écoles"),
]
SWOT = [
    ("Groupe A", "strength", "Couverture des zones blanches"),
    ("Groupe A", "weakness", "Consommation d'énergie des antennes"),
    ("Groupe A", "opportunity", "Télémédecine"),
    ("Groupe A", "threat", "Défiance envers les opérateurs"),
    ("Groupe B", "strength", "Débit pour les entreprises"),
    ("Groupe B", "threat", "Exposition près des écoles"),
]
ACTIONS = [
    "Publier les mesures de l'ANFR sur le site de la commune",
    "Organiser une réunion publique avec l'opérateur",
]


# Session scope: once per worker process (each serves its own instance), even when pytest-xdist
# runs this module's tests between other modules' ones (a module fixture would be made again).
@pytest.fixture(scope="session")
def people(world) -> dict:
    """The people of the seeded debates, registered once (each registration hashes a password)."""
    member = world.user("Groupe de travail")
    guarantor = world.user("Garante")
    return {
        "member": member,
        "wg": world.api.signed_in(member["email"]),
        "guarantor": guarantor,
        "other_api": world.api.signed_in(world.user("Sacha")["email"]),
    }


@pytest.fixture
def seeded(world, people) -> dict:
    """A pre-moderated debate in the `arguments` phase with three pending arguments and a workshop."""
    member, wg = people["member"], people["wg"]
    debate = world.debate(working_group=member)
    slug = debate["slug"]
    world.admin.call(
        "PUT", f"/debates/{slug}/members/{people['guarantor']['id']}", {"role": "guarantor"}
    )
    assert world.api.call("GET", f"/debates/{slug}")["settings"]["pre_moderation"] is True
    wg.call("POST", f"/debates/{slug}/phase", {"phase": "arguments"}, expect=200)
    clauses = wg.call("GET", f"/debates/{slug}/charter")["clauses"]
    author = world.user(
        "Alex"
    )  # one per debate: the notifications page shows this debate's decisions
    author_api = world.api.signed_in(author["email"])
    assert clauses, "the 5g template has no moderation charter"

    def argue(api, theme, stance, title, body, sources):
        created = api.call(
            "POST",
            f"/debates/{slug}/arguments",
            {
                "theme": theme,
                "stance": stance,
                "title": title,
                "body": body,
                "sources": sources,
            },
            expect=201,
        )
        assert created["status"] == "pending", created
        return created

    approved = argue(
        author_api,
        "health",
        "for",
        APPROVED_TITLE,
        "Quelques V/m mesurés autour des antennes, loin des seuils réglementaires.",
        [ANSES],
    )
    rejected = argue(
        author_api,
        "economy",
        "against",
        REJECTED_TITLE,
        "Aucun opérateur ne dit la vérité, il ne faut rien leur accorder.",
        [ANSES],
    )
    waiting = argue(
        people["other_api"],
        "environment",
        "nuance",
        WAITING_TITLE,
        "Le partage des pylônes évite d'en construire de nouveaux.",
        [ANSES],
    )
    queue = wg.call("GET", f"/debates/{slug}/moderation/queue")
    assert queue, queue

    workshop = wg.call(
        "POST",
        f"/debates/{slug}/workshops",
        {
            "title": "Atelier 5G et vie quotidienne",
            "held_on": "2026-10-14",
            "format": "in_person",
            "duration_minutes": 150,
            "participants_count": 24,
            "tools": ["post-it", "paperboard"],
            "summary": "Un atelier en **deux sous-groupes** à la médiathèque.",
        },
        expect=201,
    )
    wid = workshop["id"]
    for title, minutes, mode, description in (
        ("Accueil et brise-glace", 20, "plenary", "Un mot chacun sur la 5G."),
        ("Post-it par sous-groupe", 60, "subgroups", "Idées regroupées en familles."),
        ("Grilles SWOT", 45, "subgroups", "Forces, faiblesses, opportunités, menaces."),
        ("Restitution", 25, "plenary", "Chaque groupe présente ses actions."),
    ):
        wg.call(
            "POST",
            f"/workshops/{wid}/agenda",
            {"title": title, "duration_minutes": minutes, "mode": mode, "description": description},
            expect=201,
        )

    def note(**body):
        wg.call("POST", f"/workshops/{wid}/notes", body, expect=201)

    for word in ICEBREAKER:
        note(kind="icebreaker_word", text=word)
    for group, cluster, text in STICKY:
        note(kind="sticky", group=group, cluster=cluster, text=text)
    for group, kind, text in SWOT:
        note(kind=kind, group=group, text=text)
    for text in ACTIONS:
        note(kind="action", text=text, theme="health")
    return {
        "slug": slug,
        "member": member,
        "guarantor": people["guarantor"],
        "author": author,
        "clause": clauses[0]["number"],
        "approved": approved,
        "rejected": rejected,
        "waiting": waiting,
        "workshop": workshop,
    }


def _decide(page, argument_id: int, action: str, clause: str | None = None) -> None:
    item = page.locator(f"#arguments-{argument_id}")
    form = item.locator("form.moderation-decision")
    form.locator(f"#action-arguments-{argument_id}-{action}").check()
    if clause is not None:
        form.locator(f"#clause-arguments-{argument_id}").select_option(clause)
    with page.expect_navigation():  # the POST, its redirect and the queue loaded again
        form.locator("button[type=submit]").click()


def _switch_user(page, lang: str, email: str | None) -> None:
    """Leave the current session; sign in as someone else (or stay a visitor)."""
    page.context.clear_cookies()
    if email:
        sign_in(page, lang, email)


def test_moderation_pages(page, world, seeded, check, lang):
    data = seeded
    slug = data["slug"]
    approved, rejected, waiting = (
        data["approved"]["id"],
        data["rejected"]["id"],
        data["waiting"]["id"],
    )
    sign_in(page, lang, data["member"]["email"])
    main = page.locator("main")

    # The queue, reached from the debate's navigation.
    page.goto(f"/debates/{slug}/arguments")
    page.locator(f"nav.debate-nav a[href='/debates/{slug}/moderation']").click()
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/moderation$"))
    expect(main.locator("ol.moderation-queue > li")).to_have_count(3)
    for argument_id in (approved, rejected, waiting):
        expect(main.locator(f"#arguments-{argument_id}")).to_be_visible()
    check(page, "moderation-queue")

    # A rejection without a clause is refused, and said so.
    _decide(page, rejected, "reject")
    # The queue again (422), the choice kept, the error beside the clause and summed up first.
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/moderation/arguments/{rejected}$"))
    expect(main.locator("#error-summary")).to_be_visible()
    expect(main.locator(f"#action-arguments-{rejected}-reject")).to_be_checked()
    expect(main.locator(f"#clause-arguments-{rejected}-error")).to_be_visible()
    expect(main.locator("ol.moderation-queue > li")).to_have_count(3)
    assert world.api.call("GET", f"/arguments/{rejected}", expect=(200, 404)) is not None
    check(page, "moderation-reject-without-clause", screenshot=False)

    # Reject with a clause, then approve.
    _decide(page, rejected, "reject", str(data["clause"]))
    expect(page.locator(".flash-success")).to_be_visible()
    expect(main.locator(f"#arguments-{rejected}")).to_have_count(0)
    check(page, "moderation-rejected", screenshot=False)
    _decide(page, approved, "approve")
    expect(page.locator(".flash-success")).to_be_visible()
    expect(main.locator("ol.moderation-queue > li")).to_have_count(1)
    expect(main.locator(f"#arguments-{waiting}")).to_be_visible()
    check(page, "moderation-approved", screenshot=False)
    assert world.api.call("GET", f"/arguments/{approved}")["status"] == "published"

    log = world.api.call("GET", f"/debates/{slug}/moderation/log")
    entries = log["items"] if isinstance(log, dict) else log
    actions = {(e["target"]["id"], e["action"]) for e in entries}
    assert {(approved, "approve"), (rejected, "reject")} <= actions, entries

    # The log, as the working group sees it (with the moderators).
    main.locator(f"a[href='/debates/{slug}/moderation/log']").first.click()
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/moderation/log$"))
    expect(main.locator("table tbody tr")).to_have_count(2)
    expect(main.locator("table thead th")).to_have_count(5)

    # The log as a visitor: no moderator column.
    _switch_user(page, lang, None)
    start(page, lang, f"/debates/{slug}/moderation/log")
    expect(main.locator("table tbody tr")).to_have_count(2)
    expect(main.locator("table thead th")).to_have_count(4)
    # On a phone the table scrolls sideways: in a labelled region the keyboard can reach.
    expect(main.locator(".table-scroll[role=region][tabindex='0'] > table")).to_have_count(1)
    expect(main.locator(f"a[href='/debates/{slug}/arguments/{approved}']")).to_be_visible()
    expect(
        main.locator(f"a[href='/debates/{slug}/charter#clause-{data['clause']}']")
    ).to_be_visible()
    check(page, "moderation-log")

    # The debate page shows the moderation statistics.
    page.goto(f"/debates/{slug}/")
    stats = main.locator("section[aria-labelledby=moderation-stats-title]")
    expect(stats).to_be_visible()
    expect(stats.locator(f"a[href='/debates/{slug}/moderation/log']")).to_be_visible()
    check(page, "debate-moderation-stats", screenshot=False)

    # The log as the guarantor: the moderator column, and the queue (read only).
    _switch_user(page, lang, data["guarantor"]["email"])
    page.goto(f"/debates/{slug}/moderation/log")
    expect(main.locator("table thead th")).to_have_count(5)
    expect(main.locator("table tbody")).to_contain_text("Groupe de travail")
    check(page, "moderation-log-guarantor", screenshot=False)
    page.goto(f"/debates/{slug}/moderation")
    expect(main.locator("ol.moderation-queue > li")).to_have_count(1)
    expect(main.locator("form.moderation-decision")).to_have_count(0)
    check(page, "moderation-queue-guarantor", screenshot=False)

    # The author reads both decisions in their notifications.
    _switch_user(page, lang, data["author"]["email"])
    page.goto("/account/notifications")
    notes = main.locator("ul.notifications > li")
    expect(notes).to_have_count(2)
    expect(main.locator("ul.notifications")).to_contain_text(f"{data['clause']}")
    expect(
        main.locator(f"ul.notifications a[href='/debates/{slug}/arguments/{approved}']")
    ).to_be_visible()
    check(page, "notifications")
    with page.expect_navigation():
        notes.first.locator("form button").click()
    expect(main.locator("ul.notifications > li.unread")).to_have_count(1)
    check(page, "notifications-one-read", screenshot=False)


def test_workshop_pages(page, world, seeded, check, lang):
    data = seeded
    slug, wid = data["slug"], data["workshop"]["id"]
    main = page.locator("main")

    start(page, lang, f"/debates/{slug}/")
    page.locator(f"nav.debate-nav a[href='/debates/{slug}/workshops']").click()
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/workshops$"))
    expect(main.locator("ul.card-list > li")).to_have_count(1)
    check(page, "workshops", screenshot=False)

    main.locator(f"a[href='/debates/{slug}/workshops/{wid}']").click()
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/workshops/{wid}$"))
    expect(main.locator("table.agenda tbody tr")).to_have_count(4)
    cloud = main.locator("figure.word-cloud svg[role=img]")
    expect(cloud).to_be_visible()
    expect(cloud.locator("title")).to_have_count(1)
    # "Santé"/"sante" and "vie privée"/"Vie privée" are merged: 6 different entries.
    expect(cloud.locator("text")).to_have_count(6)
    expect(main.locator("table.frequencies tbody tr")).to_have_count(6)
    expect(
        main.locator("table.frequencies tbody tr").filter(has_text=re.compile("vie privée", re.I))
    ).to_contain_text("2")
    expect(main.locator("section.swot")).to_have_count(2)
    expect(main.locator("section.swot").first.locator("section.swot-quadrant")).to_have_count(4)
    expect(main.locator("section.cluster")).to_have_count(4)
    check(page, "workshop")

    main.locator(f"a[href='/debates/{slug}/workshops/{wid}/minutes']").click()
    expect(page).to_have_url(re.compile(rf"/workshops/{wid}/minutes$"))
    expect(main).to_contain_text(ACTIONS[0])
    check(page, "workshop-minutes", screenshot=False)

    page.goto(f"/debates/{slug}/workshops/{wid}")
    main.locator(f"a[href='/debates/{slug}/workshops/{wid}/compare']").click()
    expect(page).to_have_url(re.compile(rf"/workshops/{wid}/compare$"))
    expect(main.locator(".swot-compare section.swot")).to_have_count(2)
    expect(main.locator("ul.shared-words > li").first).to_be_visible()  # "écoles" in both groups
    check(page, "workshop-compare", screenshot=False)

    # The working group's quick note entry: type a note and press Enter, twice, keyboard only.
    _switch_user(page, lang, data["member"]["email"])
    page.goto(f"/debates/{slug}/workshops/{wid}")
    main.locator(f"a.button[href='/debates/{slug}/workshops/{wid}/notes']").click()
    expect(page).to_have_url(re.compile(rf"/workshops/{wid}/notes$"))
    check(page, "workshop-entry", screenshot=False)
    page.locator("#kind").select_option("sticky")
    page.locator("#group").fill("Groupe B")
    page.locator("#cluster").fill("Usages")
    page.locator("#text").focus()
    for n, text in enumerate(
        ("Couvrir la zone artisanale en priorité", "Former les aînés aux nouveaux usages"), start=1
    ):
        assert active_element(page)["id"] == "text", active_element(page)
        page.keyboard.type(text)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        expect(page.locator(".flash-success")).to_contain_text(text)
        expect(page.locator("#text")).to_be_focused()  # back to the text field for the next note
        expect(page.locator("#text")).to_have_value("")
        expect(page.locator("#kind")).to_have_value("sticky")
        expect(page.locator("#group")).to_have_value("Groupe B")
        expect(page.locator("#cluster")).to_have_value("Usages")
        expect(main.locator("ol.last-notes")).to_contain_text(text)
        check(page, f"workshop-entry-note-{n}", screenshot=False)

    # Empty note: refused, with the error next to the field.
    page.locator("#text").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#text")).to_have_attribute("aria-invalid", "true")
    check(page, "workshop-entry-error", screenshot=False)

    sticky = world.api.call("GET", f"/workshops/{wid}")["notes"]
    assert "Former les aînés aux nouveaux usages" in str(sticky), sticky
