"""Every write flow open to citizens has a named rate limit (debate/core/limits.py).

Generated from the role × phase tables (tests/<domain>/permissions.py): each row that lets a citizen
(or an item's author) send a POST, PUT, PATCH or DELETE in some phase must reach a view guarded by
`limit(...)`. A new citizen write route without one fails here, naming it.
"""

from debate.config import Defaults
from debate.core import limits
from tests.arguments.helpers import argument
from tests.assertions import assert_429_json
from tests.matrix import domain_tables, route_key
from tests.workshops.helpers import with_themes

CITIZENS = ("citizen", "author")
WRITES = ("POST", "PUT", "PATCH", "DELETE")
# Writes that concern only the person's own account and are not contributions others read, with
# why they need no contribution limit.
ACCOUNT_HOUSEKEEPING = {
    "POST /account/notifications/read": "marks one's own notifications read",
    "PUT /api/v1/me/notification-preferences": "one's own e-mail settings",
    "POST /account/notifications/settings": "one's own e-mail settings",
    "POST /account/data/download": "downloads one's own data (writes nothing)",
    "POST /mail/unsubscribe/<token>": "a mail client's one-click unsubscribe (RFC 8058)",
    "DELETE /api/v1/tokens/current": "revokes one's own token",
    "POST /account/tokens/<int:token_id>/revoke": "revokes one's own token",
    "POST /auth/logout": "signs out",
}


def _citizen_writes(app) -> dict[str, str]:
    writes = {}
    for domain, rows in domain_tables().items():
        for row in rows:
            method = row.name.split(" ", 1)[0]
            if method in WRITES and any(row.rule.get(role) for role in CITIZENS):
                writes[route_key(app, row.name)] = domain
    return writes


def _view(app, key):
    method, rule = key.split(" ", 1)
    for url_rule in app.url_map.iter_rules():
        if url_rule.rule == rule and method in url_rule.methods:
            return app.view_functions[url_rule.endpoint]
    raise AssertionError(f"no route {key}")


def test_every_citizen_write_has_a_named_limit(app):
    writes = _citizen_writes(app)
    assert len(writes) > 10, writes  # the tables were read
    missing = sorted(
        key
        for key in writes
        if key not in ACCOUNT_HOUSEKEEPING
        and not set(getattr(_view(app, key), "rate_limits", ())) & set(limits.LIMITS)
    )
    assert not missing, "citizen write routes without a rate limit:\n" + "\n".join(missing)


def test_the_housekeeping_exemptions_are_real_routes_open_to_citizens(app):
    writes = _citizen_writes(app)
    assert set(ACCOUNT_HOUSEKEEPING) <= set(writes), set(ACCOUNT_HOUSEKEEPING) - set(writes)


def test_questions_and_scope_proposals_are_limited_like_arguments(limited, make):  # noqa: F811
    """A citizen cannot send 30 questions in a minute: the contribution limit (2 per minute in
    this app) counts questions, scope proposals and arguments together."""
    debate = with_themes(make.debate(phase="expertise", template="blank"), "health")
    headers = make.auth(make.user())
    path = f"/api/v1/debates/{debate.slug}/questions"
    for n in range(2):
        answer = limited.post(path, headers=headers, json={"theme": "health", "body": f"Q{n} ?"})
        assert answer.status_code == 201, answer.get_json()
    assert_429_json(limited.post(path, headers=headers, json={"theme": "health", "body": "Q ?"}))

    scoping = make.debate(phase="scope", template="blank")
    proposal = {
        "question": "Et les écoles ?",
        "in_scope": True,
        "rationale": "",
        "competence": "municipal",
    }
    other = make.auth(make.user())
    scope_path = f"/api/v1/debates/{scoping.slug}/scope-items"
    for _ in range(2):
        assert limited.post(scope_path, headers=other, json=proposal).status_code == 201
    assert_429_json(limited.post(scope_path, headers=other, json=proposal))


def test_endorsing_has_its_own_limit(limited_app, limited, make):  # noqa: F811
    debate = with_themes(make.debate(phase="arguments", template="blank"), "health")
    shown = argument(debate, make.user(), title="Mesurer avant chaque antenne")
    headers = make.auth(make.user())
    path = f"/api/v1/arguments/{shown.id}/endorsement"
    limited_app.config["RATELIMIT_ENDORSEMENT"] = "3 per minute"
    try:
        for method in ("PUT", "DELETE", "PUT"):
            assert limited.open(path, method=method, headers=headers).status_code == 200
        assert_429_json(limited.delete(path, headers=headers))
    finally:
        limited_app.config["RATELIMIT_ENDORSEMENT"] = Defaults.RATELIMIT_ENDORSEMENT
