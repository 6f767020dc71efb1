"""The expertise domain's rows of the role × phase matrix (tests/matrix.py): every expertise route,
API and HTML. tests/expertise/test_permissions.py runs them."""

import sqlalchemy as sa

from debate.debates.models import Theme
from debate.expertise import operations
from debate.expertise.models import (
    Expert,
    ExpertContribution,
    ExpertiseNeed,
    GlossaryTerm,
    Question,
    Resource,
)
from debate.extensions import db
from tests.expertise.helpers import SOURCE, seed
from tests.matrix import ANYONE, WORKING_GROUP, Cell, Route, html, only

ASKERS = only(
    "citizen", "working_group", "elected", "guarantor", "admin", phases=["expertise", "arguments"]
)


def _count(model, cell, **where) -> int:
    db.session.expire_all()
    stmt = sa.select(sa.func.count()).select_from(model).where(model.debate_id == cell.debate_id)
    for key, value in where.items():
        stmt = stmt.where(getattr(model, key) == value)
    return db.session.scalar(stmt)


class ExpertiseCell(Cell):
    """A cell whose debate holds the expertise seeds (tests/expertise/helpers.py) from its set-up
    (`seeded=True`: the rows that act on them), or none (the rows that start from an empty debate)."""

    def __init__(self, client, make, role, phase, *, seeded: bool):
        super().__init__(client, make, role, phase)
        self.seeds = seed(self.debate) if seeded else None
        self.asked_for_seeds = False


def seeded(c: ExpertiseCell) -> dict:
    """The expertise seeds in the cell's debate (its set-up made them)."""
    c.asked_for_seeds = True
    assert c.seeds is not None, (
        "a row that acts on the seeds has a cell without them: see WITHOUT_SEEDS"
    )
    return c.seeds


# --- API -------------------------------------------------------------------------------


def _api_list(path, marker):
    def act(c: Cell):
        seeded(c)
        r = c.api("GET", path.format(slug=c.slug))
        return r, lambda: marker in str(r.json["items"]) and r.json["total"] >= 1

    return act


def api_create_theme(c):
    r = c.api("POST", f"/api/v1/debates/{c.slug}/themes", {"key": "usages", "title": "Usages"})
    return r, lambda: _count(Theme, c, key="usages") == 1


def api_patch_theme(c):
    theme = seeded(c)["theme"]
    r = c.api("PATCH", f"/api/v1/themes/{theme.id}", {"title": "Santé publique"})
    return r, lambda: _count(Theme, c, title="Santé publique") == 1


def api_create_need(c):
    seeded(c)
    r = c.api(
        "POST",
        f"/api/v1/debates/{c.slug}/expertise-needs",
        {"theme": "sante", "question": "Et le 26 GHz ?"},
    )
    return r, lambda: _count(ExpertiseNeed, c) == 1


def api_create_expert(c):
    seeded(c)
    r = c.api(
        "POST",
        f"/api/v1/debates/{c.slug}/experts",
        {
            "name": "Julien Artaud",
            "affiliation": "ANFR",
            "kind": "public_agency",
            "themes": ["sante"],
            "declaration_of_interests": "Agent public.",
        },
    )
    return r, lambda: _count(Expert, c, name="Julien Artaud") == 1


def api_create_contribution(c):
    expert = seeded(c)["expert"]
    r = c.api(
        "POST",
        f"/api/v1/debates/{c.slug}/expert-contributions",
        {
            "expert_id": expert.id,
            "theme": "sante",
            "title": "Audition",
            "body": "Texte.",
            "sources": [SOURCE],
        },
    )
    return r, lambda: _count(ExpertContribution, c, title="Audition") == 1


def api_ask(c):
    seeded(c)
    r = c.api(
        "POST", f"/api/v1/debates/{c.slug}/questions", {"theme": "sante", "body": "Et les écoles ?"}
    )
    return r, lambda: _count(Question, c, body="Et les écoles ?") == 1


def api_answer(c):
    question = seeded(c)["question"]
    r = c.api("POST", f"/api/v1/questions/{question.id}/answer", {"body": "Voici la réponse."})
    return r, lambda: _count(Question, c, status="answered") == 1


def api_create_resource(c):
    seeded(c)
    r = c.api(
        "POST",
        f"/api/v1/debates/{c.slug}/resources",
        {
            "title": "Avis HCC",
            "publisher": "HCC",
            "published_on": "2020-12-19",
            "url": "https://www.hautconseilclimat.fr/x",
            "licence": "Etalab",
            "kind": "report",
        },
    )
    return r, lambda: _count(Resource, c, title="Avis HCC") == 1


def api_create_term(c):
    r = c.api(
        "POST",
        f"/api/v1/debates/{c.slug}/glossary",
        {"term": "DAS", "definition": "Débit d'absorption."},
    )
    return r, lambda: _count(GlossaryTerm, c, term="DAS") == 1


def api_get_expert(c):
    expert = seeded(c)["expert"]
    r = c.api("GET", f"/api/v1/experts/{expert.id}")
    return (
        r,
        lambda: (
            (r.json["name"], r.json["declaration_of_interests"])
            == ("Claire Vautrin", "Aucun lien.")
        ),
    )


def api_patch_expert(c):
    expert = seeded(c)["expert"]
    r = c.api("PATCH", f"/api/v1/experts/{expert.id}", {"affiliation": "ANFR"})
    return r, lambda: _count(Expert, c, name="Claire Vautrin", affiliation="ANFR") == 1


def api_patch_need(c):

    seeded(c)
    need = operations.add_need(c.debate, {"theme": "sante", "question": "Et le 26 GHz ?"})
    r = c.api("PATCH", f"/api/v1/expertise-needs/{need.id}", {"status": "covered"})
    return r, lambda: _count(ExpertiseNeed, c, status="covered") == 1


def api_get_question(c):
    question = seeded(c)["question"]
    r = c.api("GET", f"/api/v1/questions/{question.id}")
    return r, lambda: (r.json["id"], r.json["body"]) == (question.id, "Quelle exposition ?")


# --- HTML ------------------------------------------------------------------------------


def _page(path, marker):
    def act(c: Cell):
        seeded(c)
        r = c.page(path.format(slug=c.slug))
        return r, lambda: marker in html(r)

    return act


def _form_page(path, marker, needs_seed=True):
    def act(c: Cell):
        rows = seeded(c) if needs_seed else {}
        r = c.page(path.format(slug=c.slug, **{k: v.id for k, v in rows.items()}))
        return r, lambda: marker in html(r)

    return act


def form_new_theme(c):
    r = c.form(
        f"/debates/{c.slug}/themes/new",
        {"key": "usages", "title": "Usages", "key_question": "", "description": ""},
    )
    return r, lambda: _count(Theme, c, key="usages") == 1


def form_edit_theme(c):
    theme = seeded(c)["theme"]
    r = c.form(
        f"/debates/{c.slug}/themes/{theme.id}/edit",
        {"key": "sante", "title": "Santé publique", "key_question": "", "description": ""},
    )
    return r, lambda: _count(Theme, c, title="Santé publique") == 1


def form_new_need(c):
    seeded(c)
    r = c.form(
        f"/debates/{c.slug}/expertise/needs/new", {"theme": "sante", "question": "Et le 26 GHz ?"}
    )
    return r, lambda: _count(ExpertiseNeed, c) == 1


def form_need_status(c):

    seeded(c)
    need = operations.add_need(c.debate, {"theme": "sante", "question": "Et le 26 GHz ?"})
    r = c.form(f"/debates/{c.slug}/expertise/needs/{need.id}/status", {"status": "covered"})
    return r, lambda: _count(ExpertiseNeed, c, status="covered") == 1


def form_new_expert(c):
    seeded(c)
    r = c.form(
        f"/debates/{c.slug}/expertise/experts/new",
        {
            "name": "Julien Artaud",
            "affiliation": "ANFR",
            "kind": "public_agency",
            "themes": ["sante"],
            "declaration_of_interests": "Agent public.",
        },
    )
    return r, lambda: _count(Expert, c, name="Julien Artaud") == 1


def form_edit_expert(c):
    expert = seeded(c)["expert"]
    r = c.form(
        f"/debates/{c.slug}/expertise/experts/{expert.id}/edit",
        {
            "name": "Claire Vautrin-Roy",
            "affiliation": "",
            "kind": "academic",
            "themes": ["sante"],
            "declaration_of_interests": "Aucun lien.",
        },
    )
    return r, lambda: _count(Expert, c, name="Claire Vautrin-Roy") == 1


def form_new_contribution(c):
    expert = seeded(c)["expert"]
    data = {
        "expert_id": str(expert.id),
        "theme": "sante",
        "kind": "hearing",
        "title": "Audition",
        "body": "Texte.",
        "sources-0-url": SOURCE["url"],
        "sources-0-title": "Avis",
        "sources-0-publisher": "ANSES",
        "sources-0-kind": "public_agency",
    }
    r = c.form(f"/debates/{c.slug}/expertise/contributions/new", data)
    return r, lambda: _count(ExpertContribution, c, title="Audition") == 1


def form_ask(c):
    seeded(c)
    r = c.form(
        f"/debates/{c.slug}/expertise/questions/new", {"theme": "sante", "body": "Et les écoles ?"}
    )
    return r, lambda: _count(Question, c, body="Et les écoles ?") == 1


def form_answer(c):
    question = seeded(c)["question"]
    r = c.form(
        f"/debates/{c.slug}/expertise/questions/{question.id}/answer",
        {"body": "Voici.", "expert_id": ""},
    )
    return r, lambda: _count(Question, c, status="answered") == 1


def form_new_resource(c):
    seeded(c)
    r = c.form(
        f"/debates/{c.slug}/expertise/library/new",
        {
            "title": "Avis HCC",
            "publisher": "HCC",
            "published_on": "2020-12-19",
            "url": "https://www.hautconseilclimat.fr/x",
            "licence": "",
            "theme": "",
            "kind": "report",
        },
    )
    return r, lambda: _count(Resource, c, title="Avis HCC") == 1


def form_new_term(c):
    r = c.form(
        f"/debates/{c.slug}/glossary/new", {"term": "DAS", "definition": "Débit d'absorption."}
    )
    return r, lambda: _count(GlossaryTerm, c, term="DAS") == 1


# The rows that act on a debate without the seeds (every other row uses them).
WITHOUT_SEEDS = {
    "POST /api/v1/debates/<slug>/themes",
    "GET /api/v1/debates/<slug>/expertise-needs",
    "POST /api/v1/debates/<slug>/glossary",
    "GET /debates/<slug>/themes/new",
    "POST /debates/<slug>/themes/new",
    "GET /debates/<slug>/glossary/new",
    "POST /debates/<slug>/glossary/new",
}


ROUTES = [
    Route(
        "GET /api/v1/debates/<slug>/themes",
        ANYONE,
        200,
        _api_list("/api/v1/debates/{slug}/themes", "sante"),
    ),
    Route("POST /api/v1/debates/<slug>/themes", WORKING_GROUP, 201, api_create_theme),
    Route("PATCH /api/v1/themes/<theme_id>", WORKING_GROUP, 200, api_patch_theme),
    Route(
        "GET /api/v1/debates/<slug>/expertise-needs",
        ANYONE,
        200,
        lambda c: (lambda r: (r, lambda: r.json["total"] == 0))(
            c.api("GET", f"/api/v1/debates/{c.slug}/expertise-needs")
        ),
    ),
    Route("POST /api/v1/debates/<slug>/expertise-needs", WORKING_GROUP, 201, api_create_need),
    Route(
        "GET /api/v1/debates/<slug>/experts",
        ANYONE,
        200,
        _api_list("/api/v1/debates/{slug}/experts", "Claire Vautrin"),
    ),
    Route("POST /api/v1/debates/<slug>/experts", WORKING_GROUP, 201, api_create_expert),
    Route("GET /api/v1/experts/<expert_id>", ANYONE, 200, api_get_expert),
    Route("PATCH /api/v1/experts/<expert_id>", WORKING_GROUP, 200, api_patch_expert),
    Route("PATCH /api/v1/expertise-needs/<need_id>", WORKING_GROUP, 200, api_patch_need),
    Route(
        "GET /api/v1/debates/<slug>/expert-contributions",
        ANYONE,
        200,
        _api_list("/api/v1/debates/{slug}/expert-contributions", "Ce que l'on sait"),
    ),
    Route(
        "POST /api/v1/debates/<slug>/expert-contributions",
        WORKING_GROUP,
        201,
        api_create_contribution,
    ),
    Route(
        "GET /api/v1/debates/<slug>/questions",
        ANYONE,
        200,
        _api_list("/api/v1/debates/{slug}/questions", "Quelle exposition ?"),
    ),
    Route("POST /api/v1/debates/<slug>/questions", ASKERS, 201, api_ask),
    Route("GET /api/v1/questions/<question_id>", ANYONE, 200, api_get_question),
    Route("POST /api/v1/questions/<question_id>/answer", WORKING_GROUP, 201, api_answer),
    Route(
        "GET /api/v1/debates/<slug>/resources",
        ANYONE,
        200,
        _api_list("/api/v1/debates/{slug}/resources", "Rapport ANFR"),
    ),
    Route("POST /api/v1/debates/<slug>/resources", WORKING_GROUP, 201, api_create_resource),
    Route(
        "GET /api/v1/debates/<slug>/glossary",
        ANYONE,
        200,
        _api_list("/api/v1/debates/{slug}/glossary", "Volt par mètre"),
    ),
    Route("POST /api/v1/debates/<slug>/glossary", WORKING_GROUP, 201, api_create_term),
    Route(
        "GET /debates/<slug>/expertise",
        ANYONE,
        200,
        _page("/debates/{slug}/expertise", "Ce que l&#39;on sait"),
    ),
    Route(
        "GET /debates/<slug>/expertise/library",
        ANYONE,
        200,
        _page("/debates/{slug}/expertise/library", "Rapport ANFR"),
    ),
    Route(
        "GET /debates/<slug>/glossary",
        ANYONE,
        200,
        _page("/debates/{slug}/glossary", "Volt par mètre"),
    ),
    Route(
        "GET /debates/<slug>/expertise/questions/new",
        ASKERS,
        200,
        _form_page("/debates/{slug}/expertise/questions/new", 'name="body"'),
    ),
    Route("POST /debates/<slug>/expertise/questions/new", ASKERS, 302, form_ask),
    Route(
        "GET /debates/<slug>/expertise/questions/<question_id>/answer",
        WORKING_GROUP,
        200,
        _form_page("/debates/{slug}/expertise/questions/{question}/answer", 'name="sources-0-url"'),
    ),
    Route(
        "POST /debates/<slug>/expertise/questions/<question_id>/answer",
        WORKING_GROUP,
        302,
        form_answer,
    ),
    Route(
        "GET /debates/<slug>/themes/new",
        WORKING_GROUP,
        200,
        _form_page("/debates/{slug}/themes/new", 'name="key"', False),
    ),
    Route("POST /debates/<slug>/themes/new", WORKING_GROUP, 302, form_new_theme),
    Route(
        "GET /debates/<slug>/themes/<theme_id>/edit",
        WORKING_GROUP,
        200,
        _form_page("/debates/{slug}/themes/{theme}/edit", 'value="sante"'),
    ),
    Route("POST /debates/<slug>/themes/<theme_id>/edit", WORKING_GROUP, 302, form_edit_theme),
    Route(
        "GET /debates/<slug>/expertise/needs/new",
        WORKING_GROUP,
        200,
        _form_page("/debates/{slug}/expertise/needs/new", 'name="question"'),
    ),
    Route("POST /debates/<slug>/expertise/needs/new", WORKING_GROUP, 302, form_new_need),
    Route(
        "POST /debates/<slug>/expertise/needs/<need_id>/status",
        WORKING_GROUP,
        302,
        form_need_status,
    ),
    Route(
        "GET /debates/<slug>/expertise/experts/new",
        WORKING_GROUP,
        200,
        _form_page("/debates/{slug}/expertise/experts/new", 'name="declaration_of_interests"'),
    ),
    Route("POST /debates/<slug>/expertise/experts/new", WORKING_GROUP, 302, form_new_expert),
    Route(
        "GET /debates/<slug>/expertise/experts/<expert_id>/edit",
        WORKING_GROUP,
        200,
        _form_page("/debates/{slug}/expertise/experts/{expert}/edit", "Aucun lien."),
    ),
    Route(
        "POST /debates/<slug>/expertise/experts/<expert_id>/edit",
        WORKING_GROUP,
        302,
        form_edit_expert,
    ),
    Route(
        "GET /debates/<slug>/expertise/contributions/new",
        WORKING_GROUP,
        200,
        _form_page("/debates/{slug}/expertise/contributions/new", 'name="sources-2-url"'),
    ),
    Route(
        "POST /debates/<slug>/expertise/contributions/new",
        WORKING_GROUP,
        302,
        form_new_contribution,
    ),
    Route(
        "GET /debates/<slug>/expertise/library/new",
        WORKING_GROUP,
        200,
        _form_page("/debates/{slug}/expertise/library/new", 'name="licence"'),
    ),
    Route("POST /debates/<slug>/expertise/library/new", WORKING_GROUP, 302, form_new_resource),
    Route(
        "GET /debates/<slug>/glossary/new",
        WORKING_GROUP,
        200,
        _form_page("/debates/{slug}/glossary/new", 'name="definition"', False),
    ),
    Route("POST /debates/<slug>/glossary/new", WORKING_GROUP, 302, form_new_term),
]
