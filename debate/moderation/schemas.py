"""JSON shapes of the moderation: decisions, merges, the queue and the log."""

import marshmallow as ma

from debate.core.api import StrictSchema
from debate.moderation.models import DECISIONS


class DecisionSchema(StrictSchema):
    action = ma.fields.String(
        required=True, validate=ma.validate.OneOf([a.value for a in DECISIONS])
    )
    clause = ma.fields.Integer(allow_none=True, strict=True)
    message = ma.fields.String(allow_none=True)


class MergeSchema(StrictSchema):
    into = ma.fields.Integer(required=True, strict=True)
    # Optional: the number of the charter's clause the merge applies (the one about duplicates).
    clause = ma.fields.Integer(load_default=None, allow_none=True, strict=True)


class ItemStateSchema(ma.Schema):
    """A question or scope proposal after a decision."""

    id = ma.fields.Integer()
    type = ma.fields.String()
    status = ma.fields.String()
    moderated_at = ma.fields.AwareDateTime(allow_none=True)


class QueueItemSchema(ma.Schema):
    type = ma.fields.String()
    id = ma.fields.Integer()
    title = ma.fields.String()
    status = ma.fields.String()
    reason = ma.fields.String()
    author = ma.fields.Function(
        lambda i: {"id": i.author.id, "display_name": i.author.display_name} if i.author else None
    )
    waiting_since = ma.fields.AwareDateTime()
    waited_seconds = ma.fields.Integer()
    reports_count = ma.fields.Integer()
    # The reasons only: who reported is never shown.
    report_reasons = ma.fields.List(ma.fields.String())
    changes_requested = ma.fields.Boolean()


class QueueSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(QueueItemSchema))
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()
    total = ma.fields.Integer()
    counts = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())


def _target(e):
    return {"type": e.target_type, "id": e.target_id}


class LogEntrySchema(ma.Schema):
    """A public log entry: no personal data."""

    id = ma.fields.Integer()
    at = ma.fields.AwareDateTime()
    action = ma.fields.Function(lambda e: e.action.value)
    target = ma.fields.Function(_target)
    clause = ma.fields.Integer(attribute="clause_number", allow_none=True)
    clause_text = ma.fields.String()
    moderator_role = ma.fields.Function(lambda e: e.moderator_role or None)
    automatic = ma.fields.Boolean()
    merged_into = ma.fields.Integer(attribute="merged_into_id", allow_none=True)


class ModeratorLogEntrySchema(LogEntrySchema):
    """For the working group and the guarantor: who acted."""

    moderator = ma.fields.Function(
        lambda e: (
            {"id": e.moderator.id, "display_name": e.moderator.display_name}
            if e.moderator
            else None
        )
    )


class LogPageSchema(ma.Schema):
    """The log envelope; items are LogEntrySchema, or ModeratorLogEntrySchema for the working group
    and the guarantor (dumped by the view, which knows who asks)."""

    items = ma.fields.List(ma.fields.Raw())
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()
    total = ma.fields.Integer()


class StatsSchema(ma.Schema):
    received = ma.fields.Integer()
    published = ma.fields.Integer()
    rejected = ma.fields.Integer()
    hidden = ma.fields.Integer()
    pending = ma.fields.Integer()
    median_seconds = ma.fields.Float(allow_none=True)
