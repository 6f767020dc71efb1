"""Accounts API: register, get a bearer token, who am I."""

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort

from debate.accounts import operations
from debate.accounts.schemas import (
    CredentialsSchema,
    MeSchema,
    PublicUserSchema,
    RegisterSchema,
    TokenSchema,
)
from debate.core.permissions import require
from debate.extensions import db, limiter

blp = Blueprint("accounts_api", __name__, description="Accounts and bearer tokens")


def _auth_limit():
    return current_app.config["RATELIMIT_AUTH"]


@blp.post("/users")
@limiter.limit(_auth_limit)
@blp.arguments(RegisterSchema)
@blp.response(201, PublicUserSchema)
@blp.alt_response(409, description="An account already exists with this e-mail")
@blp.alt_response(422, description="Invalid fields")
def register(data):
    """Create an account (every user is a citizen)."""
    user = operations.register_user(data["email"], data["display_name"], data["password"])
    db.session.commit()
    return user


@blp.post("/tokens")
@limiter.limit(_auth_limit)
@blp.arguments(CredentialsSchema)
@blp.response(201, TokenSchema)
@blp.alt_response(401, description="Bad credentials")
def create_token(data):
    """Exchange e-mail and password for a personal bearer token."""
    user = operations.authenticate(data["email"], data["password"])
    if user is None:
        abort(401, message=_("Wrong e-mail address or password."))
    token, row = operations.issue_api_token(user, current_app.config["API_TOKEN_DAYS"], data.get("label"))
    db.session.commit()
    return {"token": token, "expires_at": row.expires_at}


@blp.delete("/tokens/current")
@blp.response(204)
def revoke_current_token():
    """Revoke the bearer token used for this request."""
    require(current_user.is_authenticated)
    operations.revoke_api_token(request.headers["Authorization"].partition(" ")[2].strip())
    db.session.commit()


@blp.get("/me")
@blp.response(200, MeSchema)
@blp.alt_response(401, description="Not authenticated")
def me():
    """The caller's account and roles."""
    require(current_user.is_authenticated)
    return current_user
