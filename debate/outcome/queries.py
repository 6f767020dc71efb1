"""Outcome reads: recommendations as each person may see them, the synthesis, the follow-up.

Each read is a bounded number of queries whatever the amount of data: counts and rankings are done
by the database (GROUP BY, window functions), linked material is loaded in one query per kind.
"""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from debate.arguments.models import Argument, ArgumentSource, ArgumentStatus, Endorsement, Stance
from debate.arguments.queries import debate_sources
from debate.core import cache
from debate.debates.models import Debate, Membership, ModerationStatus
from debate.debates.phases import RULES, Role
from debate.debates.queries import get_debate_or_404
from debate.expertise.models import (
    Expert,
    ExpertContribution,
    Question,
    QuestionStatus,
    today_in_france,
)
from debate.extensions import db
from debate.outcome.models import (
    Comment,
    FollowUp,
    LinkKind,
    Observation,
    Origin,
    Recommendation,
    RecommendationStatus,
    Response,
    Support,
)
from debate.positions import queries as position_queries
from debate.positions.models import Position
from debate.workshops.models import NoteKind, Workshop, WorkshopNote

TOP_PER_SIDE = 3
TOP_SOURCES = 6


def sees_drafts(debate: Debate, user) -> bool:
    """Working group, elected officials and guarantors of the debate (and administrators) see drafts."""
    return bool(debate.can("view_draft_recommendations", user))


def sees_panel_drafts(debate: Debate, user) -> bool:
    """Members of the citizens' panel see the panel's drafts (their own and the other members'),
    whatever the phase; not the working group's."""
    return debate.role_of(user) == Role.PANEL


def visible_filter(debate: Debate, user):
    """Published recommendations and drafts opened to comments; every draft for those who see drafts,
    the panel's drafts for the panel's members."""
    if sees_drafts(debate, user):
        return sa.true()
    return sa.or_(
        Recommendation.status == RecommendationStatus.PUBLISHED,
        Recommendation.open_for_comments.is_(True),
        Recommendation.origin == Origin.CITIZEN_PANEL
        if sees_panel_drafts(debate, user)
        else sa.false(),
    )


def is_published(debate: Debate) -> bool:
    """The working group has published the recommendations (at least one)."""
    return (
        db.session.scalar(
            sa.select(sa.func.count(Recommendation.id)).where(
                Recommendation.debate_id == debate.id,
                Recommendation.status == RecommendationStatus.PUBLISHED,
            )
        )
        > 0
    )


def _options():
    return (
        selectinload(Recommendation.links),
        selectinload(Recommendation.theme),
        selectinload(Recommendation.response).selectinload(Response.commitments),
        selectinload(Recommendation.versions),
    )


def decorate(recommendations: list) -> list:
    """Attach what the pages and the API show with each recommendation: its public trace (hidden
    arguments and undeclared experts left out) and its number of supports (four queries)."""
    material = material_for(recommendations)
    supports = supports_of([r.id for r in recommendations])
    for recommendation in recommendations:
        recommendation.public_trace = material.trace(recommendation)
        recommendation.supports_count = supports.get(recommendation.id, 0)
    return recommendations


def recommendations_of(
    debate: Debate, user, *, area: str | None = None, status: str | None = None
) -> list:
    """The recommendations this user may see, by area then number (drafts after), with links and
    responses loaded (four queries)."""
    stmt = (
        sa.select(Recommendation)
        .where(Recommendation.debate_id == debate.id, visible_filter(debate, user))
        .options(*_options())
    )
    if area:
        theme = next((t for t in debate.themes if t.key == area), None)
        stmt = stmt.where(Recommendation.theme_id == (theme.id if theme else -1))
    if status in {s.value for s in RecommendationStatus}:
        stmt = stmt.where(Recommendation.status == RecommendationStatus(status))
    rows = list(db.session.scalars(stmt))
    positions = {t.id: t.position for t in debate.themes}
    rows.sort(key=lambda r: (r.number is None, r.number or 0, positions.get(r.theme_id, 0), r.id))
    return rows


def get_recommendation_or_404(
    recommendation_id: int, user, debate: Debate | None = None
) -> Recommendation:
    """A recommendation this user may see (drafts: those who see drafts, or opened to comments)."""
    recommendation = db.session.scalar(
        sa.select(Recommendation).where(Recommendation.id == recommendation_id).options(*_options())
    )
    if recommendation is None or (debate is not None and recommendation.debate_id != debate.id):
        abort(404)
    if debate is None:
        slug = db.session.scalar(
            sa.select(Debate.slug).where(Debate.id == recommendation.debate_id)
        )
        debate = get_debate_or_404(slug, user)
    recommendation.debate = debate
    if (
        not recommendation.is_published
        and not recommendation.open_for_comments
        and not sees_drafts(debate, user)
        and not (recommendation.is_panel_draft and sees_panel_drafts(debate, user))
    ):
        abort(404)
    return recommendation


def get_comment_or_404(comment_id: int, user) -> Comment:
    """A comment whose recommendation this user may see (hidden or pending comments: only moderators and
    their author)."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        abort(404)
    recommendation = get_recommendation_or_404(comment.recommendation_id, user)
    if comment.moderation_status != ModerationStatus.PUBLISHED and not (
        recommendation.debate.can("view_moderation_queue", user)
        or (getattr(user, "is_authenticated", False) and user.id == comment.author_id)
    ):
        abort(404)
    return comment


def comments_of(recommendation: Recommendation, user) -> list[Comment]:
    """Published comments, plus the user's own pending ones, oldest first (two queries)."""
    visible = Comment.moderation_status == ModerationStatus.PUBLISHED
    if getattr(user, "is_authenticated", False):
        visible = sa.or_(
            visible,
            sa.and_(
                Comment.author_id == user.id, Comment.moderation_status == ModerationStatus.PENDING
            ),
        )
    return list(
        db.session.scalars(
            sa.select(Comment)
            .where(Comment.recommendation_id == recommendation.id, visible)
            .options(selectinload(Comment.author))
            .order_by(Comment.created_at, Comment.id)
        )
    )


def supports_of(recommendation_ids: list[int]) -> dict[int, int]:
    """Supports per recommendation (one query)."""
    if not recommendation_ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(Support.recommendation_id, sa.func.count(Support.id))
            .where(Support.recommendation_id.in_(recommendation_ids))
            .group_by(Support.recommendation_id)
        ).all()
    )


def supported_by(recommendation: Recommendation, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(
            sa.select(Support.id).where(
                Support.recommendation_id == recommendation.id, Support.user_id == user.id
            )
        )
        is not None
    )


def follow_ups_of(recommendation_ids: list[int]) -> dict[int, list[FollowUp]]:
    """Follow-up updates per recommendation, newest first (one query)."""
    found: dict[int, list[FollowUp]] = {}
    if recommendation_ids:
        for row in db.session.scalars(
            sa.select(FollowUp)
            .where(FollowUp.recommendation_id.in_(recommendation_ids))
            .order_by(FollowUp.created_at.desc(), FollowUp.id.desc())
        ):
            found.setdefault(row.recommendation_id, []).append(row)
    return found


def observations_of(debate: Debate) -> list[Observation]:
    """The guarantors' observations, oldest first (two queries)."""
    return list(
        db.session.scalars(
            sa.select(Observation)
            .where(Observation.debate_id == debate.id)
            .options(selectinload(Observation.author))
            .order_by(Observation.created_at, Observation.id)
        )
    )


# --- the material behind the recommendations ------------------------------------------


@dataclass
class Material:
    """The public items the recommendations link to, by id (hidden ones are simply absent)."""

    arguments: dict = field(default_factory=dict)
    contributions: dict = field(default_factory=dict)
    notes: dict = field(default_factory=dict)
    positions: dict = field(default_factory=dict)

    def trace(self, recommendation: Recommendation) -> dict:
        """What a recommendation rests on, limited to what the public may see."""
        arguments = [
            self.arguments[link.argument_id]
            for link in recommendation.links_of(LinkKind.ARGUMENT)
            if link.argument_id in self.arguments
        ]
        sources = recommendation.links_of(LinkKind.SOURCE)
        contributions = [
            self.contributions[link.contribution_id]
            for link in recommendation.links_of(LinkKind.EXPERT_CONTRIBUTION)
            if link.contribution_id in self.contributions
        ]
        notes = [
            self.notes[link.note_id]
            for link in recommendation.links_of(LinkKind.WORKSHOP_NOTE)
            if link.note_id in self.notes
        ]
        workshops = list({note.workshop.id: note.workshop for note in notes}.values())
        positions = [
            self.positions[link.position_id]
            for link in recommendation.links_of(LinkKind.POSITION)
            if link.position_id in self.positions
        ]
        return {
            "arguments": arguments,
            "sources": sources,
            "contributions": contributions,
            "notes": notes,
            "workshops": workshops,
            "positions": positions,
        }


def material_for(recommendations: list[Recommendation]) -> Material:
    """Load the linked arguments (published only), expert contributions (declared experts only),
    workshop notes and positions (published, not merged) in one query per kind."""
    wanted = {kind: set() for kind in LinkKind}
    for recommendation in recommendations:
        for link in recommendation.links:
            wanted[link.kind].add(
                link.argument_id or link.contribution_id or link.note_id or link.position_id
            )
    material = Material()
    if wanted[LinkKind.POSITION]:
        # A position merged since into another leads to the kept one (one query for both).
        kept = sa.select(Position.merged_into_id).where(
            Position.id.in_(wanted[LinkKind.POSITION]), Position.merged_into_id.is_not(None)
        )
        found = {
            p.id: p
            for p in db.session.scalars(
                sa.select(Position).where(
                    sa.or_(Position.id.in_(wanted[LinkKind.POSITION]), Position.id.in_(kept))
                )
            )
        }
        for position_id in wanted[LinkKind.POSITION]:
            position = found.get(position_id)
            if position is not None and position.merged_into_id is not None:
                position = found.get(position.merged_into_id)
            if position is not None and position.is_published and position.merged_into_id is None:
                material.positions[position_id] = position
    if wanted[LinkKind.ARGUMENT]:
        material.arguments = {
            a.id: a
            for a in db.session.scalars(
                sa.select(Argument).where(
                    Argument.id.in_(wanted[LinkKind.ARGUMENT]),
                    Argument.status == ArgumentStatus.PUBLISHED,
                )
            )
        }
    if wanted[LinkKind.EXPERT_CONTRIBUTION]:
        rows = db.session.execute(
            sa.select(ExpertContribution, Expert)
            .join(Expert, Expert.id == ExpertContribution.expert_id)
            .where(
                ExpertContribution.id.in_(wanted[LinkKind.EXPERT_CONTRIBUTION]),
                Expert.declaration_of_interests != "",
            )
        ).all()
        for contribution, expert in rows:
            # set as loaded, not as a change: a read must not flush (nor take the write lock)
            set_committed_value(contribution, "expert", expert)
            material.contributions[contribution.id] = contribution
    if wanted[LinkKind.WORKSHOP_NOTE]:
        rows = db.session.execute(
            sa.select(WorkshopNote, Workshop)
            .join(Workshop, Workshop.id == WorkshopNote.workshop_id)
            .where(WorkshopNote.id.in_(wanted[LinkKind.WORKSHOP_NOTE]))
        ).all()
        for note, workshop in rows:
            set_committed_value(note, "workshop", workshop)
            material.notes[note.id] = note
    return material


def _public_positions():
    """Positions anyone sees: published, not merged into another."""
    return sa.select(Position).where(
        Position.status == ModerationStatus.PUBLISHED, Position.merged_into_id.is_(None)
    )


# --- the synthesis ---------------------------------------------------------------------


@dataclass
class PositionSynthesis:
    """One position of an open question: its arguments for, against and nuancing (answers aside),
    the most endorsed of each side, and how many people endorse it."""

    position: Position
    counts: dict
    top: dict

    @property
    def endorsements(self) -> int:
        return self.position.endorsements_count

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def positions_synthesis(debate: Debate) -> list[PositionSynthesis]:
    """The published positions of an open question, most endorsed first, with their counts and
    top arguments: five queries whatever their number (none in a yes or no debate)."""
    if not debate.is_open_question:
        return []
    positions = list(
        db.session.scalars(
            _public_positions()
            .where(Position.debate_id == debate.id)
            .order_by(Position.endorsements_count.desc(), Position.created_at, Position.id)
        )
    )
    ids = [p.id for p in positions]
    counts = position_queries.counts(ids)
    top = position_queries.top_arguments(ids)
    return [PositionSynthesis(p, counts[p.id], top[p.id]) for p in positions]


@dataclass
class ThemeSynthesis:
    """One theme of the synthesis: the balance of arguments, the strongest of each side, the sources
    most cited (with their kind), the experts heard."""

    theme: object
    counts: dict
    top: dict
    sources: list
    experts: list
    recommendations: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def sources_by_kind(self) -> dict:
        grouped: dict = {}
        for source in self.sources:
            grouped.setdefault(source["kind"], []).append(source)
        return grouped


@dataclass
class Synthesis:
    """Everything the officials read: participation, themes, recommendations with their trace,
    responses, the guarantors' observations."""

    debate: Debate
    participation: dict
    themes: list[ThemeSynthesis]
    recommendations: list
    material: Material
    supports: dict
    observations: list
    published: bool
    # An open question's positions (empty for a yes or no question).
    positions: list = field(default_factory=list)

    def trace(self, recommendation):
        return self.material.trace(recommendation)

    @property
    def sources(self) -> list:
        """Every source cited by the recommendations (for the report's annex), deduplicated."""
        seen: dict = {}
        for recommendation in self.recommendations:
            for link in recommendation.links_of(LinkKind.SOURCE):
                entry = seen.setdefault(link.normalized_url, {"link": link, "recommendations": []})
                entry["recommendations"].append(recommendation)
        return sorted(seen.values(), key=lambda e: e["link"].source_title.lower())

    @property
    def answered(self) -> int:
        return sum(1 for r in self.recommendations if r.is_published and r.response is not None)

    @property
    def published_count(self) -> int:
        return sum(1 for r in self.recommendations if r.is_published)

    @property
    def decisions(self) -> dict:
        """Published recommendations counted by the officials' decision ("awaiting": no response)."""
        return decision_counts(self.recommendations)

    @property
    def to_answer(self) -> list:
        """Published recommendations without a response, oldest first."""
        return awaiting_response(self.recommendations)

    @property
    def key_figures(self) -> dict:
        """The first screen's figures: participants, arguments, sources, experts heard, workshops."""
        experts = {e["expert"].id for theme in self.themes for e in theme.experts}
        p = self.participation
        return {
            "participants": p["participants"],
            "arguments": p["arguments"],
            "sources": p["sources"],
            "experts": len(experts),
            "workshops": p["workshops"],
            # Recommendations of the citizens' panel among those shown (published, or the preview).
            "panel_recommendations": sum(
                1 for r in self.recommendations if r.origin == Origin.CITIZEN_PANEL
            ),
        }


def _argument_counts(debate: Debate) -> dict:
    rows = db.session.execute(
        sa.select(Argument.theme_id, Argument.stance, sa.func.count(Argument.id))
        .where(
            Argument.debate_id == debate.id,
            Argument.status == ArgumentStatus.PUBLISHED,
            Argument.parent_id.is_(None),
        )
        .group_by(Argument.theme_id, Argument.stance)
    ).all()
    counts: dict = {}
    for theme_id, stance, n in rows:
        counts.setdefault(theme_id, {s.value: 0 for s in Stance})[Stance(stance).value] = n
    return counts


def _top_arguments(debate: Debate) -> dict:
    """The most endorsed published arguments per theme and stance (one query, a window function)."""
    rank = (
        sa.func.row_number()
        .over(
            partition_by=(Argument.theme_id, Argument.stance),
            order_by=(
                Argument.endorsements_count.desc(),
                Argument.replies_count.desc(),
                Argument.id,
            ),
        )
        .label("rank")
    )
    ranked = (
        sa.select(Argument.id, rank)
        .where(
            Argument.debate_id == debate.id,
            Argument.status == ArgumentStatus.PUBLISHED,
            Argument.parent_id.is_(None),
        )
        .subquery()
    )
    rows = db.session.scalars(
        sa.select(Argument)
        .join(ranked, ranked.c.id == Argument.id)
        .where(ranked.c.rank <= TOP_PER_SIDE)
        .order_by(Argument.endorsements_count.desc(), Argument.id)
    )
    top: dict = {}
    for argument in rows:
        top.setdefault(argument.theme_id, {s.value: [] for s in Stance})[
            argument.stance.value
        ].append(argument)
    return top


def _top_sources(debate: Debate) -> dict:
    """Per theme, the sources cited by the most published arguments (one grouped query)."""
    citations = sa.func.count(sa.distinct(ArgumentSource.argument_id))
    rank = (
        sa.func.row_number()
        .over(
            partition_by=Argument.theme_id,
            order_by=(citations.desc(), sa.func.min(ArgumentSource.title)),
        )
        .label("rank")
    )
    grouped = (
        sa.select(
            Argument.theme_id.label("theme_id"),
            ArgumentSource.normalized_url.label("normalized_url"),
            sa.func.min(ArgumentSource.url).label("url"),
            sa.func.min(ArgumentSource.title).label("title"),
            sa.func.min(ArgumentSource.publisher).label("publisher"),
            sa.func.min(ArgumentSource.kind).label("kind"),
            citations.label("citations"),
            rank,
        )
        .join(Argument, Argument.id == ArgumentSource.argument_id)
        .where(Argument.debate_id == debate.id, Argument.status == ArgumentStatus.PUBLISHED)
        .group_by(Argument.theme_id, ArgumentSource.normalized_url)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(grouped)
        .where(grouped.c.rank <= TOP_SOURCES)
        .order_by(grouped.c.theme_id, grouped.c.rank)
    ).mappings()
    found: dict = {}
    for row in rows:
        found.setdefault(row["theme_id"], []).append(
            {
                "url": row["url"],
                "title": row["title"],
                "publisher": row["publisher"],
                "kind": str(row["kind"]),
                "citations": row["citations"],
            }
        )
    return found


def _experts(debate: Debate) -> dict:
    """Per theme, the experts heard (declared only) and how many contributions they made (one query)."""
    rows = db.session.execute(
        sa.select(ExpertContribution.theme_id, Expert, sa.func.count(ExpertContribution.id))
        .join(Expert, Expert.id == ExpertContribution.expert_id)
        .where(ExpertContribution.debate_id == debate.id, Expert.declaration_of_interests != "")
        .group_by(ExpertContribution.theme_id, Expert.id)
        .order_by(Expert.name)
    ).all()
    found: dict = {}
    for theme_id, expert, n in rows:
        found.setdefault(theme_id, []).append({"expert": expert, "contributions": n})
    return found


def participation(debate: Debate, today: date | None = None) -> dict:
    """The participation figures: people, arguments, sources, questions (answered on time),
    workshops and their attendance, endorsements, supports and comments (two queries)."""

    today = today or today_in_france()
    argument_ids = sa.select(Argument.id).where(Argument.debate_id == debate.id)
    recommendation_ids = sa.select(Recommendation.id).where(Recommendation.debate_id == debate.id)
    people = sa.union(
        sa.select(Argument.author_id.label("user_id")).where(Argument.debate_id == debate.id),
        sa.select(Endorsement.user_id).where(Endorsement.argument_id.in_(argument_ids)),
        sa.select(Question.author_id).where(Question.debate_id == debate.id),
        sa.select(Comment.author_id).where(Comment.debate_id == debate.id),
        sa.select(Support.user_id).where(Support.recommendation_id.in_(recommendation_ids)),
    ).subquery()
    published_arguments = sa.and_(
        Argument.debate_id == debate.id, Argument.status == ArgumentStatus.PUBLISHED
    )
    published_ids = sa.select(Argument.id).where(published_arguments)
    question_public = sa.and_(
        Question.debate_id == debate.id, Question.moderation_status == ModerationStatus.PUBLISHED
    )
    row = (
        db.session.execute(
            sa.select(
                sa.select(sa.func.count(sa.distinct(people.c.user_id)))
                .where(people.c.user_id.is_not(None))
                .scalar_subquery()
                .label("participants"),
                sa.select(sa.func.count(Argument.id))
                .where(published_arguments)
                .scalar_subquery()
                .label("arguments"),
                sa.select(sa.func.count(sa.distinct(ArgumentSource.normalized_url)))
                .where(ArgumentSource.argument_id.in_(published_ids))
                .scalar_subquery()
                .label("sources"),
                sa.select(sa.func.coalesce(sa.func.sum(Argument.endorsements_count), 0))
                .where(published_arguments)
                .scalar_subquery()
                .label("endorsements"),
                sa.select(sa.func.count(Question.id))
                .where(question_public)
                .scalar_subquery()
                .label("questions"),
                sa.select(sa.func.count(Question.id))
                .where(question_public, Question.status == QuestionStatus.ANSWERED)
                .scalar_subquery()
                .label("answered"),
                sa.select(sa.func.count(Question.id))
                .where(
                    question_public,
                    Question.status == QuestionStatus.ANSWERED,
                    Question.answered_on <= Question.due_on,
                )
                .scalar_subquery()
                .label("answered_on_time"),
                sa.select(sa.func.count(Workshop.id))
                .where(Workshop.debate_id == debate.id)
                .scalar_subquery()
                .label("workshops"),
                sa.select(sa.func.coalesce(sa.func.sum(Workshop.participants_count), 0))
                .where(Workshop.debate_id == debate.id)
                .scalar_subquery()
                .label("workshop_participants"),
                sa.select(sa.func.count(Comment.id))
                .where(
                    Comment.debate_id == debate.id,
                    Comment.moderation_status == ModerationStatus.PUBLISHED,
                )
                .scalar_subquery()
                .label("comments"),
            )
        )
        .mappings()
        .one()
    )
    return {key: int(value or 0) for key, value in row.items()}


def _debate_of_argument(row, connection):
    return connection.scalar(sa.select(Argument.debate_id).where(Argument.id == row.argument_id))


def watch_cached_data() -> None:
    """The debate-wide aggregates of the synthesis scan every argument, source and endorsement of
    the debate: they are cached (core/cache.py) until a write on one of these rows changes them.
    Bulk statements bypass these watches: arguments.operations.withdraw_endorsement bumps by itself.
    Called by outcome.init_app."""
    for model, debate_of in (
        (Argument, lambda row, connection: row.debate_id),
        (ArgumentSource, _debate_of_argument),
        (Endorsement, _debate_of_argument),
        (Question, lambda row, connection: row.debate_id),
        (Comment, lambda row, connection: row.debate_id),
        (Workshop, lambda row, connection: row.debate_id),
        (
            Support,
            lambda row, connection: connection.scalar(
                sa.select(Recommendation.debate_id).where(
                    Recommendation.id == row.recommendation_id
                )
            ),
        ),
    ):
        cache.watch(model, debate_of)


def debate_figures(debate: Debate) -> tuple[dict, dict, dict, dict]:
    """(argument counts, top arguments, top sources, participation) for the synthesis: computed
    once per change of the debate's data (cached), then one query loads the top arguments."""

    def compute():
        top = _top_arguments(debate)
        top_ids = {
            theme: {side: [a.id for a in rows] for side, rows in sides.items()}
            for theme, sides in top.items()
        }
        return _argument_counts(debate), top_ids, _top_sources(debate), participation(debate)

    counts, top_ids, sources, figures = cache.cached(
        "synthesis-figures", debate.id, compute=compute
    )
    wanted = [i for sides in top_ids.values() for ids in sides.values() for i in ids]
    # Always one query (even for no id), so the page's query count does not depend on the data.
    loaded = {
        a.id: a for a in db.session.scalars(sa.select(Argument).where(Argument.id.in_(wanted)))
    }
    top = {
        theme: {side: [loaded[i] for i in ids if i in loaded] for side, ids in sides.items()}
        for theme, sides in top_ids.items()
    }
    return counts, top, sources, figures


def synthesis(debate: Debate, user, *, include_drafts: bool = False) -> Synthesis:
    """The whole synthesis in a bounded number of queries (about fifteen, whatever the data size).

    Once published it holds the published recommendations only (the report and the API say what
    was published); before, those who see drafts get a preview with them. The page may ask for the
    drafts too (`include_drafts`, still only for those who see drafts)."""
    recommendations = recommendations_of(debate, user)
    if not any(r.is_published for r in recommendations) and sees_drafts(debate, user):
        include_drafts = True
    if not (include_drafts and sees_drafts(debate, user)):
        recommendations = [r for r in recommendations if r.is_published]
    counts, top, sources, figures = debate_figures(debate)
    experts = _experts(debate)
    themes = []
    for theme in debate.themes:
        entry = ThemeSynthesis(
            theme=theme,
            counts=counts.get(theme.id, {s.value: 0 for s in Stance}),
            top=top.get(theme.id, {s.value: [] for s in Stance}),
            sources=sources.get(theme.id, []),
            experts=experts.get(theme.id, []),
        )
        entry.recommendations = [r for r in recommendations if r.theme_id == theme.id]
        themes.append(entry)
    material, supports = material_for(recommendations), supports_of([r.id for r in recommendations])
    for recommendation in recommendations:
        recommendation.public_trace = material.trace(recommendation)
        recommendation.supports_count = supports.get(recommendation.id, 0)
    return Synthesis(
        debate=debate,
        participation=figures,
        themes=themes,
        recommendations=recommendations,
        material=material,
        supports=supports,
        observations=observations_of(debate),
        published=any(r.is_published for r in recommendations),
        positions=positions_synthesis(debate),
    )


@dataclass
class FollowUpPage:
    """The public follow-up: every published recommendation with its response and commitments."""

    recommendations: list
    updates: dict
    today: date

    @property
    def answered(self) -> int:
        return sum(1 for r in self.recommendations if r.response is not None)

    @property
    def share_answered(self) -> int:
        total = len(self.recommendations)
        return round(100 * self.answered / total) if total else 0

    def commitments(self) -> dict:
        counts = {"due": 0, "done": 0, "overdue": 0}
        for recommendation in self.recommendations:
            for commitment in (
                recommendation.response.commitments if recommendation.response else []
            ):
                counts[commitment.state(self.today)] += 1
        return counts


def follow_up(debate: Debate) -> FollowUpPage:
    """Published recommendations, responses, commitments and follow-up updates (five queries)."""

    recommendations = list(
        db.session.scalars(
            sa.select(Recommendation)
            .where(
                Recommendation.debate_id == debate.id,
                Recommendation.status == RecommendationStatus.PUBLISHED,
            )
            .options(*_options())
            .order_by(Recommendation.number)
        )
    )
    return FollowUpPage(
        recommendations, follow_ups_of([r.id for r in recommendations]), today_in_france()
    )


@dataclass
class Choices:
    """What a recommendation can link to, for the drafting form."""

    arguments: list
    sources: list
    contributions: list
    notes: list
    positions: list = field(default_factory=list)


def material_choices(debate: Debate) -> Choices:
    """Published arguments, the debate's sources (cited by published arguments), declared experts'
    contributions, workshop notes (icebreaker words aside) and, in an open question, the published
    positions: four queries, five for an open question."""

    arguments = list(
        db.session.execute(
            sa.select(Argument.id, Argument.title, Argument.stance, Argument.theme_id)
            .where(Argument.debate_id == debate.id, Argument.status == ArgumentStatus.PUBLISHED)
            .order_by(Argument.theme_id, Argument.stance, Argument.id)
        ).all()
    )
    contributions = list(
        db.session.execute(
            sa.select(ExpertContribution.id, ExpertContribution.title, Expert.name)
            .join(Expert, Expert.id == ExpertContribution.expert_id)
            .where(ExpertContribution.debate_id == debate.id, Expert.declaration_of_interests != "")
            .order_by(ExpertContribution.id)
        ).all()
    )
    notes = list(
        db.session.execute(
            sa.select(WorkshopNote.id, WorkshopNote.text, WorkshopNote.kind, Workshop.title)
            .join(Workshop, Workshop.id == WorkshopNote.workshop_id)
            .where(Workshop.debate_id == debate.id, WorkshopNote.kind != NoteKind.ICEBREAKER_WORD)
            .order_by(Workshop.held_on, WorkshopNote.id)
        ).all()
    )
    positions = []
    if debate.is_open_question:
        positions = list(
            db.session.execute(
                _public_positions()
                .with_only_columns(Position.id, Position.title, Position.theme_id)
                .where(Position.debate_id == debate.id)
                .order_by(Position.endorsements_count.desc(), Position.id)
            ).all()
        )
    return Choices(arguments, debate_sources(debate), contributions, notes, positions)


# --- what awaits the officials' response -----------------------------------------------

DECISION_KEYS = (
    "adopted",
    "partially_adopted",
    "rejected",
    "out_of_competence",
    "under_study",
    "awaiting",
)


def decision_counts(recommendations: list) -> dict:
    """Published recommendations counted by the officials' decision, "awaiting" for those without a
    response (no query: the responses are loaded with the recommendations)."""
    counts = dict.fromkeys(DECISION_KEYS, 0)
    for recommendation in recommendations:
        if recommendation.is_published:
            key = recommendation.response.decision.value if recommendation.response else "awaiting"
            counts[key] += 1
    return counts


def awaiting_response(recommendations: list) -> list:
    """Published recommendations without a response, the oldest published first (then by number)."""
    waiting = [r for r in recommendations if r.is_published and r.response is None]
    return sorted(waiting, key=lambda r: (r.published_at or r.created_at, r.number or 0, r.id))


def recommendations_to_answer(user, limit: int = 20) -> list:
    """What awaits this elected official's response, across the debates where they may answer now:
    published recommendations without a response, oldest first (one query; [] for anyone else)."""
    if not getattr(user, "is_authenticated", False):
        return []
    rule = RULES["respond_recommendations"]
    if Role.ELECTED not in rule.roles:
        return []
    rows = db.session.execute(
        sa.select(
            Recommendation.id,
            Recommendation.number,
            Recommendation.title,
            Debate.slug,
            Debate.title,
        )
        .join(Debate, Debate.id == Recommendation.debate_id)
        .join(
            Membership,
            sa.and_(
                Membership.debate_id == Debate.id,
                Membership.user_id == user.id,
                Membership.role == Role.ELECTED,
            ),
        )
        .outerjoin(Response, Response.recommendation_id == Recommendation.id)
        .where(
            Recommendation.status == RecommendationStatus.PUBLISHED,
            Response.id.is_(None),
            Debate.current_phase.in_(list(rule.phases)),
        )
        .order_by(Recommendation.published_at, Debate.id, Recommendation.number)
        .limit(limit)
    ).all()
    return [
        {"id": r[0], "number": r[1], "title": r[2], "slug": r[3], "debate_title": r[4]}
        for r in rows
    ]


def argument_numbers(debate: Debate, argument_ids) -> dict[int, int]:
    """Each argument's number as the open-data export gives it: its rank, by id, among the
    debate's published arguments (one query; the export's local ids, never database ids)."""
    ranked = (
        sa.select(
            Argument.id.label("id"),
            sa.func.row_number().over(order_by=Argument.id).label("number"),
        )
        .where(Argument.debate_id == debate.id, Argument.status == ArgumentStatus.PUBLISHED)
        .subquery()
    )
    # Always one query (even for no id), so the report's query count does not depend on the data.
    return dict(
        db.session.execute(
            sa.select(ranked.c.id, ranked.c.number).where(ranked.c.id.in_(list(argument_ids)))
        ).all()
    )
