"""Password policy and hashing."""

from functools import cache
from importlib import resources

from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 12
MAX_LENGTH = 200


@cache
def _common_passwords() -> frozenset[str]:
    text = resources.files("debate.core").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def password_problem(password: str, *, email: str = "", display_name: str = ""):
    """Why a password is too weak, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _l("Use at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("Use at most %(n)d characters.", n=MAX_LENGTH)
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) <= 3:
        return _l("This password is too common; choose one that is harder to guess.")
    local_part = email.split("@")[0].lower()
    if (len(local_part) >= 4 and local_part in lowered) or (
        display_name and len(display_name) >= 4 and display_name.lower() in lowered
    ):
        return _l("The password must not contain your e-mail address or your name.")
    return None


def hash_password(password: str) -> str:
    """A salted hash (scrypt)."""
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str, password: str) -> bool:
    """True when the password matches the stored hash."""
    return check_password_hash(password_hash, password)
