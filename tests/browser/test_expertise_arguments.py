"""Expertise and arguments in a real browser, in French and in English.

The data is set up through the JSON API, as an outside client would: a 5G debate (its themes come
from the template) with a working-group member, a declared expert and a sourced contribution, two
library documents, three glossary terms, a citizen's question; the debate is then moved to the
`arguments` phase without pre-moderation, and two sourced arguments (for and against) are
published, the first with an answer.

Every page and state visited passes `check` (axe-core WCAG 2.0/2.1 A and AA, <html lang>, no
horizontal scroll at 360 px, no console or network error).
"""

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the _requirements fixture (a skip, or a failure in CI)
    expect = None

from tests.browser.conftest import active_element, sign_in, start, tab_until

pytestmark = pytest.mark.browser

ANSES = {
    "url": "https://www.anses.fr/fr/content/exposition-5g-avis-2021",
    "title": "Exposition aux champs électromagnétiques liée au déploiement de la 5G",
    "publisher": "ANSES",
    "published_on": "2021-04-20",
    "kind": "public_agency",
    "excerpt": "Pas de risque nouveau identifié dans les bandes de fréquences existantes.",
}
HCC = {
    "url": "https://www.hautconseilclimat.fr/publications/maitriser-limpact-carbone-de-la-5g/",
    "title": "Maîtriser l'impact carbone de la 5G",
    "publisher": "Haut Conseil pour le Climat",
    "kind": "public_agency",
}
FOR_TITLE = "Les expositions mesurées restent très inférieures aux valeurs limites"
AGAINST_TITLE = "La fabrication de nouveaux terminaux alourdit l'empreinte carbone"
ANSWER_TITLE = "Les mesures ponctuelles ne disent rien de l'exposition cumulée"
TERMS = [
    (
        "DAS",
        "Débit d'absorption spécifique : l'énergie des ondes absorbée par le corps, en watts par kilogramme.",
    ),
    ("V/m", "Volt par mètre : l'unité de mesure du champ électrique auquel on est exposé."),
    ("ANFR", "Agence nationale des fréquences, qui mesure l'exposition du public aux ondes."),
]


# Session scope: once per worker process (each serves its own instance), even when pytest-xdist
# runs this module's tests between other modules' ones (a module fixture would be made again).
@pytest.fixture(scope="session")
def people(world) -> dict:
    """The people of the seeded debates, registered once (each registration hashes a password)."""
    member = world.user("Groupe de travail")
    return {
        "member": member,
        "wg": world.api.signed_in(member["email"]),
        "asker": world.api.signed_in(world.user("Dominique")["email"]),
        "author": world.api.signed_in(world.user("Alex")["email"]),
        "replier": world.api.signed_in(world.user("Sacha")["email"]),
    }


@pytest.fixture
def seeded(world, people) -> dict:
    """A debate in the `arguments` phase with expertise, a question, arguments and an answer."""
    member, wg = people["member"], people["wg"]
    debate = world.debate(working_group=member)
    slug = debate["slug"]

    expert = wg.call(
        "POST",
        f"/debates/{slug}/experts",
        {
            "name": "Claire Vautrin",
            "affiliation": "Université de Rennes",
            "kind": "academic",
            "themes": ["health"],
            "declaration_of_interests": "Aucun lien avec un opérateur ou un équipementier.",
        },
        expect=201,
    )
    wg.call(
        "POST",
        f"/debates/{slug}/expert-contributions",
        {
            "expert_id": expert["id"],
            "theme": "health",
            "title": "Ce que l'on sait des ondes de la 5G",
            "body": "L'ANFR mesure l'exposition en V/m ; le DAS des téléphones est plafonné à 2 W/kg.",
            "sources": [ANSES],
        },
        expect=201,
    )
    wg.call(
        "POST",
        f"/debates/{slug}/resources",
        {
            "title": "Rapport sur l'exposition du public aux ondes",
            "publisher": "ANFR",
            "published_on": "2022-06-01",
            "url": "https://www.anfr.fr/exposition-du-public",
            "licence": "Licence Ouverte 2.0",
            "theme": "health",
            "kind": "report",
        },
        expect=201,
    )
    wg.call(
        "POST",
        f"/debates/{slug}/resources",
        {
            "title": "Empreinte environnementale du numérique",
            "publisher": "ADEME",
            "url": "https://www.ademe.fr/numerique",
            "theme": "environment",
            "kind": "study",
        },
        expect=201,
    )
    for term, definition in TERMS:
        wg.call(
            "POST",
            f"/debates/{slug}/glossary",
            {"term": term, "definition": definition},
            expect=201,
        )

    wg.call("POST", f"/debates/{slug}/phase", {"phase": "arguments"}, expect=200)
    wg.call("PATCH", f"/debates/{slug}", {"settings": {"pre_moderation": False}}, expect=200)

    question = people["asker"].call(
        "POST",
        f"/debates/{slug}/questions",
        {
            "theme": "health",
            "body": "Quelle est l'exposition mesurée près des écoles de la commune ?",
        },
        expect=201,
    )

    author = people["author"]
    arg_for = author.call(
        "POST",
        f"/debates/{slug}/arguments",
        {
            "theme": "health",
            "stance": "for",
            "title": FOR_TITLE,
            "body": "Les relevés de l'ANFR autour des antennes donnent quelques V/m, loin des seuils ; "
            "le DAS des téléphones 5G reste sous la limite réglementaire.",
            "sources": [ANSES],
        },
        expect=201,
    )
    assert arg_for["status"] == "published", arg_for
    arg_against = author.call(
        "POST",
        f"/debates/{slug}/arguments",
        {
            "theme": "environment",
            "stance": "against",
            "title": AGAINST_TITLE,
            "body": "Le renouvellement des téléphones représente l'essentiel de l'empreinte carbone de la 5G.",
            "sources": [HCC],
        },
        expect=201,
    )
    answer = people["replier"].call(
        "POST",
        f"/debates/{slug}/arguments",
        {
            "theme": "health",
            "title": ANSWER_TITLE,
            "body": "Il faudrait des capteurs permanents.",
            "sources": [],
            "parent_id": arg_for["id"],
            "relation": "objects",
        },
        expect=201,
    )
    return {
        "slug": slug,
        "member": member,
        "wg": wg,
        "expert": expert,
        "question": question,
        "for": arg_for,
        "against": arg_against,
        "answer": answer,
    }


def _submit(form):
    """The form's main submit button (the one without a name: not "add a source" nor "check")."""
    return form.locator("button[type=submit]:not([name])")


def test_expertise_and_argument_pages(page, world, seeded, check, lang):
    data = seeded
    slug = data["slug"]

    # The expertise page: the declared expert, the contribution (with its source), the question.
    start(page, lang, f"/debates/{slug}/expertise")
    main = page.locator("main")
    expect(main.locator("h1")).to_be_visible()
    expect(main.locator(".experts").first).to_contain_text("Claire Vautrin")
    expect(main.locator("article.contribution")).to_have_count(1)
    expect(main.locator("article.contribution a.glossary-term").first).to_be_visible()
    expect(main.locator(f"#question-{data['question']['id']}")).to_be_visible()
    check(page, "expertise")

    # The library, then filtered by theme through its GET form.
    main.locator(f"a[href='/debates/{slug}/expertise/library']").first.click()
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/expertise/library$"))
    expect(main.locator(".resource-list > li")).to_have_count(2)
    check(page, "library", screenshot=False)
    main.locator("#theme-filter").select_option("environment")
    main.locator("form[role=search] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"[?&]theme=environment"))
    expect(main.locator(".resource-list > li")).to_have_count(1)
    expect(main.locator(".resource-list")).to_contain_text("ADEME")
    expect(main.locator("#theme-filter")).to_have_value("environment")
    check(page, "library-filtered", screenshot=False)

    page.goto(f"/debates/{slug}/glossary")
    expect(main.locator("dl.glossary > dt")).to_have_count(3)
    check(page, "glossary", screenshot=False)

    # The arguments, per theme and stance.
    page.locator(f"nav.debate-nav a[href='/debates/{slug}/arguments']").click()
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/arguments$"))
    expect(main.locator(f"#argument-{data['for']['id']}")).to_be_visible()
    expect(main.locator(f"#argument-{data['against']['id']}")).to_be_visible()
    check(page, "arguments")

    # Filters and a search, through the GET form, folded behind one control (a <details>).
    main.locator("details.filters-toggle > summary").click()
    search = main.locator("form.filters")
    search.locator("#q").fill("empreinte carbone")
    search.locator("#theme").select_option("environment")
    search.locator("#stance").select_option("against")
    search.locator("#sourced").select_option("yes")
    search.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"[?&]q=empreinte"))
    expect(page).to_have_url(re.compile(r"[?&]stance=against"))
    expect(main.locator(".argument-card")).to_have_count(1)
    expect(main.locator(f"#argument-{data['against']['id']}")).to_be_visible()
    expect(search.locator("#q")).to_have_value("empreinte carbone")
    check(page, "arguments-filtered", screenshot=False)

    # An argument: its sources, its answer tree and the glossary terms in its text.
    page.goto(f"/debates/{slug}/arguments/{data['for']['id']}")
    expect(main.locator("h1")).to_have_text(FOR_TITLE)
    expect(main.locator(".source-list .source")).to_have_count(1)
    tree = main.locator("ul.answer-tree > li.relation-objects")
    expect(tree).to_have_count(1)
    expect(tree).to_contain_text(ANSWER_TITLE)
    terms = main.locator("article .prose a.glossary-term")
    expect(terms).to_have_count(3)  # ANFR, V/m and DAS, each marked once
    expect(terms.first).to_have_attribute(
        "href", re.compile(rf"/debates/{slug}/glossary#term-\d+$")
    )
    check(page, "argument")

    # The answer's own page links back to the argument it answers.
    page.goto(f"/debates/{slug}/arguments/{data['answer']['id']}")
    expect(main.locator(f"a[href='/debates/{slug}/arguments/{data['for']['id']}']")).to_be_visible()
    check(page, "argument-answer", screenshot=False)

    page.locator(f"nav.debate-nav a[href='/debates/{slug}/sources']").click()
    expect(main.locator(".source-index > li")).to_have_count(2)
    check(page, "sources", screenshot=False)


def test_citizen_argues_endorses_answers_and_asks(page, world, seeded, check, lang):
    data = seeded
    slug = data["slug"]
    citizen = world.user(f"Camille ({lang})")
    sign_in(page, lang, citizen["email"])
    main = page.locator("main")

    # The new-argument form: first without a source although the debate requires one.
    page.goto(f"/debates/{slug}/arguments")
    main.locator(f"a.button[href='/debates/{slug}/arguments/new']").click()
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/arguments/new$"))
    form = main.locator("form.argument-form")
    expect(form.locator("fieldset.source-fieldset")).to_have_count(2)
    check(page, "argument-new", screenshot=False)

    title = f"Un réseau plus sobre par octet transmis ({lang})"
    form.locator("input[name=stance][value=nuance]").check()
    form.locator("#theme").select_option("environment")
    form.locator("#title").fill(title)
    form.locator("#body").fill("La 5G consomme moins **par octet**, mais les usages augmentent.")
    _submit(form).click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    # The message leads to the first source's link, where the error is repeated.
    expect(summary.locator("a[href='#sources-0-url']")).to_be_visible()
    first_link = form.locator("#sources-0-url")
    expect(first_link).to_have_attribute("aria-invalid", "true")
    assert "sources-0-url-error" in (first_link.get_attribute("aria-describedby") or "").split()
    expect(form.locator("#title")).to_have_value(title)
    expect(form.locator("input[name=stance][value=nuance]")).to_be_checked()
    check(page, "argument-new-errors")
    summary.locator("a[href='#sources-0-url']").click()
    expect(first_link).to_be_focused()

    # A link without http(s): the error is next to the field, and in the summary.
    first_link.fill("www.hautconseilclimat.fr/5g")
    form.locator("#sources-0-title").fill(HCC["title"])
    form.locator("#sources-0-publisher").fill(HCC["publisher"])
    _submit(form).click()
    expect(page.locator("#error-summary a[href='#sources-0-url']")).to_be_visible()
    expect(page.locator("#sources-0-url-error")).to_be_visible()
    expect(first_link).to_have_value("www.hautconseilclimat.fr/5g")
    check(page, "argument-new-bad-link", screenshot=False)

    # One source, then "add another source" (a plain submit button, no script) for a second one.
    form.locator("#sources-0-url").fill(HCC["url"])
    form.locator("#sources-0-title").fill(HCC["title"])
    form.locator("#sources-0-publisher").fill(HCC["publisher"])
    form.locator("#sources-0-kind").select_option("public_agency")
    form.locator("button[name=add_source]").click()
    expect(form.locator("fieldset.source-fieldset")).to_have_count(3)
    expect(form.locator("#sources-0-url")).to_have_value(HCC["url"])
    expect(form.locator("#title")).to_have_value(title)
    expect(page.locator("#error-summary")).to_have_count(0)
    check(page, "argument-new-more-sources", screenshot=False)

    form.locator("#sources-2-url").fill(
        "https://www.arcep.fr/la-regulation/grands-dossiers-reseaux-mobiles.html"
    )
    form.locator("#sources-2-title").fill("Les réseaux mobiles")
    form.locator("#sources-2-publisher").fill("Arcep")
    form.locator("#sources-2-kind").select_option("official_text")
    form.locator("#sources-2-published_on").fill("2023-03-15")
    _submit(form).click()
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/arguments/\d+$"))
    expect(page.locator(".flash-success")).to_be_visible()
    expect(main.locator("h1")).to_have_text(title)
    expect(main.locator(".source-list .source")).to_have_count(2)
    check(page, "argument-created", screenshot=False)
    created = world.api.call("GET", "/arguments/" + page.url.rsplit("/", 1)[1])
    assert created["status"] == "published" and created["stance"] == "nuance", created
    assert [s["publisher"] for s in created["sources"]] == [HCC["publisher"], "Arcep"], created[
        "sources"
    ]

    # Endorse someone else's argument, then withdraw the endorsement.
    argument_id = data["for"]["id"]
    page.goto(f"/debates/{slug}/arguments/{argument_id}")
    endorsement = main.locator(
        f"form[action='/debates/{slug}/arguments/{argument_id}/endorsement']"
    )
    endorsement.locator("button").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(endorsement.locator("input[name=action]")).to_have_value("withdraw")
    assert world.api.call("GET", f"/arguments/{argument_id}")["endorsements"] == 1
    check(page, "argument-endorsed", screenshot=False)
    endorsement.locator("button").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(endorsement.locator("input[name=action]")).to_have_value("endorse")
    assert world.api.call("GET", f"/arguments/{argument_id}")["endorsements"] == 0
    check(page, "argument-endorsement-withdrawn", screenshot=False)

    # Answer it: an objection.
    answer_form = main.locator(f"section form[action='/debates/{slug}/arguments/new']")
    answer_title = f"Les seuils datent de 1999 ({lang})"
    answer_form.locator("input[name=relation][value=objects]").check()
    answer_form.locator("#title").fill(answer_title)
    answer_form.locator("#body").fill(
        "Les valeurs limites n'ont pas été revues depuis la recommandation européenne."
    )
    _submit(answer_form).click()
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/arguments/\d+$"))
    expect(page.locator(".flash-success")).to_be_visible()
    expect(main.locator("h1")).to_have_text(answer_title)
    check(page, "argument-answered", screenshot=False)
    page.goto(f"/debates/{slug}/arguments/{argument_id}")
    expect(main.locator("ul.answer-tree > li.relation-objects")).to_have_count(2)
    expect(main.locator("ul.answer-tree")).to_contain_text(answer_title)

    # Ask the experts a question from the expertise page.
    page.goto(f"/debates/{slug}/expertise")
    main.locator(f"a.button[href='/debates/{slug}/expertise/questions/new']").click()
    check(page, "question-new", screenshot=False)
    question_form = main.locator("form")
    question_form.locator("#theme").select_option("economy")
    question_body = f"Les zones blanches de la commune seront-elles couvertes en premier ? ({lang})"
    question_form.locator("#body").fill(question_body)
    _submit(question_form).click()
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/expertise#questions$"))
    expect(page.locator(".flash-success")).to_be_visible()
    expect(main.locator("section:has(> #theme-economy) ul.questions")).to_contain_text(
        question_body
    )
    check(page, "question-asked", screenshot=False)


def test_working_group_adds_expertise_and_answers(page, world, seeded, check, lang):
    data = seeded
    slug = data["slug"]
    sign_in(page, lang, data["member"]["email"])
    main = page.locator("main")

    page.goto(f"/debates/{slug}/expertise")
    expect(main.locator("nav.panel")).to_be_visible()  # the working group's links
    check(page, "expertise-working-group", screenshot=False)

    # Add an expert: first with nothing filled in, then properly.
    main.locator(f"a[href='/debates/{slug}/expertise/experts/new']").click()
    check(page, "expert-new", screenshot=False)
    form = main.locator("form.form")
    _submit(form).click()
    expect(page.locator("#error-summary a[href='#name']")).to_be_visible()
    expect(form.locator("#name")).to_have_attribute("aria-invalid", "true")
    check(page, "expert-new-errors", screenshot=False)
    form.locator("#name").fill("Association Priartem")
    form.locator("#affiliation").fill("Association nationale")
    form.locator("#kind").select_option("association")
    form.locator("input[name=themes][value=health]").check()
    form.locator("#declaration_of_interests").fill("Aucun financement par un opérateur.")
    _submit(form).click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(main.locator(".experts").first).to_contain_text("Association Priartem")
    check(page, "expert-added", screenshot=False)

    # Add a document to the library.
    page.goto(f"/debates/{slug}/expertise/library")
    main.locator(f"a[href='/debates/{slug}/expertise/library/new']").click()
    check(page, "resource-new", screenshot=False)
    form = main.locator("form.form")
    form.locator("#title").fill("Cartographie des antennes")
    form.locator("#publisher").fill("ANFR")
    form.locator("#published_on").fill("2024-01-10")
    form.locator("#url").fill("https://www.cartoradio.fr/")
    form.locator("#licence").fill("Licence Ouverte 2.0")
    form.locator("#theme").select_option("health")
    form.locator("#kind").select_option("dataset")
    _submit(form).click()
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/expertise/library$"))
    expect(page.locator(".flash-success")).to_be_visible()
    expect(main.locator(".resource-list > li")).to_have_count(3)
    check(page, "resource-added", screenshot=False)

    # Add a glossary term.
    page.goto(f"/debates/{slug}/glossary")
    main.locator(f"a[href='/debates/{slug}/glossary/new']").click()
    check(page, "term-new", screenshot=False)
    form = main.locator("form.form")
    form.locator("#term").fill("Antenne-relais")
    form.locator("#definition").fill("Installation qui relie les téléphones au réseau mobile.")
    _submit(form).click()
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/glossary$"))
    expect(main.locator("dl.glossary > dt")).to_have_count(4)
    check(page, "term-added", screenshot=False)

    # Answer the citizen's question, with a source.
    question_id = data["question"]["id"]
    page.goto(f"/debates/{slug}/expertise")
    main.locator(f"a[href='/debates/{slug}/expertise/questions/{question_id}/answer']").click()
    check(page, "question-answer-form", screenshot=False)
    form = main.locator("form.form")
    form.locator("#body").fill("Les mesures de l'ANFR près des écoles donnent moins de 1 V/m.")
    form.locator("#expert_id").select_option(str(data["expert"]["id"]))
    form.locator("#sources-1-url").fill(
        "cartoradio.fr/mesures-ecoles"
    )  # no http(s), in the 2nd slot
    form.locator("#sources-1-title").fill("Mesures près des établissements scolaires")
    form.locator("#sources-1-publisher").fill("ANFR")
    form.locator("#sources-1-kind").select_option("public_agency")
    _submit(form).click()
    summary = page.locator("#error-summary")
    expect(summary.locator("a[href='#sources-1-url']")).to_be_visible()
    expect(form.locator("#sources-1-url")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("#body")).to_have_value(re.compile("près des écoles"))
    check(page, "question-answer-errors", screenshot=False)
    form.locator("#sources-1-url").fill("https://www.cartoradio.fr/mesures-ecoles")
    _submit(form).click()
    expect(page).to_have_url(re.compile(rf"/debates/{slug}/expertise#question-{question_id}$"))
    expect(page.locator(".flash-success")).to_be_visible()
    expect(main.locator(f"#question-{question_id} .answer")).to_be_visible()
    check(page, "question-answered", screenshot=False)
    answered = world.api.call("GET", f"/debates/{slug}/questions")["items"]
    assert [q["status"] for q in answered if q["id"] == question_id] == ["answered"], answered


def test_new_argument_form_with_the_keyboard_only(page, world, seeded, lang):
    """Tab, type and Enter only (a space ticks the radio button): every stop shows its focus."""
    data = seeded
    slug = data["slug"]
    citizen = world.user(f"Clavier ({lang})")
    sign_in(page, lang, citizen["email"])
    page.goto(f"/debates/{slug}/arguments/new")

    page.keyboard.press("Tab")
    assert "skip-link" in active_element(page)["cls"], active_element(page)
    page.keyboard.press("Enter")
    assert active_element(page)["id"] == "main"

    stops = []

    def tab_to(element_id: str) -> None:
        active = tab_until(
            page, lambda a: a["id"] == element_id or a["id"].startswith(element_id + "-")
        )
        stops.append(active["id"])
        outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none", f"{element_id}: no visible focus indicator"

    tab_to("stance")  # the first radio of the group
    page.keyboard.type(" ")
    tab_to("theme")
    page.keyboard.type("Env")  # a select follows what is typed
    tab_to("title")
    title = f"Les antennes mutualisées limitent leur nombre ({lang})"
    page.keyboard.type(title)
    tab_to("body")
    page.keyboard.type("Le partage des pylônes entre opérateurs évite d'en construire de nouveaux.")
    tab_to("sources-0-url")
    page.keyboard.type("https://www.arcep.fr/mutualisation")
    tab_to("sources-0-title")
    page.keyboard.type("La mutualisation des réseaux mobiles")
    tab_to("sources-0-publisher")
    page.keyboard.type("Arcep")
    tab_until(
        page,
        lambda a: (
            a["tag"] == "button"
            and a["type"] == "submit"
            and not page.evaluate("() => document.activeElement.name")
        ),
        limit=60,
    )
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/debates/{slug}/arguments/\d+$"))
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("main h1")).to_have_text(title)
    created = world.api.call("GET", "/arguments/" + page.url.rsplit("/", 1)[1])
    assert created["theme"] == "environment", created
    assert created["stance"] == "for", created
    assert [s["url"] for s in created["sources"]] == ["https://www.arcep.fr/mutualisation"], created
