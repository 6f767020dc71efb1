"""An e-mailed link works only for the account it was made for, as the account is now: made before
the account's link key changed, or for a deleted account (even when a new one has its address, or
its id), it is refused as invalid and changes nothing. An unsubscribe link expires after 180 days."""

import hashlib
from datetime import timedelta

import pytest
import sqlalchemy as sa
from itsdangerous import URLSafeSerializer

from debate.accounts import personal_data
from debate.accounts.models import User
from debate.accounts.operations import register_user
from debate.core.db import utcnow
from debate.extensions import db
from debate.mail import preferences, tokens

LINKS = {
    "confirm": lambda user: f"/auth/confirm/{tokens.confirmation_token(user)}",
    "reset": lambda user: f"/auth/reset/{tokens.reset_token(user)}",
    "unsubscribe": lambda user: f"/mail/unsubscribe/{tokens.unsubscribe_token(user, 'all')}",
}
INVALID = "est pas valide"
NEW_PASSWORD = "une toute nouvelle phrase de passe"


def _state(email: str) -> tuple:
    """What the links could change for the account with this address."""
    db.session.expire_all()
    user = db.session.scalar(sa.select(User).where(User.email == email))
    return (
        user.email_confirmed_at,
        user.password_hash,
        sorted(v.value for v in preferences.preferences_of(user.id).values()),
    )


def _assert_refused(client, path: str, status: int = 400, text: str = INVALID) -> None:
    """Opening the link, and sending what it asks for, both get the page saying why."""
    pages = [client.get(path)]
    if path.startswith("/mail/unsubscribe/"):  # what mail clients POST (RFC 8058)
        pages.append(client.post(path, data="List-Unsubscribe=One-Click"))
    elif path.startswith("/auth/reset/"):
        pages.append(client.post_form(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}))
    for page in pages:
        assert page.status_code == status, (page.request.method, path)
        assert text in page.get_data(as_text=True)


@pytest.mark.parametrize("kind", LINKS)
def test_a_link_made_before_the_key_changed_is_refused(client, make, kind):
    user = make.user(confirmed=False)
    old = LINKS[kind](user)
    user.rotate_link_key()
    db.session.flush()
    before = _state(user.email)
    _assert_refused(client, old)
    assert _state(user.email) == before
    assert client.get(LINKS[kind](user)).status_code == 200  # a link made now works


def _delete(user) -> int:
    user_id = user.id
    personal_data.erase(user, "delete")
    db.session.flush()
    return user_id


def test_a_deleted_accounts_links_do_not_work_for_a_new_account_with_its_address(
    client, make, fast_hashing
):
    gone = make.user(email="meme.adresse@example.org", confirmed=False)
    old = [make_link(gone) for make_link in LINKS.values()]
    gone_id = _delete(gone)
    newcomer = register_user("meme.adresse@example.org", "Même Adresse", "une phrase solide ici")
    assert newcomer.id != gone_id
    before = _state(newcomer.email)
    for path in old:
        _assert_refused(client, path)
    assert _state(newcomer.email) == before


def test_a_deleted_accounts_links_stay_dead_even_if_its_id_comes_back(client, make):
    # As after restoring a backup, or on a database from before ids were never reused: the new
    # account gets the old id and address; only the link key tells them apart.
    gone = make.user(email="revenant@example.org", confirmed=False)
    old = [make_link(gone) for make_link in LINKS.values()]
    gone_id = _delete(gone)
    db.session.add(
        User(
            id=gone_id,
            email="revenant@example.org",
            display_name="Revenant",
            password_hash=make.password_hash(),
        )
    )
    db.session.flush()
    before = _state("revenant@example.org")
    for path in old:
        _assert_refused(client, path)
    assert _state("revenant@example.org") == before


def test_an_unsubscribe_link_expires_after_180_days(client, make):
    user = make.user()
    before = _state(user.email)
    stale = tokens.unsubscribe_token(user, "all", now=utcnow() - timedelta(days=180, minutes=1))
    _assert_refused(client, f"/mail/unsubscribe/{stale}", status=410, text="Ce lien a expiré")
    assert _state(user.email) == before
    recent = tokens.unsubscribe_token(user, "all", now=utcnow() - timedelta(days=179))
    assert client.post(f"/mail/unsubscribe/{recent}").status_code == 200
    assert {v.value for v in preferences.preferences_of(user.id).values()} == {"never"}


def _fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


# What the e-mails sent by earlier versions carry: the account's id, no key.
EARLIER_LINKS = {
    "confirm": lambda user, now: {"u": user.id, "e": _fingerprint(user.email), "t": now},
    "reset": lambda user, now: {"u": user.id, "p": _fingerprint(user.password_hash), "t": now},
    "unsubscribe": lambda user, now: {"u": user.id, "k": "all"},
}


@pytest.mark.parametrize("kind", EARLIER_LINKS)
def test_links_sent_before_accounts_had_a_key_are_refused(app, client, make, kind):
    user = make.user(confirmed=False)
    before = _state(user.email)
    payload = EARLIER_LINKS[kind](user, int(utcnow().timestamp()))
    salt = f"debate-mail-{kind}"
    token = URLSafeSerializer(app.config["SECRET_KEY"], salt=salt).dumps(payload)
    _assert_refused(client, LINKS[kind](user).rsplit("/", 1)[0] + f"/{token}")
    assert _state(user.email) == before
