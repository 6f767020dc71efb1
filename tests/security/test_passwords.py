"""Password policy: 12 characters at least (after NFKC normalisation), long passphrases and any
script accepted, common passwords refused (a list of more than 10,000 shipped in the package)."""

import unicodedata
from importlib import resources

import pytest
from flask_babel import force_locale
from werkzeug.security import generate_password_hash

from debate.accounts import operations
from debate.accounts.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    _common_passwords,
    hash_password,
    is_common,
    password_problem,
    verify_password,
)
from debate.extensions import db


def test_the_common_password_list_is_substantial_and_shipped_in_the_package():
    text = resources.files("debate.core").joinpath("common_passwords.txt").read_text("utf-8")
    entries = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert len(entries) >= 10_000
    assert len(_common_passwords()) >= 10_000
    for famous in ("123456", "password", "qwerty", "azerty", "iloveyou", "motdepasse12"):
        assert famous in _common_passwords()


@pytest.mark.parametrize(
    "password",
    [
        "a" * 3 + "b" * 3 + "c" * 5,  # 11 characters
        "Court1!",
        "",
    ],
)
def test_too_short_passwords_are_refused(password):
    with force_locale("en"):
        assert str(password_problem(password)) == "Use at least 12 characters."


@pytest.mark.parametrize(
    "password",
    [
        "password1234",
        "qwerty123456",
        "iloveyou2024!!",  # a listed word with digits and symbols added
        "Sunshine!!!!2025",
        "motdepasse2025",
        "azertyuiop123",
        "trustno1trustno1",
        "PASSWORDPASSWORD",
        "aaaaaaaaaaaaaaaa",
        "abababababababab",
    ],
)
def test_common_passwords_are_refused(password):
    assert is_common(password)
    with force_locale("en"):
        assert "too common" in str(password_problem(password))


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "une phrase de passe assez longue pour être sûre " * 4,  # about 200 characters
        "x" + "ωμέγα λάμδα σίγμα",  # Greek
        "Ключ от квартиры где деньги лежат",  # Cyrillic
        "東京タワーの夜景はきれいですね",  # Japanese: 15 characters
        "🔐🌻🚲🎻 mon vélo rouge",
        "Père Noël à Besançon ça va",
    ],
)
def test_long_passphrases_and_any_script_are_accepted(password):
    assert len(password) <= MAX_LENGTH
    assert password_problem(password) is None
    assert not is_common(password)


def test_a_password_over_the_maximum_is_refused():
    assert password_problem("z" + "une phrase " * 30) is not None
    assert MIN_LENGTH == 12


def test_length_is_counted_after_normalisation():
    # Eleven decomposed characters plus combining accents are still eleven characters.
    decomposed = unicodedata.normalize("NFD", "éèêëàâîïôûç")
    assert len(decomposed) > 12
    assert password_problem(decomposed) is not None


def test_the_same_passphrase_typed_composed_or_decomposed_signs_in(make):
    composed = "Mon café préféré à Noël"
    decomposed = unicodedata.normalize("NFD", composed)
    fullwidth = "Ｍｏｎ café préféré à Noël"  # full-width letters (NFKC folds them)
    assert composed != decomposed
    user = operations.register_user("unicode@example.org", "Unicode", composed)
    db.session.flush()
    assert operations.authenticate("unicode@example.org", decomposed) == user
    assert operations.authenticate("unicode@example.org", fullwidth) == user
    assert operations.authenticate("unicode@example.org", "Mon cafe prefere a Noel") is None


def test_hashes_made_before_normalisation_still_verify():
    typed = unicodedata.normalize("NFD", "Un été à Besançon")
    old_hash = generate_password_hash(typed, method="scrypt")
    assert verify_password(old_hash, typed)
    assert verify_password(hash_password(typed), typed)


def test_password_must_not_contain_the_email_or_name():
    assert password_problem("claire.martin-2030-xyz", email="claire.martin@example.org") is not None
    assert password_problem("Le vélo de Gustave Eiffel", display_name="Gustave") is not None


def test_registration_form_shows_the_reason(client):
    response = client.post_form(
        "/auth/register?lang=en",
        {"email": "faible@example.org", "display_name": "Faible", "password": "password1234"},
    )
    assert response.status_code == 422
    assert "too common" in response.get_data(as_text=True)
