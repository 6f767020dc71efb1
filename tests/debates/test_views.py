"""The debate pages as a visitor sees them: timeline, phase form, scope, creation, members, settings,
charter and modalities."""

import html as html_lib
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from babel.dates import format_date

from debate.debates import operations
from debate.debates.models import (
    CharterClause,
    Debate,
    Membership,
    Modality,
    PhaseChange,
    ScopeItem,
)
from debate.extensions import db


@pytest.fixture
def client(client):
    """Pages in English, so messages can be checked (the default is French)."""
    client.get("/?lang=en")
    return client


@pytest.fixture
def wg(make):
    return make.user("Camille du groupe")


@pytest.fixture
def debate(make, wg):
    return make.debate(slug="5g-vallee", members={"working_group": wg})


def text(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


def section(page: str, labelled_by: str) -> str:
    """The HTML of the <section aria-labelledby=…> (empty when absent)."""
    start = page.find(f'aria-labelledby="{labelled_by}"')
    return "" if start < 0 else page[start : page.index("</section>", start)]


def fresh(debate) -> Debate:
    db.session.expire_all()
    return db.session.get(Debate, debate.id)


def scope_item(
    make, debate, question, *, status="proposed", in_scope=True, competence="municipal", reason=""
):
    item = operations.add_scope_item(
        debate,
        make.user("Léa Martin"),
        {"question": question, "in_scope": in_scope, "competence": competence, "rationale": ""},
        as_working_group=status != "proposed",
    )
    if status == "declined":
        operations.update_scope_item(item, {"status": "declined", "reason": reason})
    return item


# --- the debate page ---------------------------------------------------------------------


def test_debate_page_shows_the_question_and_the_timeline(client, make):
    debate = make.debate(
        phase="arguments",
        municipality="Saint-Aubin-des-Prés",
        question="Faut-il éteindre l'éclairage public la nuit ?",
    )
    page = text(client.get(f"/debates/{debate.slug}/"))
    assert "Faut-il éteindre l'éclairage public la nuit ?" in page
    assert "Saint-Aubin-des-Prés" in page
    phases = re.findall(
        r'<li class="phase phase-(\w+)"( aria-current="step")?>\s*<span[^>]*>\d</span>\s*'
        r"<div>\s*<h3>([^<]+)</h3>",
        page,
    )
    assert [(status, bool(current), title) for status, current, title in phases] == [
        ("closed", False, "Scope and modalities"),
        ("closed", False, "Expertise"),
        ("open", True, "Arguments"),
        ("upcoming", False, "Recommendations and outcome"),
    ]
    for phase in debate.phases:
        assert format_date(phase.starts_on, "long", locale="en") in page
        assert format_date(phase.ends_on, "long", locale="en") in page


def test_debate_page_is_french_by_default(make, app):
    debate = make.debate()
    page = text(app.test_client().get(f"/debates/{debate.slug}/"))
    assert '<html lang="fr">' in page
    assert format_date(debate.phases[0].starts_on, "long", locale="fr") in page


@pytest.mark.parametrize(
    "who, sees_form",
    [
        ("working_group", True),
        ("citizen", False),
        ("admin", False),
        ("guarantor", False),
        ("anonymous", False),
    ],
)
def test_only_the_working_group_sees_the_phase_form(client, make, who, sees_form):
    person = {"anonymous": None, "admin": make.admin()}.get(who, make.user())
    members = {who: person} if who in ("working_group", "guarantor") else {}
    debate = make.debate(members=members)
    if person is not None:
        make.login(client, person)
    page = text(client.get(f"/debates/{debate.slug}/"))
    assert (f'action="/debates/{debate.slug}/phase"' in page) is sees_form
    assert debate.question in page


def test_working_group_opens_the_next_phase_with_the_form(client, debate, wg):
    make_login(client, wg)
    page = f"/debates/{debate.slug}/"
    assert 'option selected value="expertise"' in text(
        client.get(page)
    )  # the next phase is proposed
    response = client.post_form(
        f"/debates/{debate.slug}/phase", {"phase": "expertise", "reason": ""}, token_from=page
    )
    assert response.status_code == 302 and response.headers["Location"] == page
    assert fresh(debate).current_phase == "expertise"
    after = text(client.get(page))
    assert re.search(r'phase-open" aria-current="step">\s*<span[^>]*>2</span>', after)
    assert "is now open" in after


def test_going_back_without_a_reason_rerenders_with_an_error(client, make, wg):
    debate = make.debate(phase="arguments", members={"working_group": wg})
    make_login(client, wg)
    page = f"/debates/{debate.slug}/"
    response = client.post_form(
        f"/debates/{debate.slug}/phase", {"phase": "scope", "reason": ""}, token_from=page
    )
    assert response.status_code == 422
    body = text(response)
    assert 'role="alert"' in body and "needs a reason" in body
    assert 'aria-invalid="true"' in body  # on the reason field
    assert fresh(debate).current_phase == "arguments"

    reason = "La question des écoles n'a pas été cadrée."
    response = client.post_form(
        f"/debates/{debate.slug}/phase", {"phase": "scope", "reason": reason}, token_from=page
    )
    assert response.status_code == 302
    assert fresh(debate).current_phase == "scope"
    history = section(text(client.get(page)), "history-title")
    assert reason in history


def test_a_form_without_csrf_token_is_refused(client, debate, wg):
    make_login(client, wg)
    response = client.post(f"/debates/{debate.slug}/phase", data={"phase": "expertise"})
    assert response.status_code == 400
    assert fresh(debate).current_phase == "scope"
    response = client.post(
        f"/debates/{debate.slug}/scope",
        data={"question": "Sans jeton ?", "in_scope": "yes", "competence": "municipal"},
    )
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScopeItem)) == 0


def make_login(client, person):
    """Sign in through the real form (keeps the English choice made by the `client` fixture)."""
    response = client.post_form(
        "/auth/login", {"email": person.email, "password": "a long test passphrase"}
    )
    assert response.status_code == 302


# --- scope page --------------------------------------------------------------------------


def test_scope_page_groups_items(client, make, debate):
    scope_item(make, debate, "Comment informer les riverains ?", status="accepted")
    scope_item(
        make,
        debate,
        "Les valeurs limites d'exposition",
        status="accepted",
        in_scope=False,
        competence="state",
    )
    scope_item(
        make,
        debate,
        "Le choix des équipementiers",
        status="accepted",
        in_scope=False,
        competence="operators",
    )
    scope_item(make, debate, "Faut-il mesurer près des écoles ?")
    scope_item(
        make,
        debate,
        "Interdire la 5G partout",
        status="declined",
        reason="La commune n'en a pas le pouvoir.",
    )
    page = text(client.get(f"/debates/{debate.slug}/scope"))

    in_scope = section(page, "scope")
    assert "Comment informer les riverains ?" in in_scope
    assert "valeurs limites" not in in_scope and "écoles" not in in_scope

    out = section(page, "out-of-scope")
    state = out.index("Decided by: The State")
    operators = out.index("Decided by: The operators")
    assert state < out.index("Les valeurs limites d'exposition") < operators
    assert operators < out.index("Le choix des équipementiers")
    assert "Comment informer" not in out

    proposals = section(page, "proposals")
    assert (
        "Faut-il mesurer près des écoles ?" in proposals and "Proposed by Léa Martin" in proposals
    )
    assert "Interdire" not in proposals

    declined = section(page, "declined")
    assert "Interdire la 5G partout" in declined and "La commune n'en a pas le pouvoir." in declined


def test_a_citizen_proposes_during_the_scope_phase(client, make, debate):
    citizen = make.user("Thomas Girard")
    make_login(client, citizen)
    page = f"/debates/{debate.slug}/scope"
    assert "Send my proposal" in text(client.get(page))
    response = client.post_form(
        page,
        {
            "question": "Qui paiera les mesures ?",
            "in_scope": "yes",
            "competence": "municipal",
            "rationale": "Le budget est serré.",
        },
        token_from=page,
    )
    assert response.status_code == 302
    proposals = section(text(client.get(page)), "proposals")
    assert "Qui paiera les mesures ?" in proposals and "Proposed by Thomas Girard" in proposals


def test_a_citizen_cannot_propose_after_the_scope_phase(client, make):
    debate = make.debate(phase="expertise")
    make_login(client, make.user())
    page = f"/debates/{debate.slug}/scope"
    assert f'action="/debates/{debate.slug}/scope"' not in text(client.get(page))
    response = client.post_form(
        page,
        {"question": "Trop tard ?", "in_scope": "yes", "competence": "municipal"},
        token_from="/",
    )
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScopeItem)) == 0


def test_an_invalid_proposal_rerenders_the_scope_page(client, make, debate):
    make_login(client, make.user())
    page = f"/debates/{debate.slug}/scope"
    response = client.post_form(
        page, {"question": "", "in_scope": "yes", "competence": "municipal"}, token_from=page
    )
    assert response.status_code == 422
    assert 'id="question-error"' in text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScopeItem)) == 0


def test_working_group_declines_with_a_reason_and_accepts(client, make, debate, wg):
    refused = scope_item(make, debate, "Interdire les antennes")
    kept = scope_item(make, debate, "Informer les riverains")
    make_login(client, wg)
    page = f"/debates/{debate.slug}/scope"

    response = client.post_form(
        f"{page}/{refused.id}/decision", {"status": "declined", "reason": ""}, token_from=page
    )
    assert response.status_code == 422
    assert "Say why the proposal is declined" in text(response)
    db.session.expire_all()
    assert db.session.get(ScopeItem, refused.id).status == "proposed"

    reason = "Le maire ne peut pas interdire une antenne."
    assert (
        client.post_form(
            f"{page}/{refused.id}/decision",
            {"status": "declined", "reason": reason},
            token_from=page,
        ).status_code
        == 302
    )
    assert (
        client.post_form(
            f"{page}/{kept.id}/decision", {"status": "accepted", "reason": ""}, token_from=page
        ).status_code
        == 302
    )
    after = text(client.get(page))
    assert reason in section(after, "declined") and "Interdire les antennes" in section(
        after, "declined"
    )
    assert "Informer les riverains" in section(after, "scope")
    assert "No proposal is waiting." in section(after, "proposals")


def test_decision_on_an_item_of_another_debate_is_404(client, make, debate, wg):
    other = make.debate()
    item = scope_item(make, other, "Ailleurs")
    make_login(client, wg)
    response = client.post_form(
        f"/debates/{debate.slug}/scope/{item.id}/decision",
        {"status": "accepted", "reason": ""},
        token_from="/",
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(ScopeItem, item.id).status == "proposed"


# --- creating a debate and giving roles --------------------------------------------------


def test_admin_creates_a_5g_debate_then_assigns_a_role(client, make):
    admin = make.admin()
    future_wg = make.user("Karim Benali", email="karim@example.org")
    make_login(client, admin)
    response = client.post_form(
        "/debates/new",
        {
            "title": "La 5G à Lunel",
            "municipality": "Lunel",
            "slug": "5g-lunel",
            "question": "Comment accompagner la 5G ?",
            "description": "",
            "commitment": "",
            "template": "5g",
            "published": "y",
        },
        token_from="/debates/new",
    )
    assert (
        response.status_code == 302 and response.headers["Location"] == "/debates/5g-lunel/members"
    )
    debate = db.session.scalar(sa.select(Debate).where(Debate.slug == "5g-lunel"))
    assert [t.key for t in debate.themes] == ["health", "environment", "sovereignty", "economy"]
    detail = text(client.get("/debates/5g-lunel/"))
    assert "Comment accompagner la 5G ?" in detail and "Santé" in section(detail, "themes-title")

    members = "/debates/5g-lunel/members"
    response = client.post_form(
        members, {"email": "nobody@example.org", "role": "working_group"}, token_from=members
    )
    assert response.status_code == 422
    assert "No account uses this e-mail address" in text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Membership)) == 0

    response = client.post_form(
        members, {"email": " KARIM@example.org ", "role": "working_group"}, token_from=members
    )
    assert response.status_code == 302
    page = text(client.get(members))
    assert "Karim Benali now has the role" in page
    wg_list = page[page.index("<h2>Working group</h2>") : page.index("<h2>Elected officials</h2>")]
    assert "Karim Benali" in wg_list
    db.session.expire_all()
    assert fresh(debate).role_of(future_wg) == "working_group"


def test_create_form_errors_keep_the_input(client, make):
    existing = make.debate(slug="pris")
    make_login(client, make.admin())
    data = {
        "title": "Un titre",
        "municipality": "Lunel",
        "slug": "Pas Bon",
        "question": "Q ?",
        "template": "5g",
        "published": "y",
    }
    response = client.post_form("/debates/new", data, token_from="/debates/new")
    assert response.status_code == 422
    assert 'id="slug-error"' in text(response) and 'value="Un titre"' in text(response)
    response = client.post_form(
        "/debates/new", {**data, "slug": existing.slug}, token_from="/debates/new"
    )
    assert response.status_code == 422
    assert "already taken" in text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Debate)) == 1


# --- settings ----------------------------------------------------------------------------


def _edit_data(debate, **changes) -> dict:
    data = {
        "title": debate.title,
        "municipality": debate.municipality,
        "question": debate.question,
        "description": debate.description,
        "commitment": "",
        "published": "y",
        "pre_moderation": "y",
        "report_threshold": "3",
        "question_due_days": "15",
    }
    for phase in debate.phases:
        data[f"{phase.key.value}_starts_on"] = phase.starts_on.isoformat()
        data[f"{phase.key.value}_ends_on"] = phase.ends_on.isoformat()
    data.update(changes)
    return data


def checked(form: str, name: str) -> bool:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', form)
    return bool(tag) and " checked" in tag.group(0)


def test_edit_page_saves_settings(client, debate, wg):
    make_login(client, wg)
    edit = f"/debates/{debate.slug}/edit"
    form = text(client.get(edit))
    assert checked(form, "pre_moderation") and checked(
        form, "source_required"
    )  # the 5G template's rules
    assert re.search(r'<input[^>]*name="report_threshold"[^>]*value="3"', form)
    # source_required unticked, threshold changed, a commitment written.
    response = client.post_form(
        edit,
        _edit_data(debate, report_threshold="6", commitment="Une **réponse**."),
        token_from=edit,
    )
    assert response.status_code == 302
    debate = fresh(debate)
    assert debate.effective_settings == {
        "pre_moderation": True,
        "source_required": False,
        "report_threshold": 6,
        "question_due_days": 15,
    }
    assert debate.commitment_html == "<p>Une <strong>réponse</strong>.</p>"


def test_edit_page_refuses_a_phase_ending_before_it_starts(client, debate, wg):
    make_login(client, wg)
    edit = f"/debates/{debate.slug}/edit"
    before = [(p.starts_on, p.ends_on) for p in debate.phases]
    data = _edit_data(
        debate,
        title="Ne change pas",
        expertise_starts_on="2030-03-10",
        expertise_ends_on="2030-03-01",
    )
    response = client.post_form(edit, data, token_from=edit)
    assert response.status_code == 422
    page = text(response)
    error = re.search(r'<p class="error" id="expertise_ends_on-error">([^<]+)</p>', page)
    assert error and "cannot end before it starts" in error.group(1)
    assert 'value="Ne change pas"' in page  # the input is kept
    debate = fresh(debate)
    assert debate.title != "Ne change pas"
    assert [(p.starts_on, p.ends_on) for p in debate.phases] == before


def test_edit_page_refuses_an_out_of_range_threshold(client, debate, wg):
    make_login(client, wg)
    edit = f"/debates/{debate.slug}/edit"
    response = client.post_form(edit, _edit_data(debate, report_threshold="0"), token_from=edit)
    assert response.status_code == 422 and 'id="report_threshold-error"' in text(response)
    assert fresh(debate).setting("report_threshold") == 3


# --- charter -----------------------------------------------------------------------------


def _charter(debate) -> list[tuple[int, str]]:
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(CharterClause.number, CharterClause.text)
        .where(CharterClause.debate_id == debate.id)
        .order_by(CharterClause.number)
    )
    return [tuple(r) for r in rows]


def test_charter_edit_parses_numbered_lines(client, debate, wg):
    make_login(client, wg)
    edit = f"/debates/{debate.slug}/charter/edit"
    assert "1. Respect des personnes" in text(client.get(edit))
    response = client.post_form(
        edit,
        {"clauses": "1. Respect des personnes.\n\n2) Citer ses sources.\n 10 - Pas de publicité."},
        token_from=edit,
    )
    assert response.status_code == 302
    assert _charter(debate) == [
        (1, "Respect des personnes."),
        (2, "Citer ses sources."),
        (10, "Pas de publicité."),
    ]
    page = text(client.get(f"/debates/{debate.slug}/charter"))
    assert re.findall(r'<li id="clause-(\d+)" value="\d+">', page) == ["1", "2", "10"]


@pytest.mark.parametrize(
    "clauses, message",
    [
        ("1. Respect des personnes.\nCiter ses sources.", "must start with a number"),
        ("1. Un.\n1. Deux.", "unique"),
    ],
)
def test_charter_edit_rejects_bad_lines(client, debate, wg, clauses, message):
    before = _charter(debate)
    make_login(client, wg)
    edit = f"/debates/{debate.slug}/charter/edit"
    response = client.post_form(edit, {"clauses": clauses}, token_from=edit)
    assert response.status_code == 422
    assert message in text(response) and 'id="clauses-error"' in text(response)
    assert _charter(debate) == before and len(before) == 7


# --- modalities --------------------------------------------------------------------------

MODALITY_FORM = {
    "kind": "public_meeting",
    "title": "Réunion publique",
    "starts_at": "2030-05-14T18:30",
    "ends_at": "2030-05-14T21:00",
    "location": "Salle des fêtes",
    "online_url": "https://visio.example.org/reunion",
    "description": "Ouverte à *toutes et tous*.",
}


def test_modality_form_adds_a_meeting_in_paris_time(client, debate, wg):
    make_login(client, wg)
    new = f"/debates/{debate.slug}/modalities/new"
    response = client.post_form(new, MODALITY_FORM, token_from=new)
    assert response.status_code == 302
    db.session.expire_all()
    modality = db.session.scalar(sa.select(Modality).where(Modality.debate_id == debate.id))
    assert modality.starts_at == datetime(2030, 5, 14, 16, 30, tzinfo=UTC)
    assert modality.ends_at == datetime(2030, 5, 14, 19, 0, tzinfo=UTC)
    page = section(text(client.get(f"/debates/{debate.slug}/scope")), "modalities")
    assert (
        "Réunion publique" in page
        and "Salle des fêtes" in page
        and "<em>toutes et tous</em>" in page
    )
    assert 'href="https://visio.example.org/reunion"' in page
    assert "18:30" in page and "16:30" not in page  # shown in Paris time, not UTC


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"ends_at": "2030-05-14T17:00"}, "ends_at"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"title": ""}, "title"),
        ({"starts_at": "demain"}, "starts_at"),
    ],
)
def test_modality_form_errors(client, debate, wg, changes, field):
    make_login(client, wg)
    new = f"/debates/{debate.slug}/modalities/new"
    response = client.post_form(new, {**MODALITY_FORM, **changes}, token_from=new)
    assert response.status_code == 422
    assert f'id="{field}-error"' in text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Modality)) == 0


def test_phase_change_is_recorded_once(client, debate, wg):
    make_login(client, wg)
    client.post_form(
        f"/debates/{debate.slug}/phase", {"phase": "expertise", "reason": ""}, token_from="/"
    )
    changes = list(
        db.session.scalars(sa.select(PhaseChange).where(PhaseChange.debate_id == debate.id))
    )
    assert [(c.from_phase, c.to_phase, c.user_id) for c in changes] == [
        ("scope", "expertise", wg.id)
    ]
