"""The outcome domain's rows of the role × phase matrix (tests/matrix.py).

Every cell makes a fresh debate in that phase with material (a published argument citing a source,
a declared expert's contribution, a workshop note), a published recommendation, a private draft, a
draft open to comments with a comment, then does one real, valid request as the role and checks both
the answer and its effect. Only the working group drafts and publishes (outcome phase); only the
debate's elected officials respond (outcome phase); citizens support and comment while outcome is
open; guarantors publish observations; everything published is readable by anyone who can see the
debate. tests/outcome/test_permissions.py runs them.
"""

import sqlalchemy as sa

from debate.expertise import operations as expertise
from debate.extensions import db
from debate.moderation.models import ModerationEvent
from debate.outcome import operations
from debate.outcome.models import (
    Comment,
    CommentReport,
    FollowUp,
    Observation,
    Recommendation,
    Response,
    Support,
)
from debate.workshops import operations as workshops
from tests.arguments.helpers import ANSES, argument
from tests.matrix import ANYONE, ROLES, SIGNED_IN, WORKING_GROUP, Cell, Route, html, only
from tests.workshops.helpers import WORKSHOP, with_themes

GUARANTOR = only("guarantor")
DRAFTERS = only("working_group", phases=["outcome"])
RESPONDERS = only("elected", phases=["outcome"])
CITIZENS_IN_OUTCOME = only(*ROLES[1:], phases=["outcome"])
NEW_TITLE = "Une nouvelle recommandation"


class OutcomeCell(Cell):
    def __init__(self, client, make, role, phase, *, published=True):
        super().__init__(client, make, role, phase, published=published)
        with_themes(self.debate, "health")
        author = make.user("Autrice")
        self.argument = argument(self.debate, author, theme="health", title="Argument existant")
        expert = expertise.add_expert(
            self.debate,
            {
                "name": "Dr Martin",
                "kind": "academic",
                "themes": ["health"],
                "declaration_of_interests": "Aucun lien.",
            },
        )
        self.contribution = expertise.add_contribution(
            self.debate,
            {"expert_id": expert.id, "theme": "health", "title": "Contribution", "body": "Texte."},
        )
        workshop = workshops.create_workshop(self.debate, dict(WORKSHOP))
        self.note = workshops.add_note(
            workshop, {"kind": "action", "text": "Note existante", "theme": "health"}
        )
        self.published = operations.create_recommendation(
            self.debate, self.host, self.body(title="Recommandation publiée")
        )
        operations.publish_recommendations(self.debate, self.host)
        self.draft = operations.create_recommendation(
            self.debate, self.host, self.body(title="Brouillon privé")
        )
        self.open = operations.create_recommendation(
            self.debate, self.host, self.body(title="Brouillon ouvert", open_for_comments=True)
        )
        self.comment = operations.add_comment(self.open, author, {"body": "Commentaire existant"})
        if self.actor is not None:
            operations.support(self.open, self.actor)
        self.ids = {
            "published": self.published.id,
            "draft": self.draft.id,
            "open": self.open.id,
            "comment": self.comment.id,
        }

    def body(self, **fields):
        data = {
            "area": "health",
            "title": NEW_TITLE,
            "body": "Texte.",
            "rationale": "",
            "origin": "working_group",
            "competence": "municipal",
            "consensus": "consensual",
            "dissent": "",
            "argument_ids": [self.argument.id],
            "source_urls": [ANSES["url"]],
        }
        data.update(fields)
        return data

    def count(self, model, **where) -> int:
        db.session.expire_all()
        stmt = sa.select(sa.func.count()).select_from(model)
        for key, value in where.items():
            stmt = stmt.where(getattr(model, key) == value)
        return db.session.scalar(stmt)

    def fresh_recommendation(self, key):
        db.session.expire_all()
        return db.session.get(Recommendation, self.ids[key])

    def supported(self) -> bool:
        return (
            self.actor is not None
            and self.count(Support, recommendation_id=self.ids["open"], user_id=self.actor.id) == 1
        )


def rec(c, key="published"):
    return f"/debates/{c.slug}/recommendations/{c.ids[key]}"


def api_list(c):
    r = c.api("GET", f"/api/v1/debates/{c.slug}/recommendations")
    return r, lambda: "Recommandation publiée" in [i["title"] for i in r.json["items"]]


def api_create(c):
    r = c.api("POST", f"/api/v1/debates/{c.slug}/recommendations", c.body())
    return r, lambda: c.count(Recommendation, title=NEW_TITLE) == 1


def api_get(c):
    r = c.api("GET", f"/api/v1/recommendations/{c.ids['published']}")
    return r, lambda: r.json["number"] == 1


def api_patch(c):
    r = c.api("PATCH", f"/api/v1/recommendations/{c.ids['published']}", {"title": "Titre corrigé"})
    return r, lambda: c.fresh_recommendation("published").version == 2


def api_publish(c):
    r = c.api("POST", f"/api/v1/debates/{c.slug}/recommendations/publish")
    return r, lambda: c.fresh_recommendation("draft").number is not None


def api_respond(c):
    r = c.api(
        "PUT",
        f"/api/v1/recommendations/{c.ids['published']}/response",
        {"decision": "adopted", "justification": "Oui.", "commitments": []},
    )
    return r, lambda: c.count(Response, recommendation_id=c.ids["published"]) == 1


def api_follow_up(c):
    r = c.api(
        "POST",
        f"/api/v1/recommendations/{c.ids['published']}/follow-ups",
        {"body": "Point d'étape."},
    )
    return r, lambda: c.count(FollowUp, body="Point d'étape.") == 1


def api_support(c):
    if c.actor is not None:  # start without the actor's support
        operations.withdraw_support(c.open, c.actor)
    r = c.api("PUT", f"/api/v1/recommendations/{c.ids['open']}/support")
    return r, c.supported


def api_unsupport(c):
    r = c.api("DELETE", f"/api/v1/recommendations/{c.ids['open']}/support")
    return r, lambda: c.actor is not None and not c.supported()


def api_comments(c):
    r = c.api("GET", f"/api/v1/recommendations/{c.ids['open']}/comments")
    return r, lambda: r.json["items"][0]["body"] == "Commentaire existant"


def api_comment(c):
    r = c.api(
        "POST", f"/api/v1/recommendations/{c.ids['open']}/comments", {"body": "Nouveau commentaire"}
    )
    return r, lambda: c.count(Comment, body="Nouveau commentaire") == 1


def api_report(c):
    r = c.api(
        "POST",
        f"/api/v1/recommendation-comments/{c.ids['comment']}/reports",
        {"reason": "Hors sujet"},
    )
    return r, lambda: c.count(CommentReport, comment_id=c.ids["comment"]) == 1


def api_moderate(c):
    r = c.api(
        "POST",
        f"/api/v1/recommendation-comments/{c.ids['comment']}/moderation",
        {"action": "hide", "clause": 1},
    )
    return r, lambda: c.count(ModerationEvent, target_id=c.ids["comment"]) == 1


def api_observations(c):
    operations.add_observation(
        c.debate, c.host, {"title": "Observation existante", "body": "Texte."}
    )
    r = c.api("GET", f"/api/v1/debates/{c.slug}/observations")
    return r, lambda: r.json["items"][0]["title"] == "Observation existante"


def api_observe(c):
    r = c.api(
        "POST",
        f"/api/v1/debates/{c.slug}/observations",
        {"title": "Nouvelle observation", "body": "Texte."},
    )
    return r, lambda: c.count(Observation, title="Nouvelle observation") == 1


def api_synthesis(c):
    r = c.api("GET", f"/api/v1/debates/{c.slug}/synthesis")
    return r, lambda: [i["title"] for i in r.json["recommendations"]][0] == "Recommandation publiée"


def page_outcome(c):
    r = c.page(f"/debates/{c.slug}/outcome")
    return r, lambda: "Recommandation publiée" in html(r)


def page_report(c):
    r = c.page(f"/debates/{c.slug}/outcome/report.pdf")
    return r, lambda: r.data.startswith(b"%PDF")


def page_follow_up(c):
    r = c.page(f"/debates/{c.slug}/outcome/follow-up")
    return r, lambda: "Recommandation publiée" in html(r)


def page_new(c):
    r = c.page(f"/debates/{c.slug}/recommendations/new")
    return r, lambda: 'name="argument_ids"' in html(r)


def form_new(c):
    r = c.form(
        f"/debates/{c.slug}/recommendations/new",
        {**c.body(), "argument_ids": [str(c.argument.id)], "change_note": ""},
    )
    return r, lambda: c.count(Recommendation, title=NEW_TITLE) == 1


def page_edit(c):
    r = c.page(rec(c) + "/edit")
    return r, lambda: 'value="Recommandation publiée"' in html(r)


def form_edit(c):
    r = c.form(
        rec(c) + "/edit",
        {
            **c.body(title="Titre corrigé"),
            "argument_ids": [str(c.argument.id)],
            "change_note": "Coquille",
        },
    )
    return r, lambda: c.fresh_recommendation("published").version == 2


def page_publish(c):
    r = c.page(f"/debates/{c.slug}/recommendations/publish")
    return (
        r,
        lambda: "Brouillon privé" in html(r) and c.fresh_recommendation("draft").number is None,
    )


def form_publish(c):
    r = c.form(f"/debates/{c.slug}/recommendations/publish", {})
    return r, lambda: c.fresh_recommendation("draft").number is not None


def page_recommendation(c):
    r = c.page(rec(c))
    return r, lambda: "Recommandation publiée" in html(r)


def form_support(c):
    if c.actor is not None:
        operations.withdraw_support(c.open, c.actor)
    r = c.form(rec(c, "open") + "/support", {})
    return r, c.supported


def form_comment(c):
    r = c.form(rec(c, "open") + "/comments", {"body": "Nouveau commentaire"})
    return r, lambda: c.count(Comment, body="Nouveau commentaire") == 1


def page_comment(c):
    r = c.page(f"/debates/{c.slug}/recommendation-comments/{c.ids['comment']}")
    return r, lambda: r.headers["Location"].endswith(
        f"/recommendations/{c.ids['open']}#comment-{c.ids['comment']}"
    )


def form_report(c):
    r = c.form(
        f"/debates/{c.slug}/recommendation-comments/{c.ids['comment']}/report",
        {"reason": "Hors sujet"},
    )
    return r, lambda: c.count(CommentReport, comment_id=c.ids["comment"]) == 1


def page_respond(c):
    r = c.page(rec(c) + "/response")
    return r, lambda: 'name="justification"' in html(r)


def form_respond(c):
    r = c.form(rec(c) + "/response", {"decision": "rejected", "justification": "Hors budget."})
    return r, lambda: c.count(Response, recommendation_id=c.ids["published"]) == 1


def form_follow_up(c):
    r = c.form(rec(c) + "/follow-ups", {"body": "Point d'étape.", "commitment_id": ""})
    return r, lambda: c.count(FollowUp, body="Point d'étape.") == 1


def page_observe(c):
    r = c.page(f"/debates/{c.slug}/outcome/observations/new")
    return r, lambda: 'name="body"' in html(r)


def form_observe(c):
    r = c.form(
        f"/debates/{c.slug}/outcome/observations/new",
        {"title": "Nouvelle observation", "body": "Texte."},
    )
    return r, lambda: c.count(Observation, title="Nouvelle observation") == 1


def form_moderate(c):
    r = c.form(
        f"/debates/{c.slug}/moderation/recommendation-comments/{c.ids['comment']}",
        {"action": "hide", "clause": "1", "message": ""},
    )
    return r, lambda: c.count(ModerationEvent, target_id=c.ids["comment"]) == 1


ROUTES = [
    Route("GET /api/v1/debates/<slug>/recommendations", ANYONE, 200, api_list),
    Route("POST /api/v1/debates/<slug>/recommendations", DRAFTERS, 201, api_create),
    Route("GET /api/v1/recommendations/<recommendation_id>", ANYONE, 200, api_get),
    Route("PATCH /api/v1/recommendations/<recommendation_id>", DRAFTERS, 200, api_patch),
    Route("POST /api/v1/debates/<slug>/recommendations/publish", DRAFTERS, 200, api_publish),
    Route("PUT /api/v1/recommendations/<recommendation_id>/response", RESPONDERS, 200, api_respond),
    Route(
        "POST /api/v1/recommendations/<recommendation_id>/follow-ups",
        RESPONDERS,
        201,
        api_follow_up,
    ),
    Route(
        "PUT /api/v1/recommendations/<recommendation_id>/support",
        CITIZENS_IN_OUTCOME,
        200,
        api_support,
    ),
    Route(
        "DELETE /api/v1/recommendations/<recommendation_id>/support",
        CITIZENS_IN_OUTCOME,
        200,
        api_unsupport,
    ),
    Route("GET /api/v1/recommendations/<recommendation_id>/comments", ANYONE, 200, api_comments),
    Route(
        "POST /api/v1/recommendations/<recommendation_id>/comments",
        CITIZENS_IN_OUTCOME,
        201,
        api_comment,
    ),
    Route("POST /api/v1/recommendation-comments/<comment_id>/reports", SIGNED_IN, 201, api_report),
    Route(
        "POST /api/v1/recommendation-comments/<comment_id>/moderation",
        WORKING_GROUP,
        200,
        api_moderate,
    ),
    Route("GET /api/v1/debates/<slug>/observations", ANYONE, 200, api_observations),
    Route("POST /api/v1/debates/<slug>/observations", GUARANTOR, 201, api_observe),
    Route("GET /api/v1/debates/<slug>/synthesis", ANYONE, 200, api_synthesis),
    Route("GET /debates/<slug>/outcome", ANYONE, 200, page_outcome),
    Route("GET /debates/<slug>/outcome/report.pdf", ANYONE, 200, page_report),
    Route("GET /debates/<slug>/outcome/follow-up", ANYONE, 200, page_follow_up),
    Route("GET /debates/<slug>/recommendations/new", DRAFTERS, 200, page_new),
    Route("POST /debates/<slug>/recommendations/new", DRAFTERS, 302, form_new),
    Route("GET /debates/<slug>/recommendations/<recommendation_id>/edit", DRAFTERS, 200, page_edit),
    Route(
        "POST /debates/<slug>/recommendations/<recommendation_id>/edit", DRAFTERS, 302, form_edit
    ),
    Route("GET /debates/<slug>/recommendations/publish", DRAFTERS, 200, page_publish),
    Route("POST /debates/<slug>/recommendations/publish", DRAFTERS, 302, form_publish),
    Route(
        "GET /debates/<slug>/recommendations/<recommendation_id>", ANYONE, 200, page_recommendation
    ),
    Route(
        "POST /debates/<slug>/recommendations/<recommendation_id>/support",
        CITIZENS_IN_OUTCOME,
        302,
        form_support,
    ),
    Route(
        "POST /debates/<slug>/recommendations/<recommendation_id>/comments",
        CITIZENS_IN_OUTCOME,
        302,
        form_comment,
    ),
    Route("GET /debates/<slug>/recommendation-comments/<comment_id>", ANYONE, 302, page_comment),
    Route(
        "POST /debates/<slug>/recommendation-comments/<comment_id>/report",
        SIGNED_IN,
        302,
        form_report,
    ),
    Route(
        "GET /debates/<slug>/recommendations/<recommendation_id>/response",
        RESPONDERS,
        200,
        page_respond,
    ),
    Route(
        "POST /debates/<slug>/recommendations/<recommendation_id>/response",
        RESPONDERS,
        302,
        form_respond,
    ),
    Route(
        "POST /debates/<slug>/recommendations/<recommendation_id>/follow-ups",
        RESPONDERS,
        302,
        form_follow_up,
    ),
    Route("GET /debates/<slug>/outcome/observations/new", GUARANTOR, 200, page_observe),
    Route("POST /debates/<slug>/outcome/observations/new", GUARANTOR, 302, form_observe),
    # The moderation's decision form, for the new kind of item it now decides on.
    Route(
        "POST /debates/<slug>/moderation/recommendation-comments/<item_id>",
        WORKING_GROUP,
        302,
        form_moderate,
    ),
]
