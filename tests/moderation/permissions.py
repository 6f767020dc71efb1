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
from debate.moderation.models import ModerationEvent
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
]
