"""Debates API: debates, phases, members, scope items, modalities, charter."""

from flask import abort
from flask_login import current_user
from flask_smorest import Blueprint

from debate.accounts.models import User
from debate.core.api import PageArgs, error_responses, list_body, page_body, page_of
from debate.core.limits import limit
from debate.core.permissions import require
from debate.debates import operations, queries
from debate.debates.models import Modality, ModerationStatus, ScopeItem
from debate.debates.phases import Role
from debate.debates.schemas import (
    CharterSchema,
    DebateCreateSchema,
    DebatePatchSchema,
    DebateSchema,
    MemberRoleSchema,
    MemberSchema,
    ModalityPatchSchema,
    ModalitySchema,
    ModalityWriteSchema,
    PhaseChangeSchema,
    ScopeItemCreateSchema,
    ScopeItemPatchSchema,
    ScopeItemSchema,
)
from debate.extensions import db

blp = Blueprint(
    "debates_api", __name__, description="Debates, phases, roles, scope, modalities, charter"
)


_document_errors = error_responses(blp)


@blp.get("/debates")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(DebateSchema))
def list_debates(args):
    """Published debates (plus, for members and administrators, the unpublished ones they may see)."""
    return page_body(queries.visible_debates(current_user, args["page"], args["per_page"]))


@blp.post("/debates")
@blp.arguments(DebateCreateSchema)
@blp.response(201, DebateSchema)
@_document_errors(401, 403, 409, 422)
def create_debate(data):
    """Create a debate (administrators), from the `5g` template or blank."""
    require(
        current_user.is_authenticated and current_user.is_admin,
        "Only administrators create debates.",
    )
    debate = operations.create_debate(data, current_user)
    db.session.commit()
    return queries.get_debate_or_404(debate.slug, current_user)


@blp.get("/debates/<slug>")
@blp.response(200, DebateSchema)
@_document_errors(404)
def get_debate(slug):
    """A debate with its phases, themes and settings."""
    return queries.get_debate_or_404(slug, current_user)


@blp.patch("/debates/<slug>")
@blp.arguments(DebatePatchSchema)
@blp.response(200, DebateSchema)
@_document_errors(401, 403, 404, 409, 422)
def patch_debate(data, slug):
    """Edit texts, phase dates, settings (merged) and the kind of question (not once argued: 409)."""
    debate = queries.get_debate_or_404(slug, current_user)
    require(debate.can("edit_debate", current_user))
    operations.update_debate(debate, data)
    db.session.commit()
    return debate


@blp.post("/debates/<slug>/phase")
@blp.arguments(PhaseChangeSchema)
@blp.response(200, DebateSchema)
@_document_errors(401, 403, 404, 409, 422)
def change_phase(data, slug):
    """Open another phase (going back needs a reason)."""
    debate = queries.get_debate_or_404(slug, current_user)
    require(debate.can("change_phase", current_user))
    operations.change_phase(debate, current_user, data["phase"], data.get("reason", ""))
    db.session.commit()
    return debate


def _user_or_404(user_id: int) -> User:
    return db.get_or_404(User, user_id)


@blp.get("/debates/<slug>/members")
@blp.response(200, MemberSchema(many=True))
@_document_errors(404)
def list_members(slug):
    """Who holds a role in the debate (public: the working group's composition is transparent).
    Not the citizens' panel: its members are named on the panel page only if they agreed."""
    debate = queries.with_member_users(queries.get_debate_or_404(slug, current_user))
    return [m for m in debate.memberships if m.role != Role.PANEL]


@blp.put("/debates/<slug>/members/<int:user_id>")
@blp.arguments(MemberRoleSchema)
@blp.response(200, MemberSchema)
@_document_errors(401, 403, 404, 409, 422)
def put_member(data, slug, user_id):
    """Give a user a role: working_group, elected or guarantor (administrators); 409 while the
    user's e-mail address is not confirmed (roles go to confirmed addresses only)."""
    debate = queries.get_debate_or_404(slug, current_user)
    require(debate.can("manage_members", current_user))
    membership = operations.set_member(debate, _user_or_404(user_id), data["role"])
    db.session.commit()
    return membership


@blp.delete("/debates/<slug>/members/<int:user_id>")
@blp.response(204)
@_document_errors(401, 403, 404)
def delete_member(slug, user_id):
    """Take a user's role away (administrators)."""
    debate = queries.get_debate_or_404(slug, current_user)
    require(debate.can("manage_members", current_user))
    if not operations.remove_member(debate, _user_or_404(user_id)):
        abort(404)
    db.session.commit()


@blp.get("/debates/<slug>/scope-items")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(ScopeItemSchema))
@_document_errors(404)
def list_scope_items(args, slug):
    """The perimeter: accepted, proposed and declined items (with the reason)."""
    debate = queries.get_debate_or_404(slug, current_user)
    return list_body(queries.scope_items(debate), args["page"], args["per_page"])


@blp.post("/debates/<slug>/scope-items")
@limit("contribution")
@blp.arguments(ScopeItemCreateSchema)
@blp.response(201, ScopeItemSchema)
@_document_errors(401, 403, 404, 422)
def create_scope_item(data, slug):
    """Working group: an accepted item. Citizen, while the scope phase is open: a proposal."""
    debate = queries.get_debate_or_404(slug, current_user)
    as_wg = bool(debate.can("manage_scope", current_user))
    if not as_wg:
        require(debate.can("propose_scope", current_user))
    item = operations.add_scope_item(debate, current_user, data, as_working_group=as_wg)
    db.session.commit()
    return item


def _visible_scope_item(item_id: int):
    """A scope item and its debate, if the caller may see it: a proposal the moderation has not
    published (pending, rejected, hidden) only for its author and the moderators (those who see
    the moderation queue); 404 for anyone else, as for an item that does not exist."""
    item = db.get_or_404(ScopeItem, item_id)
    debate = queries.get_debate_or_404(item.debate.slug, current_user)
    if not (
        item.moderation_status == ModerationStatus.PUBLISHED
        or (current_user.is_authenticated and item.author_id == current_user.id)
        or debate.can("view_moderation_queue", current_user)
    ):
        abort(404)
    return item, debate


@blp.patch("/scope-items/<int:item_id>")
@blp.arguments(ScopeItemPatchSchema)
@blp.response(200, ScopeItemSchema)
@_document_errors(401, 403, 404, 422)
def patch_scope_item(data, item_id):
    """Accept or decline a proposal with a reason, or edit an item (working group)."""
    item, debate = _visible_scope_item(item_id)
    require(debate.can("manage_scope", current_user))
    operations.update_scope_item(item, data)
    db.session.commit()
    return item


@blp.get("/debates/<slug>/modalities")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(ModalitySchema))
@_document_errors(404)
def list_modalities(args, slug):
    """How people take part, in date order."""
    debate = queries.get_debate_or_404(slug, current_user)
    return list_body(queries.modalities(debate), args["page"], args["per_page"])


@blp.post("/debates/<slug>/modalities")
@blp.arguments(ModalityWriteSchema)
@blp.response(201, ModalitySchema)
@_document_errors(401, 403, 404, 422)
def create_modality(data, slug):
    """Add a modality (working group)."""
    debate = queries.get_debate_or_404(slug, current_user)
    require(debate.can("manage_modalities", current_user))
    modality = operations.add_modality(debate, data)
    db.session.commit()
    return modality


def _modality_for_wg(modality_id: int) -> Modality:
    modality = db.get_or_404(Modality, modality_id)
    debate = queries.get_debate_or_404(modality.debate.slug, current_user)
    require(debate.can("manage_modalities", current_user))
    return modality


@blp.patch("/modalities/<int:modality_id>")
@blp.arguments(ModalityPatchSchema(partial=True))
@blp.response(200, ModalitySchema)
@_document_errors(401, 403, 404, 422)
def patch_modality(data, modality_id):
    """Edit a modality (working group)."""
    modality = _modality_for_wg(modality_id)
    operations.update_modality(modality, data)
    db.session.commit()
    return modality


@blp.delete("/modalities/<int:modality_id>")
@blp.response(204)
@_document_errors(401, 403, 404)
def delete_modality(modality_id):
    """Remove a modality (working group)."""
    operations.delete_modality(_modality_for_wg(modality_id))
    db.session.commit()


@blp.get("/debates/<slug>/charter")
@blp.response(200, CharterSchema)
@_document_errors(404)
def get_charter(slug):
    """The moderation charter, public."""
    debate = queries.get_debate_or_404(slug, current_user)
    return {"clauses": queries.charter(debate)}


@blp.put("/debates/<slug>/charter")
@blp.arguments(CharterSchema)
@blp.response(200, CharterSchema)
@_document_errors(401, 403, 404, 422)
def put_charter(data, slug):
    """Replace the charter's clauses (working group)."""
    debate = queries.get_debate_or_404(slug, current_user)
    require(debate.can("edit_charter", current_user))
    clauses = operations.replace_charter(debate, data["clauses"])
    db.session.commit()
    return {"clauses": clauses}
