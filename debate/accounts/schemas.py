"""JSON shapes of accounts."""

import marshmallow as ma

from debate.core.api import StrictSchema


class RegisterSchema(StrictSchema):
    email = ma.fields.String(required=True)
    display_name = ma.fields.String(required=True)
    password = ma.fields.String(required=True, load_only=True)


class PublicUserSchema(ma.Schema):
    id = ma.fields.Integer()
    display_name = ma.fields.String()


class CredentialsSchema(StrictSchema):
    email = ma.fields.String(required=True)
    password = ma.fields.String(required=True, load_only=True)
    label = ma.fields.String(validate=ma.validate.Length(max=80))


class TokenSchema(ma.Schema):
    token = ma.fields.String()
    expires_at = ma.fields.AwareDateTime()


class MembershipSchema(ma.Schema):
    debate = ma.fields.Function(lambda m: m.debate.slug)
    role = ma.fields.Function(lambda m: m.role.value)


class MeSchema(ma.Schema):
    id = ma.fields.Integer()
    email = ma.fields.String()
    display_name = ma.fields.String()
    is_admin = ma.fields.Boolean()
    memberships = ma.fields.List(ma.fields.Nested(MembershipSchema))


class DeleteMeSchema(StrictSchema):
    password = ma.fields.String(required=True, load_only=True)
    mode = ma.fields.String(required=True, validate=ma.validate.OneOf(["anonymize", "delete"]))
