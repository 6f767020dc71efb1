"""The sections of the export document, in order: how each is written and read back.

Local `id`s are ranks among the debate's public items of their kind (see public.Ranks); references
between items use them. Markdown is exported with its rendered HTML; the import renders it again
(sanitize on write) instead of trusting the file's HTML.
"""

from datetime import date, datetime

from sqlalchemy.orm import selectinload

from debate.accounts.models import User
from debate.arguments import search
from debate.arguments.models import (
    Argument,
    ArgumentSource,
    ArgumentStatus,
    Relation,
    Stance,
)
from debate.core.sanitize import render_markdown
from debate.core.sources import normalize_url
from debate.debates.models import (
    CharterClause,
    Competence,
    Modality,
    ModalityKind,
    ModerationStatus,
    Phase,
    PhaseChange,
    ScopeItem,
    ScopeStatus,
    Theme,
)
from debate.debates.phases import PhaseKey
from debate.expertise.glossary import fold
from debate.expertise.models import (
    ContributionKind,
    Expert,
    ExpertContribution,
    ExpertiseNeed,
    ExpertiseSource,
    ExpertKind,
    GlossaryTerm,
    NeedStatus,
    Question,
    QuestionStatus,
    Resource,
    ResourceKind,
)
from debate.extensions import db
from debate.moderation.models import Action, ModerationEvent
from debate.opendata import outcome, public
from debate.opendata.format import Section
from debate.opendata.public import PublicView, batched
from debate.positions.models import Position
from debate.workshops.models import (
    AgendaItem,
    AgendaMode,
    NoteKind,
    Workshop,
    WorkshopFormat,
    WorkshopNote,
    WorkshopPromotion,
)


def _date(value) -> date | None:
    return date.fromisoformat(value) if value else None


def _moment(value) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


# --- the debate itself (the document's "debate" object) -----------------------------------


def debate_header(view: PublicView) -> dict:
    d = view.debate
    return {
        "slug": d.slug,
        "title": d.title,
        "municipality": d.municipality,
        "question": d.question,
        "question_kind": d.question_kind.value,
        "description": d.description,
        "description_html": d.description_html,
        "commitment": d.commitment,
        "commitment_html": d.commitment_html,
        "template": d.template,
        "published": d.published,
        "current_phase": d.current_phase.value,
        "settings": d.effective_settings,
        "created_at": d.created_at,
    }


# --- participants: display names behind the opaque author keys -----------------------------


def _load_participants(imp, items):
    for item in items:
        imp.authors[item["key"]] = imp.placeholder(item["display_name"])


def participants(view: PublicView):
    ids = view.author_ids()
    for user_id, name in db.session.execute(
        db.select(User.id, User.display_name).where(User.id.in_(ids)).order_by(User.id)
    ):
        yield {"key": view.author(user_id), "display_name": name}


# --- debates domain --------------------------------------------------------------------------


def _load_phases(imp, items):
    for item in items:
        db.session.add(
            Phase(
                debate_id=imp.debate.id,
                key=PhaseKey(item["key"]),
                position=item["position"],
                starts_on=_date(item["starts_on"]),
                ends_on=_date(item["ends_on"]),
            )
        )


def phases(view: PublicView):
    for phase in view.debate.phases:
        yield {
            "key": phase.key.value,
            "position": phase.position,
            "starts_on": phase.starts_on,
            "ends_on": phase.ends_on,
            "status": phase.status,
        }


def _load_phase_changes(imp, items):
    for item in items:
        db.session.add(
            PhaseChange(
                debate_id=imp.debate.id,
                from_phase=PhaseKey(item["from_phase"]),
                to_phase=PhaseKey(item["to_phase"]),
                reason=item["reason"],
                at=_moment(item["at"]),
            )
        )


def phase_changes(view: PublicView):
    for change in batched(
        db.select(PhaseChange).where(PhaseChange.debate_id == view.debate.id), PhaseChange
    ):
        yield {
            "at": change.at,
            "from_phase": change.from_phase.value,
            "to_phase": change.to_phase.value,
            "reason": change.reason,
        }


def _load_themes(imp, items):
    for item in items:
        theme = Theme(
            debate_id=imp.debate.id,
            key=item["key"],
            title=item["title"],
            description=item["description"],
            description_html=render_markdown(item["description"]),
            key_question=item["key_question"],
            position=item["position"],
        )
        db.session.add(theme)
        db.session.flush()
        imp.themes[theme.key] = theme.id


def themes(view: PublicView):
    for theme in view.debate.themes:
        yield {
            "key": theme.key,
            "title": theme.title,
            "description": theme.description,
            "description_html": theme.description_html,
            "key_question": theme.key_question,
            "position": theme.position,
        }


def _load_charter(imp, items):
    for item in items:
        db.session.add(
            CharterClause(debate_id=imp.debate.id, number=item["number"], text=item["text"])
        )


def charter(view: PublicView):
    for clause in batched(
        db.select(CharterClause).where(CharterClause.debate_id == view.debate.id), CharterClause
    ):
        yield {"number": clause.number, "text": clause.text}


def _load_scope_items(imp, items):
    for item in items:
        row = ScopeItem(
            debate_id=imp.debate.id,
            question=item["question"],
            in_scope=item["in_scope"],
            rationale=item["rationale"],
            rationale_html=render_markdown(item["rationale"]),
            competence=Competence(item["competence"]),
            status=ScopeStatus(item["status"]),
            status_reason=item["status_reason"],
            author_id=imp.authors.get(item["author"]),
            created_at=_moment(item["created_at"]),
            decided_at=_moment(item["decided_at"]),
            moderation_status=ModerationStatus.PUBLISHED,
        )
        imp.add("scope_item", item["id"], row)


def scope_items(view: PublicView):
    for item in batched(public.published_scope_items(view.debate), ScopeItem):
        yield {
            "id": view.scope_items(item.id),
            "question": item.question,
            "in_scope": item.in_scope,
            "rationale": item.rationale,
            "rationale_html": item.rationale_html,
            "competence": item.competence.value,
            "status": item.status.value,
            "status_reason": item.status_reason,
            "author": view.author(item.author_id),
            "created_at": item.created_at,
            "decided_at": item.decided_at,
        }


def _load_modalities(imp, items):
    for item in items:
        db.session.add(
            Modality(
                debate_id=imp.debate.id,
                kind=ModalityKind(item["kind"]),
                title=item["title"],
                starts_at=_moment(item["starts_at"]),
                ends_at=_moment(item["ends_at"]),
                location=item["location"],
                online_url=item["online_url"],
                description=item["description"],
                description_html=render_markdown(item["description"]),
            )
        )


def modalities(view: PublicView):
    for m in batched(db.select(Modality).where(Modality.debate_id == view.debate.id), Modality):
        yield {
            "kind": m.kind.value,
            "title": m.title,
            "starts_at": m.starts_at,
            "ends_at": m.ends_at,
            "location": m.location,
            "online_url": m.online_url,
            "description": m.description,
            "description_html": m.description_html,
        }


# --- expertise -------------------------------------------------------------------------------


def _load_needs(imp, items):
    for item in items:
        db.session.add(
            ExpertiseNeed(
                debate_id=imp.debate.id,
                theme_id=imp.themes[item["theme"]],
                question=item["question"],
                status=NeedStatus(item["status"]),
                created_at=_moment(item["created_at"]),
                covered_at=_moment(item["covered_at"]),
            )
        )


def expertise_needs(view: PublicView):
    for need in batched(
        db.select(ExpertiseNeed).where(ExpertiseNeed.debate_id == view.debate.id), ExpertiseNeed
    ):
        yield {
            "theme": view.theme(need.theme_id),
            "question": need.question,
            "status": need.status.value,
            "created_at": need.created_at,
            "covered_at": need.covered_at,
        }


def _load_experts(imp, items):
    themes = {
        t.key: t
        for t in db.session.scalars(db.select(Theme).where(Theme.debate_id == imp.debate.id))
    }
    for item in items:
        row = Expert(
            debate_id=imp.debate.id,
            name=item["name"],
            affiliation=item["affiliation"],
            kind=ExpertKind(item["kind"]),
            declaration_of_interests=item["declaration_of_interests"],
            declaration_html=render_markdown(item["declaration_of_interests"]),
            declared_at=_moment(item["declared_at"]),
            created_at=_moment(item["created_at"]),
            themes=[themes[key] for key in item["themes"]],
        )
        imp.add("expert", item["id"], row)


def experts(view: PublicView):
    stmt = public.declared_experts(view.debate).options(selectinload(Expert.themes))
    for expert in batched(stmt, Expert):
        yield {
            "id": view.experts(expert.id),
            "name": expert.name,
            "affiliation": expert.affiliation,
            "kind": expert.kind.value,
            "themes": [t.key for t in expert.themes],
            "declaration_of_interests": expert.declaration_of_interests,
            "declaration_html": expert.declaration_html,
            "declared_at": expert.declared_at,
            "created_at": expert.created_at,
        }


def _source(source) -> dict:
    return {
        "url": source.url,
        "title": source.title,
        "publisher": source.publisher,
        "published_on": source.published_on,
        "kind": str(source.kind),
        "excerpt": source.excerpt,
    }


def _expertise_sources(items, **owner):
    return [
        ExpertiseSource(
            position=i,
            url=s["url"],
            url_normalized=normalize_url(s["url"]),
            title=s["title"],
            publisher=s["publisher"],
            published_on=_date(s["published_on"]),
            kind=s["kind"],
            excerpt=s["excerpt"],
            **owner,
        )
        for i, s in enumerate(items)
    ]


def _load_contributions(imp, items):
    for item in items:
        row = ExpertContribution(
            debate_id=imp.debate.id,
            expert_id=imp.id_of("expert", item["expert"]),
            theme_id=imp.themes[item["theme"]],
            kind=ContributionKind(item["kind"]),
            title=item["title"],
            body=item["body"],
            body_html=render_markdown(item["body"]),
            created_at=_moment(item["created_at"]),
            sources=_expertise_sources(item["sources"]),
        )
        imp.add("contribution", item["id"], row)


def contributions(view: PublicView):
    stmt = public.public_contributions(view.debate).options(
        selectinload(ExpertContribution.sources)
    )
    for c in batched(stmt, ExpertContribution):
        yield {
            "id": view.contributions(c.id),
            "expert": view.experts(c.expert_id),
            "theme": view.theme(c.theme_id),
            "kind": c.kind.value,
            "title": c.title,
            "body": c.body,
            "body_html": c.body_html,
            "created_at": c.created_at,
            "sources": [_source(s) for s in c.sources],
        }


def _load_questions(imp, items):
    for item in items:
        row = Question(
            debate_id=imp.debate.id,
            theme_id=imp.themes[item["theme"]],
            author_id=imp.authors.get(item["author"]),
            body=item["body"],
            body_html=render_markdown(item["body"]),
            status=QuestionStatus(item["status"]),
            asked_at=_moment(item["asked_at"]),
            due_on=_date(item["due_on"]),
            answer=item["answer"],
            answer_html=render_markdown(item["answer"]) if item["answer"] else "",
            answer_expert_id=imp.id_of("expert", item["answer_expert"]),
            answered_at=_moment(item["answered_at"]),
            answered_on=_date(item["answered_on"]),
            moderation_status=ModerationStatus.PUBLISHED,
            sources=_expertise_sources(item["sources"]),
        )
        imp.add("question", item["id"], row)


def questions(view: PublicView):
    stmt = public.published_questions(view.debate).options(selectinload(Question.sources))
    for q in batched(stmt, Question):
        yield {
            "id": view.questions(q.id),
            "theme": view.theme(q.theme_id),
            "author": view.author(q.author_id),
            "body": q.body,
            "body_html": q.body_html,
            "status": q.status.value,
            "asked_at": q.asked_at,
            "due_on": q.due_on,
            "answer": q.answer,
            "answer_html": q.answer_html,
            "answer_expert": view.experts(q.answer_expert_id),
            "answered_at": q.answered_at,
            "answered_on": q.answered_on,
            "answered_late": q.answered_late,
            "sources": [_source(s) for s in q.sources],
        }


def _load_resources(imp, items):
    for item in items:
        db.session.add(
            Resource(
                debate_id=imp.debate.id,
                theme_id=imp.themes.get(item["theme"]),
                title=item["title"],
                publisher=item["publisher"],
                published_on=_date(item["published_on"]),
                url=item["url"],
                licence=item["licence"],
                kind=ResourceKind(item["kind"]),
                created_at=_moment(item["created_at"]),
            )
        )


def resources(view: PublicView):
    for r in batched(db.select(Resource).where(Resource.debate_id == view.debate.id), Resource):
        yield {
            "theme": view.theme(r.theme_id),
            "title": r.title,
            "publisher": r.publisher,
            "published_on": r.published_on,
            "url": r.url,
            "licence": r.licence,
            "kind": r.kind.value,
            "created_at": r.created_at,
        }


def _load_glossary(imp, items):
    for item in items:
        db.session.add(
            GlossaryTerm(
                debate_id=imp.debate.id,
                term=item["term"],
                term_key=fold(item["term"]),
                definition=item["definition"],
                definition_html=render_markdown(item["definition"]),
                created_at=_moment(item["created_at"]),
            )
        )


def glossary(view: PublicView):
    for t in batched(
        db.select(GlossaryTerm).where(GlossaryTerm.debate_id == view.debate.id), GlossaryTerm
    ):
        yield {
            "term": t.term,
            "definition": t.definition,
            "definition_html": t.definition_html,
            "created_at": t.created_at,
        }


# --- positions (the answers proposed to an open question) ------------------------------------


def _load_positions(imp, items):
    for item in items:
        row = Position(
            debate_id=imp.debate.id,
            theme_id=imp.themes.get(item["theme"]),
            title=item["title"],
            body=item["body"],
            body_html=render_markdown(item["body"]),
            author_id=imp.authors.get(item["author"]),
            status=ModerationStatus.PUBLISHED,
            # The count the export carries: who endorsed is not public.
            endorsements_count=item["endorsements"],
            created_at=_moment(item["created_at"]),
        )
        imp.add("position", item["id"], row)


def positions(view: PublicView):
    """Published positions (none in a yes or no debate), with their endorsement counts."""
    for p in batched(public.published_positions(view.debate), Position):
        yield {
            "id": view.positions(p.id),
            "theme": view.theme(p.theme_id),
            "title": p.title,
            "body": p.body,
            "body_html": p.body_html,
            "author": view.author(p.author_id),
            "endorsements": p.endorsements_count,
            "created_at": p.created_at,
        }


# --- arguments -------------------------------------------------------------------------------


def _load_arguments(imp, items):
    for item in items:
        parent_id = imp.id_of("argument", item["parent"])
        root_id = None
        if parent_id:
            parent_root = db.session.scalar(
                db.select(Argument.root_id).where(Argument.id == parent_id)
            )
            root_id = parent_root or parent_id
        row = Argument(
            debate_id=imp.debate.id,
            theme_id=imp.themes[item["theme"]],
            stance=Stance(item["stance"]),
            title=item["title"],
            body=item["body"],
            body_html=render_markdown(item["body"]),
            author_id=imp.authors.get(item["author"]),
            status=ArgumentStatus.PUBLISHED,
            parent_id=parent_id,
            root_id=root_id,
            position_id=imp.id_of("position", item.get("position")),
            relation=Relation(item["relation"]) if item["relation"] else None,
            replies_count=item["replies_count"],
            endorsements_count=item["endorsements"],
            created_at=_moment(item["created_at"]),
            updated_at=_moment(item["updated_at"]),
            search_text=search.search_text_for(item["title"], item["body"], item["sources"]),
            sources=[
                ArgumentSource(
                    position=i,
                    url=s["url"],
                    normalized_url=normalize_url(s["url"]),
                    title=s["title"],
                    publisher=s["publisher"],
                    published_on=_date(s["published_on"]),
                    kind=s["kind"],
                    excerpt=s["excerpt"],
                )
                for i, s in enumerate(item["sources"])
            ],
        )
        imp.add("argument", item["id"], row)


def arguments(view: PublicView):
    """Published arguments only, with their sources, relation and endorsement count."""
    for batch in _batches(batched(public.published_arguments(view.debate), Argument)):
        sources = view.sources_of([a.id for a in batch])
        for a in batch:
            yield {
                "id": view.arguments(a.id),
                "theme": view.theme(a.theme_id),
                "stance": a.stance.value,
                "title": a.title,
                "body": a.body,
                "body_html": a.body_html,
                "author": view.author(a.author_id),
                "parent": view.arguments(a.parent_id),
                "relation": a.relation.value if a.relation else None,
                # In an open debate, the position argued (an answer's is its parent's).
                "position": view.positions(a.position_id),
                "replies_count": a.replies_count,
                "endorsements": a.endorsements_count,
                "created_at": a.created_at,
                "updated_at": a.updated_at,
                "sources": [_source(s) for s in sources.get(a.id, [])],
            }


def _batches(rows):
    size, batch = public.BATCH, []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- moderation ------------------------------------------------------------------------------

# The kinds of item the log's targets refer to (the document's own ids of arguments, questions,
# scope items, positions).
_TARGET_KINDS = ("argument", "question", "scope_item", "position")
# Kinds the log names whose items the document does not hold (comments on draft recommendations):
# their decisions are exported and imported without the item's id.
_UNEXPORTED_KINDS = ("recommendation_comment",)


def _load_moderation(imp, items):
    for item in items:
        target = item["target"]["type"]
        if target not in _TARGET_KINDS + _UNEXPORTED_KINDS:
            raise ValueError(f"unknown moderation target type {target!r}")
        target_id = imp.id_of(target, item["target"]["id"]) if target in _TARGET_KINDS else None
        db.session.add(
            ModerationEvent(
                debate_id=imp.debate.id,
                at=_moment(item["at"]),
                action=Action(item["action"]),
                target_type=target,
                target_id=target_id or 0,
                clause_number=item["clause"],
                clause_text=item["clause_text"],
                moderator_role=item["moderator_role"] or "",
                automatic=item["automatic"],
            )
        )


def moderation_log(view: PublicView):
    """The public log: what was decided, on which kind of item, under which clause; never who."""
    ranks = {
        "argument": view.arguments,
        "question": view.questions,
        "scope_item": view.scope_items,
        "position": view.positions,
    }
    stmt = db.select(ModerationEvent).where(ModerationEvent.debate_id == view.debate.id)
    for e in batched(stmt, ModerationEvent):
        yield {
            "at": e.at,
            "action": e.action.value,
            # The id of a target that is not public (hidden, rejected) stays out of the export.
            "target": {
                "type": e.target_type,
                "id": ranks[e.target_type](e.target_id) if e.target_type in ranks else None,
            },
            "clause": e.clause_number,
            "clause_text": e.clause_text,
            "moderator_role": e.moderator_role or None,
            "automatic": e.automatic,
        }


# --- workshops -------------------------------------------------------------------------------


def _load_workshops(imp, items):
    for item in items:
        workshop = Workshop(
            debate_id=imp.debate.id,
            title=item["title"],
            held_on=_date(item["held_on"]),
            format=WorkshopFormat(item["format"]),
            duration_minutes=item["duration_minutes"],
            participants_count=item["participants_count"],
            facilitators=item["facilitators"],
            tools=item["tools"],
            summary=item["summary"],
            summary_html=render_markdown(item["summary"]),
            panel_session=bool(item.get("panel_session", False)),
            created_at=_moment(item["created_at"]),
            agenda=[
                AgendaItem(
                    position=i,
                    title=a["title"],
                    duration_minutes=a["duration_minutes"],
                    mode=AgendaMode(a["mode"]),
                    description=a["description"],
                    description_html=render_markdown(a["description"]),
                )
                for i, a in enumerate(item["agenda"])
            ],
        )
        imp.add("workshop", item["id"], workshop)
        for note in item["notes"]:
            row = WorkshopNote(
                workshop_id=workshop.id,
                kind=NoteKind(note["kind"]),
                group=note["group"],
                cluster=note["cluster"],
                text=note["text"],
                theme_id=imp.themes.get(note["theme"]),
                created_at=_moment(note["created_at"]),
            )
            imp.add("note", note["id"], row)
            if note["promoted_to_argument"]:
                db.session.add(
                    WorkshopPromotion(
                        note_id=row.id,
                        argument_id=imp.id_of("argument", note["promoted_to_argument"]),
                    )
                )


def workshops(view: PublicView):
    """Workshops with their agenda and every note (notes carry no personal data)."""
    stmt = public.workshops(view.debate).options(selectinload(Workshop.agenda))
    for w in batched(stmt, Workshop):
        notes = []
        note_stmt = (
            db.select(WorkshopNote, WorkshopPromotion.argument_id)
            .outerjoin(WorkshopPromotion, WorkshopPromotion.note_id == WorkshopNote.id)
            .where(WorkshopNote.workshop_id == w.id)
            .order_by(WorkshopNote.id)
        )
        for note, argument_id in db.session.execute(note_stmt):
            notes.append(
                {
                    "id": view.notes(note.id),
                    "kind": note.kind.value,
                    "group": note.group,
                    "cluster": note.cluster,
                    "text": note.text,
                    "theme": view.theme(note.theme_id),
                    "created_at": note.created_at,
                    "promoted_to_argument": view.arguments(argument_id),
                }
            )
        yield {
            "id": view.workshops(w.id),
            "title": w.title,
            "held_on": w.held_on,
            "format": w.format.value,
            "duration_minutes": w.duration_minutes,
            "participants_count": w.participants_count,
            "facilitators": w.facilitators,
            "tools": list(w.tools or []),
            "summary": w.summary,
            "summary_html": w.summary_html,
            "panel_session": w.panel_session,
            "created_at": w.created_at,
            "agenda": [
                {
                    "title": a.title,
                    "duration_minutes": a.duration_minutes,
                    "mode": a.mode.value,
                    "description": a.description,
                    "description_html": a.description_html,
                }
                for a in w.agenda
            ],
            "notes": notes,
        }


# The document's sections, in order; the outcome's come last: they refer to arguments,
# contributions and workshop notes.
SECTIONS: tuple[Section, ...] = (
    Section("participants", participants, _load_participants, lambda v: len(v.authors)),
    Section("phases", phases, _load_phases),
    Section("phase_changes", phase_changes, _load_phase_changes),
    Section("themes", themes, _load_themes),
    Section("charter", charter, _load_charter),
    Section("scope_items", scope_items, _load_scope_items, lambda v: len(v.scope_items)),
    Section("modalities", modalities, _load_modalities),
    Section("expertise_needs", expertise_needs, _load_needs),
    Section("experts", experts, _load_experts, lambda v: len(v.experts)),
    Section("contributions", contributions, _load_contributions, lambda v: len(v.contributions)),
    Section("questions", questions, _load_questions, lambda v: len(v.questions)),
    Section("resources", resources, _load_resources),
    Section("glossary", glossary, _load_glossary),
    Section("positions", positions, _load_positions, lambda v: len(v.positions)),
    Section("arguments", arguments, _load_arguments, lambda v: len(v.arguments)),
    Section("moderation_log", moderation_log, _load_moderation),
    Section("workshops", workshops, _load_workshops, lambda v: len(v.workshops) + len(v.notes)),
    *outcome.SECTIONS,
)
