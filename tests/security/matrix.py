"""The security matrix: who gets what from every route of the URL map, as one world (tests/security/world.py) sees it.

Roles (tests/security/world.py): anonymous; citizen (signed in, no role); author (wrote the target
argument, question, scope proposal, and owns the target API token); other (another plain citizen);
wg (working group of the debate); wg_other (working group of *another* debate); elected; guarantor
(both of the debate); admin (platform administrator, no role in the debate).

Every (route, method) of the URL map must have a row in EXPECTED (tests/test_matrix.py fails naming
a route without one; `compact()` prints a candidate row to review). Each row says which debate of
the world the URL points at (`phase`, default "arguments"), the body sent (forms: the CSRF token is
added; API: JSON), and the status each role gets:

- an int is the exact status; LOGIN is an HTML redirect to the sign-in page; CLIENT_ERROR is any
  4xx but 401/403 (allowed through, then refused by the operation: never a success, never a 500);
- writes send a valid body where one is given, so 2xx/302 shows the write was allowed; where no
  body is given (`body=None`), an allowed role gets the validation answer (400 for an empty form,
  422 for an empty JSON body): still proof it passed authorization, since refusals are 401/403/404.

Pages are checked with the role's session cookie, the API with the role's bearer token (the API
ignores cookies: tests/core/test_security.py). tests/security/test_authorization_matrix.py runs the
rows; test_csrf.py, test_headers.py and test_xss_stored.py send their requests.
"""

from collections import Counter
from dataclasses import dataclass, field

from tests.factories import PASSWORD
from tests.matrix import url_of
from tests.security.world import ROLES, SOURCE

GROUPS = {
    "everyone": ROLES,
    "signed_in": ROLES[1:],
    "members": ("wg", "elected", "guarantor"),
}
LOGIN = "login"  # an HTML redirect to the sign-in page
CLIENT_ERROR = "4xx"  # allowed through, then refused by the operation: any 4xx but 401/403 (never 2xx, never 500)


def matches(expected, got) -> bool:
    if expected == CLIENT_ERROR:
        return isinstance(got, int) and 400 <= got < 500 and got not in (401, 403)
    return expected == got


@dataclass
class Row:
    """What each role gets from one route and method; how to call it."""

    key: str  # "METHOD /rule"
    statuses: dict
    phase: str = "arguments"
    body: dict | None = None
    params: dict = field(default_factory=dict)
    note: str = ""

    @property
    def method(self) -> str:
        return self.key.split(" ", 1)[0]

    @property
    def rule(self) -> str:
        return self.key.split(" ", 1)[1]


def row(
    key: str,
    *,
    phase: str = "arguments",
    body: dict | None = None,
    params: dict | None = None,
    note: str = "",
    **statuses,
) -> Row:
    """`row("POST /debates/<slug>/phase", signed_in=403, wg=302, anonymous=LOGIN)`: a role's own
    keyword wins over its group's (members, then signed_in, then everyone)."""
    expected: dict = {}
    for group in ("everyone", "signed_in", "members"):
        if group in statuses:
            for role in GROUPS[group]:
                expected[role] = statuses[group]
    for role, status in statuses.items():
        if role not in GROUPS:
            assert role in ROLES, f"{key}: unknown role {role!r}"
            expected[role] = status
    missing = set(ROLES) - set(expected)
    assert not missing, f"{key}: no expected status for {sorted(missing)}"
    return Row(key, expected, phase, body, params or {}, note)


def table(*rows: Row) -> dict[str, Row]:
    keys = [r.key for r in rows]
    duplicated = [k for k, n in Counter(keys).items() if n > 1]
    assert not duplicated, f"rows given twice: {duplicated}"
    return {r.key: r for r in rows}


def observed(response) -> int | str:
    if response.status_code in (301, 302, 303) and "/auth/login" in response.headers.get(
        "Location", ""
    ):
        return LOGIN
    return response.status_code


def compact(key: str, statuses: dict) -> str:
    """A row() line for these statuses (used to print a new route's row for review)."""
    signed = Counter(statuses[r] for r in ROLES[1:]).most_common(1)[0][0]
    parts = [f"signed_in={signed!r}"]
    if statuses["anonymous"] != signed:
        parts.insert(0, f"anonymous={statuses['anonymous']!r}")
    parts += [f"{r}={statuses[r]!r}" for r in ROLES[1:] if statuses[r] != signed]
    text = ", ".join(parts).replace("'login'", "LOGIN")
    return f'    row("{key}", {text}),'


# --- the rows ------------------------------------------------------------------------------

ARGUMENT = {
    "theme": "health",
    "stance": "against",
    "title": "Un argument de test",
    "body": "Un corps d'argument.",
    "sources": [SOURCE],
}
ARGUMENT_FORM = {
    "theme": "health",
    "stance": "against",
    "title": "Un argument de test",
    "body": "Un corps d'argument.",
    "sources-0-url": SOURCE["url"],
    "sources-0-title": SOURCE["title"],
    "sources-0-publisher": SOURCE["publisher"],
    "sources-0-kind": SOURCE["kind"],
}

NEW_PASSWORD = "un autre mot de passe bien long"


def wg(ok, *, api: bool, also: tuple = ()) -> dict:
    """Only the debate's working group (and `also`) may: the others are refused."""
    return {
        "anonymous": 401 if api else LOGIN,
        "signed_in": 403,
        "wg": ok,
        **{role: ok for role in also},
    }


def signed_in(ok, *, api: bool, **exceptions) -> dict:
    """Any signed-in person may; anonymous callers are asked to sign in."""
    return {"anonymous": 401 if api else LOGIN, "signed_in": ok, **exceptions}


ADMIN_API = {"anonymous": 401, "signed_in": 403, "admin": None}
EVERYONE_200 = {"everyone": 200}


def admin_only(ok, *, api: bool) -> dict:
    return {"anonymous": 401 if api else LOGIN, "signed_in": 403, "admin": ok}


EXPECTED = table(
    # --- site and accounts (pages) ------------------------------------------------------
    row("GET /", **EVERYONE_200),
    row("GET /accessibility", **EVERYONE_200),
    row("GET /privacy", **EVERYONE_200),
    row("GET /healthz", **EVERYONE_200),
    row("GET /static/<path:filename>", **EVERYONE_200),
    row("GET /robots.txt", **EVERYONE_200),
    row("GET /brand.css", **EVERYONE_200),
    row("GET /auth/login", anonymous=200, signed_in=302),
    row(
        "POST /auth/login",
        anonymous=302,
        signed_in=302,
        body={"email": "{author_email}", "password": PASSWORD},
    ),
    row("GET /auth/register", anonymous=200, signed_in=302),
    row(
        "POST /auth/register",
        anonymous=302,
        signed_in=302,
        body={
            "email": "nouvelle@example.org",
            "display_name": "Nouvelle venue",
            "password": NEW_PASSWORD,
        },
    ),
    row("POST /auth/logout", everyone=302),
    row("GET /account", **signed_in(200, api=False)),
    row("GET /account/notifications", **signed_in(200, api=False)),
    row("POST /account/notifications/read", **signed_in(302, api=False)),
    row("POST /account/tokens", **signed_in(201, api=False), body={"label": "script"}),
    row(
        "POST /account/tokens/<int:token_id>/revoke",
        **signed_in(404, api=False, author=302),
        note="the token is the author's: anyone else gets a 404, as if it did not exist",
    ),
    row("GET /account/password", **signed_in(200, api=False)),
    row("POST /account/password", **signed_in(422, api=False), note="no body: 422 once signed in"),
    row("GET /account/data", **signed_in(200, api=False)),
    row("GET /admin/audit", **admin_only(200, api=False)),
    row("POST /account/data/download", **signed_in(200, api=False)),
    row("GET /account/delete", **signed_in(200, api=False)),
    row("POST /account/delete", **signed_in(422, api=False), note="no body: 422 once signed in"),
    # --- mail (tests/mail/test_permissions.py has the valid-link cases) ---------------------
    row(
        "GET /auth/confirm/<token>",
        everyone=400,
        params={"token": "not-a-link"},
        note="bad link: clear page",
    ),
    row("POST /account/confirmation", **signed_in(302, api=False), body={}),
    row("GET /auth/reset", **EVERYONE_200),
    row("POST /auth/reset", everyone=200, body={"email": "{author_email}"}),
    row("GET /auth/reset/<token>", everyone=400, params={"token": "not-a-link"}),
    row(
        "POST /auth/reset/<token>",
        everyone=400,
        params={"token": "not-a-link"},
        body={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    ),
    row("GET /mail/unsubscribe/<token>", everyone=400, params={"token": "not-a-link"}),
    row("POST /mail/unsubscribe/<token>", everyone=400, params={"token": "not-a-link"}),
    row("GET /account/notifications/settings", **signed_in(200, api=False)),
    row(
        "POST /account/notifications/settings",
        **signed_in(302, api=False),
        note="kinds not sent keep their value",
    ),
    row("POST /api/v1/password-reset", everyone=202, body={"email": "{author_email}"}),
    row(
        "POST /api/v1/me/email-confirmation",
        **signed_in(409, api=True),
        note="world users are confirmed",
    ),
    row("GET /api/v1/me/notification-preferences", **signed_in(200, api=True)),
    row(
        "PUT /api/v1/me/notification-preferences",
        **signed_in(200, api=True),
        body={"moderation": "daily"},
    ),
    # --- accounts (API) ----------------------------------------------------------------
    row(
        "POST /api/v1/users",
        everyone=201,
        body={
            "email": "nouvelle@example.org",
            "display_name": "Nouvelle venue",
            "password": NEW_PASSWORD,
        },
    ),
    row(
        "POST /api/v1/tokens", everyone=201, body={"email": "{author_email}", "password": PASSWORD}
    ),
    row("DELETE /api/v1/tokens/current", **signed_in(204, api=True)),
    row("GET /api/v1/me", **signed_in(200, api=True)),
    row("GET /api/v1/me/data", **signed_in(200, api=True)),
    row(
        "DELETE /api/v1/me",
        **signed_in(204, api=True, admin=409),
        note="the last administrator stays",
        body={"password": PASSWORD, "mode": "anonymize"},
    ),
    row("GET /api/v1/docs", **EVERYONE_200),
    row("GET /api/v1/openapi.json", **EVERYONE_200),
    # --- debates -----------------------------------------------------------------------
    row("GET /debates/new", **admin_only(200, api=False)),
    row(
        "POST /debates/new",
        **admin_only(302, api=False),
        body={
            "title": "Antennes relais",
            "municipality": "Lunel",
            "slug": "nouveau-debat",
            "question": "Où installer les antennes ?",
            "description": "",
            "commitment": "",
            "template": "blank",
            "published": "y",
        },
    ),
    row("GET /debates/<slug>", everyone=308),
    row("GET /debates/<slug>/", **EVERYONE_200),
    row("GET /debates/<slug>/edit", **wg(200, api=False, also=("admin",))),
    row(
        "POST /debates/<slug>/edit",
        **wg(422, api=False, also=("admin",)),
        note="no body: 422 once allowed",
    ),
    row("GET /debates/<slug>/phase", **wg(200, api=False)),
    row(
        "POST /debates/<slug>/phase", **wg(302, api=False), body={"phase": "outcome", "reason": ""}
    ),
    row("GET /debates/<slug>/members", **EVERYONE_200),
    row(
        "POST /debates/<slug>/members",
        **admin_only(302, api=False),
        body={"email": "{citizen_email}", "role": "guarantor"},
    ),
    row("POST /debates/<slug>/members/<int:user_id>/remove", **admin_only(302, api=False)),
    row("GET /debates/<slug>/charter", **EVERYONE_200),
    row("GET /debates/<slug>/charter/edit", **wg(200, api=False)),
    row(
        "POST /debates/<slug>/charter/edit",
        **wg(302, api=False),
        body={"clauses": "1. Respect des personnes.\n2. Citer ses sources."},
    ),
    row("GET /debates/<slug>/scope", **EVERYONE_200),
    row(
        "POST /debates/<slug>/scope",
        phase="scope",
        **signed_in(302, api=False),
        body={
            "question": "Faut-il une antenne près de l'école ?",
            "in_scope": "yes",
            "competence": "municipal",
            "rationale": "Les parents le demandent.",
        },
    ),
    row(
        "POST /debates/<slug>/scope/<int:item_id>/decision",
        **wg(302, api=False),
        body={"status": "accepted", "reason": ""},
    ),
    row("GET /debates/<slug>/scope/<int:item_id>/edit", **wg(200, api=False)),
    row(
        "POST /debates/<slug>/scope/<int:item_id>/edit",
        **wg(302, api=False),
        body={
            "question": "Qui finance les mesures ?",
            "in_scope": "yes",
            "competence": "municipal",
            "rationale": "Reformulée.",
        },
    ),
    row("GET /debates/<slug>/modalities/new", **wg(200, api=False)),
    row(
        "POST /debates/<slug>/modalities/new",
        **wg(302, api=False),
        body={
            "kind": "public_meeting",
            "title": "Réunion publique",
            "starts_at": "2030-05-14T18:30",
            "ends_at": "",
            "location": "Salle du conseil",
            "online_url": "",
            "description": "",
        },
    ),
    row("GET /debates/<slug>/modalities/<int:modality_id>/edit", **wg(200, api=False)),
    row(
        "POST /debates/<slug>/modalities/<int:modality_id>/edit",
        **wg(302, api=False),
        body={
            "kind": "workshop",
            "title": "Atelier déplacé",
            "starts_at": "2030-05-20T18:00",
            "ends_at": "",
            "location": "",
            "online_url": "",
            "description": "",
        },
    ),
    row("POST /debates/<slug>/modalities/<int:modality_id>/delete", **wg(302, api=False)),
    row("GET /api/v1/debates", **EVERYONE_200),
    row(
        "POST /api/v1/debates",
        **admin_only(201, api=True),
        body={
            "slug": "forge",
            "title": "Débat",
            "municipality": "Lunel",
            "question": "Faut-il ?",
            "description": "Un débat.",
            "template": "blank",
        },
    ),
    row("GET /api/v1/debates/<slug>", **EVERYONE_200),
    row(
        "PATCH /api/v1/debates/<slug>",
        **wg(200, api=True, also=("admin",)),
        body={"title": "Titre revu"},
    ),
    row("POST /api/v1/debates/<slug>/phase", **wg(200, api=True), body={"phase": "outcome"}),
    row("GET /api/v1/debates/<slug>/members", **EVERYONE_200),
    row(
        "PUT /api/v1/debates/<slug>/members/<int:user_id>",
        **admin_only(200, api=True),
        body={"role": "guarantor"},
    ),
    row("DELETE /api/v1/debates/<slug>/members/<int:user_id>", **admin_only(204, api=True)),
    row("GET /api/v1/debates/<slug>/charter", **EVERYONE_200),
    row(
        "PUT /api/v1/debates/<slug>/charter",
        **wg(200, api=True),
        body={"clauses": [{"number": 1, "text": "Respect des personnes."}]},
    ),
    row("GET /api/v1/debates/<slug>/scope-items", **EVERYONE_200),
    row(
        "POST /api/v1/debates/<slug>/scope-items",
        phase="scope",
        **signed_in(201, api=True),
        body={
            "question": "Faut-il une antenne près de l'école ?",
            "in_scope": True,
            "rationale": "",
            "competence": "municipal",
        },
    ),
    row(
        "PATCH /api/v1/scope-items/<int:item_id>",
        **wg(200, api=True),
        body={"status": "accepted", "reason": "Oui."},
    ),
    row("GET /api/v1/debates/<slug>/modalities", **EVERYONE_200),
    row(
        "POST /api/v1/debates/<slug>/modalities",
        **wg(201, api=True),
        body={
            "kind": "public_meeting",
            "title": "Réunion publique",
            "starts_at": "2030-05-14T18:30:00+02:00",
            "location": "Salle du conseil",
            "description": "",
        },
    ),
    row(
        "PATCH /api/v1/modalities/<int:modality_id>",
        **wg(200, api=True),
        body={"title": "Atelier déplacé"},
    ),
    row("DELETE /api/v1/modalities/<int:modality_id>", **wg(204, api=True)),
    # --- expertise ---------------------------------------------------------------------
    row("GET /debates/<slug>/expertise", **EVERYONE_200),
    row("GET /debates/<slug>/themes/new", **wg(200, api=False)),
    row(
        "POST /debates/<slug>/themes/new",
        **wg(302, api=False),
        body={"key": "usages", "title": "Usages", "key_question": "", "description": ""},
    ),
    row("GET /debates/<slug>/themes/<int:theme_id>/edit", **wg(200, api=False)),
    row(
        "POST /debates/<slug>/themes/<int:theme_id>/edit",
        **wg(302, api=False),
        body={"key": "health", "title": "Santé publique", "key_question": "", "description": ""},
    ),
    row("GET /debates/<slug>/expertise/needs/new", **wg(200, api=False)),
    row(
        "POST /debates/<slug>/expertise/needs/new",
        **wg(302, api=False),
        body={"theme": "health", "question": "Et le 26 GHz ?"},
    ),
    row(
        "POST /debates/<slug>/expertise/needs/<int:need_id>/status",
        **wg(302, api=False),
        body={"status": "covered"},
    ),
    row("GET /debates/<slug>/expertise/experts/new", **wg(200, api=False)),
    row(
        "POST /debates/<slug>/expertise/experts/new",
        **wg(302, api=False),
        body={
            "name": "Julien Artaud",
            "affiliation": "ANFR",
            "kind": "public_agency",
            "themes": ["health"],
            "declaration_of_interests": "Agent public.",
        },
    ),
    row("GET /debates/<slug>/expertise/experts/<int:expert_id>/edit", **wg(200, api=False)),
    row(
        "POST /debates/<slug>/expertise/experts/<int:expert_id>/edit",
        **wg(302, api=False),
        body={
            "name": "Claire Vautrin-Roy",
            "affiliation": "",
            "kind": "academic",
            "themes": ["health"],
            "declaration_of_interests": "Aucun lien.",
        },
    ),
    row("GET /debates/<slug>/expertise/contributions/new", **wg(200, api=False)),
    row(
        "POST /debates/<slug>/expertise/contributions/new",
        **wg(302, api=False),
        body={
            "expert_id": "{expert_id}",
            "theme": "health",
            "kind": "written",
            "title": "Audition",
            "body": "Texte.",
            "sources-0-url": SOURCE["url"],
            "sources-0-title": SOURCE["title"],
            "sources-0-publisher": SOURCE["publisher"],
            "sources-0-kind": SOURCE["kind"],
        },
    ),
    row("GET /debates/<slug>/expertise/library", **EVERYONE_200),
    row("GET /debates/<slug>/expertise/library/new", **wg(200, api=False)),
    row(
        "POST /debates/<slug>/expertise/library/new",
        **wg(422, api=False),
        note="no body: 422 once allowed",
    ),
    row("GET /debates/<slug>/expertise/questions/new", **signed_in(200, api=False)),
    row(
        "POST /debates/<slug>/expertise/questions/new",
        **signed_in(302, api=False),
        body={"theme": "health", "body": "Et les écoles ?"},
    ),
    row("GET /debates/<slug>/expertise/questions/<int:question_id>/answer", **wg(200, api=False)),
    row(
        "POST /debates/<slug>/expertise/questions/<int:question_id>/answer",
        **wg(302, api=False),
        body={"body": "Voici.", "expert_id": ""},
    ),
    row("GET /debates/<slug>/glossary", **EVERYONE_200),
    row("GET /debates/<slug>/glossary/new", **wg(200, api=False)),
    row(
        "POST /debates/<slug>/glossary/new",
        **wg(302, api=False),
        body={"term": "DAS", "definition": "Débit."},
    ),
    row("GET /api/v1/debates/<slug>/themes", **EVERYONE_200),
    row(
        "POST /api/v1/debates/<slug>/themes",
        **wg(201, api=True),
        body={"key": "usages", "title": "Usages"},
    ),
    row(
        "PATCH /api/v1/themes/<int:theme_id>", **wg(200, api=True), body={"title": "Santé publique"}
    ),
    row("GET /api/v1/debates/<slug>/expertise-needs", **EVERYONE_200),
    row(
        "POST /api/v1/debates/<slug>/expertise-needs",
        **wg(201, api=True),
        body={"theme": "health", "question": "Et le 26 GHz ?"},
    ),
    row(
        "PATCH /api/v1/expertise-needs/<int:need_id>",
        **wg(200, api=True),
        body={"status": "covered"},
    ),
    row("GET /api/v1/debates/<slug>/experts", **EVERYONE_200),
    row(
        "POST /api/v1/debates/<slug>/experts",
        **wg(201, api=True),
        body={
            "name": "Julien Artaud",
            "affiliation": "ANFR",
            "kind": "public_agency",
            "themes": ["health"],
            "declaration_of_interests": "Agent public.",
        },
    ),
    row("GET /api/v1/experts/<int:expert_id>", **EVERYONE_200),
    row("PATCH /api/v1/experts/<int:expert_id>", **wg(200, api=True), body={"affiliation": "CNRS"}),
    row("GET /api/v1/debates/<slug>/expert-contributions", **EVERYONE_200),
    row(
        "POST /api/v1/debates/<slug>/expert-contributions",
        **wg(201, api=True),
        body={
            "expert_id": "{expert_id}",
            "theme": "health",
            "title": "Audition",
            "body": "Texte.",
            "sources": [SOURCE],
        },
    ),
    row("GET /api/v1/debates/<slug>/questions", **EVERYONE_200),
    row(
        "POST /api/v1/debates/<slug>/questions",
        **signed_in(201, api=True),
        body={"theme": "health", "body": "Et les écoles ?"},
    ),
    row("GET /api/v1/questions/<int:question_id>", **EVERYONE_200),
    row(
        "POST /api/v1/questions/<int:question_id>/answer",
        **wg(201, api=True),
        body={"body": "Voici la réponse."},
    ),
    row("GET /api/v1/debates/<slug>/resources", **EVERYONE_200),
    row(
        "POST /api/v1/debates/<slug>/resources",
        **wg(201, api=True),
        body={
            "title": "Avis HCC",
            "publisher": "HCC",
            "published_on": "2020-12-19",
            "url": "https://www.hautconseilclimat.fr/x",
            "licence": "Etalab",
            "kind": "report",
        },
    ),
    row("GET /api/v1/debates/<slug>/glossary", **EVERYONE_200),
    row(
        "POST /api/v1/debates/<slug>/glossary",
        **wg(201, api=True),
        body={"term": "DAS", "definition": "Débit."},
    ),
    # --- arguments ---------------------------------------------------------------------
    row("GET /debates/<slug>/arguments", **EVERYONE_200),
    row("GET /debates/<slug>/arguments/new", **signed_in(200, api=False)),
    row("POST /debates/<slug>/arguments/new", **signed_in(302, api=False), body=ARGUMENT_FORM),
    row("GET /debates/<slug>/arguments/<int:argument_id>", **EVERYONE_200),
    row(
        "GET /debates/<slug>/arguments/<int:argument_id>/edit",
        **signed_in(403, api=False, author=200),
    ),
    row(
        "POST /debates/<slug>/arguments/<int:argument_id>/edit",
        **signed_in(403, api=False, author=302),
        body={**ARGUMENT_FORM, "stance": "for", "theme": "health"},
    ),
    row(
        "POST /debates/<slug>/arguments/<int:argument_id>/endorsement",
        **signed_in(302, api=False, author=403),
        body={"action": "endorse"},
        note="nobody endorses their own argument",
    ),
    row(
        "POST /debates/<slug>/arguments/<int:argument_id>/report",
        **signed_in(302, api=False, author=403),
        body={"reason": "Hors charte"},
        note="nobody reports their own argument",
    ),
    row("GET /debates/<slug>/sources", **EVERYONE_200),
    row("GET /api/v1/debates/<slug>/arguments", **EVERYONE_200),
    row("POST /api/v1/debates/<slug>/arguments", **signed_in(201, api=True), body=ARGUMENT),
    row("GET /api/v1/arguments/<int:argument_id>", **EVERYONE_200),
    row(
        "PATCH /api/v1/arguments/<int:argument_id>",
        **signed_in(403, api=True, author=200),
        body={"title": "Titre revu"},
    ),
    row("GET /api/v1/arguments/<int:argument_id>/versions", **EVERYONE_200),
    row(
        "PUT /api/v1/arguments/<int:argument_id>/endorsement",
        **signed_in(200, api=True, author=403),
    ),
    row(
        "DELETE /api/v1/arguments/<int:argument_id>/endorsement",
        **signed_in(200, api=True, author=403),
    ),
    row(
        "POST /api/v1/arguments/<int:argument_id>/reports",
        **signed_in(201, api=True, author=403),
        body={"reason": "Hors charte"},
    ),
    row("GET /api/v1/debates/<slug>/sources", **EVERYONE_200),
    # --- moderation --------------------------------------------------------------------
    row("GET /debates/<slug>/moderation", **wg(200, api=False, also=("guarantor",))),
    row("GET /debates/<slug>/moderation/log", **EVERYONE_200),
    row(
        "POST /debates/<slug>/moderation/<target>/<int:item_id>",
        **wg(302, api=False),
        body={"action": "hide", "clause": "1", "message": ""},
    ),
    row("GET /debates/<slug>/moderation/arguments/<int:argument_id>/merge", **wg(200, api=False)),
    row(
        "POST /debates/<slug>/moderation/arguments/<int:argument_id>/merge",
        **wg(303, api=False),
        note="no body: the moderators are sent back with a message",
    ),
    row("GET /api/v1/debates/<slug>/moderation/queue", **wg(200, api=True, also=("guarantor",))),
    row("GET /api/v1/debates/<slug>/moderation/log", **EVERYONE_200),
    row("GET /api/v1/debates/<slug>/moderation/stats", **EVERYONE_200),
    row(
        "POST /api/v1/arguments/<int:argument_id>/moderation",
        **wg(200, api=True),
        body={"action": "hide", "clause": 1},
    ),
    row(
        "POST /api/v1/arguments/<int:argument_id>/merge",
        **wg(200, api=True),
        body={"into": "{other_argument_id}"},
    ),
    row(
        "POST /api/v1/questions/<int:question_id>/moderation",
        **wg(200, api=True),
        body={"action": "hide", "clause": 1},
    ),
    row(
        "POST /api/v1/scope-items/<int:item_id>/moderation",
        **wg(200, api=True),
        body={"action": "hide", "clause": 1},
    ),
    row(
        "GET /debates/<slug>/moderation/<target>/<int:item_id>/revise",
        anonymous=LOGIN,
        signed_in=403,
        author=303,
        params={"target": "questions", "item_id": "@question_id"},
        note="only a refused item's author revises it: the author of a published one is sent back",
    ),
    row(
        "POST /debates/<slug>/moderation/<target>/<int:item_id>/revise",
        anonymous=LOGIN,
        signed_in=403,
        author=409,
        params={"target": "questions", "item_id": "@question_id"},
        body={"body": "Une question revue ?"},
        note="a published item is not sent back to the moderators",
    ),
    # --- positions (the "open" debate: an open question, a published position by the author
    # and one by the working group) ----------------------------------------------------
    row("GET /debates/<slug>/positions/<int:position_id>", phase="open", **EVERYONE_200),
    row("GET /debates/<slug>/positions/new", phase="open", **signed_in(200, api=False)),
    row(
        "POST /debates/<slug>/positions/new",
        phase="open",
        **signed_in(302, api=False),
        body={"title": "Une position de test", "body": "", "theme": ""},
    ),
    row(
        "POST /debates/<slug>/positions/<int:position_id>/endorsement",
        phase="open",
        **signed_in(302, api=False, author=403),
        body={"action": "endorse"},
        note="nobody endorses their own position",
    ),
    row("GET /api/v1/debates/<slug>/positions", phase="open", **EVERYONE_200),
    row(
        "POST /api/v1/debates/<slug>/positions",
        phase="open",
        **signed_in(201, api=True),
        body={"title": "Une position de test"},
    ),
    row("GET /api/v1/positions/<int:position_id>", phase="open", **EVERYONE_200),
    row(
        "POST /api/v1/positions/<int:position_id>/moderation",
        phase="open",
        **wg(200, api=True),
        body={"action": "hide", "clause": 1},
    ),
    row(
        "POST /api/v1/positions/<int:position_id>/merge",
        phase="open",
        **wg(200, api=True),
        body={"into": "{other_position_id}"},
    ),
    row(
        "PUT /api/v1/positions/<int:position_id>/endorsement",
        phase="open",
        **signed_in(200, api=True, author=403),
    ),
    row(
        "DELETE /api/v1/positions/<int:position_id>/endorsement",
        phase="open",
        **signed_in(200, api=True, author=403),
    ),
    # --- citizens' panel (the "panel" debate: a panel taking volunteers, "author" in its pool;
    # organisers and officials do not volunteer) ----------------------------------------
    row("GET /api/v1/debates/<slug>/panel", phase="panel", **EVERYONE_200),
    row(
        "PUT /api/v1/debates/<slug>/panel",
        phase="panel",
        **wg(200, api=True),
        body={
            "size": 3,
            "volunteers_until": "2099-01-01",
            "categories": [
                {
                    "key": "age",
                    "title": "Âge",
                    "values": [
                        {"key": "jeune", "title": "Jeunes", "min": 1, "max": 2},
                        {"key": "senior", "title": "Aînés", "min": 1, "max": 2},
                    ],
                }
            ],
        },
    ),
    row(
        "POST /api/v1/debates/<slug>/panel/volunteers",
        phase="panel",
        **signed_in(201, api=True, author=409),
        **{"members": 403, "wg_other": 201},
        body={"answers": {"age": "senior"}, "consent": True},
        note="once each; the debate's organisers and officials are not drawn",
    ),
    row(
        "DELETE /api/v1/debates/<slug>/panel/volunteers/me",
        phase="panel",
        **signed_in(404, api=True, author=204),
        note="only someone in the pool withdraws (others: nothing to withdraw)",
    ),
    row(
        "POST /api/v1/debates/<slug>/panel/volunteers/me/decline",
        phase="panel",
        **signed_in(403, api=True),
        note="only members of a drawn panel decline",
    ),
    row(
        "POST /api/v1/debates/<slug>/panel/draw",
        phase="panel",
        **wg(201, api=True),
        body={"seed": "tirage"},
    ),
    row(
        "GET /api/v1/debates/<slug>/panel/draw",
        phase="panel",
        **{"everyone": 404},
        note="not drawn yet (tests/panel/test_permissions.py reads a drawn one)",
    ),
    row(
        "POST /api/v1/debates/<slug>/panel/replacements",
        phase="panel",
        **wg(CLIENT_ERROR, api=True),
        body={"declined": ["k0001"]},
        note="nobody to replace before the draw",
    ),
    row("GET /debates/<slug>/panel", phase="panel", **EVERYONE_200),
    row("GET /debates/<slug>/panel/verify", phase="panel", **EVERYONE_200),
    row("GET /debates/<slug>/panel/draw", phase="panel", **EVERYONE_200),
    row(
        "GET /debates/<slug>/panel/draw.json",
        phase="panel",
        **{"everyone": 404},
        note="no record before the draw",
    ),
    row(
        "GET /debates/<slug>/panel/volunteer",
        phase="panel",
        **signed_in(200, api=False, author=302),
        **{"members": 403},
        note="someone already in the pool is sent back to the panel page",
    ),
    row(
        "POST /debates/<slug>/panel/volunteer",
        phase="panel",
        **signed_in(302, api=False),
        **{"members": 403},
        body={"answers_age": "senior", "consent": "y"},
    ),
    row(
        "GET /debates/<slug>/panel/withdraw",
        phase="panel",
        **signed_in(302, api=False, author=200),
        note="only someone in the pool is asked to confirm; others go back to the panel page",
    ),
    row(
        "POST /debates/<slug>/panel/withdraw",
        phase="panel",
        **signed_in(404, api=False, author=302),
        body={},
        note="nothing to withdraw for someone not in the pool",
    ),
    row(
        "GET /debates/<slug>/panel/decline",
        phase="panel",
        **signed_in(302, api=False),
        note="nobody is on the panel before the draw: back to the panel page",
    ),
    row(
        "POST /debates/<slug>/panel/decline",
        phase="panel",
        **signed_in(409, api=False),
        body={},
        note="nobody is on the panel before the draw",
    ),
    row("GET /debates/<slug>/panel/settings", phase="panel", **wg(200, api=False)),
    row(
        "POST /debates/<slug>/panel/settings",
        phase="panel",
        **wg(302, api=False),
        body={
            "size": "3",
            "volunteers_until": "2099-01-01",
            "algorithm": "maximin",
            "category_count": "1",
            "categories-0-key": "age",
            "categories-0-title": "Âge",
            "categories-0-value_count": "2",
            "categories-0-values-0-key": "jeune",
            "categories-0-values-0-title": "Jeunes",
            "categories-0-values-0-min": "1",
            "categories-0-values-0-max": "2",
            "categories-0-values-1-key": "senior",
            "categories-0-values-1-title": "Aînés",
            "categories-0-values-1-min": "1",
            "categories-0-values-1-max": "2",
            "action": "save",
        },
    ),
    row(
        "POST /debates/<slug>/panel/draw",
        phase="panel",
        **wg(302, api=False),
        body={"seed": "42", "confirm": "y"},
    ),
    row(
        "POST /debates/<slug>/panel/replacements",
        phase="panel",
        **wg(CLIENT_ERROR, api=False),
        body={"declined": "k0001"},
        note="nobody to replace before the draw",
    ),
    # --- workshops ---------------------------------------------------------------------
    row("GET /debates/<slug>/workshops", **EVERYONE_200),
    row("GET /debates/<slug>/workshops/new", **wg(200, api=False)),
    row(
        "POST /debates/<slug>/workshops/new",
        **wg(302, api=False),
        body={
            "title": "Atelier",
            "held_on": "2030-04-02",
            "format": "in_person",
            "duration_minutes": "90",
            "participants_count": "12",
            "facilitators": "",
            "tools": "",
            "summary": "",
        },
    ),
    row("GET /debates/<slug>/workshops/<int:workshop_id>", **EVERYONE_200),
    row("GET /debates/<slug>/workshops/<int:workshop_id>/agenda", **wg(200, api=False)),
    row(
        "POST /debates/<slug>/workshops/<int:workshop_id>/agenda",
        **wg(302, api=False),
        body={
            "title": "Tour de table",
            "duration_minutes": "10",
            "mode": "plenary",
            "description": "",
        },
    ),
    row("GET /debates/<slug>/workshops/<int:workshop_id>/notes", **wg(200, api=False)),
    row(
        "POST /debates/<slug>/workshops/<int:workshop_id>/notes",
        **wg(302, api=False),
        body={"kind": "sticky", "group": "", "cluster": "", "theme": "", "text": "Une note"},
    ),
    row(
        "GET /debates/<slug>/workshops/<int:workshop_id>/notes/<int:note_id>/promote",
        **wg(200, api=False),
    ),
    row(
        "POST /debates/<slug>/workshops/<int:workshop_id>/notes/<int:note_id>/promote",
        **wg(302, api=False),
        body={"theme": "health", "stance": "for", "title": "Une note devenue argument", "body": ""},
    ),
    row("GET /debates/<slug>/workshops/<int:workshop_id>/compare", **EVERYONE_200),
    row("GET /debates/<slug>/workshops/<int:workshop_id>/minutes", **EVERYONE_200),
    row("GET /api/v1/debates/<slug>/workshops", **EVERYONE_200),
    row(
        "POST /api/v1/debates/<slug>/workshops",
        **wg(201, api=True),
        body={
            "title": "Atelier",
            "held_on": "2030-03-18",
            "format": "in_person",
            "duration_minutes": 120,
            "participants_count": 25,
            "tools": [],
            "summary": "",
        },
    ),
    row("GET /api/v1/workshops/<int:workshop_id>", **EVERYONE_200),
    row(
        "POST /api/v1/workshops/<int:workshop_id>/agenda",
        **wg(201, api=True),
        body={
            "title": "Nouvelle partie",
            "duration_minutes": 10,
            "mode": "subgroups",
            "description": "",
        },
    ),
    row(
        "POST /api/v1/workshops/<int:workshop_id>/notes",
        **wg(201, api=True),
        body={"kind": "action", "text": "Note"},
    ),
    row(
        "POST /api/v1/workshop-notes/<int:note_id>/promote",
        **wg(201, api=True),
        body={"to": "argument", "theme": "health", "stance": "for"},
    ),
    # --- outcome (the "outcome" debate: a draft recommendation open for comments, a comment by
    # the author) ---------------------------------------------------------------------
    row("GET /debates/<slug>/outcome", phase="outcome", **EVERYONE_200),
    row("GET /debates/<slug>/outcome/follow-up", phase="outcome", **EVERYONE_200),
    row(
        "GET /debates/<slug>/outcome/report.pdf",
        phase="outcome",
        **wg(200, api=False, also=("elected", "guarantor", "admin")),
        note="drafts included: members and admins",
    ),
    row(
        "GET /debates/<slug>/outcome/observations/new",
        phase="outcome",
        **signed_in(403, api=False, guarantor=200),
    ),
    row(
        "POST /debates/<slug>/outcome/observations/new",
        phase="outcome",
        **signed_in(403, api=False, guarantor=302),
        body={"title": "Observation", "body": "Le débat s'est bien passé."},
    ),
    row("GET /debates/<slug>/recommendations/new", phase="outcome", **wg(200, api=False)),
    row(
        "POST /debates/<slug>/recommendations/new",
        phase="outcome",
        **wg(422, api=False),
        note="no body: 422 once allowed",
    ),
    row("GET /debates/<slug>/recommendations/publish", phase="outcome", **wg(200, api=False)),
    row("POST /debates/<slug>/recommendations/publish", phase="outcome", **wg(302, api=False)),
    row(
        "GET /debates/<slug>/recommendations/<int:recommendation_id>",
        phase="outcome",
        **EVERYONE_200,
    ),
    row(
        "GET /debates/<slug>/recommendations/<int:recommendation_id>/edit",
        phase="outcome",
        **wg(200, api=False),
    ),
    row(
        "POST /debates/<slug>/recommendations/<int:recommendation_id>/edit",
        phase="outcome",
        **wg(422, api=False),
        note="no body: 422 once allowed",
    ),
    row(
        "GET /debates/<slug>/recommendations/<int:recommendation_id>/response",
        phase="outcome",
        **signed_in(403, api=False, elected=CLIENT_ERROR),
        note="a draft cannot be answered yet",
    ),
    row(
        "POST /debates/<slug>/recommendations/<int:recommendation_id>/response",
        phase="outcome",
        **signed_in(403, api=False, elected=CLIENT_ERROR),
        note="a draft cannot be answered yet",
    ),
    row(
        "POST /debates/<slug>/recommendations/<int:recommendation_id>/follow-ups",
        phase="outcome",
        **signed_in(403, api=False, elected=303),
        note="no body: sent back with a message",
    ),
    row(
        "POST /debates/<slug>/recommendations/<int:recommendation_id>/support",
        phase="outcome",
        **signed_in(302, api=False),
    ),
    row(
        "POST /debates/<slug>/recommendations/<int:recommendation_id>/comments",
        phase="outcome",
        **signed_in(302, api=False),
        body={"body": "Un commentaire."},
    ),
    row(
        "GET /debates/<slug>/recommendation-comments/<int:comment_id>",
        phase="outcome",
        everyone=302,
        note="a comment's own address leads to its place on the recommendation's page",
    ),
    row(
        "GET /debates/<slug>/recommendation-comments/<int:comment_id>/edit",
        phase="outcome",
        anonymous=LOGIN,
        signed_in=403,
        author=303,
        note="only a refused comment's author revises it: the author of a published one is sent back",
    ),
    row(
        "POST /debates/<slug>/recommendation-comments/<int:comment_id>/edit",
        phase="outcome",
        anonymous=LOGIN,
        signed_in=403,
        author=409,
        body={"body": "Un commentaire revu."},
        note="a published comment is not sent back to the moderators",
    ),
    row(
        "POST /debates/<slug>/recommendation-comments/<int:comment_id>/report",
        phase="outcome",
        **signed_in(302, api=False),
        body={"reason": "Hors sujet"},
        note="unlike arguments, an author may report their own comment",
    ),
    row("GET /api/v1/debates/<slug>/recommendations", phase="outcome", **EVERYONE_200),
    row(
        "POST /api/v1/debates/<slug>/recommendations",
        phase="outcome",
        **wg(201, api=True),
        body={
            "area": "health",
            "title": "Publier les mesures",
            "body": "Chaque année.",
            "rationale": "Demandé.",
            "origin": "working_group",
            "competence": "municipal",
            "consensus": "majority",
            "dissent": "",
            "argument_ids": ["{argument_id}"],
            "source_urls": [],
            "expert_contribution_ids": [],
            "workshop_note_ids": [],
        },
    ),
    row(
        "POST /api/v1/debates/<slug>/recommendations/publish", phase="outcome", **wg(200, api=True)
    ),
    row("GET /api/v1/recommendations/<int:recommendation_id>", phase="outcome", **EVERYONE_200),
    row(
        "PATCH /api/v1/recommendations/<int:recommendation_id>",
        phase="outcome",
        **wg(200, api=True),
        body={"title": "Titre corrigé"},
    ),
    row(
        "PUT /api/v1/recommendations/<int:recommendation_id>/response",
        phase="outcome",
        **signed_in(403, api=True, elected=409),
        body={"decision": "adopted", "justification": "Oui.", "commitments": []},
        note="a draft cannot be answered yet",
    ),
    row(
        "POST /api/v1/recommendations/<int:recommendation_id>/follow-ups",
        phase="outcome",
        **signed_in(403, api=True, elected=CLIENT_ERROR),
        body={"body": "Point d'étape."},
        note="not on a draft",
    ),
    row(
        "PUT /api/v1/recommendations/<int:recommendation_id>/support",
        phase="outcome",
        **signed_in(200, api=True),
    ),
    row(
        "DELETE /api/v1/recommendations/<int:recommendation_id>/support",
        phase="outcome",
        **signed_in(200, api=True),
    ),
    row(
        "GET /api/v1/recommendations/<int:recommendation_id>/comments",
        phase="outcome",
        **EVERYONE_200,
    ),
    row(
        "POST /api/v1/recommendations/<int:recommendation_id>/comments",
        phase="outcome",
        **signed_in(201, api=True),
        body={"body": "Nouveau commentaire"},
    ),
    row(
        "POST /api/v1/recommendation-comments/<int:comment_id>/reports",
        phase="outcome",
        **signed_in(201, api=True),
        body={"reason": "Hors sujet"},
    ),
    row(
        "POST /api/v1/recommendation-comments/<int:comment_id>/moderation",
        phase="outcome",
        **wg(200, api=True),
        body={"action": "hide", "clause": 1},
    ),
    row(
        "GET /api/v1/debates/<slug>/synthesis",
        phase="outcome",
        **wg(200, api=True, also=("elected", "guarantor", "admin")),
    ),
    row("GET /api/v1/debates/<slug>/observations", phase="outcome", **EVERYONE_200),
    row(
        "POST /api/v1/debates/<slug>/observations",
        phase="outcome",
        **signed_in(403, api=True, guarantor=201),
        body={"title": "Nouvelle observation", "body": "Texte."},
    ),
    # --- open data ---------------------------------------------------------------------
    row("GET /debates/<slug>/open-data", **EVERYONE_200),
    row("GET /api/v1/debates/<slug>/export.json", **EVERYONE_200),
    row("GET /api/v1/debates/<slug>/export/<entity>.csv", **EVERYONE_200),
    row("GET /api/v1/debates/<slug>/aif.json", **EVERYONE_200),
)


# --- a row's request in the world ---------------------------------------------------------


def _values(world, r) -> dict:
    ids = dict(world.debates[r.phase].ids)
    ids.update(
        token_id=world.author_token_id,
        filename="css/main.css",
        target="arguments",
        entity="arguments",
    )
    for name, value in r.params.items():
        ids[name] = ids[value[1:]] if isinstance(value, str) and value.startswith("@") else value
    if "<target>" in r.rule and "item_id" not in r.params:
        ids["item_id"] = ids["argument_id"]  # the moderation form for target=arguments
    return ids


def _filled(body, values):
    """The body with each "{name}" value replaced by the world's value (ids, e-mail addresses)."""
    if isinstance(body, dict):
        return {k: _filled(v, values) for k, v in body.items()}
    if isinstance(body, list):
        return [_filled(v, values) for v in body]
    if (
        isinstance(body, str)
        and body.startswith("{")
        and body.endswith("}")
        and body[1:-1] in values
    ):
        return values[body[1:-1]]
    return body


def request_of(world, r, default=None) -> tuple[str, object]:
    """The path and body (placeholders filled) a row sends."""
    values = _values(world, r)
    return url_of(r.rule, values, default), _filled(r.body, values)
