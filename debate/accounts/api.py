"""Accounts API: register, get a bearer token, who am I."""

from functools import wraps

from flask import current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort
from werkzeug.exceptions import TooManyRequests

from debate.accounts import operations, personal_data, throttle
from debate.accounts.schemas import (
    CredentialsSchema,
    DeleteMeSchema,
    MeSchema,
    PublicUserSchema,
    RegisterSchema,
    TokenSchema,
)
from debate.core import audit
from debate.core.api import DocumentSchema
from debate.core.errors import Invalid
from debate.core.limits import limit
from debate.core.permissions import require
from debate.extensions import db

blp = Blueprint("accounts_api", __name__, description="Accounts and bearer tokens")


@blp.post("/users")
@blp.doc(security=[])  # registering needs no token
@limit("registration")
@blp.arguments(RegisterSchema)
@blp.response(201, PublicUserSchema)
@blp.alt_response(409, description="An account already exists with this e-mail")
@blp.alt_response(422, description="Invalid fields")
def register(data):
    """Create an account (every user is a citizen)."""
    user = operations.register_user(data["email"], data["display_name"], data["password"])
    db.session.commit()
    return user


def _claim(email: str) -> None:
    """Count a password attempt on the address (throttle.py), or answer 429 without checking it."""
    try:
        throttle.claim(email)
    except throttle.Wait as wait:
        raise TooManyRequests(description=wait.message, retry_after=wait.seconds) from None


@blp.post("/tokens")
@blp.doc(security=[])  # the password is the credential: a bearer token plays no part
@limit("token_creation")
@blp.arguments(CredentialsSchema)
@blp.response(201, TokenSchema)
@blp.alt_response(401, description="Bad credentials")
@blp.alt_response(429, description="Too many attempts: wait Retry-After seconds")
def create_token(data):
    """Exchange e-mail and password for a personal bearer token. Password attempts on an address are
    throttled (shared with the sign-in form): 429 with Retry-After while it must wait."""
    _claim(data["email"])
    user = operations.authenticate(data["email"], data["password"])
    if user is None:
        audit.record("auth.sign_in_failed", details={"via": "api"})
        db.session.commit()
        abort(401, message=_("Wrong e-mail address or password."))
    throttle.succeeded(user.email)
    token, row = operations.issue_api_token(
        user, current_app.config["API_TOKEN_DAYS"], data.get("label")
    )
    audit.record(
        "auth.token_created",
        actor_id=user.id,
        subject_type="api_token",
        subject_id=row.id,
        details={"via": "api"},
    )
    db.session.commit()
    return {"token": token, "expires_at": row.expires_at}


@blp.delete("/tokens/current")
@blp.response(204)
@blp.alt_response(401, description="Not authenticated")
def revoke_current_token():
    """Revoke the bearer token used for this request."""
    require(current_user.is_authenticated)
    operations.revoke_api_token(request.headers["Authorization"].partition(" ")[2].strip())
    audit.record(
        "auth.token_revoked",
        actor_id=current_user.id,
        subject_type="user",
        subject_id=current_user.id,
    )
    db.session.commit()


@blp.get("/me")
@blp.response(200, MeSchema)
@blp.alt_response(401, description="Not authenticated")
def me():
    """The caller's account and roles."""
    require(current_user.is_authenticated)
    return current_user


@blp.get("/me/data")
@blp.response(
    200,
    DocumentSchema,
    description="Everything the platform holds about the caller (see personal_data.py)",
)
@blp.alt_response(401, description="Not authenticated")
def my_data():
    """Everything the platform holds about the caller: account, roles, sign-ins, tokens,
    notifications, scope questions, questions, arguments with versions and sources, endorsements,
    reports, moderation decisions."""
    require(current_user.is_authenticated)
    document = personal_data.collect(current_user)
    personal_data.record_export(current_user, "api")
    db.session.commit()
    response = jsonify(document)
    response.headers["Cache-Control"] = "no-store"
    return response


def _signed_in_first(view):
    """401 for an anonymous caller before the body is even read (else a bad body would say 422)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        require(current_user.is_authenticated)
        return view(*args, **kwargs)

    return wrapper


@blp.delete("/me")
@_signed_in_first
@limit("sign_in")
@blp.arguments(DeleteMeSchema)
@blp.response(204)
@blp.alt_response(401, description="Not authenticated")
@blp.alt_response(409, description="The last administrator cannot delete their account")
@blp.alt_response(422, description="Wrong password or mode")
@blp.alt_response(429, description="Too many password attempts: wait Retry-After seconds")
def delete_me(data):
    """Delete the caller's account, confirmed by their password: `anonymize` keeps their contributions
    as "Deleted participant"; `delete` removes them (answers from others stay under a placeholder).
    Every session and token of the account dies with it. Password attempts are throttled as for
    sign-in (429 with Retry-After)."""
    require(current_user.is_authenticated)
    email = current_user.email
    _claim(email)
    try:
        personal_data.delete_account(current_user, data["password"], data["mode"])
    except Invalid as exc:
        if "password" not in exc.fields:  # the password was right (the last administrator: 409)
            db.session.rollback()
            throttle.succeeded(email)
            db.session.commit()
        raise
    db.session.commit()  # the address's count went with the account (personal_data.py)
