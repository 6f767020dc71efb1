"""The moderation domain's rows of the role × phase matrix (tests/matrix.py).

Every cell makes a fresh debate in that phase with a pending argument, two published ones, a pending
question (pre-moderation on) and a scope proposal (public at once), does one real, valid request as
the role, and checks both the answer and its effect. "author" is a citizen who wrote the arguments.
tests/moderation/test_permissions.py runs them.
"""

import sqlalchemy as sa

from debate.arguments import operations as arguments
from debate.arguments.models import Argument
from debate.debates import operations as debates
from debate.debates.models import ScopeItem, Theme
from debate.expertise import operations as expertise
from debate.expertise.models import Question
from debate.extensions import db
from debate.moderation import operations
from debate.moderation.models import ModerationEvent
from debate.outcome import operations as outcome
from debate.outcome.models import Comment
from tests.matrix import ANYONE, Cell, Route, html, only

MODERATE = only("working_group")
SEE_QUEUE = only("working_group", "guarantor")
# Who may not see a pending item (tests/security/test_moderated_items_by_id.py): a pending argument
# of the "author" role's, and a pending question of someone else's.
PENDING_ARGUMENT_UNSEEN = frozenset({"anonymous", "citizen", "elected", "admin"})
PENDING_QUESTION_UNSEEN = PENDING_ARGUMENT_UNSEEN | {"author"}
SOURCE = {
    "url": "https://www.anfr.fr/mesures-5g-2021",
    "title": "Mesures",
    "publisher": "ANFR",
    "kind": "public_agency",
}


class ModerationCell(Cell):
    """A pre-moderated debate with items waiting for the moderators and one published argument."""

    def __init__(self, client, make, role, phase):
        super().__init__(client, make, role, phase)
        self.debate.settings = {**self.debate.settings, "pre_moderation": True}
        db.session.add(Theme(debate_id=self.debate_id, key="health", title="Santé", position=0))
        db.session.flush()
        db.session.expire(self.debate, ["themes"])
        self.author = self.actor if role == "author" else make.user()
        data = {
            "theme": "health",
            "stance": "for",
            "title": "Argument en attente",
            "body": "",
            "sources": [SOURCE],
        }
        self.pending = arguments.submit_argument(self.debate, self.author, data)
        self.published = arguments.submit_argument(
            self.debate, self.author, {**data, "title": "Argument publié"}
        )
        arguments.set_status(self.published, "published")
        self.kept = arguments.submit_argument(
            self.debate, make.user(), {**data, "title": "Argument gardé"}
        )
        arguments.set_status(self.kept, "published")
        self.question = expertise.ask_question(
            self.debate, make.user(), {"theme": "health", "body": "Question ?"}
        )
        self.proposal = debates.add_scope_item(
            self.debate,
            make.user(),
            {
                "question": "Proposition ?",
                "in_scope": True,
                "rationale": "",
                "competence": "municipal",
            },
            as_working_group=False,
        )
        self.ids = {
            "pending": self.pending.id,
            "published": self.published.id,
            "kept": self.kept.id,
            "question": self.question.id,
            "proposal": self.proposal.id,
        }

    def status(self, model, key) -> str:
        db.session.expire_all()
        row = db.session.get(model, self.ids[key])
        return str(getattr(row, "moderation_status", None) or row.status)

    def events(self) -> int:
        return db.session.scalar(
            sa.select(sa.func.count())
            .select_from(ModerationEvent)
            .where(ModerationEvent.debate_id == self.debate_id)
        )


def api_queue(c):
    r = c.api("GET", f"/api/v1/debates/{c.slug}/moderation/queue")
    return (
        r,
        lambda: (
            {(i["type"], i["id"]) for i in r.json["items"]}
            == {("argument", c.ids["pending"]), ("question", c.ids["question"])}
        ),
    )


def api_moderate_argument(c):
    r = c.api(
        "POST",
        f"/api/v1/arguments/{c.ids['published']}/moderation",
        {"action": "hide", "clause": 1},
    )
    return r, lambda: c.status(Argument, "published") == "hidden" and c.events() == 1


def api_moderate_question(c):
    r = c.api("POST", f"/api/v1/questions/{c.ids['question']}/moderation", {"action": "approve"})
    return r, lambda: c.status(Question, "question") == "published"


def api_moderate_scope_item(c):
    r = c.api(
        "POST",
        f"/api/v1/scope-items/{c.ids['proposal']}/moderation",
        {"action": "hide", "clause": 2},
    )
    return r, lambda: c.status(ScopeItem, "proposal") == "hidden"


def api_merge(c):
    r = c.api("POST", f"/api/v1/arguments/{c.ids['published']}/merge", {"into": c.ids["kept"]})
    return r, lambda: r.json["id"] == c.ids["kept"] and c.status(Argument, "published") == "hidden"


def api_log(c):
    r = c.api("GET", f"/api/v1/debates/{c.slug}/moderation/log")
    return r, lambda: r.json["total"] == 0


def api_stats(c):
    r = c.api("GET", f"/api/v1/debates/{c.slug}/moderation/stats")
    return r, lambda: r.json["received"] == 5 and r.json["pending"] == 2


def page_queue(c):
    r = c.page(f"/debates/{c.slug}/moderation")
    return r, lambda: "Argument en attente" in html(r) and "Question ?" in html(r)


def form_decide_argument(c):
    r = c.form(
        f"/debates/{c.slug}/moderation/arguments/{c.ids['pending']}",
        {"action": "reject", "clause": "1", "message": ""},
    )
    return r, lambda: c.status(Argument, "pending") == "rejected"


def form_decide_question(c):
    r = c.form(f"/debates/{c.slug}/moderation/questions/{c.ids['question']}", {"action": "approve"})
    return r, lambda: c.status(Question, "question") == "published"


def form_decide_scope_item(c):
    r = c.form(
        f"/debates/{c.slug}/moderation/scope-items/{c.ids['proposal']}",
        {"action": "hide", "clause": "3"},
    )
    return r, lambda: c.status(ScopeItem, "proposal") == "hidden"


def form_merge(c):
    r = c.form(
        f"/debates/{c.slug}/moderation/arguments/{c.ids['published']}/merge",
        {"into": str(c.ids["kept"]), "clause": "1"},
    )
    return r, lambda: c.status(Argument, "published") == "hidden"


def page_merge(c):
    # The confirmation page: the duplicate, the argument kept, and the button that merges (nothing
    # is merged by reading it).
    r = c.page(
        f"/debates/{c.slug}/moderation/arguments/{c.ids['published']}/merge?into={c.ids['kept']}"
    )
    return (
        r,
        lambda: (
            "Argument gardé" in html(r)
            and f'name="into" value="{c.ids["kept"]}"' in html(r)
            and c.status(Argument, "published") == "published"
        ),
    )


# --- a refused question or hidden scope proposal, revised by its author -------------------------

REVISE_QUESTION = only("author", phases=("expertise", "arguments"))  # ask_question's phases
REVISE_PROPOSAL = only("author", phases=("scope",))  # propose_scope's phase
# Who may not see a refused or hidden item of the "author" role's (404, as for an unknown id).
UNPUBLISHED_UNSEEN = frozenset({"anonymous", "citizen", "elected", "admin"})


def _refused_question(c):
    question = expertise.ask_question(
        c.debate, c.author, {"theme": "health", "body": "Ma question ?"}
    )
    operations.decide(question, "reject", c.host, clause=1, message="Reformulez.")
    db.session.commit()
    return question


def _hidden_proposal(c):
    proposal = debates.add_scope_item(
        c.debate,
        c.author,
        {
            "question": "Ma proposition ?",
            "in_scope": True,
            "rationale": "",
            "competence": "municipal",
        },
        as_working_group=False,
    )
    operations.decide(proposal, "hide", c.host, clause=1)
    db.session.commit()
    return proposal


def _status_of(model, item_id) -> str:
    db.session.expire_all()
    return db.session.get(model, item_id).moderation_status.value


def page_revise_question(c):
    question = _refused_question(c)
    r = c.page(f"/debates/{c.slug}/moderation/questions/{question.id}/revise")
    return r, lambda: 'name="body"' in html(r) and _status_of(Question, question.id) == "rejected"


def form_revise_question(c):
    question = _refused_question(c)
    r = c.form(
        f"/debates/{c.slug}/moderation/questions/{question.id}/revise",
        {"body": "Ma question reformulée ?"},
    )
    return r, lambda: _status_of(Question, question.id) == "pending"


def page_revise_proposal(c):
    proposal = _hidden_proposal(c)
    r = c.page(f"/debates/{c.slug}/moderation/scope-items/{proposal.id}/revise")
    return (
        r,
        lambda: 'name="question"' in html(r) and _status_of(ScopeItem, proposal.id) == "hidden",
    )


def form_revise_proposal(c):
    proposal = _hidden_proposal(c)
    r = c.form(
        f"/debates/{c.slug}/moderation/scope-items/{proposal.id}/revise",
        {"question": "Ma proposition reformulée ?", "rationale": ""},
    )
    return r, lambda: _status_of(ScopeItem, proposal.id) == "pending"


# A refused comment on a draft recommendation (a kind the outcome registers), revised by its author
# while citizens comment drafts (the outcome phase): debate/outcome/views.py revise_comment.
REVISE_COMMENT = only("author", phases=("outcome",))


def _refused_comment(c):

    draft = outcome.create_recommendation(
        c.debate,
        c.host,
        {
            "area": "health",
            "title": "Un projet ouvert aux commentaires",
            "body": "Le texte du projet.",
            "rationale": "",
            "origin": "working_group",
            "competence": "municipal",
            "consensus": "consensual",
            "dissent": "",
            "argument_ids": [c.ids["kept"]],
            "source_urls": [],
            "open_for_comments": True,
        },
    )
    comment = outcome.add_comment(draft, c.author, {"body": "Mon commentaire."})
    operations.decide(comment, "reject", c.host, clause=1, message="Reformulez.")
    db.session.commit()
    return comment


def _comment_status(comment_id) -> str:

    return _status_of(Comment, comment_id)


def page_revise_comment(c):
    comment = _refused_comment(c)
    r = c.page(f"/debates/{c.slug}/recommendation-comments/{comment.id}/edit")
    return r, lambda: 'name="body"' in html(r) and _comment_status(comment.id) == "rejected"


def form_revise_comment(c):
    comment = _refused_comment(c)
    r = c.form(
        f"/debates/{c.slug}/recommendation-comments/{comment.id}/edit",
        {"body": "Mon commentaire reformulé."},
    )
    return r, lambda: _comment_status(comment.id) == "pending"


def page_log(c):
    r = c.page(f"/debates/{c.slug}/moderation/log")
    return r, lambda: "Moderation log" in html(r) or "Journal de modération" in html(r)


ROUTES = [
    Route("GET /api/v1/debates/<slug>/moderation/queue", SEE_QUEUE, 200, api_queue),
    Route("POST /api/v1/arguments/<id>/moderation", MODERATE, 200, api_moderate_argument),
    Route(
        "POST /api/v1/questions/<id>/moderation",
        MODERATE,
        200,
        api_moderate_question,
        hidden_from=PENDING_QUESTION_UNSEEN,
    ),
    Route("POST /api/v1/scope-items/<id>/moderation", MODERATE, 200, api_moderate_scope_item),
    Route("POST /api/v1/arguments/<id>/merge", MODERATE, 200, api_merge),
    Route("GET /api/v1/debates/<slug>/moderation/log", ANYONE, 200, api_log),
    Route("GET /api/v1/debates/<slug>/moderation/stats", ANYONE, 200, api_stats),
    Route("GET /debates/<slug>/moderation", SEE_QUEUE, 200, page_queue),
    Route(
        "POST /debates/<slug>/moderation/arguments/<id>",
        MODERATE,
        302,
        form_decide_argument,
        hidden_from=PENDING_ARGUMENT_UNSEEN,
    ),
    Route(
        "POST /debates/<slug>/moderation/questions/<id>",
        MODERATE,
        302,
        form_decide_question,
        hidden_from=PENDING_QUESTION_UNSEEN,
    ),
    Route(
        "POST /debates/<slug>/moderation/scope-items/<id>", MODERATE, 302, form_decide_scope_item
    ),
    Route("GET /debates/<slug>/moderation/arguments/<id>/merge", MODERATE, 200, page_merge),
    Route("POST /debates/<slug>/moderation/arguments/<id>/merge", MODERATE, 302, form_merge),
    Route("GET /debates/<slug>/moderation/log", ANYONE, 200, page_log),
    Route(
        "GET /debates/<slug>/moderation/questions/<id>/revise",
        REVISE_QUESTION,
        200,
        page_revise_question,
        hidden_from=UNPUBLISHED_UNSEEN,
    ),
    Route(
        "POST /debates/<slug>/moderation/questions/<id>/revise",
        REVISE_QUESTION,
        302,
        form_revise_question,
        hidden_from=UNPUBLISHED_UNSEEN,
    ),
    Route(
        "GET /debates/<slug>/moderation/scope-items/<id>/revise",
        REVISE_PROPOSAL,
        200,
        page_revise_proposal,
        hidden_from=UNPUBLISHED_UNSEEN,
    ),
    Route(
        "POST /debates/<slug>/moderation/scope-items/<id>/revise",
        REVISE_PROPOSAL,
        302,
        form_revise_proposal,
        hidden_from=UNPUBLISHED_UNSEEN,
    ),
    Route(
        "GET /debates/<slug>/recommendation-comments/<id>/edit",
        REVISE_COMMENT,
        200,
        page_revise_comment,
        hidden_from=UNPUBLISHED_UNSEEN,
    ),
    Route(
        "POST /debates/<slug>/recommendation-comments/<id>/edit",
        REVISE_COMMENT,
        302,
        form_revise_comment,
        hidden_from=UNPUBLISHED_UNSEEN,
    ),
]
