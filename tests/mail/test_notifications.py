"""Notification e-mails come from the same events as the in-app notifications, in the reader's
language, for each kind; each carries a one-click unsubscribe link and the RFC 8058 headers."""

import sqlalchemy as sa

from debate.accounts import operations as accounts
from debate.accounts.models import Notification
from debate.arguments import operations as arguments
from debate.arguments.models import Argument
from debate.debates import operations as debates
from debate.expertise import operations as expertise
from debate.extensions import db
from debate.mail import preferences
from debate.mail.models import OutboxMessage, Status
from debate.moderation import operations as moderation
from tests.arguments.helpers import argument
from tests.expertise.helpers import THEME


def _one(mailbox, user):
    mailbox.deliver()
    messages = mailbox.to(user.email)
    assert len(messages) == 1, [m["Subject"] for m in mailbox.messages]
    return messages[0]


def _assert_unsubscribable(mailbox, message):
    assert (
        message["List-Unsubscribe"].startswith("<http")
        and "/mail/unsubscribe/" in message["List-Unsubscribe"]
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Literally on the wire (not folded into an encoded word), as RFC 2369 mail clients read it.
    assert b"\r\nList-Unsubscribe: <http://localhost:5000/mail/unsubscribe/" in message.raw
    assert mailbox.link(message, "/mail/unsubscribe/")


def test_a_moderation_decision_is_emailed_with_its_clause_and_message(make, mailbox):
    author, wg = make.user("Autrice"), make.user("Modératrice")
    debate = make.debate(phase="arguments", members={"working_group": wg})
    debate.settings = {**debate.settings, "pre_moderation": True}
    pending = argument(debate, author, status="pending", title="Les antennes et le sommeil")
    moderation.decide(pending, "reject", wg, clause=2, message="Merci de citer une étude.")
    message = _one(mailbox, author)
    assert (
        "Les antennes et le sommeil" in message["Subject"] and "a été refusée" in message["Subject"]
    )
    text = mailbox.body(message)
    [notification] = accounts.notifications_of(author)
    assert notification.clause_number == 2 and notification.clause_text in text
    assert "Merci de citer une étude." in text
    assert "Message de la modération\u00a0:" in text
    assert mailbox.link(message, f"/debates/{debate.slug}/arguments/{pending.id}")
    _assert_unsubscribable(mailbox, message)


def test_an_answer_to_my_question_is_emailed(make, mailbox):
    asker, wg = make.user("Curieuse"), make.user("Groupe")
    debate = make.debate(phase="expertise", members={"working_group": wg})
    expertise.add_theme(debate, dict(THEME))
    question = expertise.ask_question(
        debate, asker, {"theme": "sante", "body": "Quelle exposition près des écoles ?"}
    )
    expertise.answer_question(
        debate, question, wg, {"body": "Les mesures de l'ANFR donnent moins de 1 V/m."}
    )
    message = _one(mailbox, asker)
    assert "Quelle exposition près des écoles ?" in message["Subject"]
    assert "moins de 1 V/m" in mailbox.body(message)
    assert mailbox.link(message, f"/debates/{debate.slug}/expertise#question-{question.id}")
    _assert_unsubscribable(mailbox, message)


def test_an_answer_to_my_argument_is_emailed_but_not_my_own(client, make, mailbox):
    author, replier, wg = make.user("Autrice"), make.user("Contradicteur"), make.user()
    debate = make.debate(phase="arguments", members={"working_group": wg})
    parent = argument(debate, author, title="La 5G réduit la fracture numérique")
    response = client.post(
        f"/api/v1/debates/{debate.slug}/arguments",
        json={
            "title": "Pas dans les zones blanches",
            "body": "",
            "sources": [],
            "parent_id": parent.id,
            "relation": "objects",
        },
        headers=make.auth(replier),
    )
    assert response.status_code == 201, response.get_json()
    if (
        response.get_json()["status"] == "pending"
    ):  # held for review (e.g. a new account's first answers)
        mailbox.deliver()
        assert mailbox.to(author.email) == []
        moderation.decide(db.session.get(Argument, response.get_json()["id"]), "approve", wg)
    message = _one(mailbox, author)
    assert (
        "Contradicteur" in message["Subject"]
        and "La 5G réduit la fracture numérique" in message["Subject"]
    )
    assert "Pas dans les zones blanches" in mailbox.body(message)
    mailbox.clear()
    arguments.submit_argument(
        debate,
        author,
        {"parent_id": parent.id, "relation": "supports", "title": "Je précise", "body": ""},
    )
    mailbox.deliver()
    assert mailbox.to(author.email) == []


def test_a_pre_moderated_answer_is_told_once_approved(make, mailbox):
    author, replier, wg = make.user(), make.user("Contradictrice"), make.user()
    debate = make.debate(phase="arguments", members={"working_group": wg})
    parent = argument(debate, author)
    debate.settings = {**debate.settings, "pre_moderation": True}
    reply = arguments.submit_argument(
        debate,
        replier,
        {"parent_id": parent.id, "relation": "objects", "title": "Réponse en attente", "body": ""},
    )
    mailbox.deliver()
    assert mailbox.to(author.email) == []  # nothing about an answer nobody can see yet
    moderation.decide(reply, "approve", wg)
    assert "Contradictrice" in _one(mailbox, author)["Subject"]


def _immediately(user, kind):
    preferences.set_preferences(user.id, {kind: "immediately"})


def test_a_new_phase_is_emailed_to_those_who_took_part(client, make, mailbox):
    wg, participant, bystander = make.user(), make.user("Participante"), make.user()
    debate = make.debate(phase="arguments", members={"working_group": wg})
    argument(debate, participant)
    _immediately(participant, "phase_opened")
    _immediately(bystander, "phase_opened")
    response = client.post(
        f"/api/v1/debates/{debate.slug}/phase", json={"phase": "outcome"}, headers=make.auth(wg)
    )
    assert response.status_code == 200
    message = _one(mailbox, participant)
    assert (
        debate.title in message["Subject"]
        and "Recommandations et suites données" in message["Subject"]
    )
    assert mailbox.link(message, f"/debates/{debate.slug}/")
    assert mailbox.to(bystander.email) == []


def test_going_back_to_an_earlier_phase_tells_nobody(make, mailbox):
    wg, participant = make.user(), make.user()
    debate = make.debate(phase="arguments", members={"working_group": wg})
    argument(debate, participant)
    _immediately(participant, "phase_opened")
    debates.change_phase(debate, wg, "expertise", "Une audition d'expert manquait.")
    mailbox.deliver()
    assert mailbox.to(participant.email) == []


def test_asking_a_question_or_proposing_scope_counts_as_taking_part(make):
    asker, proposer = make.user(), make.user()
    debate = make.debate(phase="expertise")
    expertise.add_theme(debate, dict(THEME))
    expertise.ask_question(debate, asker, {"theme": "sante", "body": "Une question ?"})
    scope_debate = make.debate(phase="scope")
    debates.add_scope_item(
        scope_debate,
        proposer,
        {
            "question": "Et les antennes relais ?",
            "in_scope": True,
            "rationale": "",
            "competence": "state",
        },
        as_working_group=False,
    )
    assert accounts.participants_of(debate.id) == [asker.id]
    assert accounts.participants_of(scope_debate.id) == [proposer.id]


def test_recommendations_and_responses_published_are_emailed_to_participants(make, mailbox):
    participant = make.user()
    debate = make.debate(phase="outcome")
    argument(debate, participant)
    preferences.set_preferences(participant.id, {"responses_published": "immediately"})
    from flask_babel import lazy_gettext as _l

    told = accounts.notify_participants(
        debate.id,
        "recommendations_published",
        _l("The recommendations of “%(debate)s” are published."),
        params={"debate": debate.title},
        url=f"/debates/{debate.slug}/outcome",
    )
    accounts.notify_participants(
        debate.id,
        "responses_published",
        _l("The elected officials answered the recommendations of “%(debate)s”."),
        params={"debate": debate.title},
        url=f"/debates/{debate.slug}/outcome",
    )
    assert told == 1
    mailbox.deliver()
    subjects = sorted(m["Subject"] for m in mailbox.to(participant.email))
    assert len(subjects) == 2 and all(debate.title in s for s in subjects)


def test_emails_and_pages_speak_the_readers_language(client, make, mailbox):
    author, wg = make.user(), make.user()
    author.locale = "en"
    debate = make.debate(phase="arguments", members={"working_group": wg})
    debate.settings = {**debate.settings, "pre_moderation": True}
    pending = argument(debate, author, status="pending", title="Titre de l'argument")
    moderation.decide(pending, "approve", wg)
    message = _one(mailbox, author)
    assert message["Subject"].endswith("Your contribution “Titre de l'argument” is published.")
    assert "Stop these e-mails in one click" in mailbox.body(message)
    # One stored notification, shown in the language of whoever reads the page.
    from tests.factories import login

    login(client, author)
    french = client.get("/account/notifications").get_data(as_text=True)
    assert "Votre contribution «\u00a0Titre de l&#39;argument\u00a0» est publiée." in french
    english = client.get("/account/notifications?lang=en").get_data(as_text=True)
    assert (
        'Your contribution “<span lang="fr">Titre de l&#39;argument</span>” is published.'
        in english
    )


def test_notifications_written_before_keep_their_stored_title(client, make):
    user = make.user()
    accounts.notify(user.id, "moderation_approve", "Un ancien titre déjà traduit")
    make.login(client, user)
    assert "Un ancien titre déjà traduit" in client.get("/account/notifications?lang=en").get_data(
        as_text=True
    )


def test_unconfirmed_addresses_get_the_notification_but_no_email(make, mailbox):
    asker, wg = make.user(confirmed=False), make.user()
    debate = make.debate(phase="expertise", members={"working_group": wg})
    expertise.add_theme(debate, dict(THEME))
    question = expertise.ask_question(debate, asker, {"theme": "sante", "body": "Une question ?"})
    expertise.answer_question(debate, question, wg, {"body": "Une réponse."})
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.user_id == asker.id)
        )
        == 1
    )
    mailbox.deliver()
    assert mailbox.to(asker.email) == []


def test_a_kind_set_to_never_sends_nothing(make, mailbox):
    asker, wg = make.user(), make.user()
    preferences.set_preferences(asker.id, {"question_answered": "never"})
    debate = make.debate(phase="expertise", members={"working_group": wg})
    expertise.add_theme(debate, dict(THEME))
    question = expertise.ask_question(debate, asker, {"theme": "sante", "body": "Une question ?"})
    expertise.answer_question(debate, question, wg, {"body": "Une réponse."})
    mailbox.deliver()
    assert mailbox.to(asker.email) == []
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.user_id == asker.id, OutboxMessage.status != Status.CANCELLED)
        )
        == 0
    )


def test_endorsing_counts_as_taking_part_once(make):
    author, endorser = make.user(), make.user()
    debate = make.debate(phase="arguments")
    first, second = argument(debate, author), argument(debate, author, title="Un second argument")
    arguments.endorse(first, endorser)
    arguments.endorse(second, endorser)
    accounts.follow_debate(endorser.id, debate.id)  # again: still one row
    assert accounts.participants_of(debate.id) == sorted([author.id, endorser.id])
