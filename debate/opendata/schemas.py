"""JSON shapes of the open data documents, for the OpenAPI description (the documents are streamed,
not dumped through these schemas)."""

import marshmallow as ma

from debate.opendata.sections import SECTIONS


class LicenceSchema(ma.Schema):
    name = ma.fields.String()
    url = ma.fields.String()


def export_schema() -> type[ma.Schema]:
    """The export document: the debate, then one list per section (README, "Open data");
    open to sections added later."""
    fields = {
        "format": ma.fields.String(metadata={"example": "debate-export"}),
        "version": ma.fields.Integer(),
        "licence": ma.fields.Nested(LicenceSchema),
        "debate": ma.fields.Dict(),
        **{part.name: ma.fields.List(ma.fields.Dict()) for part in SECTIONS},
        "Meta": type("Meta", (), {"unknown": ma.INCLUDE}),
    }
    return type("ExportSchema", (ma.Schema,), fields)


class AifNodeSchema(ma.Schema):
    nodeID = ma.fields.String()
    text = ma.fields.String()
    type = ma.fields.String(metadata={"enum": ["I", "RA", "CA", "MA", "L", "YA"]})
    timestamp = ma.fields.String(allow_none=True)


class AifEdgeSchema(ma.Schema):
    edgeID = ma.fields.String()
    fromID = ma.fields.String()
    toID = ma.fields.String()
    formEdgeID = ma.fields.String(allow_none=True)


class AifLocutionSchema(ma.Schema):
    nodeID = ma.fields.String()
    personID = ma.fields.String()
    timestamp = ma.fields.String()


class AifParticipantSchema(ma.Schema):
    participantID = ma.fields.String()
    firstname = ma.fields.String()
    surname = ma.fields.String()


class AifSchema(ma.Schema):
    nodes = ma.fields.List(ma.fields.Nested(AifNodeSchema))
    edges = ma.fields.List(ma.fields.Nested(AifEdgeSchema))
    locutions = ma.fields.List(ma.fields.Nested(AifLocutionSchema))
    participants = ma.fields.List(ma.fields.Nested(AifParticipantSchema))
