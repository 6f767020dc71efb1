"""The expertise domain's share of a user's personal data: questions asked, answers given."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from debate.accounts.personal_data import Provider, placeholder_text, stamp
from debate.core.sanitize import render_markdown
from debate.debates.models import Debate, Theme
from debate.expertise.models import Question, QuestionStatus
from debate.extensions import db


def collect(user) -> dict:
    """The questions the user asked the experts, and the answers they wrote for the working group."""
    rows = db.session.execute(
        sa.select(Question, Debate.slug, Theme.key)
        .join(Debate, Debate.id == Question.debate_id)
        .join(Theme, Theme.id == Question.theme_id)
        .where(sa.or_(Question.author_id == user.id, Question.answered_by_id == user.id))
        .order_by(Question.asked_at, Question.id)
    ).all()
    asked, answered = [], []
    for q, slug, theme in rows:
        if q.author_id == user.id:
            asked.append(
                {
                    "id": q.id,
                    "debate": slug,
                    "theme": theme,
                    "body": q.body,
                    "status": str(q.status),
                    "moderation_status": str(q.moderation_status),
                    "asked_at": stamp(q.asked_at),
                    "due_on": stamp(q.due_on),
                    "answer": q.answer,
                    "answered_at": stamp(q.answered_at),
                }
            )
        if q.answered_by_id == user.id:
            answered.append(
                {
                    "question_id": q.id,
                    "debate": slug,
                    "theme": theme,
                    "answer": q.answer,
                    "answered_at": stamp(q.answered_at),
                }
            )
    return {"questions": asked, "answers_given": answered}


def erase(user, mode: str) -> int:
    """Anonymize: questions stay, without their author. Delete: unanswered questions are removed;
    an answered one keeps its answer (written by the working group) under a placeholder. Answers
    the user wrote as a working-group member are the debate's official answers: they stay, without
    their name, in both modes."""
    mine = Question.author_id == user.id
    changed = 0
    if mode == "delete":
        changed += db.session.execute(
            sa.delete(Question).where(mine, Question.status != QuestionStatus.ANSWERED)
        ).rowcount
        text = placeholder_text()
        db.session.execute(
            sa.update(Question).where(mine).values(body=text, body_html=render_markdown(text))
        )
    changed += db.session.execute(sa.update(Question).where(mine).values(author_id=None)).rowcount
    db.session.execute(
        sa.update(Question).where(Question.answered_by_id == user.id).values(answered_by_id=None)
    )
    return changed


PROVIDER = Provider(
    name="expertise",
    tables=("expertise_questions",),
    collect=collect,
    erase=erase,
    order=30,
    titles={"questions": _l("Questions to the experts"), "answers_given": _l("Answers written")},
)
