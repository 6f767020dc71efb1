"""Schemathesis against the WSGI app: every operation of the OpenAPI description, with generated
valid and invalid requests, authenticated as a user who is working group and administrator of a
debate full of data. Checks: never a server error, every response conforms to its documented
schema, content type and status code (the catch-all "default" response is removed first, so an
undocumented status fails).

Bounded and reproducible: a fixed number of examples per operation, derandomized."""

import copy
import os
import re

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from debate.debates import operations as debates
from debate.extensions import db
from tests.opendata.helpers import rich_debate

# Examples per operation (valid requests; invalid ones get 60 % of that): about a minute on SQLite
# with 88 operations. DEBATE_FUZZ_EXAMPLES raises it for a deeper run.
POSITIVE_EXAMPLES = int(os.environ.get("DEBATE_FUZZ_EXAMPLES", "10"))
NEGATIVE_EXAMPLES = max(1, POSITIVE_EXAMPLES * 6 // 10)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Calls that would end the fuzzing session itself are sent without the token.
WITHOUT_TOKEN = {("DELETE", "/api/v1/tokens/current"), ("DELETE", "/api/v1/me")}


def _wsgi(app):
    """The app as each request sees it in production: the test's data committed (a savepoint), a
    fresh `g` (the test client shares the test's app context)."""
    from flask.globals import _cv_app

    def application(environ, start_response):
        context = _cv_app.get(None)
        if context is not None:
            context.g = context.app.app_ctx_globals_class()
        db.session.commit()
        return app(environ, start_response)

    return application


def _strict(spec: dict) -> dict:
    spec = copy.deepcopy(spec)
    for methods in spec["paths"].values():
        for operation in methods.values():
            if isinstance(operation, dict):
                operation.get("responses", {}).pop("default", None)
    return spec


def test_fuzz_every_operation(app, client, make):
    debate, people = rich_debate(make)
    fuzzer = make.admin("Fuzz")
    debates.set_member(debate, fuzzer, "working_group")
    headers = make.auth(fuzzer)
    known = {
        "slug": debate.slug,
        "argument_id": _first_id("arguments", debate.id),
        "workshop_id": _first_id("workshops", debate.id),
        "user_id": people["lea"].id,
    }
    db.session.commit()
    spec = _strict(client.get("/api/v1/openapi.json").get_json())
    schema = schemathesis.openapi.from_dict(spec)
    schema.app = _wsgi(app)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 80
    for operation in operations:
        auth = {} if (operation.method.upper(), operation.path) in WITHOUT_TOKEN else headers
        for mode, examples in (
            (schemathesis.GenerationMode.POSITIVE, POSITIVE_EXAMPLES),
            (schemathesis.GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES),
        ):
            try:
                _fuzz(operation, mode, examples, known, auth)
            except Unsatisfiable:
                continue  # nothing to make invalid (no body, no constrained parameter)
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # noqa: BLE001  (an exception group; collected, reported together)
                failures.append(
                    f"{operation.method.upper()} {operation.path} [{mode.value}]: {_short(exc)}"
                )
    assert failures == [], "\n\n".join(failures)


def _fuzz(operation, mode, examples: int, known: dict, auth: dict) -> None:
    counter = iter(range(10**6))

    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        # One case in two aims at the seeded debate and its items, to get past the 404s.
        if next(counter) % 2 == 0 and case.path_parameters:
            for name, value in known.items():
                if name in case.path_parameters:
                    case.path_parameters[name] = value
        case.call_and_validate(headers=auth, checks=CHECKS)

    run()


def _first_id(table: str, debate_id: int) -> int:
    return db.session.execute(
        db.text(f"SELECT min(id) FROM {table} WHERE debate_id = :d"), {"d": debate_id}
    ).scalar()


def _short(exc: Exception) -> str:
    text = str(exc)
    text = re.sub(r"\n\s*\n", "\n", text)
    return text[:1500]
