"""The debates domain's rows of the role × phase matrix (tests/matrix.py), and the accounts' and
site's routes (the platform rows, whose cells have no debate phase).

Every cell makes a fresh debate in that phase, does one real, valid request as the role, and checks
both the answer and its effect (the row written, or left alone). tests/debates/test_permissions.py
runs them.
"""

from datetime import UTC, datetime

import sqlalchemy as sa

from debate.accounts import operations as accounts
from debate.accounts.models import ApiToken, Notification, User
from debate.core import audit
from debate.debates import operations
from debate.debates.models import CharterClause, Debate, Membership, Modality, ScopeItem
from debate.extensions import db
from tests.matrix import (
    ADMIN,
    ANYONE,
    CHARTER,
    MEMBER_ROLES,
    PHASES,
    SIGNED_IN,
    WORKING_GROUP,
    WORKING_GROUP_OR_ADMIN,
    Cell,
    Route,
    html,
    number,
    only,
)

# The working group writes accepted items in any phase; every signed-in person (members and
# administrators are citizens too) proposes while the scope phase is open.
SCOPE_WRITERS = {
    **only("citizen", "elected", "guarantor", "admin", phases=["scope"]),
    **WORKING_GROUP,
}


class DebateCell(Cell):
    """A cell of the debates table: the shared cell, with ways to seed and read the debate's items."""

    # Seeds ----------------------------------------------------------------------------------
    def proposal(self) -> ScopeItem:
        return operations.add_scope_item(
            self.debate,
            self.make.user(),
            dict(SCOPE_ITEM, question="Qui paie les mesures ?"),
            as_working_group=False,
        )

    def modality(self) -> Modality:
        return operations.add_modality(self.debate, {**MODALITY_ROW, "title": "Atelier existant"})

    def member(self, role: str = "elected") -> User:
        person = self.make.user()
        operations.set_member(self.debate, person, role)
        return person

    def phase_move(self) -> tuple[str, str]:
        """The next phase, or (from the last one) back to the previous one with a reason."""
        index = PHASES.index(self.phase)
        if index + 1 < len(PHASES):
            return PHASES[index + 1], ""
        return PHASES[index - 1], "Des contributions sont arrivées après la clôture."

    # Reading the effect -----------------------------------------------------------------------
    def fresh(self) -> Debate:
        db.session.expire_all()
        return db.session.get(Debate, self.debate_id)

    def role_of(self, person: User):
        db.session.expire_all()
        return db.session.scalar(
            sa.select(Membership.role).where(
                Membership.debate_id == self.debate_id, Membership.user_id == person.id
            )
        )

    def scope_item(self, question: str) -> ScopeItem | None:
        db.session.expire_all()
        return db.session.scalar(
            sa.select(ScopeItem).where(
                ScopeItem.debate_id == self.debate_id, ScopeItem.question == question
            )
        )

    def charter(self) -> list[tuple[int, str]]:
        db.session.expire_all()
        rows = db.session.execute(
            sa.select(CharterClause.number, CharterClause.text)
            .where(CharterClause.debate_id == self.debate_id)
            .order_by(CharterClause.number)
        )
        return [tuple(row) for row in rows]


SCOPE_ITEM = {
    "question": "Faut-il une antenne près de l'école ?",
    "in_scope": True,
    "rationale": "Les parents le demandent.",
    "competence": "municipal",
}
MODALITY = {
    "kind": "public_meeting",
    "title": "Réunion publique à la mairie",
    "starts_at": "2030-05-14T18:30:00+02:00",
    "location": "Salle du conseil",
    "description": "Ouverte à toutes et tous.",
}
MODALITY_ROW = {
    **MODALITY,
    "kind": "workshop",
    "starts_at": datetime(2030, 5, 20, 16, 0, tzinfo=UTC),
}
OLD_CHARTER = CHARTER
NEW_CHARTER = [
    {"number": 1, "text": "Respect des personnes."},
    {"number": 2, "text": "Citer ses sources."},
]


def _scope_status_for(cell: DebateCell) -> str:
    return "accepted" if cell.role == "working_group" else "proposed"


def _item_written_as_expected(cell: DebateCell, question: str) -> bool:
    item = cell.scope_item(question)
    if item is not None:
        assert item.status.value == _scope_status_for(cell), "wrong status for this role"
    return item is not None


# --- API actions: each does one request and returns it with "did the effect happen?" -------


def api_get_debate(c: DebateCell):
    r = c.api("GET", f"/api/v1/debates/{c.slug}")
    return r, lambda: r.json["slug"] == c.slug and r.json["current_phase"] == c.phase


def api_list_debates(c: DebateCell):
    r = c.api("GET", "/api/v1/debates")
    return r, lambda: c.slug in [d["slug"] for d in r.json["items"]]


def api_patch_debate(c: DebateCell):
    r = c.api(
        "PATCH",
        f"/api/v1/debates/{c.slug}",
        {"title": "Titre revu", "settings": {"report_threshold": 7}},
    )
    return r, lambda: c.fresh().title == "Titre revu" and c.fresh().setting("report_threshold") == 7


def api_change_phase(c: DebateCell):
    target, reason = c.phase_move()
    r = c.api("POST", f"/api/v1/debates/{c.slug}/phase", {"phase": target, "reason": reason})
    return r, lambda: c.fresh().current_phase.value == target


def api_list_members(c: DebateCell):
    r = c.api("GET", f"/api/v1/debates/{c.slug}/members")
    return (
        r,
        lambda: (
            {
                "user": {"id": c.host.id, "display_name": c.host.display_name},
                "debate": c.slug,
                "role": "working_group",
            }
            in r.json
        ),
    )


def api_put_member(c: DebateCell):
    person = c.make.user()
    r = c.api("PUT", f"/api/v1/debates/{c.slug}/members/{person.id}", {"role": "guarantor"})
    return r, lambda: c.role_of(person) == "guarantor"


def api_delete_member(c: DebateCell):
    person = c.member("elected")
    r = c.api("DELETE", f"/api/v1/debates/{c.slug}/members/{person.id}")
    return r, lambda: c.role_of(person) is None


def api_list_scope_items(c: DebateCell):
    item = c.proposal()
    r = c.api("GET", f"/api/v1/debates/{c.slug}/scope-items")
    return r, lambda: [(i["id"], i["status"]) for i in r.json["items"]] == [(item.id, "proposed")]


def api_create_scope_item(c: DebateCell):
    r = c.api("POST", f"/api/v1/debates/{c.slug}/scope-items", SCOPE_ITEM)
    if r.status_code == 201:
        assert r.json["status"] == _scope_status_for(c)
    return r, lambda: _item_written_as_expected(c, SCOPE_ITEM["question"])


def api_patch_scope_item(c: DebateCell):
    item = c.proposal()
    r = c.api(
        "PATCH",
        f"/api/v1/scope-items/{item.id}",
        {"status": "accepted", "reason": "Bonne question."},
    )
    return r, lambda: c.scope_item(item.question).status.value == "accepted"


def api_list_modalities(c: DebateCell):
    c.modality()
    r = c.api("GET", f"/api/v1/debates/{c.slug}/modalities")
    return r, lambda: [m["title"] for m in r.json["items"]] == ["Atelier existant"]


def _modality_titles(c: DebateCell) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(sa.select(Modality.title).where(Modality.debate_id == c.debate_id))
    )


def api_create_modality(c: DebateCell):
    r = c.api("POST", f"/api/v1/debates/{c.slug}/modalities", MODALITY)
    return r, lambda: _modality_titles(c) == [MODALITY["title"]]


def api_patch_modality(c: DebateCell):
    modality = c.modality()
    r = c.api("PATCH", f"/api/v1/modalities/{modality.id}", {"title": "Atelier déplacé"})
    return r, lambda: _modality_titles(c) == ["Atelier déplacé"]


def api_delete_modality(c: DebateCell):
    modality = c.modality()
    r = c.api("DELETE", f"/api/v1/modalities/{modality.id}")
    return r, lambda: _modality_titles(c) == []


def api_get_charter(c: DebateCell):
    r = c.api("GET", f"/api/v1/debates/{c.slug}/charter")
    return r, lambda: r.json["clauses"] == OLD_CHARTER


def api_put_charter(c: DebateCell):
    r = c.api("PUT", f"/api/v1/debates/{c.slug}/charter", {"clauses": NEW_CHARTER})
    return r, lambda: c.charter() == [(1, "Respect des personnes."), (2, "Citer ses sources.")]


def api_create_debate(c: DebateCell):
    slug = f"nouveau-debat-{number()}"
    body = {
        "slug": slug,
        "title": "Antennes relais",
        "municipality": "Lunel",
        "question": "Où installer les antennes ?",
        "description": "",
        "template": "blank",
    }
    r = c.api("POST", "/api/v1/debates", body)

    def created():
        db.session.expire_all()
        return db.session.scalar(sa.select(Debate.id).where(Debate.slug == slug)) is not None

    return r, created


def api_me(c: DebateCell):
    r = c.api("GET", "/api/v1/me")

    def shows_me():
        expected = [{"debate": c.slug, "role": c.role}] if c.role in MEMBER_ROLES else []
        return (r.json["id"], r.json["email"], r.json["is_admin"], r.json["memberships"]) == (
            c.actor.id,
            c.actor.email,
            c.role == "admin",
            expected,
        )

    return r, shows_me


def api_register(c: DebateCell):
    email = f"inscription{number()}@example.org"
    r = c.api(
        "POST",
        "/api/v1/users",
        {
            "email": email,
            "display_name": "Nouvelle venue",
            "password": "un mot de passe assez long",
        },
    )
    return r, lambda: accounts.find_user_by_email(email) is not None


def api_create_token(c: DebateCell):
    person = c.actor or c.make.user()
    r = c.api("POST", "/api/v1/tokens", {"email": person.email, "password": c.make.PASSWORD})

    def token_works():
        me = c.client.get("/api/v1/me", headers={"Authorization": f"Bearer {r.json['token']}"})
        return me.status_code == 200 and me.json["id"] == person.id

    return r, token_works


def api_revoke_token(c: DebateCell):
    headers = c.make.auth(c.actor) if c.actor else {}
    db.session.commit()
    r = c.client.delete("/api/v1/tokens/current", headers=headers)
    return (
        r,
        lambda: (
            c.actor is not None and c.client.get("/api/v1/me", headers=headers).status_code == 401
        ),
    )


def api_openapi(c: DebateCell):
    r = c.api("GET", "/api/v1/openapi.json")
    return r, lambda: "/api/v1/debates/{slug}/scope-items" in r.json["paths"]


def api_docs(c: DebateCell):
    r = c.api("GET", "/api/v1/docs")
    return r, lambda: "/api/v1/debates/{slug}/phase" in r.get_data(as_text=True)


# --- HTML actions ----------------------------------------------------------------------


def page_detail(c: DebateCell):
    r = c.page(f"/debates/{c.slug}/")
    return r, lambda: c.debate.question in html(r) and html(r).count('aria-current="step"') == 1


def page_detail_no_slash(c: DebateCell):
    r = c.page(f"/debates/{c.slug}")
    return r, lambda: r.headers["Location"].endswith(f"/debates/{c.slug}/")


def page_change_phase(c: DebateCell):
    """The confirmation page says what will happen, and opens nothing by itself."""
    target, _reason = c.phase_move()
    r = c.page(f"/debates/{c.slug}/phase?phase={target}")
    return (
        r,
        lambda: (
            f'name="phase" value="{target}"' in html(r)
            and 'action="/debates/' + c.slug + '/phase"' in html(r)
            and c.fresh().current_phase.value == c.phase
        ),
    )


def form_change_phase(c: DebateCell):
    target, reason = c.phase_move()
    r = c.form(f"/debates/{c.slug}/phase", {"phase": target, "reason": reason})
    return r, lambda: c.fresh().current_phase.value == target


def page_edit(c: DebateCell):
    r = c.page(f"/debates/{c.slug}/edit")
    return r, lambda: 'name="report_threshold"' in html(r) and 'name="scope_ends_on"' in html(r)


def _edit_form(debate: Debate, **changes) -> dict:
    data = {
        "title": debate.title,
        "municipality": debate.municipality,
        "question": debate.question,
        "description": debate.description,
        "commitment": debate.commitment,
        "published": "y",
        "pre_moderation": "y",
        "source_required": "y",
        "report_threshold": "3",
        "question_due_days": "15",
    }
    for phase in debate.phases:
        data[f"{phase.key.value}_starts_on"] = phase.starts_on.isoformat()
        data[f"{phase.key.value}_ends_on"] = phase.ends_on.isoformat()
    data.update(changes)
    return data


def form_edit(c: DebateCell):
    r = c.form(
        f"/debates/{c.slug}/edit", _edit_form(c.debate, title="Titre revu", report_threshold="9")
    )
    return r, lambda: c.fresh().title == "Titre revu" and c.fresh().setting("report_threshold") == 9


def page_members(c: DebateCell):
    r = c.page(f"/debates/{c.slug}/members")
    return r, lambda: c.host.display_name in html(r)


def form_add_member(c: DebateCell):
    person = c.make.user()
    r = c.form(f"/debates/{c.slug}/members", {"email": person.email, "role": "guarantor"})
    return r, lambda: c.role_of(person) == "guarantor"


def form_remove_member(c: DebateCell):
    person = c.member("elected")
    r = c.form(f"/debates/{c.slug}/members/{person.id}/remove", {})
    return r, lambda: c.role_of(person) is None


def page_scope(c: DebateCell):
    item = c.proposal()
    r = c.page(f"/debates/{c.slug}/scope")
    return (
        r,
        lambda: (
            f'id="scope-{item.id}"' in html(r) and item.question.replace("'", "&#39;") in html(r)
        ),
    )


def form_add_scope_item(c: DebateCell):
    data = {
        "question": SCOPE_ITEM["question"],
        "in_scope": "yes",
        "competence": "municipal",
        "rationale": SCOPE_ITEM["rationale"],
    }
    r = c.form(f"/debates/{c.slug}/scope", data)
    return r, lambda: _item_written_as_expected(c, SCOPE_ITEM["question"])


def form_decide_scope_item(c: DebateCell):
    item = c.proposal()
    r = c.form(f"/debates/{c.slug}/scope/{item.id}/decision", {"status": "accepted", "reason": ""})
    return r, lambda: c.scope_item(item.question).status.value == "accepted"


def page_edit_scope_item(c: DebateCell):
    item = c.proposal()
    r = c.page(f"/debates/{c.slug}/scope/{item.id}/edit")
    return r, lambda: 'value="Qui paie les mesures ?"' in html(r)


def form_edit_scope_item(c: DebateCell):
    item = c.proposal()
    data = {
        "question": "Qui finance les mesures ?",
        "in_scope": "yes",
        "competence": "municipal",
        "rationale": "Reformulée.",
    }
    r = c.form(f"/debates/{c.slug}/scope/{item.id}/edit", data)
    return r, lambda: c.scope_item("Qui finance les mesures ?") is not None


def page_new_modality(c: DebateCell):
    r = c.page(f"/debates/{c.slug}/modalities/new")
    return r, lambda: 'name="starts_at"' in html(r)


def form_add_modality(c: DebateCell):
    data = {
        "kind": "public_meeting",
        "title": MODALITY["title"],
        "starts_at": "2030-05-14T18:30",
        "ends_at": "",
        "location": "Salle du conseil",
        "online_url": "",
        "description": "",
    }
    r = c.form(f"/debates/{c.slug}/modalities/new", data)
    return r, lambda: _modality_titles(c) == [MODALITY["title"]]


def page_edit_modality(c: DebateCell):
    modality = c.modality()
    r = c.page(f"/debates/{c.slug}/modalities/{modality.id}/edit")
    return r, lambda: 'value="Atelier existant"' in html(r)


def form_edit_modality(c: DebateCell):
    modality = c.modality()
    data = {
        "kind": "workshop",
        "title": "Atelier déplacé",
        "starts_at": "2030-05-20T18:00",
        "ends_at": "",
        "location": "",
        "online_url": "",
        "description": "",
    }
    r = c.form(f"/debates/{c.slug}/modalities/{modality.id}/edit", data)
    return r, lambda: _modality_titles(c) == ["Atelier déplacé"]


def form_delete_modality(c: DebateCell):
    modality = c.modality()
    r = c.form(f"/debates/{c.slug}/modalities/{modality.id}/delete", {})
    return r, lambda: _modality_titles(c) == []


def page_charter(c: DebateCell):
    r = c.page(f"/debates/{c.slug}/charter")
    return r, lambda: html(r).count('id="clause-') == 3 and "Clause d&#39;origine 3." in html(r)


def page_edit_charter(c: DebateCell):
    r = c.page(f"/debates/{c.slug}/charter/edit")
    return r, lambda: "3. Clause d&#39;origine 3." in html(r)


def form_edit_charter(c: DebateCell):
    r = c.form(
        f"/debates/{c.slug}/charter/edit",
        {"clauses": "1. Respect des personnes.\n2. Citer ses sources."},
    )
    return r, lambda: c.charter() == [(1, "Respect des personnes."), (2, "Citer ses sources.")]


def page_index(c: DebateCell):
    r = c.page("/")
    return r, lambda: f'href="/debates/{c.slug}/"' in html(r)


def page_new_debate(c: DebateCell):
    r = c.page("/debates/new")
    return r, lambda: 'name="slug"' in html(r) and 'value="5g"' in html(r)


def form_new_debate(c: DebateCell):
    slug = f"nouveau-debat-{number()}"
    data = {
        "title": "Antennes relais",
        "municipality": "Lunel",
        "slug": slug,
        "question": "Où installer les antennes ?",
        "description": "",
        "commitment": "",
        "template": "5g",
        "published": "y",
    }
    r = c.form("/debates/new", data)

    def created():
        db.session.expire_all()
        debate = db.session.scalar(sa.select(Debate).where(Debate.slug == slug))
        return debate is not None and r.headers["Location"].endswith(f"/debates/{slug}/members")

    return r, created


def page_login(c: DebateCell):
    r = c.page("/auth/login")
    if c.actor is None:
        return r, lambda: 'name="password"' in html(r)
    return r, lambda: r.headers["Location"] == "/"  # already signed in


def form_login(c: DebateCell):
    person = c.actor or c.make.user()
    r = c.form("/auth/login", {"email": person.email, "password": c.make.PASSWORD})
    return r, lambda: c.client.get("/account").status_code == 200


def page_register(c: DebateCell):
    r = c.page("/auth/register")
    if c.actor is None:
        return r, lambda: 'name="display_name"' in html(r)
    return r, lambda: r.headers["Location"] == "/"


def form_register(c: DebateCell):
    email = f"inscription{number()}@example.org"
    r = c.form(
        "/auth/register",
        {
            "email": email,
            "display_name": "Nouvelle venue",
            "password": "un mot de passe assez long",
        },
    )
    # A signed-in person is sent home; no second account is created behind their back.
    return r, lambda: (accounts.find_user_by_email(email) is not None) == (c.actor is None)


def form_logout(c: DebateCell):
    r = c.form("/auth/logout", {})
    return r, lambda: c.client.get("/account").status_code == 302


def page_account(c: DebateCell):
    r = c.page("/account")
    return r, lambda: c.actor.display_name in html(r)


def _tokens_of(person: User | None) -> list[ApiToken]:
    db.session.expire_all()
    stmt = sa.select(ApiToken).where(ApiToken.label == "script de test")
    if person is not None:
        stmt = stmt.where(ApiToken.user_id == person.id)
    return list(db.session.scalars(stmt))


def form_create_token(c: DebateCell):
    r = c.form("/account/tokens", {"label": "script de test"})
    return r, lambda: len(_tokens_of(c.actor)) == 1


def form_revoke_token(c: DebateCell):
    owner = c.actor or c.make.user()
    _value, row = accounts.issue_api_token(owner, 30, "script de test")
    r = c.form(f"/account/tokens/{row.id}/revoke", {})
    return r, lambda: _tokens_of(owner)[0].revoked_at is not None


def page_health(c: DebateCell):
    r = c.page("/healthz")
    return r, lambda: r.json["status"] == "ok"


def page_notifications(c: DebateCell):
    if c.actor is not None:
        accounts.notify(c.actor.id, "test", "Bienvenue dans le débat")
    r = c.page("/account/notifications")
    return r, lambda: "Bienvenue dans le débat" in html(r)


def _unread_of(person: User | None) -> int:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id == person.id, Notification.read_at.is_(None))
    )


def form_read_notifications(c: DebateCell):
    if c.actor is not None:
        accounts.notify(c.actor.id, "test", "Bienvenue dans le débat")
    r = c.form("/account/notifications/read", {})
    return (
        r,
        lambda: (
            _unread_of(c.actor) == 0 and r.headers["Location"].endswith("/account/notifications")
        ),
    )


def page_password(c: DebateCell):
    r = c.page("/account/password")
    return r, lambda: 'name="current_password"' in html(r) and 'name="password"' in html(r)


def form_password(c: DebateCell):
    old_hash = c.actor.password_hash if c.actor else None
    new = "une toute nouvelle phrase de passe"
    r = c.form(
        "/account/password", {"current_password": c.make.PASSWORD, "password": new, "confirm": new}
    )

    def changed():
        db.session.expire_all()
        return db.session.get(User, c.actor.id).password_hash != old_hash

    return r, changed


def page_audit(c: DebateCell):
    audit.record("auth.token_revoked", actor_id=c.host.id, subject_type="api_token", subject_id=1)
    r = c.page("/admin/audit")
    return r, lambda: f"{c.host.display_name} (n° {c.host.id})" in html(r)


def page_static(c: DebateCell):
    r = c.page("/static/css/main.css")
    return r, lambda: r.mimetype == "text/css" and "{" in html(r)


def page_robots(c: DebateCell):
    r = c.page("/robots.txt")
    return r, lambda: r.mimetype == "text/plain" and "Disallow: /account" in html(r)


def page_brand_css(c: DebateCell):
    r = c.page("/brand.css")
    return r, lambda: r.mimetype == "text/css"


# --- the tables --------------------------------------------------------------------------


def _signed_in_redirected(role: str) -> int:
    return 200 if role == "anonymous" else 302


# Routes about one debate: every cell is role × phase.
DEBATE_ROUTES = [
    Route("GET /api/v1/debates", ANYONE, 200, api_list_debates),
    Route("GET /api/v1/debates/<slug>", ANYONE, 200, api_get_debate),
    Route("PATCH /api/v1/debates/<slug>", WORKING_GROUP_OR_ADMIN, 200, api_patch_debate),
    Route("POST /api/v1/debates/<slug>/phase", WORKING_GROUP, 200, api_change_phase),
    Route("GET /api/v1/debates/<slug>/members", ANYONE, 200, api_list_members),
    Route("PUT /api/v1/debates/<slug>/members/<user_id>", ADMIN, 200, api_put_member),
    Route("DELETE /api/v1/debates/<slug>/members/<user_id>", ADMIN, 204, api_delete_member),
    Route("GET /api/v1/debates/<slug>/scope-items", ANYONE, 200, api_list_scope_items),
    Route("POST /api/v1/debates/<slug>/scope-items", SCOPE_WRITERS, 201, api_create_scope_item),
    Route("PATCH /api/v1/scope-items/<id>", WORKING_GROUP, 200, api_patch_scope_item),
    Route("GET /api/v1/debates/<slug>/modalities", ANYONE, 200, api_list_modalities),
    Route("POST /api/v1/debates/<slug>/modalities", WORKING_GROUP, 201, api_create_modality),
    Route("PATCH /api/v1/modalities/<id>", WORKING_GROUP, 200, api_patch_modality),
    Route("DELETE /api/v1/modalities/<id>", WORKING_GROUP, 204, api_delete_modality),
    Route("GET /api/v1/debates/<slug>/charter", ANYONE, 200, api_get_charter),
    Route("PUT /api/v1/debates/<slug>/charter", WORKING_GROUP, 200, api_put_charter),
    Route("GET /", ANYONE, 200, page_index),
    Route("GET /debates/<slug>/", ANYONE, 200, page_detail),
    Route("GET /debates/<slug>", ANYONE, 308, page_detail_no_slash),
    Route("GET /debates/<slug>/phase", WORKING_GROUP, 200, page_change_phase),
    Route("POST /debates/<slug>/phase", WORKING_GROUP, 302, form_change_phase),
    Route("GET /debates/<slug>/edit", WORKING_GROUP_OR_ADMIN, 200, page_edit),
    Route("POST /debates/<slug>/edit", WORKING_GROUP_OR_ADMIN, 302, form_edit),
    Route("GET /debates/<slug>/members", ANYONE, 200, page_members),
    Route("POST /debates/<slug>/members", ADMIN, 302, form_add_member),
    Route("POST /debates/<slug>/members/<user_id>/remove", ADMIN, 302, form_remove_member),
    Route("GET /debates/<slug>/scope", ANYONE, 200, page_scope),
    Route("POST /debates/<slug>/scope", SCOPE_WRITERS, 302, form_add_scope_item),
    Route("POST /debates/<slug>/scope/<id>/decision", WORKING_GROUP, 302, form_decide_scope_item),
    Route("GET /debates/<slug>/scope/<id>/edit", WORKING_GROUP, 200, page_edit_scope_item),
    Route("POST /debates/<slug>/scope/<id>/edit", WORKING_GROUP, 302, form_edit_scope_item),
    Route("GET /debates/<slug>/modalities/new", WORKING_GROUP, 200, page_new_modality),
    Route("POST /debates/<slug>/modalities/new", WORKING_GROUP, 302, form_add_modality),
    Route("GET /debates/<slug>/modalities/<id>/edit", WORKING_GROUP, 200, page_edit_modality),
    Route("POST /debates/<slug>/modalities/<id>/edit", WORKING_GROUP, 302, form_edit_modality),
    Route("POST /debates/<slug>/modalities/<id>/delete", WORKING_GROUP, 302, form_delete_modality),
    Route("GET /debates/<slug>/charter", ANYONE, 200, page_charter),
    Route("GET /debates/<slug>/charter/edit", WORKING_GROUP, 200, page_edit_charter),
    Route("POST /debates/<slug>/charter/edit", WORKING_GROUP, 302, form_edit_charter),
]

# Routes that concern no particular debate: every cell is a role (the phase does not apply).
PLATFORM_ROUTES = [
    Route("POST /api/v1/debates", ADMIN, 201, api_create_debate),
    Route("GET /api/v1/me", SIGNED_IN, 200, api_me),
    Route("POST /api/v1/users", ANYONE, 201, api_register),
    Route("POST /api/v1/tokens", ANYONE, 201, api_create_token),
    Route("DELETE /api/v1/tokens/current", SIGNED_IN, 204, api_revoke_token),
    Route("GET /api/v1/openapi.json", ANYONE, 200, api_openapi),
    Route("GET /api/v1/docs", ANYONE, 200, api_docs),
    Route("GET /debates/new", ADMIN, 200, page_new_debate),
    Route("POST /debates/new", ADMIN, 302, form_new_debate),
    Route("GET /auth/login", ANYONE, _signed_in_redirected, page_login),
    Route("POST /auth/login", ANYONE, 302, form_login),
    Route("GET /auth/register", ANYONE, _signed_in_redirected, page_register),
    Route("POST /auth/register", ANYONE, 302, form_register),
    Route("POST /auth/logout", ANYONE, 302, form_logout),
    Route("GET /account", SIGNED_IN, 200, page_account),
    Route("POST /account/tokens", SIGNED_IN, 201, form_create_token),
    Route("POST /account/tokens/<token_id>/revoke", SIGNED_IN, 302, form_revoke_token),
    Route("GET /healthz", ANYONE, 200, page_health),
    Route("GET /static/<path:filename>", ANYONE, 200, page_static),
    Route("GET /robots.txt", ANYONE, 200, page_robots),
    Route("GET /brand.css", ANYONE, 200, page_brand_css),
    Route("GET /account/notifications", SIGNED_IN, 200, page_notifications),
    Route("POST /account/notifications/read", SIGNED_IN, 302, form_read_notifications),
    Route("GET /account/password", SIGNED_IN, 200, page_password),
    Route("POST /account/password", SIGNED_IN, 302, form_password),
    Route("GET /admin/audit", ADMIN, 200, page_audit),
]

ROUTES = DEBATE_ROUTES + PLATFORM_ROUTES
