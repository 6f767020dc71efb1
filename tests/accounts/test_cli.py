"""`flask create-admin EMAIL [--password …]`: the first administrator, or a promotion."""

import sqlalchemy as sa

from debate.accounts import operations
from debate.accounts.models import User
from debate.extensions import db
from tests.factories import PASSWORD

STRONG = "une phrase de passe solide"


def _user(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.email == email))


def _refused(result) -> str:
    """A clean refusal: click's "Error: …" and exit code 1, not a crash."""
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.output.startswith("Error: ")
    return result.output


def test_creates_an_admin_who_can_sign_in(app, client):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "Maire@Example.org", "--password", STRONG]
    )

    assert result.exit_code == 0, result.output
    assert "maire@example.org" in result.output
    user = _user("maire@example.org")
    assert user.is_admin
    assert user.password_hash.startswith("scrypt:") and STRONG not in user.password_hash
    response = client.post(
        "/api/v1/tokens", json={"email": "maire@example.org", "password": STRONG}
    )
    assert response.status_code == 201
    me = client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {response.get_json()['token']}"}
    )
    assert me.get_json()["is_admin"] is True


def test_display_name_option(app):
    result = app.test_cli_runner().invoke(
        args=[
            "create-admin",
            "maire@example.org",
            "--password",
            STRONG,
            "--name",
            "Mairie de Villeneuve",
        ]
    )
    assert result.exit_code == 0, result.output
    assert _user("maire@example.org").display_name == "Mairie de Villeneuve"


def test_asks_for_the_password_when_not_given(app):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "maire@example.org"], input=f"{STRONG}\n{STRONG}\n"
    )
    assert result.exit_code == 0, result.output
    assert STRONG not in result.output  # typed, not echoed
    user = _user("maire@example.org")
    assert user.is_admin and operations.authenticate("maire@example.org", STRONG) is not None


def test_promotes_an_existing_account_keeping_its_password(app, make):
    user = make.user(email="elu@example.org")
    assert not user.is_admin

    result = app.test_cli_runner().invoke(args=["create-admin", "ELU@example.org"])

    assert result.exit_code == 0, result.output
    assert "elu@example.org" in result.output
    assert _user("elu@example.org").is_admin
    assert operations.authenticate("elu@example.org", PASSWORD) is not None
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(User).where(User.email == "elu@example.org")
        )
        == 1
    )


def test_promotion_with_a_new_password(app, make):
    make.user(email="elu@example.org")
    result = app.test_cli_runner().invoke(
        args=["create-admin", "elu@example.org", "--password", STRONG]
    )
    assert result.exit_code == 0, result.output
    assert operations.authenticate("elu@example.org", STRONG) is not None
    assert operations.authenticate("elu@example.org", PASSWORD) is None


def test_refuses_a_weak_password_clearly(app):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "maire@example.org", "--password", "court"]
    )

    assert "12" in _refused(result)  # says how long a password must be
    assert _user("maire@example.org") is None


def test_refuses_a_common_password(app):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "maire@example.org", "--password", "motdepasse123"]
    )
    _refused(result)
    assert _user("maire@example.org") is None


def test_weak_password_on_promotion_promotes_nobody(app, make):
    make.user(email="elu@example.org")

    result = app.test_cli_runner().invoke(
        args=["create-admin", "elu@example.org", "--password", "court"]
    )

    _refused(result)
    db.session.commit()  # whatever the command left in the session would now be written
    user = _user("elu@example.org")
    assert not user.is_admin
    assert operations.authenticate("elu@example.org", PASSWORD) is not None


def test_refuses_an_invalid_email(app):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "pas-une-adresse", "--password", STRONG]
    )
    _refused(result)
    assert _user("pas-une-adresse") is None


def test_short_address_without_a_name_still_works(app):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "x@example.org", "--password", STRONG]
    )
    assert result.exit_code == 0, result.output
    user = _user("x@example.org")
    assert user.is_admin and len(user.display_name) >= 2


def test_refusal_names_the_option_at_fault(app):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "maire@example.org", "--password", STRONG, "--name", "x" * 61]
    )
    assert "--name" in _refused(result)
    assert _user("maire@example.org") is None
