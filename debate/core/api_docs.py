"""The OpenAPI document turned into what the documentation page shows: operations grouped by tag,
with whether each needs a token (its `security`), their parameters, request body fields and
responses (schemas resolved to field lists)."""

from dataclasses import dataclass, field

METHODS = ("get", "post", "put", "patch", "delete")

# What an operation's `security` asks of the caller: a token (every requirement names a scheme),
# a token or none (one requirement is empty, `{}`), or nothing (no requirement at all).
REQUIRED = "required"
OPTIONAL = "optional"
NONE = "none"


@dataclass
class Field:
    name: str
    type: str
    required: bool = False
    description: str = ""


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    anchor: str
    access: str = NONE
    schemes: list[str] = field(default_factory=list)  # how to send each scheme it accepts
    parameters: list[Field] = field(default_factory=list)
    body: list[Field] = field(default_factory=list)
    responses: list[tuple[str, str, str]] = field(
        default_factory=list
    )  # (code, description, shape)


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _type_of(schema: dict, spec: dict, depth: int = 0) -> str:
    """A short readable type: string, integer, Argument, [Source], {string: integer}…"""
    if not schema:
        return "object"
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    if "allOf" in schema and schema["allOf"]:
        return _type_of(schema["allOf"][0], spec, depth)
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = " | ".join(k for k in kind if k != "null")
    if kind == "array":
        return f"[{_type_of(schema.get('items', {}), spec, depth + 1)}]"
    if "enum" in schema:
        return " | ".join(f'"{v}"' for v in schema["enum"] if v is not None)
    if schema.get("format"):
        return f"{kind} ({schema['format']})"
    return kind


def _resolve(schema: dict, spec: dict) -> dict:
    while "$ref" in schema:
        schema = spec.get("components", {}).get("schemas", {}).get(_ref_name(schema["$ref"]), {})
    return schema


def _fields(schema: dict, spec: dict) -> list[Field]:
    schema = _resolve(schema, spec)
    required = set(schema.get("required", []))
    return [
        Field(name, _type_of(prop, spec), name in required, prop.get("description", ""))
        for name, prop in schema.get("properties", {}).items()
    ]


def _json_schema(content: dict) -> dict | None:
    for media, body in (content or {}).items():
        if "json" in media:
            return body.get("schema", {})
    return None


def _shape(response: dict, spec: dict) -> str:
    content = response.get("content") or {}
    schema = _json_schema(content)
    if schema is not None:
        return _type_of(schema, spec)
    return ", ".join(content) if content else ""


def access(operation: dict, spec: dict) -> tuple[str, list[str]]:
    """(REQUIRED | OPTIONAL | NONE, the schemes it names) from the operation's `security`, or the
    document's when the operation declares none (OpenAPI's rule)."""
    security = operation.get("security", spec.get("security"))
    if not security:
        return NONE, []
    names = sorted({name for requirement in security for name in requirement})
    if not names:
        return NONE, []
    return (OPTIONAL if any(not requirement for requirement in security) else REQUIRED), names


def operations_by_tag(spec: dict) -> list[tuple[str, str, list[Operation]]]:
    """[(tag, its description, operations)] in the order the tags are declared."""
    described = {t["name"]: t.get("description", "") for t in spec.get("tags", [])}
    groups: dict[str, list[Operation]] = {name: [] for name in described}
    how = security_schemes(spec)
    for path, methods in sorted(spec.get("paths", {}).items()):
        shared = methods.get("parameters", [])
        for method in METHODS:
            raw = methods.get(method)
            if raw is None:
                continue
            op = Operation(
                method.upper(),
                path,
                raw.get("summary", ""),
                raw.get("description", ""),
                anchor=f"{method}-{path}".replace("/", "-")
                .replace("{", "")
                .replace("}", "")
                .strip("-"),
            )
            op.access, names = access(raw, spec)
            op.schemes = [how.get(name, name) for name in names]
            for param in shared + raw.get("parameters", []):
                op.parameters.append(
                    Field(
                        f"{param['name']} ({param.get('in', '')})",
                        _type_of(param.get("schema", {}), spec),
                        bool(param.get("required")),
                        param.get("description", ""),
                    )
                )
            body = _json_schema(raw.get("requestBody", {}).get("content", {}))
            if body is not None:
                op.body = _fields(body, spec)
            for code, response in sorted(raw.get("responses", {}).items()):
                op.responses.append((code, response.get("description", ""), _shape(response, spec)))
            for tag in raw.get("tags", ["default"]):
                groups.setdefault(tag, []).append(op)
    return [(tag, described.get(tag, ""), ops) for tag, ops in groups.items() if ops]


def security_schemes(spec: dict) -> dict[str, str]:
    """Each security scheme's name with how a caller sends it (`Authorization: Bearer <token>`)."""
    shown = {}
    for name, scheme in spec.get("components", {}).get("securitySchemes", {}).items():
        if scheme.get("type") == "http" and scheme.get("scheme", "").lower() == "bearer":
            shown[name] = "Authorization: Bearer <token>"
        elif scheme.get("type") == "apiKey":
            shown[name] = f"{scheme.get('in', '')} {scheme.get('name', '')}".strip()
        else:
            shown[name] = scheme.get("type", name)
    return shown


def schemas(spec: dict) -> list[tuple[str, list[Field]]]:
    """Every named schema with its fields, alphabetically."""
    named = spec.get("components", {}).get("schemas", {})
    return [(name, _fields(schema, spec)) for name, schema in sorted(named.items())]
