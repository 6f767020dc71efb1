"""Read an export document back into this instance as a new debate (flask --app debate import).

The document is checked whole before anything is written, with the API's own schemas (each item's
schema extends the domain's write schema of debate/*/schemas.py) and the API's rules for values
(core.sources.url_problem for links, the slug and theme-key rules, the columns' lengths), then
cleaned like any text written through the API (core.sanitize.clean_text). One invalid value refuses
the whole file, naming the section, the item and the field (`modalities.0.online_url`); nothing is
written. References between items (a theme key, an author key, an expert's id…) must name an item
of the document.

The export carries display names only, so each author becomes a placeholder account: no usable
e-mail (an address under the reserved `.invalid` domain) and no password (a hash nothing matches),
so nobody can sign in with it or reset its password. Arguments and positions keep their endorsement
counts, not who endorsed (that is not public). Timestamps are kept; HTML is rendered again from the
Markdown.
"""

import secrets
from collections.abc import Callable, Iterator
from datetime import datetime

import marshmallow as ma
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import SQLAlchemyError

from debate.accounts.models import User
from debate.arguments.models import Argument, ArgumentSource, Relation, Stance
from debate.arguments.schemas import ArgumentCreateSchema, SourceInSchema
from debate.core.errors import Conflict, Invalid
from debate.core.sanitize import clean_text, render_markdown
from debate.core.sources import SOURCE_KINDS, url_problem
from debate.debates.models import (
    DEFAULT_SETTINGS,
    CharterClause,
    Competence,
    Debate,
    Modality,
    Phase,
    PhaseChange,
    QuestionKind,
    ScopeItem,
    ScopeStatus,
    Theme,
)
from debate.debates.operations import validate_slug
from debate.debates.phases import PhaseKey
from debate.debates.schemas import (
    ClauseSchema,
    DebateCreateSchema,
    ModalityWriteSchema,
    PhaseDatesSchema,
    ScopeItemCreateSchema,
    SettingsSchema,
    StrictBoolean,
)
from debate.expertise.models import (
    Expert,
    ExpertContribution,
    ExpertiseNeed,
    ExpertiseSource,
    GlossaryTerm,
    Question,
    QuestionStatus,
    Resource,
)
from debate.expertise.operations import THEME_KEY_MAX, THEME_KEY_RE
from debate.expertise.schemas import (
    ContributionWriteSchema,
    ExpertWriteSchema,
    NeedWriteSchema,
    QuestionWriteSchema,
    ResourceWriteSchema,
    TermWriteSchema,
    ThemeWriteSchema,
)
from debate.extensions import db
from debate.moderation.models import Action, ModerationEvent
from debate.opendata.document import FORMAT, SECTIONS, VERSION
from debate.outcome.models import (
    Commitment,
    Consensus,
    Decision,
    FollowUp,
    Observation,
    Origin,
    Recommendation,
    RecommendationLink,
    Response,
)
from debate.outcome.schemas import (
    CommitmentInSchema,
    FollowUpInSchema,
    ObservationInSchema,
    RecommendationCreateSchema,
    ResponseInSchema,
)
from debate.positions.models import Position
from debate.positions.schemas import PositionCreateSchema
from debate.workshops.models import (
    AgendaItem,
    AgendaMode,
    NoteKind,
    Workshop,
    WorkshopFormat,
    WorkshopNote,
)
from debate.workshops.schemas import AgendaCreateSchema, NoteCreateSchema, WorkshopCreateSchema

# A password hash that no password matches (werkzeug cannot parse it).
NO_PASSWORD = "!imported"
PLACEHOLDER_DOMAIN = "placeholder.invalid"
# How many problems the refusal's message lists (all are in its fields).
LISTED = 10


class Importer:
    """Maps from the document's local ids and keys to the rows written here."""

    def __init__(self, debate: Debate):
        self.debate = debate
        self.themes: dict[str, int] = {}
        self.authors: dict[str, int] = {}
        self._ids: dict[str, dict[int, int]] = {}

    def add(self, kind: str, local_id: int, row) -> None:
        """Write a row and remember which database id the document's `local_id` became."""
        db.session.add(row)
        db.session.flush()
        self._ids.setdefault(kind, {})[local_id] = row.id

    def id_of(self, kind: str, local_id: int | None) -> int | None:
        return self._ids.get(kind, {}).get(local_id) if local_id is not None else None

    @staticmethod
    def placeholder(display_name: str) -> int:
        """An account that shows a display name and cannot sign in."""
        user = User(
            email=f"imported-{secrets.token_hex(8)}@{PLACEHOLDER_DOMAIN}",
            display_name=display_name[:60],
            password_hash=NO_PASSWORD,
        )
        db.session.add(user)
        db.session.flush()
        return user.id


# --- what a valid document holds: the API's schemas, extended with the export's own fields -------


def enum(kind) -> ma.validate.OneOf:
    return ma.validate.OneOf([member.value for member in kind])


class Url(ma.fields.String):
    """An absolute http(s) link, by the rule every link written through the API follows."""

    def _deserialize(self, value, attr, data, **kwargs):
        url = super()._deserialize(value, attr, data, **kwargs).strip()
        problem = url_problem(url)
        if problem:
            raise ma.ValidationError(problem)
        return url


class OptionalUrl(Url):
    """A link that may be left empty (a modality's online address)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and not value.strip():
            return ""
        return super()._deserialize(value, attr, data, **kwargs)


def _not_blank(value) -> None:
    if isinstance(value, str) and not clean_text(value):
        raise ma.ValidationError(str(_l("This field is required.")))


def _theme_key(value) -> None:
    if not THEME_KEY_RE.match(value or "") or len(value) > THEME_KEY_MAX:
        raise ma.ValidationError(
            str(_l("Use lower-case letters, digits and hyphens, for example uses-services."))
        )


def _slug(value) -> None:
    try:
        validate_slug(value)
    except Invalid as exc:
        raise ma.ValidationError([str(m) for m in exc.fields["slug"]]) from None


def ref(kind: str, **kwargs):
    """An item's reference to another of the document (by id, or by key for themes and authors)."""
    field = ma.fields.String if kind in ("themes", "participants") else ma.fields.Integer
    extra = {} if field is ma.fields.String else {"strict": True}
    return field(metadata={"refers_to": kind}, **extra, **kwargs)


def local_id(kind: str):
    """The item's own id in the document (unique among its kind)."""
    return ma.fields.Integer(strict=True, metadata={"identifies": kind})


def moment(**kwargs):
    return ma.fields.AwareDateTime(**kwargs)


class ImportSchema(ma.Schema):
    """An item of the document. Every field it names must be there (the export writes them all),
    except those in `optional`; a field the API requires may not be blank; text fits its column of
    `model`; fields the import does not read (the HTML, computed counts) are ignored."""

    model = None
    optional: tuple[str, ...] = ()

    class Meta:
        unknown = ma.EXCLUDE

    def on_bind_field(self, field_name, field_obj):
        # The field is this instance's shallow copy of the class's: its lists are new ones.
        rules = list(field_obj.validators)
        if field_obj.required and isinstance(field_obj, ma.fields.String):
            rules.append(_not_blank)
        field_obj.required = field_name not in self.optional
        column = self.model.__table__.columns.get(field_name) if self.model is not None else None
        length = getattr(column.type, "length", None) if column is not None else None
        if isinstance(field_obj, ma.fields.String) and isinstance(length, int):
            rules.append(ma.validate.Length(max=length))
        field_obj.validators = rules


def importing(api_schema, *, model=None, optional=(), leave_out=()):
    """An item schema made of an API write schema (its fields and rules) and the fields added in
    the class that uses it; `leave_out` names the API's fields the export writes otherwise."""
    meta = type("Meta", (), {"unknown": ma.EXCLUDE, "exclude": tuple(leave_out)})
    return type(
        f"Import{api_schema.__name__}",
        (ImportSchema, api_schema),
        {"model": model, "optional": tuple(optional), "Meta": meta},
    )


class SourceItem(importing(SourceInSchema, model=ArgumentSource)):
    url = Url(required=True)
    published_on = ma.fields.Date(allow_none=True)
    excerpt = ma.fields.String(allow_none=True)


class Header(
    importing(
        DebateCreateSchema,
        model=Debate,
        # Exports written before open questions existed have no kind: a yes or no question.
        optional=("settings", "created_at", "question_kind"),
    )
):
    slug = ma.fields.String(required=True, validate=_slug)
    current_phase = ma.fields.String(validate=enum(PhaseKey))
    settings = ma.fields.Nested(SettingsSchema, allow_none=True)
    created_at = moment(allow_none=True)

    class Meta:
        unknown = ma.EXCLUDE
        exclude = ("phases",)


class Participant(ImportSchema):
    model = User
    key = ma.fields.String(validate=_not_blank, metadata={"identifies": "participants"})
    display_name = ma.fields.String(validate=_not_blank)


class PhaseItem(importing(PhaseDatesSchema, model=Phase)):
    position = ma.fields.Integer(strict=True)


class PhaseChangeItem(ImportSchema):
    model = PhaseChange
    at = moment()
    from_phase = ma.fields.String(validate=enum(PhaseKey))
    to_phase = ma.fields.String(validate=enum(PhaseKey))
    reason = ma.fields.String()


class ThemeItem(importing(ThemeWriteSchema, model=Theme)):
    key = ma.fields.String(required=True, validate=_theme_key, metadata={"identifies": "themes"})
    position = ma.fields.Integer(strict=True)


class ClauseItem(importing(ClauseSchema, model=CharterClause)):
    pass


class ScopeItemItem(importing(ScopeItemCreateSchema, model=ScopeItem)):
    id = local_id("scope_items")
    status = ma.fields.String(validate=enum(ScopeStatus))
    status_reason = ma.fields.String()
    author = ref("participants", allow_none=True)
    created_at = moment()
    decided_at = moment(allow_none=True)


class ModalityItem(importing(ModalityWriteSchema, model=Modality)):
    online_url = OptionalUrl()


class NeedItem(importing(NeedWriteSchema, model=ExpertiseNeed)):
    theme = ref("themes", required=True)
    created_at = moment()
    covered_at = moment(allow_none=True)


class ExpertItem(importing(ExpertWriteSchema, model=Expert)):
    id = local_id("experts")
    themes = ma.fields.List(ref("themes"))
    declared_at = moment(allow_none=True)
    created_at = moment()


class ExpertiseSourceItem(SourceItem):
    model = ExpertiseSource


class ContributionItem(importing(ContributionWriteSchema, leave_out=("expert_id",))):
    model = ExpertContribution
    id = local_id("contributions")
    expert = ref("experts")
    theme = ref("themes", required=True)
    created_at = moment()
    sources = ma.fields.List(ma.fields.Nested(ExpertiseSourceItem))


class QuestionItem(importing(QuestionWriteSchema, model=Question)):
    id = local_id("questions")
    theme = ref("themes", required=True)
    author = ref("participants", allow_none=True)
    status = ma.fields.String(validate=enum(QuestionStatus))
    asked_at = moment()
    due_on = ma.fields.Date(allow_none=True)
    answer = ma.fields.String(allow_none=True)
    answer_expert = ref("experts", allow_none=True)
    answered_at = moment(allow_none=True)
    answered_on = ma.fields.Date(allow_none=True)
    sources = ma.fields.List(ma.fields.Nested(ExpertiseSourceItem))


class ResourceItem(importing(ResourceWriteSchema, model=Resource)):
    url = Url(required=True)
    theme = ref("themes", allow_none=True)
    created_at = moment()


class TermItem(importing(TermWriteSchema, model=GlossaryTerm)):
    created_at = moment()


class PositionItem(importing(PositionCreateSchema, model=Position)):
    id = local_id("positions")
    theme = ref("themes", allow_none=True)
    author = ref("participants", allow_none=True)
    endorsements = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=0))
    created_at = moment()


class ArgumentItem(
    importing(
        ArgumentCreateSchema,
        model=Argument,
        # Exports written before open questions existed have no position.
        optional=("position",),
        leave_out=("parent_id", "position_id"),
    )
):
    id = local_id("arguments")
    theme = ref("themes", required=True)
    stance = ma.fields.String(validate=enum(Stance))
    author = ref("participants", allow_none=True)
    parent = ref("arguments", allow_none=True)
    position = ref("positions", allow_none=True)
    relation = ma.fields.String(allow_none=True, validate=enum(Relation))
    replies_count = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=0))
    endorsements = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=0))
    created_at = moment()
    updated_at = moment()
    sources = ma.fields.List(ma.fields.Nested(SourceItem))


# The kinds of item the moderation log's targets name (see sections.moderation_log).
TARGETS = {
    "argument": "arguments",
    "question": "questions",
    "scope_item": "scope_items",
    "position": "positions",
}
UNEXPORTED_TARGETS = ("recommendation_comment",)


class Target(ImportSchema):
    type = ma.fields.String(validate=ma.validate.OneOf([*TARGETS, *UNEXPORTED_TARGETS]))
    id = ma.fields.Integer(strict=True, allow_none=True, metadata={"refers_to": "@type"})


class ModerationItem(ImportSchema):
    model = ModerationEvent
    at = moment()
    action = ma.fields.String(validate=enum(Action))
    target = ma.fields.Nested(Target)
    clause = ma.fields.Integer(strict=True, allow_none=True)
    clause_text = ma.fields.String()
    moderator_role = ma.fields.String(allow_none=True)
    automatic = StrictBoolean()


class AgendaItemItem(importing(AgendaCreateSchema, model=AgendaItem)):
    mode = ma.fields.String(required=True, validate=enum(AgendaMode))
    description = ma.fields.String()


class NoteItem(importing(NoteCreateSchema, model=WorkshopNote)):
    id = local_id("notes")
    kind = ma.fields.String(required=True, validate=enum(NoteKind))
    group = ma.fields.String()
    cluster = ma.fields.String()
    theme = ref("themes", allow_none=True)
    created_at = moment()
    promoted_to_argument = ref("arguments", allow_none=True)


class WorkshopItem(
    # Exports written before panels existed say nothing of panel sessions: not one.
    importing(WorkshopCreateSchema, model=Workshop, optional=("panel_session",))
):
    id = local_id("workshops")
    held_on = ma.fields.Date(required=True)
    format = ma.fields.String(required=True, validate=enum(WorkshopFormat))
    summary = ma.fields.String()
    created_at = moment()
    agenda = ma.fields.List(ma.fields.Nested(AgendaItemItem))
    notes = ma.fields.List(ma.fields.Nested(NoteItem))


class LinkedSource(ImportSchema):
    model = RecommendationLink
    url = Url()
    title = ma.fields.String()
    publisher = ma.fields.String()
    kind = ma.fields.String(allow_none=True, validate=ma.validate.OneOf(SOURCE_KINDS))


class Links(ImportSchema):
    optional = ("positions",)  # exports written before open questions existed have none
    arguments = ma.fields.List(ref("arguments"))
    sources = ma.fields.List(ma.fields.Nested(LinkedSource))
    expert_contributions = ma.fields.List(ref("contributions"))
    workshop_notes = ma.fields.List(ref("notes"))
    positions = ma.fields.List(ref("positions"))


class CommitmentItem(importing(CommitmentInSchema, model=Commitment)):
    due_on = ma.fields.Date(required=True)
    done_on = ma.fields.Date(allow_none=True)


class ResponseItem(importing(ResponseInSchema, model=Response)):
    decision = ma.fields.String(required=True, validate=enum(Decision))
    justification = ma.fields.String()
    commitments = ma.fields.List(ma.fields.Nested(CommitmentItem))
    published_at = moment(allow_none=True)
    updated_at = moment(allow_none=True)


class FollowUpItem(
    importing(FollowUpInSchema, model=FollowUp, leave_out=("commitment_id", "done"))
):
    created_at = moment()


class RecommendationItem(
    importing(
        RecommendationCreateSchema,
        model=Recommendation,
        leave_out=(
            "argument_ids",
            "source_urls",
            "expert_contribution_ids",
            "workshop_note_ids",
            "position_ids",
            "open_for_comments",
        ),
    )
):
    id = local_id("recommendations")
    number = ma.fields.Integer(strict=True, allow_none=True)
    version = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1))
    area = ref("themes", required=True)
    origin = ma.fields.String(required=True, validate=enum(Origin))
    competence = ma.fields.String(required=True, validate=enum(Competence))
    consensus = ma.fields.String(required=True, validate=enum(Consensus))
    rationale = ma.fields.String()
    dissent = ma.fields.String(allow_none=True)
    created_at = moment()
    updated_at = moment()
    published_at = moment(allow_none=True)
    links = ma.fields.Nested(Links)
    response = ma.fields.Nested(ResponseItem, allow_none=True)
    follow_ups = ma.fields.List(ma.fields.Nested(FollowUpItem))


class ObservationItem(importing(ObservationInSchema, model=Observation)):
    created_at = moment()


HEADER = Header
# Each section's item schema (tests/opendata/test_import_validation.py corrupts every field).
ITEMS: dict[str, type[ImportSchema]] = {
    "participants": Participant,
    "phases": PhaseItem,
    "phase_changes": PhaseChangeItem,
    "themes": ThemeItem,
    "charter": ClauseItem,
    "scope_items": ScopeItemItem,
    "modalities": ModalityItem,
    "expertise_needs": NeedItem,
    "experts": ExpertItem,
    "contributions": ContributionItem,
    "questions": QuestionItem,
    "resources": ResourceItem,
    "glossary": TermItem,
    "positions": PositionItem,
    "arguments": ArgumentItem,
    "moderation_log": ModerationItem,
    "workshops": WorkshopItem,
    "recommendations": RecommendationItem,
    "observations": ObservationItem,
}


# --- checking a document -------------------------------------------------------------------


def _flatten(errors, path: str) -> Iterator[tuple[str, str]]:
    """marshmallow's nested errors as (dotted path, message) pairs."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            yield from _flatten(value, path if key == "_schema" else f"{path}.{key}")
    elif isinstance(errors, list):
        for value in errors:
            yield from _flatten(value, path)
    else:
        yield path, str(errors)


def _walk(
    schema: ma.Schema, data, path: str
) -> Iterator[tuple[str, ma.fields.Field, object, dict]]:
    """(path, field, value, item) of every value of a checked item, nested ones included."""
    if not isinstance(data, dict):
        return
    for name, field in schema.fields.items():
        if name not in data:
            continue
        value, here = data[name], f"{path}.{name}"
        inner = field.inner if isinstance(field, ma.fields.List) else None
        if isinstance(inner, ma.fields.Nested) or isinstance(field, ma.fields.Nested):
            nested = (inner or field).schema
            for i, item in enumerate(value or []) if inner else [(None, value)]:
                yield from _walk(nested, item, here if i is None else f"{here}.{i}")
        elif inner is not None:
            for i, item in enumerate(value or []):
                yield f"{here}.{i}", inner, item, data
        else:
            yield here, field, value, data


def _references(document: dict) -> dict[str, list[str]]:
    """Problems of the references between items: ids used twice, references to nothing."""
    known: dict[str, set] = {}
    problems: dict[str, list[str]] = {}
    walked = [
        (path, field, value, item)
        for name, schema in ITEMS.items()
        for i, entry in enumerate(document.get(name) or [])
        for path, field, value, item in _walk(schema(), entry, f"{name}.{i}")
    ]
    for path, field, value, _item in walked:
        kind = field.metadata.get("identifies")
        if kind and value in known.setdefault(kind, set()):
            problems[path] = [str(_l("This id is used twice in the file."))]
        elif kind:
            known[kind].add(value)
    for path, field, value, item in walked:
        kind = field.metadata.get("refers_to")
        if kind == "@type":
            kind = TARGETS.get(item.get("type"))
        if kind and value is not None and value not in known.get(kind, set()):
            problems[path] = [str(_l("This refers to nothing in the file."))]
    return problems


def _clean(value):
    """Every text of the document cleaned as the API cleans what it writes."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def check_document(document: dict, slug: str | None = None) -> dict:
    """The document, cleaned, if every item is valid; Invalid naming each problem otherwise."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise Invalid(_l("This file is not a debate export."))
    if document.get("version") != VERSION:
        raise Invalid(_l("Unsupported export version: %(v)s.", v=document.get("version")))
    document = _clean(document)
    problems: dict[str, list[str]] = {}
    try:
        HEADER().load(document.get("debate"))
    except ma.ValidationError as exc:
        for path, message in _flatten(exc.messages, "debate"):
            problems.setdefault(path, []).append(message)
    if slug is not None:
        try:
            _slug(slug)
        except ma.ValidationError as exc:
            problems["slug"] = [str(m) for m in exc.messages]
    for name, schema in ITEMS.items():
        try:
            schema(many=True).load(document.get(name) or [])
        except ma.ValidationError as exc:
            for path, message in _flatten(exc.messages, name):
                problems.setdefault(path, []).append(message)
    if not problems:
        problems = _references(document)
    if problems:
        listed = "; ".join(
            f"{path}: {' '.join(msgs)}" for path, msgs in list(problems.items())[:LISTED]
        )
        if len(problems) > LISTED:
            listed += " " + str(_l("(and %(n)d more)", n=len(problems) - LISTED))
        raise Invalid(
            _l("The export file is not valid, nothing was imported: %(problems)s", problems=listed),
            problems,
        )
    return document


# --- writing it ------------------------------------------------------------------------------


def _new_debate(header: dict, slug: str | None) -> Debate:
    slug = slug or header["slug"]
    if db.session.scalar(sa.select(Debate.id).where(Debate.slug == slug)):
        raise Conflict(
            _l("This address is already taken."), {"slug": [_l("This address is already taken.")]}
        )
    debate = Debate(
        slug=slug,
        title=header["title"],
        municipality=header["municipality"],
        question=header["question"],
        description=header["description"],
        description_html=render_markdown(header["description"]),
        commitment=header["commitment"],
        commitment_html=render_markdown(header["commitment"]),
        template=header["template"],
        question_kind=QuestionKind(header.get("question_kind") or QuestionKind.YES_NO.value),
        published=header["published"],
        current_phase=PhaseKey(header["current_phase"]),
        settings={**DEFAULT_SETTINGS, **(header.get("settings") or {})},
    )
    if header.get("created_at"):
        debate.created_at = datetime.fromisoformat(header["created_at"])
    db.session.add(debate)
    db.session.flush()
    return debate


def import_document(
    document: dict, *, slug: str | None = None, on_section: Callable[[str, int], None] | None = None
) -> Debate:
    """Create the debate described by an export document; flushes, never commits.

    Raises Invalid for a file that is not an export of this format or holds an invalid item (before
    writing anything), Conflict for a taken slug."""

    document = check_document(document, slug)
    try:
        importer = Importer(_new_debate(document["debate"], slug))
        for part in SECTIONS:
            items = document.get(part.name) or []
            part.load(importer, items)
            db.session.flush()
            if on_section:
                on_section(part.name, len(items))
    except (KeyError, TypeError, ValueError, SQLAlchemyError) as exc:
        # What the checks above do not foresee (a section added without its schema): still one
        # refusal, and the caller rolls back whatever was written.
        raise Invalid(
            _l("The export file is incomplete or damaged (%(detail)s).", detail=repr(exc)[:300])
        ) from None
    db.session.expire(importer.debate)
    return importer.debate
