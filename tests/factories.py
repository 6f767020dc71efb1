"""Test data: users, debates in a given phase with members, tokens, signed-in clients."""

import itertools
from functools import cache

from werkzeug.security import generate_password_hash

from debate.accounts import operations as accounts
from debate.accounts.auth import SESSION_KEY
from debate.accounts.models import User
from debate.core.db import utcnow
from debate.debates import operations as debates
from debate.debates.models import Debate
from debate.debates.phases import PhaseKey
from debate.extensions import db

PASSWORD = "a long test passphrase"
# Test users' passwords are hashed with a cheap PBKDF2, which verify_password checks like any
# werkzeug hash. The production hasher (scrypt) is deliberately slow; it is tested where accounts
# get a password: tests/security/test_passwords.py, registration (tests/accounts/test_views.py),
# the CLI (tests/accounts/test_cli.py), password changes and resets.
TEST_HASH_METHOD = "pbkdf2:sha256:1000"
_counter = itertools.count(1)


def password_hash(password: str = PASSWORD) -> str:
    """A freshly salted hash of `password`, cheap to check."""
    return generate_password_hash(password, method=TEST_HASH_METHOD)


@cache
def _password_hash() -> str:
    # The hash every test user shares.
    return password_hash()


def user(
    display_name: str | None = None,
    *,
    email: str | None = None,
    is_admin: bool = False,
    confirmed: bool = True,
) -> User:
    """A registered user (a citizen) whose password is PASSWORD; `confirmed=False`: an address not
    confirmed yet (cannot contribute while EMAIL_CONFIRMATION is on)."""
    n = next(_counter)
    row = User(
        email=email or f"user{n}@example.org",
        display_name=display_name or f"Participant {n}",
        password_hash=_password_hash(),
        is_admin=is_admin,
        email_confirmed_at=utcnow() if confirmed else None,
    )
    db.session.add(row)
    db.session.flush()
    return row


def admin(display_name: str = "Admin") -> User:
    """A platform administrator."""
    return user(display_name, is_admin=True)


def debate(
    *,
    slug: str | None = None,
    phase: PhaseKey | str = PhaseKey.SCOPE,
    template: str = "5g",
    published: bool = True,
    members: dict | None = None,
    **fields,
) -> Debate:
    """A debate in the given phase; `members` maps a role name to a user (or a list of users)."""
    n = next(_counter)
    data = {
        "slug": slug or f"debat-{n}",
        "title": f"Débat {n} sur la 5G",
        "municipality": "Villeneuve-sur-Lande",
        "question": "Faut-il déployer la 5G dans la commune ?",
        "description": "Un débat de test.",
        "template": template,
        "published": published,
        **fields,
    }
    row = debates.create_debate(data)
    row.current_phase = PhaseKey(phase)
    for role, people in (members or {}).items():
        for person in people if isinstance(people, list) else [people]:
            debates.set_member(row, person, role)
    db.session.flush()
    return row


def token(person: User) -> str:
    """A bearer token for the API."""
    value, _row = accounts.issue_api_token(person, 30)
    return value


def auth(person: User) -> dict:
    """Authorization headers for the API."""
    return {"Authorization": f"Bearer {token(person)}"}


def login(client, person: User) -> None:
    """Sign a test client in through the real sign-in form."""
    response = client.post_form("/auth/login", {"email": person.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def switch_session(client, person: User) -> None:
    """Open a session for `person` and give its cookie to the client, without the sign-in form
    (quicker than `login` when a test switches between several people)."""
    sid = accounts.start_session(person)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = str(person.id)
        session["_fresh"] = True
        session[SESSION_KEY] = sid
