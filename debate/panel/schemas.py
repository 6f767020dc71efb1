"""Bodies of the panel API (validated here; the operations check the quotas and the answers)."""

import marshmallow as ma

from debate.core.api import StrictSchema
from debate.panel.models import SEED_MAX, Algorithm


class ValueSchema(StrictSchema):
    key = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    min = ma.fields.Integer(required=True, strict=True)
    max = ma.fields.Integer(required=True, strict=True)


class CategorySchema(StrictSchema):
    key = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    values = ma.fields.List(ma.fields.Nested(ValueSchema), required=True)


class PanelSettingsSchema(StrictSchema):
    size = ma.fields.Integer(required=True, strict=True)
    volunteers_until = ma.fields.Date(required=True)
    categories = ma.fields.List(ma.fields.Nested(CategorySchema), required=True)
    algorithm = ma.fields.String(
        load_default=Algorithm.MAXIMIN.value,
        validate=ma.validate.OneOf([a.value for a in Algorithm]),
    )


class PanelSchema(ma.Schema):
    """The panel as anyone sees it: quotas and the pool by value, never who volunteered."""

    size = ma.fields.Integer()
    status = ma.fields.String()
    volunteers_until = ma.fields.Date()
    volunteering_open = ma.fields.Boolean()
    algorithm = ma.fields.String()
    categories = ma.fields.Raw()
    volunteers_count = ma.fields.Integer()
    pool_by_value = ma.fields.Raw()
    draw = ma.fields.Raw(allow_none=True)


class VolunteerSchema(StrictSchema):
    answers = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), required=True)
    consent = ma.fields.Boolean(required=True, truthy={True}, falsy={False})
    show_name = ma.fields.Boolean(load_default=False, truthy={True}, falsy={False})


class VolunteerKeySchema(ma.Schema):
    key = ma.fields.String()
    status = ma.fields.String()


class DrawSchema(StrictSchema):
    seed = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=SEED_MAX)
    )


class ReplacementSchema(StrictSchema):
    declined = ma.fields.List(ma.fields.String(), required=True)
    seed = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=SEED_MAX)
    )


class RecordSchema(ma.Schema):
    """A draw record (operations.draw_record, or one replacement): everything needed to re-run
    it, and no personal data. Its fields are documented here; it is sent as built."""

    seed = ma.fields.String()
    seed_given = ma.fields.Boolean()
    algorithm = ma.fields.String()
    library = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())
    size = ma.fields.Integer()
    categories = ma.fields.Raw()
    pool = ma.fields.List(ma.fields.Dict())
    selected = ma.fields.List(ma.fields.String())
    probabilities = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Float())
    composition = ma.fields.Raw()
    replacements = ma.fields.List(ma.fields.Dict())
    drawn_at = ma.fields.String()

    def dump(self, obj, *args, **kwargs):
        return obj


class ProgressSchema(ma.Schema):
    status = ma.fields.String()
    progress = ma.fields.Raw()
