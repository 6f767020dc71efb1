"""Roles and administrator rights go only to confirmed addresses (#19, item 2).

Someone registers maire@ville.example before the mayor does: that account must never be made
working group, elected official, guarantor or administrator. Every way to grant a privilege is
generated here: each debate role of debate/debates/phases.py through the API and through the members
page, and administrator rights through `flask create-admin`. Given to an unconfirmed account, each is
refused with a clear message and nothing changes; given to a confirmed one (or to any account when
EMAIL_CONFIRMATION is off), each works as api.md says.
"""

import html
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from debate.accounts import operations as accounts
from debate.accounts.models import User
from debate.core.audit import AuditEvent
from debate.debates.forms import MemberForm
from debate.debates.models import Membership
from debate.debates.phases import Role
from debate.debates.schemas import MemberRoleSchema
from debate.extensions import db
from tests.assertions import assert_api_error
from tests.factories import PASSWORD

# Every membership role the phase table knows that someone can grant: the panel's members are
# drawn by lot, never given their role by hand (tests/panel/test_api.py: the draw gives it).
ROLES = [role.value for role in Role if role != Role.PANEL]
CHANNELS = ["api", "page"]
STRONG = "une toute nouvelle phrase de passe"
ERROR_RE = re.compile(r'id="email-error">(.*?)</p>', re.S)


@pytest.fixture
def admin(make):
    return make.admin()


@pytest.fixture
def debate(make):
    return make.debate(slug="5g-mairie")


@pytest.fixture
def confirmation_off(app):
    app.config["EMAIL_CONFIRMATION"] = False
    yield
    app.config["EMAIL_CONFIRMATION"] = True


def _grant(channel, client, make, admin, debate, person, role):
    """The administrator gives `person` the role, the way `channel` offers it."""
    if channel == "api":
        return client.put(
            f"/api/v1/debates/{debate.slug}/members/{person.id}",
            json={"role": role},
            headers=make.auth(admin),
        )
    make.login(client, admin)
    page = f"/debates/{debate.slug}/members"
    return client.post_form(page, {"email": person.email, "role": role}, token_from=page)


def _role_of(debate, person):
    db.session.expire_all()
    return db.session.scalar(
        sa.select(Membership.role).where(
            Membership.debate_id == debate.id, Membership.user_id == person.id
        )
    )


def _state(person) -> tuple:
    """What a grant could change about someone: their roles anywhere, rights, confirmation, audit."""
    db.session.expire_all()
    user = db.session.get(User, person.id)
    roles = db.session.execute(
        sa.select(Membership.debate_id, Membership.role).where(Membership.user_id == person.id)
    ).all()
    events = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.subject_type == "user", AuditEvent.subject_id == person.id)
    )
    return (
        sorted(roles),
        user.is_admin,
        user.email_confirmed_at,
        user.password_hash,
        events,
    )


def _says_confirm_first(text: str) -> None:
    # "confirm" is in both languages' message: "confirmée" / "confirmed".
    assert "confirm" in text.lower(), text


# --- completeness: the roles and the routes tested are all there are ------------------------


def test_the_roles_tested_are_every_role_the_api_and_the_members_page_offer(app):
    [validator] = MemberRoleSchema().fields["role"].validators
    assert sorted(validator.choices) == sorted(ROLES)
    with app.test_request_context():
        form = MemberForm(meta={"csrf": False})
        assert sorted(value for value, _label in form.role.choices) == sorted(ROLES)


def test_the_routes_tested_are_every_route_that_gives_a_role(app):
    granting = {
        f"{method} {rule.rule}"
        for rule in app.url_map.iter_rules()
        if "member" in rule.rule and not rule.rule.endswith("/remove")
        for method in rule.methods & {"POST", "PUT", "PATCH"}
    }
    assert granting == {
        "PUT /api/v1/debates/<slug>/members/<int:user_id>",
        "POST /debates/<slug>/members",
    }


def test_no_code_writes_roles_or_admin_rights_around_the_checked_operations():
    """Memberships are written by debates.operations.set_member and administrator rights by
    accounts.operations only, where the check is (the demo's large-data generator aside: it is
    never imported by runtime code)."""
    root = Path(__file__).resolve().parents[2] / "debate"
    writers = {
        r"(?<!class )\bMembership\(": {"debates/operations.py"},  # a new row
        r"insert\(Membership\b|update\(Membership\b": set(),  # rows written in bulk
        r"\.role\s*=[^=]": {"debates/operations.py"},  # a role changed in place
        r"is_admin\s*=\s*True": {"accounts/operations.py"},
    }
    sources = {
        str(path.relative_to(root)): path.read_text()
        for path in root.rglob("*.py")
        if path.relative_to(root).parts[0] != "demo"
    }
    for pattern, allowed in writers.items():
        found = {name for name, text in sources.items() if re.search(pattern, text)}
        assert found <= allowed, (pattern, found - allowed)


# --- debate roles -----------------------------------------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("role", ROLES)
def test_a_role_is_refused_to_an_unconfirmed_address(client, make, admin, debate, role, channel):
    squatter = make.user("Maire de Villeneuve", email="maire@ville.example", confirmed=False)
    before = _state(squatter)

    response = _grant(channel, client, make, admin, debate, squatter, role)

    if channel == "api":
        _says_confirm_first(assert_api_error(response, 409)["message"])
    else:
        assert response.status_code == 409
        [message] = ERROR_RE.findall(response.get_data(as_text=True))
        _says_confirm_first(html.unescape(message))
    assert _role_of(debate, squatter) is None
    assert _state(squatter) == before
    me = client.get("/api/v1/me", headers=make.auth(squatter)).get_json()
    assert me["memberships"] == []


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("role", ROLES)
def test_an_unconfirmed_account_keeps_no_other_role_than_it_had(
    client, make, admin, debate, role, channel
):
    """A role written before the rule (or by hand) cannot be changed into another one either."""
    squatter = make.user(email="maire@ville.example", confirmed=False)
    held = next(r for r in ROLES if r != role)
    db.session.add(Membership(debate_id=debate.id, user_id=squatter.id, role=held))
    db.session.flush()
    before = _state(squatter)

    response = _grant(channel, client, make, admin, debate, squatter, role)

    assert response.status_code == 409
    assert _role_of(debate, squatter) == held
    assert _state(squatter) == before


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("role", ROLES)
def test_a_role_is_given_to_a_confirmed_address(client, make, admin, debate, role, channel):
    mayor = make.user("Maire de Villeneuve", email="maire@ville.example")

    response = _grant(channel, client, make, admin, debate, mayor, role)

    if channel == "api":
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.get_json() == {
            "user": {"id": mayor.id, "display_name": "Maire de Villeneuve"},
            "debate": debate.slug,
            "role": role,
        }
    else:
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/debates/{debate.slug}/members")
    assert _role_of(debate, mayor) == role


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("role", ROLES)
def test_without_email_confirmation_any_account_gets_a_role(
    client, make, admin, debate, role, channel, confirmation_off
):
    person = make.user(email="elu@ville.example", confirmed=False)
    response = _grant(channel, client, make, admin, debate, person, role)
    assert response.status_code == (200 if channel == "api" else 302)
    assert _role_of(debate, person) == role


def test_the_members_page_says_roles_need_a_confirmed_address(client, make, admin, debate):
    make.login(client, admin)
    text = client.get(f"/debates/{debate.slug}/members?lang=en").get_data(as_text=True)
    assert "whose e-mail address is confirmed" in text


# --- administrator rights ---------------------------------------------------------------------


def _create_admin(app, email, password=None):
    args = ["create-admin", email] + (["--password", password] if password else [])
    return app.test_cli_runner().invoke(args=args)


@pytest.mark.parametrize("password", [None, STRONG])
def test_create_admin_refuses_an_unconfirmed_address_and_changes_nothing(app, make, password):
    squatter = make.user(email="maire@ville.example", confirmed=False)
    db.session.commit()
    before = _state(squatter)

    result = _create_admin(app, "Maire@Ville.example", password)

    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: ")
    _says_confirm_first(result.output)
    db.session.commit()  # whatever the command left in the session would now be written
    assert _state(squatter) == before  # not admin, still unconfirmed, same password
    assert accounts.authenticate("maire@ville.example", PASSWORD) is not None


@pytest.mark.parametrize("password", [None, STRONG])
def test_create_admin_promotes_a_confirmed_address_without_touching_its_confirmation(
    app, make, password
):
    mayor = make.user(email="maire@ville.example")
    db.session.commit()
    confirmed_at = mayor.email_confirmed_at

    result = _create_admin(app, "maire@ville.example", password)

    assert result.exit_code == 0, result.output
    db.session.expire_all()
    user = db.session.get(User, mayor.id)
    assert user.is_admin and user.email_confirmed_at == confirmed_at
    assert accounts.authenticate("maire@ville.example", password or PASSWORD) is not None


def test_create_admin_never_marks_an_address_confirmed_even_without_confirmation(
    app, make, confirmation_off
):
    person = make.user(email="elu@ville.example", confirmed=False)
    db.session.commit()

    result = _create_admin(app, "elu@ville.example")

    assert result.exit_code == 0, result.output
    db.session.expire_all()
    user = db.session.get(User, person.id)
    assert user.is_admin and user.email_confirmed_at is None


def test_a_new_administrator_typed_by_the_operator_is_confirmed(app):
    result = _create_admin(app, "dgs@ville.example", STRONG)
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    user = accounts.find_user_by_email("dgs@ville.example")
    assert user.is_admin and user.email_confirmed_at is not None


def test_an_administrator_account_is_never_created_unconfirmed(app):
    """register_user(is_admin=True) is the operator's (create-admin, the demo): it vouches."""
    user = accounts.register_user("admin@ville.example", "Administration", STRONG, is_admin=True)
    assert user.is_admin and user.email_confirmed_at is not None
