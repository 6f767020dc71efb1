"""The demo loader: two debates in the phases a visitor expects, working accounts, idempotence."""

import html
import re
from datetime import date

import pytest
import sqlalchemy as sa

from debate.accounts.models import User
from debate.accounts.operations import authenticate
from debate.debates.models import (
    Competence,
    Debate,
    Membership,
    Modality,
    ModalityKind,
    PhaseChange,
    ScopeItem,
    ScopeStatus,
    Theme,
)
from debate.debates.phases import PhaseKey, Role
from debate.demo import debates as demo
from debate.demo import load_demo
from debate.demo.cli import demo as demo_command
from debate.demo.debates import DEMO_ACCOUNTS, MAIN_SLUG, SECOND_SLUG
from debate.extensions import db


@pytest.fixture
def output(fast_hashing):
    lines: list[str] = []
    assert load_demo(echo=lines.append) is True
    return lines


def _debate(slug) -> Debate:
    return db.session.scalar(sa.select(Debate).where(Debate.slug == slug))


def _items(debate) -> list[ScopeItem]:
    return list(db.session.scalars(sa.select(ScopeItem).where(ScopeItem.debate_id == debate.id)))


def _text(response) -> str:
    """The page as a reader sees it: tags removed, entities decoded, spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(body))


def _counts() -> dict:
    return {
        model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (User, Debate, Membership, Theme, ScopeItem, Modality, PhaseChange)
    }


def test_progress_is_shown_step_by_step(output):
    # The debates' own steps are numbered; later domains add their own progress lines.
    steps = [line.split("]")[0] + "]" for line in output if re.match(r"^\[\d+/\d+\]", line)]
    assert steps == [f"[{n}/6]" for n in range(1, 7)]
    assert any(MAIN_SLUG in line for line in output)


def test_main_debate_is_in_expertise_with_scope_closed(output):
    debate = _debate(MAIN_SLUG)
    assert debate.current_phase == PhaseKey.EXPERTISE
    assert debate.municipality == "Val-de-Lauzière"
    phases = {phase.key: phase for phase in debate.phases}
    today = date.today()
    assert phases[PhaseKey.SCOPE].ends_on < today
    assert phases[PhaseKey.EXPERTISE].starts_on <= today <= phases[PhaseKey.EXPERTISE].ends_on
    assert today < phases[PhaseKey.ARGUMENTS].starts_on < phases[PhaseKey.OUTCOME].starts_on
    assert [debate.phase_status(k) for k in PhaseKey] == ["closed", "open", "upcoming", "upcoming"]
    # The phase change is on the public record, made by a member of the working group.
    change = db.session.scalar(sa.select(PhaseChange).where(PhaseChange.debate_id == debate.id))
    assert (change.from_phase, change.to_phase) == (PhaseKey.SCOPE, PhaseKey.EXPERTISE)
    assert debate.role_of(db.session.get(User, change.user_id)) == Role.WORKING_GROUP


def test_main_debate_has_template_and_extra_themes_charter_and_commitment(output):
    debate = _debate(MAIN_SLUG)
    assert [t.key for t in debate.themes] == [
        "health",
        "environment",
        "sovereignty",
        "economy",
        "uses",
        "planning",
    ]
    planning = debate.themes[-1]
    assert planning.title == "Aménagement du territoire" and planning.key_question
    assert planning.description_html.startswith("<p>")
    assert "séance publique" in debate.commitment_html
    assert "<strong>" in debate.description_html and "loi Abeille" in debate.description


def test_second_debate_is_open_for_scope_proposals(output):
    debate = _debate(SECOND_SLUG)
    assert debate.current_phase == PhaseKey.SCOPE
    assert debate.template == "blank" and debate.municipality != _debate(MAIN_SLUG).municipality
    statuses = {item.status for item in _items(debate)}
    assert statuses == {ScopeStatus.ACCEPTED, ScopeStatus.PROPOSED}


def test_a_demo_citizen_can_propose_on_the_second_debate_only(output, client):
    citizen = next(a for a in DEMO_ACCOUNTS if a["role"] == "citizen")
    signed_in = client.post_form(
        "/auth/login", {"email": citizen["email"], "password": citizen["password"]}
    )
    assert signed_in.status_code == 302
    second = client.get(f"/debates/{SECOND_SLUG}/scope").get_data(as_text=True)
    assert f'action="/debates/{SECOND_SLUG}/scope"' in second
    main = client.get(f"/debates/{MAIN_SLUG}/scope").get_data(as_text=True)
    assert f'action="/debates/{MAIN_SLUG}/scope"' not in main


def test_every_documented_account_signs_in_with_its_role(output):
    main, second = _debate(MAIN_SLUG), _debate(SECOND_SLUG)
    assert {a["role"] for a in DEMO_ACCOUNTS} == {
        "admin",
        "working_group",
        "elected",
        "guarantor",
        "citizen",
    }
    for account in DEMO_ACCOUNTS:
        user = authenticate(account["email"], account["password"])
        assert user is not None, account["email"]
        assert user.display_name == account["display_name"]
        assert user.is_admin == (account["role"] == "admin")
        roles = {main.role_of(user), second.role_of(user)} - {None}
        expected = set() if account["role"] in ("admin", "citizen") else {Role(account["role"])}
        assert roles == expected, account["email"]
    assert authenticate(DEMO_ACCOUNTS[0]["email"], "wrong password, surely") is None


def test_scope_has_decisions_competences_and_a_declined_reason(output):
    items = _items(_debate(MAIN_SLUG))
    assert len(items) >= 10
    accepted = [i for i in items if i.status == ScopeStatus.ACCEPTED]
    assert any(i.in_scope and i.competence == Competence.MUNICIPAL for i in accepted)
    out_of_scope = {i.competence for i in accepted if not i.in_scope}
    assert {Competence.STATE, Competence.INTERCOMMUNAL, Competence.OPERATORS} <= out_of_scope
    assert all(i.rationale_html for i in accepted)

    citizens = {a["email"] for a in DEMO_ACCOUNTS if a["role"] == "citizen"}
    proposals = [i for i in items if i.author.email in citizens]
    by_status = {i.status: i for i in proposals}
    assert set(by_status) == {ScopeStatus.ACCEPTED, ScopeStatus.DECLINED, ScopeStatus.PROPOSED}
    assert by_status[ScopeStatus.DECLINED].status_reason
    assert by_status[ScopeStatus.PROPOSED].decided_at is None


def test_modalities_cover_the_ways_to_take_part(output):
    debate = _debate(MAIN_SLUG)
    modalities = list(
        db.session.scalars(sa.select(Modality).where(Modality.debate_id == debate.id))
    )
    kinds = {m.kind for m in modalities}
    assert kinds >= {
        ModalityKind.PUBLIC_MEETING,
        ModalityKind.ONLINE_CONSULTATION,
        ModalityKind.WORKSHOP,
        ModalityKind.CITIZEN_PANEL,
        ModalityKind.CONFERENCE,
    }
    for modality in modalities:
        assert modality.starts_at.tzinfo is not None
        assert modality.ends_at is None or modality.ends_at >= modality.starts_at
        if modality.kind == ModalityKind.ONLINE_CONSULTATION:
            assert modality.online_url.startswith("https://")
        else:
            assert modality.location
    # Spread over the debate: some before today (scope phase), some after (later phases).
    phases = {p.key: p for p in debate.phases}
    days = {m.starts_at.date() for m in modalities}
    assert min(days) <= phases[PhaseKey.SCOPE].ends_on
    assert max(days) >= phases[PhaseKey.OUTCOME].starts_on


def test_loading_twice_changes_nothing(output):
    before = _counts()
    lines: list[str] = []
    assert load_demo(echo=lines.append) is False
    assert _counts() == before
    assert "existe déjà" in lines[0]


def test_an_existing_account_with_a_demo_address_is_kept(make, fast_hashing):
    person = make.user("Déjà Inscrite", email="lea.martin@demo.debat.example")
    lines: list[str] = []
    assert load_demo(echo=lines.append) is True
    assert any("lea.martin@demo.debat.example" in line for line in lines)
    assert authenticate("lea.martin@demo.debat.example", make.PASSWORD) == person
    # Her earlier scope proposal is still there, under her existing account.
    assert any(i.author_id == person.id for i in _items(_debate(MAIN_SLUG)))


def test_main_debate_page_shows_question_and_municipality(output, client):
    debate = _debate(MAIN_SLUG)
    response = client.get(f"/debates/{MAIN_SLUG}/")
    assert response.status_code == 200
    page = _text(response)
    assert debate.question in page
    assert "Val-de-Lauzière" in page
    assert "Aménagement du territoire" in page


def test_scope_page_shows_the_declined_reason(output, client):
    declined = next(i for i in _items(_debate(MAIN_SLUG)) if i.status == ScopeStatus.DECLINED)
    response = client.get(f"/debates/{MAIN_SLUG}/scope")
    assert response.status_code == 200
    page = _text(response)
    assert declined.question in page and declined.status_reason in page
    assert "https://participer.val-de-lauziere.example/5g" in response.get_data(as_text=True)


def test_cli_command_loads_then_skips(app):
    runner = app.test_cli_runner()
    first = runner.invoke(demo_command)
    assert first.exit_code == 0, first.output
    assert "[6/6]" in first.output and _debate(MAIN_SLUG) is not None
    second = runner.invoke(demo_command)
    assert second.exit_code == 0, second.output
    assert "existe déjà" in second.output and "[1/6]" not in second.output


def test_cli_refusal_is_explained_and_leaves_nothing_behind(app, monkeypatch, fast_hashing):

    monkeypatch.setitem(demo.MAIN, "question", "")
    result = app.test_cli_runner().invoke(demo_command)
    assert result.exit_code == 1
    assert "question" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
