"""Writes on the outcome: draft, correct and publish recommendations; supports, comments and reports
on drafts; officials' responses, commitments and follow-up updates; guarantors' observations.

Operations validate, write and flush; the edge (view, API, CLI, demo) commits once. They do not
check roles or phases: views `require()` the predicates of debates/phases.py first.
"""

from datetime import date
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from debate.accounts.operations import notify
from debate.arguments.models import Argument, ArgumentSource, ArgumentStatus, Endorsement
from debate.core import cache
from debate.core import sources as core_sources
from debate.core.db import utcnow
from debate.core.errors import Conflict
from debate.core.sanitize import render_markdown
from debate.core.validation import raise_if, text_field
from debate.debates.models import Competence, Debate, Membership, ModerationStatus
from debate.expertise.models import (
    Expert,
    ExpertContribution,
    ExpertiseSource,
    Question,
    today_in_france,
)
from debate.extensions import db
from debate.moderation import operations as moderation
from debate.moderation.operations import hide_after_reports
from debate.outcome.models import (
    COMMENT_MAX,
    COMMITMENT_MAX,
    MAX_COMMITMENTS,
    MAX_LINKS,
    NOTE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Comment,
    CommentReport,
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
    RecommendationVersion,
    Response,
    Support,
    drafts_as_panel,
)
from debate.positions.models import Position
from debate.workshops.models import Workshop, WorkshopNote

REASON_MAX = 2000
LINK_FIELDS = (
    "argument_ids",
    "source_urls",
    "expert_contribution_ids",
    "workshop_note_ids",
    "position_ids",
)
CONTENT_FIELDS = (
    "area",
    "title",
    "body",
    "rationale",
    "origin",
    "competence",
    "consensus",
    "dissent",
)


def _choice(enum_cls, data: dict, key: str, errors: dict):
    try:
        return enum_cls(data.get(key))
    except ValueError:
        choices = ", ".join(member.value for member in enum_cls)
        errors[key] = [str(_l("Choose one of: %(choices)s.", choices=choices))]
        return None


def _area(debate: Debate, data: dict, errors: dict):
    key = data.get("area")
    theme = next((t for t in debate.themes if t.key == key), None)
    if theme is None:
        keys = ", ".join(t.key for t in debate.themes)
        errors["area"] = [
            str(_l("Choose the area among the debate's themes: %(keys)s.", keys=keys))
        ]
    return theme


def _ids(data: dict, key: str, errors: dict) -> list[int]:
    value = data.get(key) or []
    if isinstance(value, str):
        value = [v for v in value.replace(",", " ").split() if v]
    try:
        ids = [int(v) for v in value if not isinstance(v, bool)]
    except (TypeError, ValueError):
        errors[key] = [str(_l("A list of numbers (identifiers)."))]
        return []
    if len(ids) != len(value):
        errors[key] = [str(_l("A list of numbers (identifiers)."))]
    return list(dict.fromkeys(ids))


def _urls(data: dict, errors: dict) -> list[str]:
    value = data.get("source_urls") or []
    if isinstance(value, str):
        value = value.split()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors["source_urls"] = [str(_l("A list of links."))]
        return []
    return list(dict.fromkeys(v.strip() for v in value if v.strip()))


def _known_sources(debate: Debate, normalized: set[str]) -> dict[str, dict]:
    """The sources of this debate (cited by a published argument or by the expertise) with these
    normalized URLs: two queries."""
    found: dict[str, dict] = {}
    if not normalized:
        return found
    for source in db.session.scalars(
        sa.select(ArgumentSource)
        .join(Argument, Argument.id == ArgumentSource.argument_id)
        .where(
            Argument.debate_id == debate.id,
            Argument.status == ArgumentStatus.PUBLISHED,
            ArgumentSource.normalized_url.in_(normalized),
        )
    ):
        found.setdefault(
            source.normalized_url,
            {
                "url": source.url,
                "title": source.title,
                "publisher": source.publisher,
                "kind": str(source.kind),
            },
        )
    contribution_ids = sa.select(ExpertContribution.id).where(
        ExpertContribution.debate_id == debate.id
    )
    question_ids = sa.select(Question.id).where(Question.debate_id == debate.id)
    for source in db.session.scalars(
        sa.select(ExpertiseSource).where(
            ExpertiseSource.url_normalized.in_(normalized),
            sa.or_(
                ExpertiseSource.contribution_id.in_(contribution_ids),
                ExpertiseSource.question_id.in_(question_ids),
            ),
        )
    ):
        found.setdefault(
            source.url_normalized,
            {
                "url": source.url,
                "title": source.title,
                "publisher": source.publisher,
                "kind": source.kind,
            },
        )
    return found


def _links(debate: Debate, data: dict, errors: dict) -> list[RecommendationLink]:
    """Check every link against the debate's public material; at least one is required."""
    argument_ids = _ids(data, "argument_ids", errors)
    contribution_ids = _ids(data, "expert_contribution_ids", errors)
    note_ids = _ids(data, "workshop_note_ids", errors)
    position_ids = _ids(data, "position_ids", errors)
    urls = _urls(data, errors)
    links: list[RecommendationLink] = []
    if argument_ids:
        found = dict(
            db.session.execute(
                sa.select(Argument.id, Argument.status).where(
                    Argument.id.in_(argument_ids), Argument.debate_id == debate.id
                )
            ).all()
        )
        wrong = [i for i in argument_ids if found.get(i) != ArgumentStatus.PUBLISHED]
        if wrong:
            errors["argument_ids"] = [
                str(
                    _l(
                        "These arguments are not published arguments of this debate: %(ids)s.",
                        ids=", ".join(map(str, wrong)),
                    )
                )
            ]
        links += [RecommendationLink(kind=LinkKind.ARGUMENT, argument_id=i) for i in argument_ids]
    if urls:
        problems = [u for u in urls if core_sources.url_problem(u)]
        if problems:
            errors["source_urls"] = [
                str(
                    _l(
                        "Only http and https links are accepted: %(urls)s.",
                        urls=", ".join(problems),
                    )
                )
            ]
        normalized = {u: core_sources.normalize_url(u) for u in urls if u not in problems}
        # Sources cited in the debate keep their description; another document is linked by its address.
        known = _known_sources(debate, set(normalized.values()))
        for url, norm in normalized.items():
            source = known.get(norm) or {
                "url": url,
                "title": url,
                "publisher": urlsplit(url).hostname or "",
                "kind": "other",
            }
            links.append(
                RecommendationLink(
                    kind=LinkKind.SOURCE,
                    url=source["url"],
                    normalized_url=norm,
                    source_title=source["title"][:300],
                    source_publisher=source["publisher"][:200],
                    source_kind=source["kind"],
                )
            )
    if contribution_ids:
        found = set(
            db.session.scalars(
                sa.select(ExpertContribution.id)
                .join(Expert, Expert.id == ExpertContribution.expert_id)
                .where(
                    ExpertContribution.id.in_(contribution_ids),
                    ExpertContribution.debate_id == debate.id,
                    Expert.declaration_of_interests != "",
                )
            )
        )
        wrong = [i for i in contribution_ids if i not in found]
        if wrong:
            errors["expert_contribution_ids"] = [
                str(
                    _l(
                        "These are not public expert contributions of this debate: %(ids)s.",
                        ids=", ".join(map(str, wrong)),
                    )
                )
            ]
        links += [
            RecommendationLink(kind=LinkKind.EXPERT_CONTRIBUTION, contribution_id=i)
            for i in contribution_ids
        ]
    if note_ids:
        found = set(
            db.session.scalars(
                sa.select(WorkshopNote.id)
                .join(Workshop, Workshop.id == WorkshopNote.workshop_id)
                .where(WorkshopNote.id.in_(note_ids), Workshop.debate_id == debate.id)
            )
        )
        wrong = [i for i in note_ids if i not in found]
        if wrong:
            errors["workshop_note_ids"] = [
                str(
                    _l(
                        "These are not workshop notes of this debate: %(ids)s.",
                        ids=", ".join(map(str, wrong)),
                    )
                )
            ]
        links += [RecommendationLink(kind=LinkKind.WORKSHOP_NOTE, note_id=i) for i in note_ids]
    if position_ids:
        found = set(
            db.session.scalars(
                sa.select(Position.id).where(
                    Position.id.in_(position_ids),
                    Position.debate_id == debate.id,
                    Position.status == ModerationStatus.PUBLISHED,
                    Position.merged_into_id.is_(None),
                )
            )
        )
        wrong = [i for i in position_ids if i not in found]
        if wrong:
            errors["position_ids"] = [
                str(
                    _l(
                        "These are not published positions of this debate: %(ids)s.",
                        ids=", ".join(map(str, wrong)),
                    )
                )
            ]
        links += [RecommendationLink(kind=LinkKind.POSITION, position_id=i) for i in position_ids]
    if not links and not any(k in errors for k in LINK_FIELDS):
        errors["links"] = [
            str(
                _l(
                    "A recommendation must rest on at least one position, argument, source, expert "
                    "contribution or workshop note: link what it comes from."
                )
                if debate.is_open_question
                else _l(
                    "A recommendation must rest on at least one argument, source, expert contribution or workshop "
                    "note: link what it comes from."
                )
            )
        ]
    elif len(links) > MAX_LINKS:
        errors["links"] = [str(_l("At most %(n)d links.", n=MAX_LINKS))]
    for position, link in enumerate(links):
        link.position = position
    return links


def _content(debate: Debate, data: dict, errors: dict) -> dict:
    values: dict = {}
    theme = _area(debate, data, errors)
    values["theme_id"] = theme.id if theme else None
    values["title"] = text_field(data, "title", errors, required=True, max_len=TITLE_MAX)
    values["body"] = text_field(data, "body", errors, required=True, max_len=TEXT_MAX)
    values["rationale"] = text_field(data, "rationale", errors, max_len=TEXT_MAX)
    values["origin"] = _choice(Origin, data, "origin", errors)
    values["competence"] = _choice(Competence, data, "competence", errors)
    values["consensus"] = _choice(Consensus, data, "consensus", errors)
    values["dissent"] = text_field(data, "dissent", errors, max_len=TEXT_MAX)
    if values["consensus"] == Consensus.DIVIDED and not values["dissent"]:
        errors["dissent"] = [str(_l("A divided recommendation states the dissent."))]
    return values


def _apply(recommendation: Recommendation, values: dict) -> None:
    for key, value in values.items():
        setattr(recommendation, key, value)
    recommendation.body_html = render_markdown(values["body"])
    recommendation.rationale_html = render_markdown(values["rationale"])
    recommendation.dissent_html = render_markdown(values["dissent"])


def _as_panel(debate: Debate, user, data: dict) -> dict:
    """What a member of the citizens' panel sends: the origin is the panel's whatever they chose,
    and opening a draft to citizens' comments stays the working group's decision."""
    if user is None or not drafts_as_panel(debate, user):
        return data
    data = {**data, "origin": Origin.CITIZEN_PANEL.value}
    data.pop("open_for_comments", None)
    return data


def create_recommendation(debate: Debate, author, data: dict) -> Recommendation:
    """Draft a recommendation in an area, with at least one link to the material it rests on. A
    member of the citizens' panel drafts one of origin "citizen panel"."""
    data = _as_panel(debate, author, data)
    errors: dict = {}
    values = _content(debate, data, errors)
    links = _links(debate, data, errors)
    raise_if(errors)
    now = utcnow()
    recommendation = Recommendation(
        debate_id=debate.id,
        author_id=author.id if author is not None else None,
        created_at=now,
        updated_at=now,
        status=RecommendationStatus.DRAFT,
        open_for_comments=bool(data.get("open_for_comments")),
        links=links,
    )
    _apply(recommendation, values)
    db.session.add(recommendation)
    db.session.flush()
    return recommendation


def _current(recommendation: Recommendation) -> dict:
    """The request-shaped values of a recommendation (to merge a partial update into)."""
    by_kind = {kind: recommendation.links_of(kind) for kind in LinkKind}
    return {
        "area": recommendation.theme.key,
        "title": recommendation.title,
        "body": recommendation.body,
        "rationale": recommendation.rationale,
        "origin": recommendation.origin.value,
        "competence": recommendation.competence.value,
        "consensus": recommendation.consensus.value,
        "dissent": recommendation.dissent,
        "argument_ids": [link.argument_id for link in by_kind[LinkKind.ARGUMENT]],
        "source_urls": [link.url for link in by_kind[LinkKind.SOURCE]],
        "expert_contribution_ids": [
            link.contribution_id for link in by_kind[LinkKind.EXPERT_CONTRIBUTION]
        ],
        "workshop_note_ids": [link.note_id for link in by_kind[LinkKind.WORKSHOP_NOTE]],
        "position_ids": [link.position_id for link in by_kind[LinkKind.POSITION]],
    }


def snapshot(recommendation: Recommendation) -> dict:
    """What a published version says, kept when it is corrected."""
    return {
        "area": recommendation.theme.key,
        "area_title": recommendation.theme.title,
        "title": recommendation.title,
        "body_html": recommendation.body_html,
        "rationale_html": recommendation.rationale_html,
        "origin": recommendation.origin.value,
        "competence": recommendation.competence.value,
        "consensus": recommendation.consensus.value,
        "dissent_html": recommendation.dissent_html,
        "links": {
            kind.value: [_link_key(link) for link in recommendation.links_of(kind)]
            for kind in LinkKind
        },
    }


def _link_key(link: RecommendationLink):
    if link.kind == LinkKind.SOURCE:
        return link.url
    return link.argument_id or link.contribution_id or link.note_id or link.position_id


def update_recommendation(recommendation: Recommendation, editor, data: dict) -> Recommendation:
    """Change a draft in place; a published recommendation gets a visible new version (the previous
    one is kept and shown, `version` goes up, its number stays). A member of the citizens' panel
    (whose rights the caller checked: `recommendation.can("edit", user)`) keeps it the panel's."""
    debate = recommendation.debate
    data = _as_panel(debate, editor, data)
    merged = {
        **_current(recommendation),
        **{k: v for k, v in data.items() if k in CONTENT_FIELDS + LINK_FIELDS},
    }
    errors: dict = {}
    values = _content(debate, merged, errors)
    relink = any(k in data for k in LINK_FIELDS)
    links = _links(debate, merged, errors) if relink else None
    change_note = text_field(data, "change_note", errors, max_len=NOTE_MAX)
    raise_if(errors)
    now = utcnow()
    if recommendation.is_published:
        db.session.add(
            RecommendationVersion(
                recommendation_id=recommendation.id,
                version=recommendation.version,
                snapshot=snapshot(recommendation),
                change_note=change_note,
                published_at=recommendation.updated_at or recommendation.published_at,
                replaced_at=now,
            )
        )
        recommendation.version += 1
    elif "open_for_comments" in data and data["open_for_comments"] is not None:
        recommendation.open_for_comments = bool(data["open_for_comments"])
    _apply(recommendation, values)
    if links is not None:
        recommendation.links.clear()
        db.session.flush()
        recommendation.links.extend(links)
    recommendation.updated_at = now
    db.session.flush()
    db.session.expire(recommendation, ["theme", "versions"])
    return recommendation


def publish_recommendations(debate: Debate, publisher) -> list[Recommendation]:
    """Number and freeze every draft of the debate (numbers continue after those already published,
    by area then order of drafting) and tell the debate's participants."""
    drafts = list(
        db.session.scalars(
            sa.select(Recommendation).where(
                Recommendation.debate_id == debate.id,
                Recommendation.status == RecommendationStatus.DRAFT,
            )
        )
    )
    if not drafts:
        raise Conflict(_l("There is no draft recommendation to publish."))
    positions = {t.id: t.position for t in debate.themes}
    drafts.sort(key=lambda r: (positions.get(r.theme_id, 0), r.created_at, r.id))
    last = (
        db.session.scalar(
            sa.select(sa.func.max(Recommendation.number)).where(
                Recommendation.debate_id == debate.id
            )
        )
        or 0
    )
    now = utcnow()
    for offset, recommendation in enumerate(drafts, start=1):
        recommendation.number = last + offset
        recommendation.status = RecommendationStatus.PUBLISHED
        recommendation.published_at = now
        recommendation.updated_at = now
        recommendation.open_for_comments = False
    db.session.flush()
    # Lazy: each participant reads it (page, e-mail) in their own language.
    title = _l("The recommendations of the debate “%(title)s” are published.", title=debate.title)
    for user_id in participants_of(debate):
        notify(
            user_id,
            "recommendations_published",
            title,
            debate_id=debate.id,
            target_type="debate",
            target_id=debate.id,
            url=f"/debates/{debate.slug}/outcome",
        )
    return drafts


def participants_of(debate: Debate) -> list[int]:
    """Everyone who took part in the debate (members, authors of arguments, questions and comments,
    endorsers and supporters): one query."""
    recommendation_ids = sa.select(Recommendation.id).where(Recommendation.debate_id == debate.id)
    argument_ids = sa.select(Argument.id).where(Argument.debate_id == debate.id)
    union = sa.union(
        sa.select(Membership.user_id.label("user_id")).where(Membership.debate_id == debate.id),
        sa.select(Argument.author_id).where(Argument.debate_id == debate.id),
        sa.select(Endorsement.user_id).where(Endorsement.argument_id.in_(argument_ids)),
        sa.select(Question.author_id).where(Question.debate_id == debate.id),
        sa.select(Comment.author_id).where(Comment.debate_id == debate.id),
        sa.select(Support.user_id).where(Support.recommendation_id.in_(recommendation_ids)),
    ).subquery()
    return sorted(i for i in db.session.scalars(sa.select(union.c.user_id)) if i is not None)


# --- responses and follow-up -------------------------------------------------------------


def _date(value, key: str, errors: dict) -> date | None:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, date):
        errors[key] = [str(_l("A date such as 2027-03-18."))]
        return None
    return value


def _commitments(data: dict, errors: dict) -> list[tuple[str, date]]:
    value = data.get("commitments") or []
    if not isinstance(value, list) or len(value) > MAX_COMMITMENTS:
        errors["commitments"] = [
            str(_l("At most %(n)d commitments, each {text, due_on}.", n=MAX_COMMITMENTS))
        ]
        return []
    found = []
    for index, entry in enumerate(value):
        if not isinstance(entry, dict):
            errors[f"commitments.{index}"] = [str(_l("Each commitment is {text, due_on}."))]
            continue
        text = text_field(entry, "text", errors, required=True, max_len=COMMITMENT_MAX)
        if "text" in errors:
            errors[f"commitments.{index}.text"] = errors.pop("text")
        due = _date(entry.get("due_on"), f"commitments.{index}.due_on", errors)
        if text and due:
            found.append((text, due))
    return found


def respond(recommendation: Recommendation, official, data: dict) -> Response:
    """Publish (or amend) the officials' reasoned response to a published recommendation: a decision,
    a required justification and commitments with due dates. Commitments already marked done keep
    that mark when they are sent again with the same text."""
    if not recommendation.is_published:
        raise Conflict(_l("Only published recommendations can be answered."))
    errors: dict = {}
    decision = _choice(Decision, data, "decision", errors)
    justification = text_field(data, "justification", errors, required=True, max_len=TEXT_MAX)
    if "justification" in errors and not justification:
        errors["justification"] = [str(_l("A response must be justified: explain the decision."))]
    commitments = _commitments(data, errors)
    raise_if(errors)
    now = utcnow()
    response = recommendation.response
    first = response is None
    if first:
        response = Response(recommendation_id=recommendation.id, published_at=now)
        db.session.add(response)
    done = {c.text: c.done_on for c in response.commitments} if not first else {}
    response.decision = decision
    response.justification = justification
    response.justification_html = render_markdown(justification)
    response.author_id = official.id if official is not None else None
    response.updated_at = now
    response.commitments.clear()
    db.session.flush()
    response.commitments.extend(
        Commitment(position=i, text=text, due_on=due, done_on=done.get(text))
        for i, (text, due) in enumerate(commitments)
    )
    db.session.flush()
    recommendation.response = response
    if first:
        debate = recommendation.debate
        title = _l(
            "The officials answered recommendation no. %(number)s “%(title)s”.",
            number=recommendation.number,
            title=recommendation.title[:120],
        )
        for user_id in participants_of(debate):
            notify(
                user_id,
                "responses_published",
                title,
                debate_id=debate.id,
                target_type="recommendation",
                target_id=recommendation.id,
                url=f"/debates/{debate.slug}/outcome/follow-up",
            )
    return response


def add_follow_up(recommendation: Recommendation, official, data: dict) -> FollowUp:
    """A dated update by the officials; it may mark one of the response's commitments as done."""
    if not recommendation.is_published:
        raise Conflict(_l("Only published recommendations can be answered."))
    errors: dict = {}
    body = text_field(data, "body", errors, required=True, max_len=TEXT_MAX)
    commitment = None
    commitment_id = data.get("commitment_id")
    if commitment_id not in (None, ""):
        response = recommendation.response
        commitment = next(
            (
                c
                for c in (response.commitments if response else [])
                if str(c.id) == str(commitment_id)
            ),
            None,
        )
        if commitment is None:
            errors["commitment_id"] = [
                str(_l("Choose a commitment of this recommendation's response."))
            ]
    raise_if(errors)
    if commitment is not None and data.get("done"):
        commitment.done_on = _today()
    follow_up = FollowUp(
        recommendation_id=recommendation.id,
        commitment_id=commitment.id if commitment else None,
        body=body,
        body_html=render_markdown(body),
        author_id=official.id if official is not None else None,
    )
    db.session.add(follow_up)
    db.session.flush()
    return follow_up


def _today() -> date:

    return today_in_france()


# --- citizens on drafts ------------------------------------------------------------------


def _open_draft(recommendation: Recommendation) -> None:
    if recommendation.is_published:
        raise Conflict(_l("This recommendation is published: supports and comments are closed."))
    if not recommendation.open_for_comments:
        raise Conflict(_l("The working group has not opened this draft to comments yet."))


def support(recommendation: Recommendation, user) -> bool:
    """Support a draft open for comments (once per person); True if a support was added."""
    _open_draft(recommendation)
    try:
        with db.session.begin_nested():
            db.session.add(Support(recommendation_id=recommendation.id, user_id=user.id))
    except IntegrityError:
        return False
    return True


def withdraw_support(recommendation: Recommendation, user) -> bool:
    """Take one's support back; True if there was one."""
    _open_draft(recommendation)
    result = db.session.execute(
        sa.delete(Support).where(
            Support.recommendation_id == recommendation.id, Support.user_id == user.id
        )
    )
    if result.rowcount:
        cache.bump(
            recommendation.debate_id
        )  # a bulk DELETE: the synthesis figures count supporters
    return result.rowcount > 0


def add_comment(recommendation: Recommendation, author, data: dict) -> Comment:
    """Comment on a draft open for comments: published at once, or pending when the debate
    pre-moderates (then it waits in the moderation queue)."""
    _open_draft(recommendation)
    errors: dict = {}
    body = text_field(data, "body", errors, required=True, max_len=COMMENT_MAX)
    raise_if(errors)
    debate = recommendation.debate
    status = (
        ModerationStatus.PENDING if debate.setting("pre_moderation") else ModerationStatus.PUBLISHED
    )
    comment = Comment(
        debate_id=debate.id,
        recommendation_id=recommendation.id,
        author_id=author.id,
        body=body,
        body_html=render_markdown(body),
        moderation_status=status,
    )
    db.session.add(comment)
    db.session.flush()
    return comment


def revise_comment(comment: Comment, author, data: dict) -> Comment:
    """The author of a refused comment rewrites it while the draft is still open to comments: it
    goes back to the moderation queue, pending, as a new version (the moderators see what
    changed). 409 if the moderators decided on it meanwhile."""
    if comment.author_id is None or comment.author_id != getattr(author, "id", None):
        raise Conflict(_l("Only its author can revise this comment."))
    _open_draft(comment.recommendation)
    if moderation.revisable_because(comment) is None:
        raise Conflict(
            _l("This comment is not refused: it cannot be revised and sent back to the moderators.")
        )
    errors: dict = {}
    body = text_field(data, "body", errors, required=True, max_len=COMMENT_MAX)
    raise_if(errors)
    previous = moderation.snapshot(comment)
    comment.body = body
    comment.body_html = render_markdown(body)
    db.session.flush()
    moderation.send_back_to_queue(comment, previous)
    return comment


def report_comment(comment: Comment, user, reason) -> CommentReport:
    """Report a comment to the moderators (once per person); it then waits in the moderation queue,
    hidden meanwhile once `report_threshold` distinct people reported it."""
    errors: dict = {}
    text = text_field({"reason": reason}, "reason", errors, required=True, max_len=REASON_MAX)
    raise_if(errors)
    report = CommentReport(comment_id=comment.id, user_id=user.id, reason=text)
    try:
        with db.session.begin_nested():
            db.session.add(report)
    except IntegrityError:
        raise Conflict(_l("You have already reported this comment.")) from None
    # As for arguments: enough distinct reporters hide the comment until the moderators look.
    hide_after_reports(comment)
    return report


# --- guarantors ------------------------------------------------------------------------


def add_observation(debate: Debate, guarantor, data: dict) -> Observation:
    """A guarantor publishes an observation on the process (shown with the outcome)."""
    errors: dict = {}
    title = text_field(data, "title", errors, required=True, max_len=TITLE_MAX)
    body = text_field(data, "body", errors, required=True, max_len=TEXT_MAX)
    raise_if(errors)
    observation = Observation(
        debate_id=debate.id,
        author_id=guarantor.id if guarantor else None,
        title=title,
        body=body,
        body_html=render_markdown(body),
    )
    db.session.add(observation)
    db.session.flush()
    return observation


# --- workshops → outcome ---------------------------------------------------------------


def promote_note(
    note: WorkshopNote, promoter=None, data: dict | None = None, **_kwargs
) -> Recommendation:
    """Receiver of the workshops' promotion signal: a draft recommendation of origin "workshop"
    resting on the note (title and body default to the note's text; area to its theme)."""
    data = data or {}
    debate = note.workshop.debate
    already = db.session.scalar(
        sa.select(Recommendation.id)
        .join(RecommendationLink, RecommendationLink.recommendation_id == Recommendation.id)
        .where(RecommendationLink.note_id == note.id, Recommendation.origin == Origin.WORKSHOP)
    )
    if already:
        raise Conflict(_l("This note has already been promoted."))
    values = {
        "area": data.get("area") or data.get("theme") or (note.theme.key if note.theme else None),
        "title": data.get("title") or note.text[:TITLE_MAX],
        "body": data.get("body") or note.text,
        "rationale": data.get("rationale")
        or str(_l("From the workshop «%(title)s».", title=note.workshop.title)),
        "origin": Origin.WORKSHOP.value,
        "competence": data.get("competence") or Competence.MUNICIPAL.value,
        "consensus": data.get("consensus") or Consensus.CONSENSUAL.value,
        "dissent": data.get("dissent") or "",
        "workshop_note_ids": [note.id, *(data.get("workshop_note_ids") or [])],
        "argument_ids": data.get("argument_ids") or [],
        "source_urls": data.get("source_urls") or [],
    }
    return create_recommendation(debate, promoter, values)
