"""The outcome in the exports: published recommendations with their links, the officials' responses,
commitments and follow-ups, the guarantors' observations. Drafts never leave the platform."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from debate.core.sanitize import render_markdown
from debate.core.sources import normalize_url
from debate.debates.models import Competence
from debate.extensions import db
from debate.opendata.format import Section
from debate.opendata.public import PublicView, Ranks, batched
from debate.outcome.models import (
    Commitment,
    Consensus,
    Decision,
    FollowUp,
    LinkKind,
    Observation,
    Origin,
    Recommendation,
    RecommendationLink,
    RecommendationStatus,
    Response,
)


def published_recommendations(view: PublicView):
    return sa.select(Recommendation).where(
        Recommendation.debate_id == view.debate.id,
        Recommendation.status == RecommendationStatus.PUBLISHED,
    )


def _ranks(view: PublicView) -> Ranks:
    if not hasattr(view, "_recommendations"):
        view._recommendations = Ranks(
            db.session.scalars(published_recommendations(view).with_only_columns(Recommendation.id))
        )
    return view._recommendations


def _with_everything(stmt):
    return stmt.options(
        selectinload(Recommendation.links),
        selectinload(Recommendation.response).selectinload(Response.commitments),
    )


def _links(view: PublicView, rec: Recommendation) -> dict:
    """Links to public material only (a link to an item hidden since is left out)."""
    links = {
        "arguments": [],
        "sources": [],
        "expert_contributions": [],
        "workshop_notes": [],
        "positions": [],
    }
    for link in rec.links:
        if link.kind == LinkKind.ARGUMENT and view.arguments(link.argument_id):
            links["arguments"].append(view.arguments(link.argument_id))
        elif link.kind == LinkKind.SOURCE:
            links["sources"].append(
                {
                    "url": link.url,
                    "title": link.source_title,
                    "publisher": link.source_publisher,
                    "kind": link.source_kind,
                }
            )
        elif link.kind == LinkKind.EXPERT_CONTRIBUTION and view.contributions(link.contribution_id):
            links["expert_contributions"].append(view.contributions(link.contribution_id))
        elif link.kind == LinkKind.WORKSHOP_NOTE and view.notes(link.note_id):
            links["workshop_notes"].append(view.notes(link.note_id))
        elif link.kind == LinkKind.POSITION and view.positions(link.position_id):
            links["positions"].append(view.positions(link.position_id))
    return links


def _response(response: Response | None) -> dict | None:
    if response is None:
        return None
    return {
        "decision": response.decision.value,
        "justification": response.justification,
        "justification_html": response.justification_html,
        "published_at": response.published_at,
        "updated_at": response.updated_at,
        "commitments": [
            {"text": c.text, "due_on": c.due_on, "done_on": c.done_on} for c in response.commitments
        ],
    }


def _follow_ups(rec_ids: list[int]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {}
    if rec_ids:
        for f in db.session.scalars(
            sa.select(FollowUp).where(FollowUp.recommendation_id.in_(rec_ids)).order_by(FollowUp.id)
        ):
            found.setdefault(f.recommendation_id, []).append(
                {"body": f.body, "body_html": f.body_html, "created_at": f.created_at}
            )
    return found


def _moment(value):
    return datetime.fromisoformat(value) if value else None


def _day(value):
    return date.fromisoformat(value) if value else None


def _load_recommendations(imp, items):
    for item in items:
        rec = Recommendation(
            debate_id=imp.debate.id,
            theme_id=imp.themes[item["area"]],
            number=item["number"],
            version=item["version"],
            status=RecommendationStatus.PUBLISHED,
            title=item["title"],
            body=item["body"],
            body_html=render_markdown(item["body"]),
            rationale=item["rationale"],
            rationale_html=render_markdown(item["rationale"]),
            origin=Origin(item["origin"]),
            competence=Competence(item["competence"]),
            consensus=Consensus(item["consensus"]),
            dissent=item["dissent"],
            dissent_html=render_markdown(item["dissent"]) if item["dissent"] else "",
            created_at=_moment(item["created_at"]),
            updated_at=_moment(item["updated_at"]),
            published_at=_moment(item["published_at"]),
        )
        links = item["links"]
        position = 0
        for local in links["arguments"]:
            rec.links.append(
                RecommendationLink(
                    kind=LinkKind.ARGUMENT,
                    position=position,
                    argument_id=imp.id_of("argument", local),
                )
            )
            position += 1
        for source in links["sources"]:
            rec.links.append(
                RecommendationLink(
                    kind=LinkKind.SOURCE,
                    position=position,
                    url=source["url"],
                    normalized_url=normalize_url(source["url"]),
                    source_title=source["title"],
                    source_publisher=source["publisher"],
                    source_kind=source["kind"],
                )
            )
            position += 1
        for local in links["expert_contributions"]:
            rec.links.append(
                RecommendationLink(
                    kind=LinkKind.EXPERT_CONTRIBUTION,
                    position=position,
                    contribution_id=imp.id_of("contribution", local),
                )
            )
            position += 1
        for local in links["workshop_notes"]:
            rec.links.append(
                RecommendationLink(
                    kind=LinkKind.WORKSHOP_NOTE, position=position, note_id=imp.id_of("note", local)
                )
            )
            position += 1
        # Exports written before open questions existed have no positions.
        for local in links.get("positions") or []:
            rec.links.append(
                RecommendationLink(
                    kind=LinkKind.POSITION,
                    position=position,
                    position_id=imp.id_of("position", local),
                )
            )
            position += 1
        imp.add("recommendation", item["id"], rec)
        answer = item["response"]
        if answer:
            db.session.add(
                Response(
                    recommendation_id=rec.id,
                    decision=Decision(answer["decision"]),
                    justification=answer["justification"],
                    justification_html=render_markdown(answer["justification"]),
                    published_at=_moment(answer["published_at"]),
                    updated_at=_moment(answer["updated_at"]),
                    commitments=[
                        Commitment(
                            position=i,
                            text=c["text"],
                            due_on=_day(c["due_on"]),
                            done_on=_day(c["done_on"]),
                        )
                        for i, c in enumerate(answer["commitments"])
                    ],
                )
            )
        for f in item["follow_ups"]:
            db.session.add(
                FollowUp(
                    recommendation_id=rec.id,
                    body=f["body"],
                    body_html=render_markdown(f["body"]),
                    created_at=_moment(f["created_at"]),
                )
            )


def recommendations(view: PublicView):
    """Published recommendations (never drafts), each with its links, response and follow-ups."""
    ranks = _ranks(view)
    batch: list[Recommendation] = []
    for rec in batched(_with_everything(published_recommendations(view)), Recommendation):
        batch.append(rec)
    # Few per debate (tens): one batch of follow-ups for all of them.
    follow_ups = _follow_ups([r.id for r in batch])
    for rec in batch:
        yield {
            "id": ranks(rec.id),
            "number": rec.number,
            "version": rec.version,
            "area": view.theme(rec.theme_id),
            "title": rec.title,
            "body": rec.body,
            "body_html": rec.body_html,
            "rationale": rec.rationale,
            "rationale_html": rec.rationale_html,
            "origin": rec.origin.value,
            "competence": rec.competence.value,
            "consensus": rec.consensus.value,
            "dissent": rec.dissent,
            "dissent_html": rec.dissent_html,
            "created_at": rec.created_at,
            "updated_at": rec.updated_at,
            "published_at": rec.published_at,
            "links": _links(view, rec),
            "response": _response(rec.response),
            "follow_ups": follow_ups.get(rec.id, []),
        }


def _load_observations(imp, items):
    for item in items:
        db.session.add(
            Observation(
                debate_id=imp.debate.id,
                title=item["title"],
                body=item["body"],
                body_html=render_markdown(item["body"]),
                created_at=_moment(item["created_at"]),
            )
        )


def observations(view: PublicView):
    """The guarantors' observations on the process (published with the outcome)."""
    for o in batched(
        sa.select(Observation).where(Observation.debate_id == view.debate.id), Observation
    ):
        yield {
            "title": o.title,
            "body": o.body,
            "body_html": o.body_html,
            "created_at": o.created_at,
        }


# --- CSV ---------------------------------------------------------------------------------------


def recommendation_rows(view: PublicView):
    ranks = _ranks(view)
    for rec in batched(_with_everything(published_recommendations(view)), Recommendation):
        links = _links(view, rec)
        yield {
            "id": ranks(rec.id),
            "number": rec.number,
            "area": view.theme(rec.theme_id),
            "title": rec.title,
            "body": rec.body,
            "rationale": rec.rationale,
            "origin": rec.origin.value,
            "competence": rec.competence.value,
            "consensus": rec.consensus.value,
            "dissent": rec.dissent,
            "version": rec.version,
            "published_at": rec.published_at.isoformat() if rec.published_at else "",
            "argument_ids": " ".join(map(str, links["arguments"])),
            "source_urls": " ".join(s["url"] for s in links["sources"]),
            "expert_contribution_ids": " ".join(map(str, links["expert_contributions"])),
            "workshop_note_ids": " ".join(map(str, links["workshop_notes"])),
            "position_ids": " ".join(map(str, links["positions"])),
        }


def response_rows(view: PublicView):
    ranks = _ranks(view)
    for rec in batched(_with_everything(published_recommendations(view)), Recommendation):
        if rec.response is None:
            continue
        r = rec.response
        yield {
            "recommendation_id": ranks(rec.id),
            "recommendation_number": rec.number,
            "recommendation_title": rec.title,
            "decision": r.decision.value,
            "justification": r.justification,
            "commitments": " | ".join(f"{c.text} ({c.due_on.isoformat()})" for c in r.commitments),
            "responded_at": r.published_at.isoformat() if r.published_at else "",
        }


# The outcome's sections of the export document (sections.SECTIONS puts them last).
SECTIONS: tuple[Section, ...] = (
    Section("recommendations", recommendations, _load_recommendations, lambda v: len(_ranks(v))),
    Section("observations", observations, _load_observations),
)
