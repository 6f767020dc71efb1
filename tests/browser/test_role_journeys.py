"""Every role's whole journey in a real browser (issue 11), each on a fresh debate of the served instance.

- citizen: registers, reads the scope, asks the experts a question, submits an argument with two
  sources, answers another argument, endorses one, reports one, reads the outcome, downloads then
  deletes their data;
- working group: the administrator creates a debate from the `5g` template and appoints the
  working group, which writes a scope item and a modality, opens the expertise phase, adds an
  expert with a declaration, records a workshop with a SWOT grid, opens the arguments phase,
  moderates the queue (approve, merge a duplicate), opens the outcome phase, drafts two
  recommendations linked to arguments and publishes them;
- elected official: reads the synthesis, downloads the report (a PDF), responds to every
  recommendation;
- guarantor: reads the full moderation log (with the moderators' names), publishes an observation.

Each journey is written once (tests/browser/journey_helpers.py) and played with the mouse (in
French; axe-core in French and in English on every page and error state, 360 px, screenshots in
tests/browser/screenshots/role-*.png), with the keyboard only (Tab/Shift+Tab/Enter/Space/arrows,
focus visible at every stop), and the citizen's also with JavaScript disabled. What comes before a
role's part (the other roles' work) is set up through the JSON API.
"""

from __future__ import annotations

import json
import re
import time

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the _requirements fixture (a skip, or a failure in CI)
    expect = None

from tests.browser.conftest import ADMIN_EMAIL, DESKTOP, PASSWORD, Api
from tests.browser.journey_helpers import (
    Journey,
    confirmation_path,
    last_number,
    sign_in,
    sign_out,
)

pytestmark = pytest.mark.browser

ANSES = {
    "url": "https://www.anses.fr/fr/content/exposition-5g-avis-2021",
    "title": "Exposition aux champs électromagnétiques liée au déploiement de la 5G",
    "publisher": "ANSES",
    "kind": "public_agency",
}
HCC = {
    "url": "https://www.hautconseilclimat.fr/publications/maitriser-limpact-carbone-de-la-5g/",
    "title": "Maîtriser l'impact carbone de la 5G",
    "publisher": "Haut Conseil pour le Climat",
    "kind": "public_agency",
}
ARCEP = {
    "url": "https://www.arcep.fr/la-regulation/grands-dossiers-reseaux-mobiles.html",
    "title": "Les réseaux mobiles",
    "publisher": "Arcep",
    "kind": "official_text",
}
FOR_TITLE = "Les expositions mesurées restent très inférieures aux valeurs limites"
AGAINST_TITLE = "Renouveler les téléphones alourdit l'empreinte carbone"
DUPLICATE_TITLE = "Les mesures d'exposition restent très en dessous des limites"
MODERATOR = "Camille Roux-Journées"

_n = iter(range(1, 10_000))


def _unique() -> str:
    return f"{next(_n)}-{time.monotonic_ns() % 1_000_000}"


# --- what comes before each role's part, through the API ----------------------------------------


# The people who are not the subject of a journey are registered once for the session, each with one
# API token: hashing passwords is the slowest part of setting up (the roles are given per debate).
_people: dict = {}
_tokens: dict = {}


def _person(world, name: str) -> dict:
    key = (world.api.base, name)
    if key not in _people:
        email = f"person-{_unique()}@example.org"
        body = world.api.call(
            "POST",
            "/users",
            {"email": email, "display_name": name, "password": PASSWORD},
            expect=201,
        )
        _people[key] = {"id": body["id"], "email": email, "display_name": name}
    return _people[key]


def _signed_in(world, person: dict) -> Api:
    key = (world.api.base, person["email"])
    if key not in _tokens:
        _tokens[key] = world.api.signed_in(person["email"], PASSWORD)
    return _tokens[key]


def _debate(world, **roles) -> tuple[str, dict]:
    """A published debate from the 5g template; `roles` maps a role to a registered person."""
    n = _unique()
    admin = world.admin
    debate = admin.call(
        "POST",
        "/debates",
        {
            "slug": f"5g-villeneuve-{n}",
            "title": f"La 5G à Villeneuve-sur-Lande ({n})",
            "municipality": "Villeneuve-sur-Lande",
            "question": "Faut-il accueillir de nouvelles antennes 5G sur le territoire communal ?",
            "description": "La commune ouvre un débat public sur le déploiement de la 5G.",
            "template": "5g",
        },
        expect=201,
    )
    slug = debate["slug"]
    for role, person in roles.items():
        admin.call("PUT", f"/debates/{slug}/members/{person['id']}", {"role": role}, expect=200)
    return slug, debate


def _argue(api, slug, theme, stance, title, body, sources):
    return api.call(
        "POST",
        f"/debates/{slug}/arguments",
        {"theme": theme, "stance": stance, "title": title, "body": body, "sources": sources},
        expect=201,
    )


def _outcome_with_recommendations(world, *, guarantor=None, count=2) -> dict:
    """A debate gone through moderation into `outcome`, with `count` published recommendations."""
    member = _person(world, MODERATOR)
    elected = _person(world, "Isabelle Fontenay")
    roles = {"working_group": member, "elected": elected}
    if guarantor:
        roles["guarantor"] = guarantor
    slug, debate = _debate(world, **roles)
    wg = _signed_in(world, member)
    wg.call("POST", f"/debates/{slug}/phase", {"phase": "arguments"}, expect=200)
    author = _signed_in(world, _person(world, "Alex Morel"))
    approved = _argue(
        author,
        slug,
        "health",
        "for",
        FOR_TITLE,
        "Les relevés de l'ANFR donnent quelques V/m, loin des seuils.",
        [ANSES],
    )
    other = _argue(
        author,
        slug,
        "environment",
        "against",
        AGAINST_TITLE,
        "Le renouvellement des terminaux pèse plus que le réseau.",
        [HCC],
    )
    rejected = _argue(
        author,
        slug,
        "economy",
        "against",
        "Les opérateurs sont tous des menteurs",
        "Aucun opérateur ne dit la vérité.",
        [ANSES],
    )
    clause = wg.call("GET", f"/debates/{slug}/charter")["clauses"][0]["number"]
    wg.call("POST", f"/arguments/{approved['id']}/moderation", {"action": "approve"}, expect=200)
    wg.call("POST", f"/arguments/{other['id']}/moderation", {"action": "approve"}, expect=200)
    wg.call(
        "POST",
        f"/arguments/{rejected['id']}/moderation",
        {"action": "reject", "clause": clause, "message": "Propos injurieux."},
        expect=200,
    )
    wg.call("POST", f"/debates/{slug}/phase", {"phase": "outcome"}, expect=200)
    recommendations = []
    for n, (area, title, argument) in enumerate(
        [
            ("health", "Publier chaque année les mesures d'exposition près des écoles", approved),
            ("environment", "Encourager la réparation et le réemploi des téléphones", other),
        ][:count]
    ):
        recommendations.append(
            wg.call(
                "POST",
                f"/debates/{slug}/recommendations",
                {
                    "area": area,
                    "title": title,
                    "body": f"Texte de la recommandation {n + 1}.",
                    "rationale": "La demande la plus partagée du débat.",
                    "origin": "working_group",
                    "competence": "municipal",
                    "consensus": "consensual",
                    "argument_ids": [argument["id"]],
                },
                expect=201,
            )
        )
    wg.call("POST", f"/debates/{slug}/recommendations/publish", expect=200)
    return {
        "slug": slug,
        "debate": debate,
        "member": member,
        "elected": elected,
        "wg": wg,
        "clause": clause,
        "approved": approved,
        "other": other,
        "rejected": rejected,
        "recommendations": recommendations,
    }


# --- the citizen ------------------------------------------------------------------------------------


def _citizen_setup(world) -> dict:
    member = _person(world, "Groupe de travail")
    slug, debate = _debate(world, working_group=member)
    wg = _signed_in(world, member)
    wg.call(
        "POST",
        f"/debates/{slug}/scope-items",
        {
            "question": "Faut-il mesurer l'exposition aux ondes près des écoles ?",
            "in_scope": True,
            "competence": "municipal",
            "rationale": "La commune peut commander des mesures à l'ANFR.",
        },
        expect=201,
    )
    wg.call(
        "POST",
        f"/debates/{slug}/experts",
        {
            "name": "Claire Vautrin",
            "affiliation": "Université de Rennes",
            "kind": "academic",
            "themes": ["health"],
            "declaration_of_interests": "Aucun lien avec un opérateur.",
        },
        expect=201,
    )
    wg.call("POST", f"/debates/{slug}/phase", {"phase": "arguments"}, expect=200)
    wg.call("PATCH", f"/debates/{slug}", {"settings": {"pre_moderation": False}}, expect=200)
    author = _signed_in(world, _person(world, "Alex Morel"))
    arg_for = _argue(
        author,
        slug,
        "health",
        "for",
        FOR_TITLE,
        "Les relevés de l'ANFR donnent quelques V/m, loin des seuils.",
        [ANSES],
    )
    arg_against = _argue(
        author,
        slug,
        "environment",
        "against",
        AGAINST_TITLE,
        "Le renouvellement des terminaux pèse plus que le réseau.",
        [HCC],
    )
    return {"slug": slug, "debate": debate, "wg": wg, "for": arg_for, "against": arg_against}


def citizen_journey(j: Journey, world) -> None:
    data = _citizen_setup(world)
    slug, page, main = data["slug"], j.page, j.main
    nav = page.locator("nav.debate-nav")
    tag = f"{j.mode}-{_unique()}"

    # Discover the debate from the home page.
    j.open("/")
    j.seen("home", screenshot=True)
    j.follow(main.locator(f"a[href='/debates/{slug}/']").first)
    expect(page.locator("h1")).to_have_text(data["debate"]["title"])
    j.seen("debate", screenshot=True)

    # Register: first with nothing filled in.
    j.follow(page.locator("header a[href^='/auth/register']"))
    j.seen("register", screenshot=True)
    form = main.locator("form")
    j.error_state("register-errors", form.locator("button[type=submit]"))
    email = f"citoyenne-{tag}@example.org"
    name = f"Léa Citoyenne {tag}"
    j.fill(form.locator("#email"), email)
    j.fill(form.locator("#display_name"), name)
    j.fill(form.locator("#password"), PASSWORD)
    j.press(form.locator("button[type=submit]"))
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("header form[action='/auth/logout'] button")).to_be_visible()

    # Confirm the address through the link of the welcome e-mail.
    j.open(confirmation_path(world.instance, email))
    expect(main.locator("h1")).to_have_text(re.compile(r"est confirmée|is confirmed"))
    j.seen("confirmed")

    # Read the scope.
    j.open(f"/debates/{slug}/")
    j.follow(nav.locator(f"a[href='/debates/{slug}/scope']"))
    expect(main.locator("ul.scope-list.in-scope")).to_contain_text("près des écoles")
    j.seen("scope", screenshot=True)

    # Ask the experts a question.
    j.follow(nav.locator(f"a[href='/debates/{slug}/expertise']"))
    expect(main).to_contain_text("Claire Vautrin")
    j.seen("expertise", screenshot=True)
    j.follow(main.locator(f"a.button[href='/debates/{slug}/expertise/questions/new']"))
    j.seen("question-new")
    form = main.locator("form.form")
    submit = form.locator("button[type=submit]:not([name])")
    j.error_state("question-errors", submit)
    question = f"Les zones blanches seront-elles couvertes en premier ? ({tag})"
    j.choose(form.locator("#theme"), "economy")
    j.fill(form.locator("#body"), question)
    j.press(submit)
    expect(page.locator(".flash-success")).to_be_visible()
    expect(main).to_contain_text(question)

    # Submit an argument with two sources (without a script the form has several source blocks).
    j.follow(nav.locator(f"a[href='/debates/{slug}/arguments']"))
    j.seen("arguments", screenshot=True)
    j.follow(main.locator(f"a.button[href='/debates/{slug}/arguments/new']"))
    form = main.locator("form.argument-form")
    expect(form.locator("fieldset.source-fieldset")).to_have_count(2)
    j.seen("argument-new", screenshot=True)
    submit = form.locator("button[type=submit]:not([name])")
    j.error_state("argument-errors", submit)
    title = f"Un réseau plus sobre par octet transmis ({tag})"
    j.tick(form.locator("input[name=stance][value=nuance]"))
    j.choose(form.locator("#theme"), "environment")
    j.fill(form.locator("#title"), title)
    j.fill(form.locator("#body"), "La 5G consomme moins par octet, mais les usages augmentent.")
    for n, source in enumerate((HCC, ARCEP)):
        j.fill(form.locator(f"#sources-{n}-url"), source["url"])
        j.fill(form.locator(f"#sources-{n}-title"), source["title"])
        j.fill(form.locator(f"#sources-{n}-publisher"), source["publisher"])
        j.choose(form.locator(f"#sources-{n}-kind"), source["kind"])
    j.press(submit)
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/arguments/\d+$"))
    expect(main.locator("h1")).to_have_text(title)
    expect(main.locator(".source-list .source")).to_have_count(2)
    j.seen("argument-created")
    created = world.api.call("GET", f"/arguments/{last_number(page.url)}")
    assert [s["publisher"] for s in created["sources"]] == [HCC["publisher"], ARCEP["publisher"]], (
        created
    )

    # Endorse another argument, then answer it.
    arg_for = data["for"]["id"]
    j.follow(nav.locator(f"a[href='/debates/{slug}/arguments']"))
    j.follow(main.locator(f"a[href='/debates/{slug}/arguments/{arg_for}']").first)
    j.seen("argument", screenshot=True)
    endorsement = main.locator(f"form[action='/debates/{slug}/arguments/{arg_for}/endorsement']")
    j.press(endorsement.locator("button"))
    expect(page.locator(".flash-success")).to_be_visible()
    expect(endorsement.locator("input[name=action]")).to_have_value("withdraw")
    assert world.api.call("GET", f"/arguments/{arg_for}")["endorsements"] == 1
    answer_form = main.locator(f"section form[action='/debates/{slug}/arguments/new']")
    answer = f"Les seuils datent de 1999 ({tag})"
    j.tick(answer_form.locator("input[name=relation][value=objects]"))
    j.fill(answer_form.locator("#title"), answer)
    j.fill(answer_form.locator("#body"), "Les valeurs limites n'ont pas été revues depuis 1999.")
    j.press(answer_form.locator("button[type=submit]:not([name])"))
    expect(main.locator("h1")).to_have_text(answer)
    j.seen("answer-created")
    assert world.api.call("GET", f"/arguments/{last_number(page.url)}")["parent_id"] == arg_for

    # Report the other one: first without a reason.
    against = data["against"]["id"]
    j.follow(nav.locator(f"a[href='/debates/{slug}/arguments']"))
    j.follow(main.locator(f"a[href='/debates/{slug}/arguments/{against}']").first)
    report = main.locator("details.report")
    j.open_details(report.locator("summary"))
    j.press(report.locator("button[type=submit]"))
    expect(page.locator(".flash-error")).to_be_visible()
    j.seen("report-errors")
    if report.get_attribute("open") is None:
        j.open_details(report.locator("summary"))
    j.fill(report.locator("#reason"), "Chiffres sans source précise.")
    j.press(report.locator("button[type=submit]"))
    expect(page.locator(".flash-success")).to_be_visible()
    j.seen("reported")
    queue = data["wg"].call("GET", f"/debates/{slug}/moderation/queue")
    reported = queue["items"] if isinstance(queue, dict) else queue
    assert against in {entry["id"] for entry in reported}, reported

    # The working group publishes its recommendations (API); the citizen reads the outcome.
    wg = data["wg"]
    wg.call("POST", f"/debates/{slug}/phase", {"phase": "outcome"}, expect=200)
    recommendation = wg.call(
        "POST",
        f"/debates/{slug}/recommendations",
        {
            "area": "health",
            "title": "Publier les mesures d'exposition près des écoles",
            "body": "Chaque année.",
            "origin": "working_group",
            "competence": "municipal",
            "consensus": "consensual",
            "argument_ids": [arg_for],
        },
        expect=201,
    )
    wg.call("POST", f"/debates/{slug}/recommendations/publish", expect=200)
    j.open(f"/debates/{slug}/")
    j.follow(nav.locator(f"a[href='/debates/{slug}/outcome']"))
    expect(main.locator(f"#recommendation-{recommendation['id']}")).to_contain_text(
        "près des écoles"
    )
    j.seen("outcome", screenshot=True)

    # My data: read, download, then delete the account.
    j.follow(page.locator("header a[href='/account']"))
    j.follow(main.locator("a[href='/account/data']").first)
    expect(main).to_contain_text(email)
    expect(main).to_contain_text(title)
    j.seen("my-data", screenshot=True)
    download = j.download(main.locator("form[action='/account/data/download'] button"))
    assert download.suggested_filename.endswith(".json"), download.suggested_filename
    mine = json.loads(open(download.path(), encoding="utf-8").read())
    assert mine["account"]["email"] == email
    assert title in {a["title"] for a in mine["arguments"]}, mine["arguments"]
    j.follow(main.locator("a[href='/account/delete']").last)
    j.seen("delete-account", screenshot=True)
    form = main.locator("form")
    j.error_state("delete-account-errors", form.locator("button[type=submit]"))
    j.tick(form.locator("input[name=mode][value=anonymize]"))
    j.fill(form.locator("#password"), PASSWORD)
    j.press(form.locator("button[type=submit]"))
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("header a[href^='/auth/login']")).to_be_visible()
    j.seen("account-deleted")
    refused = world.api.call(
        "POST", "/tokens", {"email": email, "password": PASSWORD}, expect=(400, 401, 422)
    )
    assert "error" in refused


# --- the working group -------------------------------------------------------------------------------


def _open_phase(j: Journey, slug: str, phase: str) -> None:
    j.open(f"/debates/{slug}/")
    form = j.page.locator(f"form[action='/debates/{slug}/phase']")
    j.choose(form.locator("#phase"), phase)
    j.press(form.locator("button[type=submit]"))
    # the confirmation page says what will change, then opens the phase
    j.seen("phase-confirm")
    j.press(
        j.page.locator(
            f"main form[method=post][action='/debates/{slug}/phase'] button[type=submit]"
        )
    )
    expect(j.page.locator(".flash-success")).to_be_visible()
    expect(j.page.locator("ol.timeline > li[aria-current='step']")).to_have_count(1)


def working_group_journey(j: Journey, world) -> None:
    page, main = j.page, j.main
    nav = page.locator("nav.debate-nav")
    tag = _unique()
    member = _person(world, "Karim Benali")

    # The administrator creates the debate from the 5g template and appoints the working group.
    sign_in(j, ADMIN_EMAIL, PASSWORD)
    j.follow(page.locator("header a[href='/debates/new']"))
    j.seen("debate-new")
    form = main.locator("form.form")
    submit = form.locator("button[type=submit]")
    j.error_state("debate-new-errors", submit)
    slug = f"5g-lauziere-{tag}".replace("_", "-")
    title = f"La 5G à Val-de-Lauzière ({tag})"
    j.fill(form.locator("#title"), title)
    j.fill(form.locator("#municipality"), "Val-de-Lauzière")
    j.fill(form.locator("#slug"), slug)
    j.fill(
        form.locator("#question"), "Faut-il accueillir de nouvelles antennes 5G sur la commune ?"
    )
    j.fill(form.locator("#description"), "La commune ouvre un débat public sur la 5G.")
    j.tick(form.locator("input[name=template][value='5g']"))
    j.press(submit)
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator(".banner-title")).to_have_text(title)
    if not page.url.endswith(f"/debates/{slug}/members"):  # the next step: who runs it
        j.follow(nav.locator(f"a[href='/debates/{slug}/members']"))
    form = main.locator("section.panel form")
    j.fill(form.locator("#email"), member["email"])
    j.choose(form.locator("#role"), "working_group")
    j.press(form.locator("button[type=submit]"))
    expect(main.locator("ul.people")).to_contain_text(member["display_name"])
    j.seen("members")
    sign_out(j)

    # The working group: the scope (a question outside it, and who decides), a modality.
    sign_in(j, member["email"], PASSWORD)
    j.open(f"/debates/{slug}/")
    j.follow(nav.locator(f"a[href='/debates/{slug}/scope']"))
    form = main.locator(f"form[action='/debates/{slug}/scope']")
    j.error_state("scope-item-errors", form.locator("button[type=submit]"))
    j.fill(form.locator("#question"), "Où seront installées les antennes ?")
    j.tick(form.locator("input[name=in_scope][value=no]"))
    j.choose(form.locator("#competence"), "state")
    j.fill(form.locator("#rationale"), "L'ANFR autorise chaque antenne ; la commune est informée.")
    j.press(form.locator("button[type=submit]"))
    expect(main.locator("ul.scope-list.out-of-scope")).to_contain_text("Où seront installées")
    j.seen("scope-working-group", screenshot=True)
    j.follow(main.locator(f"a.button[href='/debates/{slug}/modalities/new']"))
    form = main.locator("form.form")
    j.error_state("modality-errors", form.locator("button[type=submit]"))
    j.choose(form.locator("#kind"), "public_meeting")
    j.fill(form.locator("#title"), "Réunion publique d'ouverture")
    j.fill(form.locator("#starts_at"), "2026-10-14T19:00")
    j.fill(form.locator("#location"), "Salle des fêtes")
    j.press(form.locator("button[type=submit]"))
    expect(main.locator("ul.modalities")).to_contain_text("Réunion publique d'ouverture")

    # Expertise: an expert with a declaration of interests.
    _open_phase(j, slug, "expertise")
    j.seen("phase-expertise")
    j.follow(nav.locator(f"a[href='/debates/{slug}/expertise']"))
    j.follow(main.locator(f"a[href='/debates/{slug}/expertise/experts/new']"))
    form = main.locator("form.form")
    submit = form.locator("button[type=submit]:not([name])")
    j.error_state("expert-errors", submit)
    j.fill(form.locator("#name"), "Claire Vautrin")
    j.fill(form.locator("#affiliation"), "Université de Rennes")
    j.choose(form.locator("#kind"), "academic")
    j.tick(form.locator("input[name=themes][value=health]"))
    j.fill(
        form.locator("#declaration_of_interests"),
        "Aucun lien avec un opérateur ou un équipementier.",
    )
    j.press(submit)
    expect(page.locator(".flash-success")).to_be_visible()
    expect(main.locator(".experts").first).to_contain_text("Claire Vautrin")
    expect(main).to_contain_text("Aucun lien avec un opérateur")

    # A workshop with a SWOT grid.
    j.follow(nav.locator(f"a[href='/debates/{slug}/workshops']"))
    j.follow(main.locator(f"a[href='/debates/{slug}/workshops/new']"))
    form = main.locator("form.form")
    j.error_state("workshop-errors", form.locator("button[type=submit]"))
    j.fill(form.locator("#title"), "Atelier 5G et vie quotidienne")
    j.fill(form.locator("#held_on"), "2026-10-20")
    j.fill(form.locator("#duration_minutes"), "150")
    j.fill(form.locator("#participants_count"), "24")
    j.press(form.locator("button[type=submit]"))
    expect(page.locator(".flash-success")).to_be_visible()
    workshop = int(re.search(r"/workshops/(\d+)", page.url).group(1))
    if not page.url.split("#")[0].endswith(
        "/notes"
    ):  # the notes are entered right after recording the workshop
        j.follow(main.locator(f"a.button[href='/debates/{slug}/workshops/{workshop}/notes']"))
    form = main.locator("form.quick-entry")
    for kind, text in (
        ("strength", "Couverture des zones blanches"),
        ("weakness", "Énergie consommée"),
        ("opportunity", "Télémédecine"),
        ("threat", "Défiance envers les opérateurs"),
    ):
        j.choose(form.locator("#kind"), kind)
        j.fill(form.locator("#group"), "Groupe A")
        j.fill(form.locator("#text"), text)
        j.press(form.locator("button[type=submit]"))
        expect(page.locator(".flash-success")).to_contain_text(text)
    j.seen("workshop-notes")
    j.follow(main.locator(f"a[href='/debates/{slug}/workshops/{workshop}']").first)
    swot = main.locator("section.swot")
    expect(swot).to_have_count(1)
    expect(swot.locator("section.swot-quadrant")).to_have_count(4)
    expect(swot).to_contain_text("Télémédecine")
    j.seen("workshop", screenshot=True)

    # Arguments: citizens argue (API); the queue is moderated, a duplicate merged.
    _open_phase(j, slug, "arguments")
    author = _signed_in(world, _person(world, "Alex Morel"))
    arg_for = _argue(
        author, slug, "health", "for", FOR_TITLE, "Quelques V/m mesurés, loin des seuils.", [ANSES]
    )
    arg_against = _argue(
        author,
        slug,
        "environment",
        "against",
        AGAINST_TITLE,
        "Le renouvellement des terminaux pèse plus que le réseau.",
        [HCC],
    )
    duplicate = _argue(
        _signed_in(world, _person(world, "Sacha Petit")),
        slug,
        "health",
        "for",
        DUPLICATE_TITLE,
        "Les relevés sont loin des valeurs limites.",
        [ANSES],
    )
    j.follow(nav.locator(f"a[href='/debates/{slug}/moderation']"))
    expect(main.locator("ol.moderation-queue > li")).to_have_count(3)
    j.seen("moderation-queue", screenshot=True)
    for argument in (arg_for, arg_against):
        key = f"arguments-{argument['id']}"
        decision = main.locator(f"#{key} form.moderation-decision")
        j.tick(decision.locator(f"#action-{key}-approve"))
        j.press(decision.locator("button[type=submit]"))
        expect(page.locator(".flash-success")).to_be_visible()
        expect(main.locator(f"#{key}")).to_have_count(0)
    key = f"arguments-{duplicate['id']}"
    # Merging: the duplicate's page of candidates (found by its title), then a confirmation page.
    j.follow(main.locator(f"#{key} a[href$='/moderation/arguments/{duplicate['id']}/merge']"))
    j.follow(main.locator(f"a[href*='into={arg_for['id']}']"))
    j.seen("moderation-merge-confirm")
    j.press(
        main.locator(
            f"form[action$='/moderation/arguments/{duplicate['id']}/merge'] button[type=submit]"
        )
    )
    expect(page.locator(".flash-success")).to_be_visible()
    j.seen("moderation-merged")
    merged = world.api.call("GET", f"/arguments/{duplicate['id']}", expect=(200, 404))
    assert merged.get("status") != "pending", merged

    # Outcome: two recommendations linked to arguments (the first try without a link is refused).
    _open_phase(j, slug, "outcome")
    j.follow(nav.locator(f"a[href='/debates/{slug}/outcome']"))
    for n, (area, rec_title, argument) in enumerate(
        [
            ("health", "Publier chaque année les mesures d'exposition près des écoles", arg_for),
            ("environment", "Encourager la réparation et le réemploi des téléphones", arg_against),
        ]
    ):
        j.follow(main.locator(f"a.button[href='/debates/{slug}/recommendations/new']"))
        if n == 0:
            j.seen("recommendation-new", screenshot=True)
        form = main.locator("form.form")
        j.choose(form.locator("#area"), area)
        j.fill(form.locator("#title"), rec_title)
        j.fill(form.locator("#body"), "La commune demande des mesures à l'ANFR et les publie.")
        if n == 0:
            j.error_state("recommendation-errors", form.locator("button[type=submit]"))
        j.tick(form.locator(f"input[name=argument_ids][value='{argument['id']}']"))
        j.press(form.locator("button[type=submit]"))
        expect(page.locator(".flash-success")).to_be_visible()
        expect(main.locator("h1")).to_contain_text(rec_title)
        j.follow(main.locator(f"a[href^='/debates/{slug}/outcome']").first)
    j.seen("outcome-drafts")
    # Publishing asks for confirmation on a page of its own.
    j.follow(main.locator(f"a[href='/debates/{slug}/recommendations/publish']"))
    publish = main.locator(f"form[action='/debates/{slug}/recommendations/publish']")
    j.press(publish.locator("button[type=submit]"))
    expect(page.locator(".flash-success")).to_be_visible()
    published = world.api.call("GET", f"/debates/{slug}/recommendations")
    items = published["items"] if isinstance(published, dict) else published
    assert sorted(r["number"] for r in items) == [1, 2], items
    links = {r["title"]: r["argument_ids"] for r in items}
    assert links == {
        "Publier chaque année les mesures d'exposition près des écoles": [arg_for["id"]],
        "Encourager la réparation et le réemploi des téléphones": [arg_against["id"]],
    }, items
    j.seen("outcome-published", screenshot=True)


# --- the elected official ----------------------------------------------------------------------------


def elected_journey(j: Journey, world) -> None:
    data = _outcome_with_recommendations(world)
    slug, page, main = data["slug"], j.page, j.main
    nav = page.locator("nav.debate-nav")
    sign_in(j, data["elected"]["email"], PASSWORD)
    j.open(f"/debates/{slug}/")
    j.follow(nav.locator(f"a[href='/debates/{slug}/outcome']"))
    expect(main.locator("svg[role=img]").first).to_be_visible()
    j.seen("synthesis", screenshot=True)

    report, pdf = j.open_file(
        main.locator(f"a[href='/debates/{slug}/outcome/report.pdf']"), "/report.pdf"
    )
    assert report.status == 200 and report.headers["content-type"] == "application/pdf", (
        report.headers
    )
    assert pdf.startswith(b"%PDF-") and len(pdf) > 5000, pdf[:20]
    expect(page).to_have_url(
        re.compile(rf"/debates/{slug}/outcome(#main)?$")
    )  # back from the report

    decisions = ["adopted", "partially_adopted"]
    for n, recommendation in enumerate(data["recommendations"]):
        rid = recommendation["id"]
        j.follow(main.locator(f"#recommendation-{rid} h3 a"))
        j.seen(f"recommendation-{n + 1}", screenshot=n == 0)
        j.follow(main.locator(f"a.button[href='/debates/{slug}/recommendations/{rid}/response']"))
        form = main.locator("form.form")
        if n == 0:
            j.seen("respond", screenshot=True)
            j.error_state("respond-errors", form.locator("button[type=submit]"))
        j.tick(form.locator(f"input[name=decision][value={decisions[n]}]"))
        j.fill(
            form.locator("#justification"),
            "Une première campagne de mesures est commandée à l'ANFR.",
        )
        j.fill(form.locator("#commitments-0-text"), "Publier la carte des mesures")
        j.fill(form.locator("#commitments-0-due_on"), "2031-06-30")
        j.press(form.locator("button[type=submit]"))
        expect(page.locator(".flash-success")).to_be_visible()
        expect(main).to_contain_text("Publier la carte des mesures")
        j.follow(nav.locator(f"a[href='/debates/{slug}/outcome']"))
    for recommendation, decision in zip(data["recommendations"], decisions, strict=True):
        answered = world.api.call("GET", f"/recommendations/{recommendation['id']}")
        assert answered["response"]["decision"] == decision, answered
    j.follow(main.locator(f"a[href='/debates/{slug}/outcome/follow-up']").first)
    expect(main.locator("dl.figures")).to_contain_text("100")
    j.seen("follow-up", screenshot=True)


# --- the guarantor --------------------------------------------------------------------------------------


def guarantor_journey(j: Journey, world) -> None:
    guarantor = _person(world, "Anne Vasseur")
    data = _outcome_with_recommendations(world, guarantor=guarantor, count=1)
    slug, page, main = data["slug"], j.page, j.main
    nav = page.locator("nav.debate-nav")
    sign_in(j, guarantor["email"], PASSWORD)
    j.open(f"/debates/{slug}/")
    j.follow(nav.locator(f"a[href='/debates/{slug}/moderation/log']"))
    log = main.locator("table")
    expect(log.locator("thead th")).to_have_count(5)  # with the moderators' column
    expect(log.locator("tbody tr")).to_have_count(3)
    expect(log.locator("tbody")).to_contain_text(MODERATOR)
    expect(
        log.locator(f"tbody a[href='/debates/{slug}/charter#clause-{data['clause']}']")
    ).to_be_visible()
    j.seen("moderation-log", screenshot=True)

    j.follow(nav.locator(f"a[href='/debates/{slug}/outcome']"))
    j.follow(main.locator(f"a[href='/debates/{slug}/outcome/observations/new']"))
    j.seen("observation-new", screenshot=True)
    form = main.locator("form.form")
    j.error_state("observation-errors", form.locator("button[type=submit]"))
    j.fill(form.locator("#title"), "Un débat équilibré")
    j.fill(
        form.locator("#body"),
        "Les arguments des deux côtés ont été présentés ; la modération est tracée.",
    )
    j.press(form.locator("button[type=submit]"))
    expect(page.locator(".flash-success")).to_be_visible()
    expect(main.locator(".observation")).to_contain_text("Un débat équilibré")
    j.seen("observation-published")


JOURNEYS = {
    "citizen": citizen_journey,
    "working-group": working_group_journey,
    "elected": elected_journey,
    "guarantor": guarantor_journey,
}


@pytest.mark.parametrize("role", JOURNEYS)
def test_journey_with_the_mouse_checked_in_french_and_english(page, world, role):
    journey = Journey(page, "mouse", role)
    JOURNEYS[role](journey, world)


@pytest.mark.parametrize("role", JOURNEYS)
def test_journey_with_the_keyboard_only(page, world, role):
    journey = Journey(page, "keyboard", role)
    JOURNEYS[role](journey, world)
    assert journey.focus_stops > 50, journey.focus_stops


@pytest.fixture
def page_without_javascript(browser, instance):
    context = browser.new_context(
        base_url=instance.url, viewport=DESKTOP, locale="fr-FR", java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def test_citizen_journey_without_javascript(page_without_javascript, world):
    page = page_without_javascript
    assert page.evaluate("() => 1") == 1  # Playwright's own evaluation still works
    journey = Journey(page, "nojs", "citizen")
    citizen_journey(journey, world)
