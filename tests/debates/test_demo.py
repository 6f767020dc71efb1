"""The demo loader: one 5G debate per phase a newcomer tries (arguments, expertise, finished) and
the street-lighting debate in its scope phase; coherent dates, working accounts, idempotence."""

import html
import re
from datetime import date

import pytest
import sqlalchemy as sa

from debate.accounts.models import User
from debate.accounts.operations import authenticate
from debate.arguments.models import Argument, ArgumentStatus, Endorsement, Report
from debate.core.db import utcnow
from debate.debates.models import (
    Competence,
    Debate,
    Membership,
    Modality,
    ModalityKind,
    PhaseChange,
    QuestionKind,
    ScopeItem,
    ScopeStatus,
    Theme,
)
from debate.debates.phases import PhaseKey, Role
from debate.demo import debates as demo
from debate.demo import load_demo
from debate.demo.cli import demo as demo_command
from debate.demo.clock import PARIS
from debate.demo.debates import DEMO_ACCOUNTS, MAIN_SLUG, SECOND_SLUG
from debate.demo.outcome import SLUG as FINISHED_SLUG
from debate.demo.valbrune import SLUG as EXPERTISE_SLUG
from debate.expertise.models import ExpertContribution, Question
from debate.extensions import db
from debate.moderation.models import ModerationEvent
from debate.positions.models import Position, PositionEndorsement
from debate.workshops.models import WorkshopNote

FIVE_G = (MAIN_SLUG, EXPERTISE_SLUG, FINISHED_SLUG)
ALL_SLUGS = (*FIVE_G, SECOND_SLUG)


@pytest.fixture
def output(shared_demo, fast_hashing):
    """What the demo loader printed; the demo is loaded once for the tests that follow each other
    (tests/conftest.py: shared_demo), each of them sees it fresh."""
    assert shared_demo.loaded is True
    return shared_demo.lines


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


def test_one_5g_debate_per_phase_a_newcomer_tries(output):
    phases = {slug: _debate(slug).current_phase for slug in ALL_SLUGS}
    assert phases == {
        MAIN_SLUG: PhaseKey.ARGUMENTS,
        EXPERTISE_SLUG: PhaseKey.EXPERTISE,
        FINISHED_SLUG: PhaseKey.OUTCOME,
        SECOND_SLUG: PhaseKey.SCOPE,
    }
    assert all(_debate(slug).template == "5g" and _debate(slug).published for slug in FIVE_G)
    assert len({_debate(slug).municipality for slug in ALL_SLUGS}) == 4
    # Each debate's open phase holds today, by its own published dates.
    today = date.today()
    for slug in ALL_SLUGS:
        debate = _debate(slug)
        current = next(p for p in debate.phases if p.key == debate.current_phase)
        assert current.starts_on <= today <= current.ends_on, slug


def test_phase_changes_are_spread_over_the_calendar_in_order(output):
    now = utcnow()
    for slug in ALL_SLUGS:
        debate = _debate(slug)
        starts = {p.key: p.starts_on for p in debate.phases}
        changes = list(
            db.session.scalars(
                sa.select(PhaseChange)
                .where(PhaseChange.debate_id == debate.id)
                .order_by(PhaseChange.id)
            )
        )
        expected = list(PhaseKey)[: list(PhaseKey).index(debate.current_phase) + 1]
        assert [c.to_phase for c in changes] == expected[1:], slug
        moments = [c.at for c in changes]
        assert moments == sorted(moments) and len(set(moments)) == len(moments), slug
        assert all(debate.created_at < m < now for m in moments), slug
        for change in changes:
            # Opened on the first day of the phase, by the working group, with a public reason.
            assert change.at.astimezone(PARIS).date() == starts[change.to_phase], slug
            assert change.reason and debate.role_of(db.session.get(User, change.user_id)) == (
                Role.WORKING_GROUP
            )


def test_no_demo_row_is_dated_in_the_future_or_before_what_it_answers(output):
    now = utcnow()
    for model in (Argument, Question, ScopeItem, ModerationEvent, Report, WorkshopNote):
        column = getattr(model, "created_at", None) or getattr(model, "asked_at", None)
        column = column if column is not None else model.at
        latest = db.session.scalar(sa.select(sa.func.max(column)))
        assert latest <= now, model.__name__
    for item in db.session.scalars(sa.select(ScopeItem).where(ScopeItem.decided_at.is_not(None))):
        assert item.created_at <= item.decided_at <= now, item.question
    for question in db.session.scalars(sa.select(Question)):
        assert question.asked_at < question.moderated_at
        if question.answered_at:
            assert question.moderated_at < question.answered_at <= now
    endorsements = list(db.session.scalars(sa.select(Endorsement)))
    for endorsement in endorsements:
        argument = db.session.get(Argument, endorsement.argument_id)
        assert argument.created_at < endorsement.created_at <= now
    # Readers endorsed over the weeks, not all on the day the demo was loaded.
    assert len({e.created_at.date() for e in endorsements}) > 10
    for argument in db.session.scalars(sa.select(Argument)):
        if argument.moderated_at is not None:
            assert argument.created_at <= argument.moderated_at <= now, argument.title
        if argument.parent is not None:
            assert argument.parent.created_at < argument.created_at, argument.title


def test_notifications_are_dated_when_what_they_report_happened(fast_hashing):
    from debate.accounts.models import Notification

    started = utcnow()
    assert load_demo(echo=lambda line: None) is True
    notifications = list(db.session.scalars(sa.select(Notification)))
    assert {n.kind for n in notifications} >= {"phase_opened", "moderation_approve"}
    assert all(n.created_at < started for n in notifications)
    # A phase opened: its participants heard of it at that moment.
    for note in notifications:
        if note.kind == "phase_opened":
            assert note.created_at in {
                c.at
                for c in db.session.scalars(
                    sa.select(PhaseChange).where(PhaseChange.debate_id == note.debate_id)
                )
            }


def test_every_moderators_decision_cites_a_clause_and_comes_after_the_item(output):
    events = list(db.session.scalars(sa.select(ModerationEvent)))
    by_hand = [e for e in events if not e.automatic]
    assert {e.action.value for e in by_hand} >= {
        "approve",
        "reject",
        "hide",
        "merge",
        "request_changes",
    }
    assert all(e.clause_number and e.clause_text for e in by_hand)
    # The log's dates are spread (not all written at the same minute) and none is in the future.
    assert len({e.at.replace(second=0, microsecond=0) for e in events}) > len(events) // 2
    assert max(e.at for e in events) <= utcnow()
    for event in events:
        if event.target_type == "argument":
            assert db.session.get(Argument, event.target_id).created_at <= event.at


def test_main_debate_is_open_for_arguments_after_its_expertise(output):
    debate = _debate(MAIN_SLUG)
    assert [debate.phase_status(k) for k in PhaseKey] == ["closed", "closed", "open", "upcoming"]
    phases = {p.key: p for p in debate.phases}
    arguments = list(db.session.scalars(sa.select(Argument).where(Argument.debate_id == debate.id)))
    published = [a for a in arguments if a.status == ArgumentStatus.PUBLISHED]
    assert len(published) >= 30
    assert {a.stance.value for a in published} == {"for", "against", "nuance"}
    assert (
        sum(1 for a in published if a.parent_id) >= 5
        and sum(len(a.sources) for a in published) > 30
    )
    # Written since the arguments phase opened; one still waits in the moderation queue.
    assert all(
        a.created_at.astimezone(PARIS).date() >= phases[PhaseKey.ARGUMENTS].starts_on
        for a in arguments
    )
    assert any(a.status == ArgumentStatus.PENDING and a.moderated_at is None for a in arguments)


def test_main_debate_asks_an_open_question_with_positions_argued_for_and_against(output, client):
    debate = _debate(MAIN_SLUG)
    assert debate.question_kind == QuestionKind.OPEN
    positions = list(db.session.scalars(sa.select(Position).where(Position.debate_id == debate.id)))
    assert 4 <= len(positions) <= 5 and all(p.is_published for p in positions)
    titles = " ".join(p.title for p in positions).lower()
    for option in ("moratoire", "conditions", "charte", "mesurer"):
        assert option in titles, option
    arguments = list(db.session.scalars(sa.select(Argument).where(Argument.debate_id == debate.id)))
    # Every argument takes its stance on a position; an answer is on its parent's.
    assert all(a.position_id in {p.id for p in positions} for a in arguments)
    assert all(a.position_id == a.parent.position_id for a in arguments if a.parent)
    for position in positions:
        stances = {
            a.stance.value
            for a in arguments
            if a.position_id == position.id and a.parent_id is None and a.is_published
        }
        assert {"for", "against"} <= stances, position.title
        # Written by the working group before the arguments phase opened, endorsed by readers since.
        assert position.author.email.split("@")[0] in ("camille.roux", "karim.benali")
        assert position.created_at < min(a.created_at for a in arguments)
    endorsements = list(db.session.scalars(sa.select(PositionEndorsement)))
    assert sum(p.endorsements_count for p in positions) == len(endorsements) >= 8
    by_id = {p.id: p for p in positions}
    for endorsement in endorsements:
        assert by_id[endorsement.position_id].created_at < endorsement.created_at <= utcnow()
    # The arguments page shows them, each with its for and against.
    page = _text(client.get(f"/debates/{MAIN_SLUG}/arguments"))
    for position in positions:
        assert position.title in page


def test_expertise_debate_has_experts_questions_and_no_argument_yet(output, client):
    debate = _debate(EXPERTISE_SLUG)
    assert [debate.phase_status(k) for k in PhaseKey] == ["closed", "open", "upcoming", "upcoming"]
    assert not db.session.scalar(sa.select(Argument.id).where(Argument.debate_id == debate.id))
    questions = list(db.session.scalars(sa.select(Question).where(Question.debate_id == debate.id)))
    assert any(q.answered_at for q in questions)
    assert any(q.answered_at is None and q.due_on >= date.today() for q in questions)
    page = _text(client.get(f"/debates/{EXPERTISE_SLUG}/expertise"))
    assert "Sandrine Aubert" in page and "Comment l'exposition aux ondes est mesurée" in page


def test_finished_debate_keeps_one_recommendation_awaiting_its_response(output):
    from debate.outcome.models import Recommendation

    debate = _debate(FINISHED_SLUG)
    published = [
        r
        for r in db.session.scalars(
            sa.select(Recommendation).where(Recommendation.debate_id == debate.id)
        )
        if r.is_published
    ]
    waiting = [r for r in published if r.response is None]
    assert len(waiting) == 1
    for row in published:
        assert row.created_at < row.published_at <= utcnow()
        if row.response:
            assert row.published_at < row.response.published_at <= utcnow()
            # A commitment is due after the response that made it; a done one, on or before today.
            for commitment in row.response.commitments:
                assert commitment.due_on > row.response.published_at.date()
                assert commitment.done_on is None or commitment.done_on <= date.today()


def test_recommendations_rest_on_material_of_their_own_area(output):
    from debate.outcome.models import Recommendation

    debate = _debate(FINISHED_SLUG)
    for row in db.session.scalars(
        sa.select(Recommendation).where(Recommendation.debate_id == debate.id)
    ):
        for link in row.links:
            if link.contribution_id:
                contribution = db.session.get(ExpertContribution, link.contribution_id)
                assert contribution.theme_id == row.theme_id, (row.title, contribution.title)


def test_scope_pages_of_later_phases_are_defined(output, client):
    for slug in (MAIN_SLUG, EXPERTISE_SLUG, FINISHED_SLUG):
        page = _text(client.get(f"/debates/{slug}/scope?lang=en"))
        assert "has not yet defined" not in page and "will be announced" not in page, slug
        items = _items(_debate(slug))
        assert any(i.in_scope for i in items) and any(not i.in_scope for i in items), slug
        # No citizen's proposal is left unanswered once the scope phase is over.
        assert all(i.status != ScopeStatus.PROPOSED for i in items), slug


def test_notes_cited_by_recommendations_show_as_promoted_on_their_workshop(output, client):
    from debate.outcome.models import RecommendationLink
    from debate.workshops.models import Workshop

    cited = list(
        db.session.scalars(
            sa.select(WorkshopNote).join(
                RecommendationLink, RecommendationLink.note_id == WorkshopNote.id
            )
        )
    )
    assert cited
    for note in cited:
        workshop = db.session.get(Workshop, note.workshop_id)
        page = client.get(
            f"/debates/{workshop.debate.slug}/workshops/{workshop.id}?lang=en"
        ).get_data(as_text=True)
        assert "No note has been promoted yet" not in page
        around = page[page.index(f'id="note-{note.id}"') :][:800]
        assert "became an argument" in around, note.text


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


def _sign_in(client, local_part):
    account = next(a for a in DEMO_ACCOUNTS if a["email"].startswith(local_part + "@"))
    signed_in = client.post_form(
        "/auth/login", {"email": account["email"], "password": account["password"]}
    )
    assert signed_in.status_code == 302
    return db.session.scalar(sa.select(User).where(User.email == account["email"]))


def test_a_demo_citizen_argues_answers_endorses_and_reports_at_once(output, client):
    debate = _debate(MAIN_SLUG)
    citizen = _sign_in(client, "lea.martin")
    base = f"/debates/{MAIN_SLUG}/arguments"
    overview = _text(client.get(f"/debates/{MAIN_SLUG}/?lang=en"))
    assert "Arguments" in overview
    # The question is open: she argues on one of its positions, as the form asks.
    charter = db.session.scalar(
        sa.select(Position).where(
            Position.debate_id == debate.id, Position.title.contains("charte")
        )
    )
    form = _text(client.get(f"{base}/new"))
    assert charter.title in form
    sent = client.post_form(
        f"{base}/new",
        {
            "position": str(charter.id),
            "stance": "nuance",
            "theme": "planning",
            "title": "Publier chaque dossier d'antenne en ligne dès sa réception",
            "body": "La loi Abeille prévoit le dossier ; la commune peut le mettre en ligne.",
            "sources-0-url": "https://www.legifrance.gouv.fr/loda/id/JORFTEXT000030212642",
            "sources-0-title": "Loi n° 2015-136 du 9 février 2015",
            "sources-0-publisher": "Légifrance",
            "sources-0-kind": "official_text",
        },
        token_from=f"{base}/new",
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)[:2000]
    mine = db.session.scalar(
        sa.select(Argument).where(Argument.author_id == citizen.id).order_by(Argument.id.desc())
    )
    assert mine.title.startswith("Publier chaque dossier") and len(mine.sources) == 1
    assert mine.position_id == charter.id

    # Someone else's published argument she has neither endorsed nor reported.
    other = db.session.scalar(
        sa.select(Argument)
        .where(
            Argument.debate_id == debate.id,
            Argument.status == ArgumentStatus.PUBLISHED,
            Argument.parent_id.is_(None),
            Argument.author_id != citizen.id,
            ~Argument.id.in_(
                sa.select(Endorsement.argument_id).where(Endorsement.user_id == citizen.id)
            ),
        )
        .order_by(Argument.id)
        .limit(1)
    )
    path = f"{base}/{other.id}"
    answered = client.post_form(
        f"{base}/new",
        {
            "parent_id": str(other.id),
            "relation": "objects",
            "title": "Pas d'accord, et voici pourquoi",
        },
        token_from=f"{base}/new?parent={other.id}",
    )
    assert answered.status_code == 302, answered.get_data(as_text=True)[:2000]
    assert db.session.scalar(
        sa.select(Argument.id).where(
            Argument.parent_id == other.id, Argument.author_id == citizen.id
        )
    )
    endorsed = client.post_form(f"{path}/endorsement", {"action": "endorse"}, token_from=path)
    assert endorsed.status_code in (302, 303)
    assert db.session.scalar(
        sa.select(Endorsement.id).where(
            Endorsement.argument_id == other.id, Endorsement.user_id == citizen.id
        )
    )
    reported = client.post_form(f"{path}/report", {"reason": "Hors sujet."}, token_from=path)
    assert reported.status_code in (302, 303)
    assert db.session.scalar(
        sa.select(Report.id).where(Report.argument_id == other.id, Report.user_id == citizen.id)
    )


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
    debates = [_debate(slug) for slug in ALL_SLUGS]
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
        roles = {debate.role_of(user) for debate in debates} - {None}
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
    # The scope phase is over: every proposal was answered, publicly.
    assert set(by_status) == {ScopeStatus.ACCEPTED, ScopeStatus.DECLINED}
    assert all(i.status_reason and i.decided_at for i in proposals)


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
