"""Password policy and hashing.

Passwords are compared, measured and hashed in Unicode NFKC form, so the same passphrase typed on
another keyboard (composed or decomposed accents, full-width letters) is the same password. Any
character is accepted; at least 12 (after normalisation), at most 200; common passwords, alone or
followed by digits and symbols, are refused.
"""

import re
import unicodedata
from functools import cache
from importlib import resources

from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 12
MAX_LENGTH = 200


@cache
def _common_passwords() -> frozenset[str]:
    text = resources.files("debate.core").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        normalize(line.strip()).lower()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


_DECORATION = re.compile(r"[\W\d_]+$")


def normalize(password: str) -> str:
    """The form a password is checked and hashed in (NFKC)."""
    return unicodedata.normalize("NFKC", password or "")


def is_common(password: str) -> bool:
    """True for a listed password, or a listed one followed only by digits and symbols."""
    lowered = normalize(password).lower()
    common = _common_passwords()
    stem = _DECORATION.sub("", lowered)
    return lowered in common or (len(stem) >= 4 and stem in common) or len(set(lowered)) <= 3


def password_problem(password: str, *, email: str = "", display_name: str = ""):
    """Why a password is too weak, or None when it is acceptable."""
    password = normalize(password)
    if len(password) < MIN_LENGTH:
        return _l("Use at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("Use at most %(n)d characters.", n=MAX_LENGTH)
    lowered = password.lower()
    if is_common(password):
        return _l("This password is too common; choose one that is harder to guess.")
    local_part = email.split("@")[0].lower()
    if (len(local_part) >= 4 and local_part in lowered) or (
        display_name and len(display_name) >= 4 and display_name.lower() in lowered
    ):
        return _l("The password must not contain your e-mail address or your name.")
    return None


def hash_password(password: str) -> str:
    """A salted hash (scrypt)."""
    return generate_password_hash(normalize(password), method="scrypt")


def verify_password(password_hash: str, password: str) -> bool:
    """True when the password matches the stored hash."""
    if check_password_hash(password_hash, normalize(password)):
        return True
    # Hashes made before normalisation: the password exactly as typed then.
    return normalize(password) != password and check_password_hash(password_hash, password)
