"""Who may do what, and when: the role × phase matrix of the debates domain.

Each row of the tables below is a route and its rule: which roles may act, in which phases. Every
cell (route × role × phase) makes a fresh debate in that phase, does one real, valid request as
that role, and checks both the answer and its effect (the row written, or left alone). The expected
answer follows from the rule:

- allowed: the route's success status (API 200/201/204, HTML pages 200, HTML forms 302);
- not allowed, API: 401 for an anonymous client, 403 otherwise (with a message naming the phase
  when only the phase stands in the way);
- not allowed, HTML: anonymous visitors are sent to /auth/login (and back after it), others get 403.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from debate.accounts import operations as accounts
from debate.accounts.auth import SESSION_KEY
from debate.accounts.models import ApiToken, User
from debate.debates import operations
from debate.debates.models import CharterClause, Debate, Membership, Modality, ScopeItem
from debate.extensions import db

ROLES = ("anonymous", "citizen", "working_group", "elected", "guarantor", "admin")
MEMBER_ROLES = ("working_group", "elected", "guarantor")
PHASES = ("scope", "expertise", "arguments", "outcome")
_numbers = itertools.count(1)


def only(*roles, phases=PHASES) -> dict:
    """A rule: these roles, in these phases."""
    return {role: frozenset(phases) for role in roles}


ANYONE = only(*ROLES)
SIGNED_IN = only(*ROLES[1:])
WORKING_GROUP = only("working_group")
WORKING_GROUP_OR_ADMIN = only("working_group", "admin")
ADMIN = only("admin")
# The working group writes accepted items in any phase; every signed-in person (members and
# administrators are citizens too) proposes while the scope phase is open.
SCOPE_WRITERS = {**only("citizen", "elected", "guarantor", "admin", phases=["scope"]), **WORKING_GROUP}
SEES_UNPUBLISHED = only("working_group", "elected", "guarantor", "admin")


# --- one cell --------------------------------------------------------------------------


class Cell:
    """A fresh debate in `phase`, an actor holding `role`, and ways to send requests as them."""

    def __init__(self, client, make, role: str, phase: str | None, *, published: bool = True):
        self.client, self.make, self.role, self.phase = client, make, role, phase
        self.actor = None
        if role == "admin":
            self.actor = make.admin()
        elif role != "anonymous":
            self.actor = make.user()
        self.host = make.user(f"Animatrice {next(_numbers)}")
        members = {"working_group": [self.host]}
        if role in MEMBER_ROLES:
            members.setdefault(role, []).append(self.actor)
        # Blank template (the 5G one renders four themes' Markdown: slow, and beside the point
        # here) with a short charter of its own.
        self.debate = make.debate(phase=phase or "scope", published=published, members=members,
                                  template="blank")
        operations.replace_charter(self.debate, OLD_CHARTER)
        self.slug = self.debate.slug
        self.debate_id = self.debate.id
        self._signed_in = False

    # Requests -----------------------------------------------------------------------
    def api(self, method: str, path: str, json=None):
        headers = self.make.auth(self.actor) if self.actor else {}
        db.session.commit()
        return self.client.open(path, method=method, json=json, headers=headers)

    def _sign_in(self) -> None:
        # The sign-in form hashes a password (slow); the matrix opens the same server-side
        # session directly. tests/debates/test_views.py signs in through the form.
        if self.actor is not None and not self._signed_in:
            sid = accounts.start_session(self.actor)
            with self.client.session_transaction() as session:
                session["_user_id"] = str(self.actor.id)
                session["_fresh"] = True
                session[SESSION_KEY] = sid
            self._signed_in = True

    def page(self, path: str):
        self._sign_in()
        db.session.commit()
        return self.client.get(path)

    def form(self, path: str, data: dict):
        self._sign_in()
        db.session.commit()
        return self.client.post_form(path, data, token_from="/" if self.actor else "/auth/login")

    # Seeds --------------------------------------------------------------------------
    def proposal(self) -> ScopeItem:
        return operations.add_scope_item(
            self.debate, self.make.user(), dict(SCOPE_ITEM, question="Qui paie les mesures ?"),
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

    # Reading the effect -------------------------------------------------------------
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
            sa.select(ScopeItem).where(ScopeItem.debate_id == self.debate_id, ScopeItem.question == question)
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
MODALITY_ROW = {**MODALITY, "kind": "workshop", "starts_at": datetime(2030, 5, 20, 16, 0, tzinfo=UTC)}
OLD_CHARTER = [{"number": n, "text": f"Clause d'origine {n}."} for n in (1, 2, 3)]
NEW_CHARTER = [{"number": 1, "text": "Respect des personnes."}, {"number": 2, "text": "Citer ses sources."}]


def _scope_status_for(cell: Cell) -> str:
    return "accepted" if cell.role == "working_group" else "proposed"


def _item_written_as_expected(cell: Cell, question: str) -> bool:
    item = cell.scope_item(question)
    if item is not None:
        assert item.status.value == _scope_status_for(cell), "wrong status for this role"
    return item is not None


# --- API actions: each does one request and returns it with "did the effect happen?" -------


def api_get_debate(c: Cell):
    r = c.api("GET", f"/api/v1/debates/{c.slug}")
    return r, lambda: r.json["slug"] == c.slug and r.json["current_phase"] == c.phase


def api_list_debates(c: Cell):
    r = c.api("GET", "/api/v1/debates")
    return r, lambda: c.slug in [d["slug"] for d in r.json["items"]]


def api_patch_debate(c: Cell):
    r = c.api("PATCH", f"/api/v1/debates/{c.slug}", {"title": "Titre revu", "settings": {"report_threshold": 7}})
    return r, lambda: c.fresh().title == "Titre revu" and c.fresh().setting("report_threshold") == 7


def api_change_phase(c: Cell):
    target, reason = c.phase_move()
    r = c.api("POST", f"/api/v1/debates/{c.slug}/phase", {"phase": target, "reason": reason})
    return r, lambda: c.fresh().current_phase.value == target


def api_list_members(c: Cell):
    r = c.api("GET", f"/api/v1/debates/{c.slug}/members")
    return r, lambda: {"user": {"id": c.host.id, "display_name": c.host.display_name}, "debate": c.slug,
                       "role": "working_group"} in r.json


def api_put_member(c: Cell):
    person = c.make.user()
    r = c.api("PUT", f"/api/v1/debates/{c.slug}/members/{person.id}", {"role": "guarantor"})
    return r, lambda: c.role_of(person) == "guarantor"


def api_delete_member(c: Cell):
    person = c.member("elected")
    r = c.api("DELETE", f"/api/v1/debates/{c.slug}/members/{person.id}")
    return r, lambda: c.role_of(person) is None


def api_list_scope_items(c: Cell):
    item = c.proposal()
    r = c.api("GET", f"/api/v1/debates/{c.slug}/scope-items")
    return r, lambda: [(i["id"], i["status"]) for i in r.json["items"]] == [(item.id, "proposed")]


def api_create_scope_item(c: Cell):
    r = c.api("POST", f"/api/v1/debates/{c.slug}/scope-items", SCOPE_ITEM)
    if r.status_code == 201:
        assert r.json["status"] == _scope_status_for(c)
    return r, lambda: _item_written_as_expected(c, SCOPE_ITEM["question"])


def api_patch_scope_item(c: Cell):
    item = c.proposal()
    r = c.api("PATCH", f"/api/v1/scope-items/{item.id}", {"status": "accepted", "reason": "Bonne question."})
    return r, lambda: c.scope_item(item.question).status.value == "accepted"


def api_list_modalities(c: Cell):
    c.modality()
    r = c.api("GET", f"/api/v1/debates/{c.slug}/modalities")
    return r, lambda: [m["title"] for m in r.json["items"]] == ["Atelier existant"]


def _modality_titles(c: Cell) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Modality.title).where(Modality.debate_id == c.debate_id)))


def api_create_modality(c: Cell):
    r = c.api("POST", f"/api/v1/debates/{c.slug}/modalities", MODALITY)
    return r, lambda: _modality_titles(c) == [MODALITY["title"]]


def api_patch_modality(c: Cell):
    modality = c.modality()
    r = c.api("PATCH", f"/api/v1/modalities/{modality.id}", {"title": "Atelier déplacé"})
    return r, lambda: _modality_titles(c) == ["Atelier déplacé"]


def api_delete_modality(c: Cell):
    modality = c.modality()
    r = c.api("DELETE", f"/api/v1/modalities/{modality.id}")
    return r, lambda: _modality_titles(c) == []


def api_get_charter(c: Cell):
    r = c.api("GET", f"/api/v1/debates/{c.slug}/charter")
    return r, lambda: r.json["clauses"] == OLD_CHARTER


def api_put_charter(c: Cell):
    r = c.api("PUT", f"/api/v1/debates/{c.slug}/charter", {"clauses": NEW_CHARTER})
    return r, lambda: c.charter() == [(1, "Respect des personnes."), (2, "Citer ses sources.")]


def api_create_debate(c: Cell):
    slug = f"nouveau-debat-{next(_numbers)}"
    body = {"slug": slug, "title": "Antennes relais", "municipality": "Lunel",
            "question": "Où installer les antennes ?", "description": "", "template": "blank"}
    r = c.api("POST", "/api/v1/debates", body)

    def created():
        db.session.expire_all()
        return db.session.scalar(sa.select(Debate.id).where(Debate.slug == slug)) is not None

    return r, created


def api_me(c: Cell):
    r = c.api("GET", "/api/v1/me")

    def shows_me():
        expected = [{"debate": c.slug, "role": c.role}] if c.role in MEMBER_ROLES else []
        return (r.json["id"], r.json["email"], r.json["is_admin"], r.json["memberships"]) == (
            c.actor.id, c.actor.email, c.role == "admin", expected
        )

    return r, shows_me


def api_register(c: Cell):
    email = f"inscription{next(_numbers)}@example.org"
    r = c.api("POST", "/api/v1/users", {"email": email, "display_name": "Nouvelle venue",
                                        "password": "un mot de passe assez long"})
    return r, lambda: accounts.find_user_by_email(email) is not None


def api_create_token(c: Cell):
    person = c.actor or c.make.user()
    r = c.api("POST", "/api/v1/tokens", {"email": person.email, "password": c.make.PASSWORD})

    def token_works():
        me = c.client.get("/api/v1/me", headers={"Authorization": f"Bearer {r.json['token']}"})
        return me.status_code == 200 and me.json["id"] == person.id

    return r, token_works


def api_revoke_token(c: Cell):
    headers = c.make.auth(c.actor) if c.actor else {}
    db.session.commit()
    r = c.client.delete("/api/v1/tokens/current", headers=headers)
    return r, lambda: c.actor is not None and c.client.get("/api/v1/me", headers=headers).status_code == 401


def api_openapi(c: Cell):
    r = c.api("GET", "/api/v1/openapi.json")
    return r, lambda: "/api/v1/debates/{slug}/scope-items" in r.json["paths"]


def api_docs(c: Cell):
    r = c.api("GET", "/api/v1/docs")
    return r, lambda: "/api/v1/debates/{slug}/phase" in r.get_data(as_text=True)


# --- HTML actions ----------------------------------------------------------------------


def html(r) -> str:
    return r.get_data(as_text=True)


def page_detail(c: Cell):
    r = c.page(f"/debates/{c.slug}/")
    return r, lambda: c.debate.question in html(r) and html(r).count('aria-current="step"') == 1


def page_detail_no_slash(c: Cell):
    r = c.page(f"/debates/{c.slug}")
    return r, lambda: r.headers["Location"].endswith(f"/debates/{c.slug}/")


def form_change_phase(c: Cell):
    target, reason = c.phase_move()
    r = c.form(f"/debates/{c.slug}/phase", {"phase": target, "reason": reason})
    return r, lambda: c.fresh().current_phase.value == target


def page_edit(c: Cell):
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


def form_edit(c: Cell):
    r = c.form(f"/debates/{c.slug}/edit", _edit_form(c.debate, title="Titre revu", report_threshold="9"))
    return r, lambda: c.fresh().title == "Titre revu" and c.fresh().setting("report_threshold") == 9


def page_members(c: Cell):
    r = c.page(f"/debates/{c.slug}/members")
    return r, lambda: c.host.display_name in html(r)


def form_add_member(c: Cell):
    person = c.make.user()
    r = c.form(f"/debates/{c.slug}/members", {"email": person.email, "role": "guarantor"})
    return r, lambda: c.role_of(person) == "guarantor"


def form_remove_member(c: Cell):
    person = c.member("elected")
    r = c.form(f"/debates/{c.slug}/members/{person.id}/remove", {})
    return r, lambda: c.role_of(person) is None


def page_scope(c: Cell):
    item = c.proposal()
    r = c.page(f"/debates/{c.slug}/scope")
    return r, lambda: f'id="scope-{item.id}"' in html(r) and item.question.replace("'", "&#39;") in html(r)


def form_add_scope_item(c: Cell):
    data = {"question": SCOPE_ITEM["question"], "in_scope": "yes", "competence": "municipal",
            "rationale": SCOPE_ITEM["rationale"]}
    r = c.form(f"/debates/{c.slug}/scope", data)
    return r, lambda: _item_written_as_expected(c, SCOPE_ITEM["question"])


def form_decide_scope_item(c: Cell):
    item = c.proposal()
    r = c.form(f"/debates/{c.slug}/scope/{item.id}/decision", {"status": "accepted", "reason": ""})
    return r, lambda: c.scope_item(item.question).status.value == "accepted"


def page_edit_scope_item(c: Cell):
    item = c.proposal()
    r = c.page(f"/debates/{c.slug}/scope/{item.id}/edit")
    return r, lambda: 'value="Qui paie les mesures ?"' in html(r)


def form_edit_scope_item(c: Cell):
    item = c.proposal()
    data = {"question": "Qui finance les mesures ?", "in_scope": "yes", "competence": "municipal",
            "rationale": "Reformulée."}
    r = c.form(f"/debates/{c.slug}/scope/{item.id}/edit", data)
    return r, lambda: c.scope_item("Qui finance les mesures ?") is not None


def page_new_modality(c: Cell):
    r = c.page(f"/debates/{c.slug}/modalities/new")
    return r, lambda: 'name="starts_at"' in html(r)


def form_add_modality(c: Cell):
    data = {"kind": "public_meeting", "title": MODALITY["title"], "starts_at": "2030-05-14T18:30",
            "ends_at": "", "location": "Salle du conseil", "online_url": "", "description": ""}
    r = c.form(f"/debates/{c.slug}/modalities/new", data)
    return r, lambda: _modality_titles(c) == [MODALITY["title"]]


def page_edit_modality(c: Cell):
    modality = c.modality()
    r = c.page(f"/debates/{c.slug}/modalities/{modality.id}/edit")
    return r, lambda: 'value="Atelier existant"' in html(r)


def form_edit_modality(c: Cell):
    modality = c.modality()
    data = {"kind": "workshop", "title": "Atelier déplacé", "starts_at": "2030-05-20T18:00",
            "ends_at": "", "location": "", "online_url": "", "description": ""}
    r = c.form(f"/debates/{c.slug}/modalities/{modality.id}/edit", data)
    return r, lambda: _modality_titles(c) == ["Atelier déplacé"]


def form_delete_modality(c: Cell):
    modality = c.modality()
    r = c.form(f"/debates/{c.slug}/modalities/{modality.id}/delete", {})
    return r, lambda: _modality_titles(c) == []


def page_charter(c: Cell):
    r = c.page(f"/debates/{c.slug}/charter")
    return r, lambda: html(r).count('id="clause-') == 3 and "Clause d&#39;origine 3." in html(r)


def page_edit_charter(c: Cell):
    r = c.page(f"/debates/{c.slug}/charter/edit")
    return r, lambda: "3. Clause d&#39;origine 3." in html(r)


def form_edit_charter(c: Cell):
    r = c.form(f"/debates/{c.slug}/charter/edit", {"clauses": "1. Respect des personnes.\n2. Citer ses sources."})
    return r, lambda: c.charter() == [(1, "Respect des personnes."), (2, "Citer ses sources.")]


def page_index(c: Cell):
    r = c.page("/")
    return r, lambda: f'href="/debates/{c.slug}/"' in html(r)


def page_new_debate(c: Cell):
    r = c.page("/debates/new")
    return r, lambda: 'name="slug"' in html(r) and 'value="5g"' in html(r)


def form_new_debate(c: Cell):
    slug = f"nouveau-debat-{next(_numbers)}"
    data = {"title": "Antennes relais", "municipality": "Lunel", "slug": slug,
            "question": "Où installer les antennes ?", "description": "", "commitment": "",
            "template": "5g", "published": "y"}
    r = c.form("/debates/new", data)

    def created():
        db.session.expire_all()
        debate = db.session.scalar(sa.select(Debate).where(Debate.slug == slug))
        return debate is not None and r.headers["Location"].endswith(f"/debates/{slug}/members")

    return r, created


def page_login(c: Cell):
    r = c.page("/auth/login")
    if c.actor is None:
        return r, lambda: 'name="password"' in html(r)
    return r, lambda: r.headers["Location"] == "/"  # already signed in


def form_login(c: Cell):
    person = c.actor or c.make.user()
    r = c.form("/auth/login", {"email": person.email, "password": c.make.PASSWORD})
    return r, lambda: c.client.get("/account").status_code == 200


def page_register(c: Cell):
    r = c.page("/auth/register")
    if c.actor is None:
        return r, lambda: 'name="display_name"' in html(r)
    return r, lambda: r.headers["Location"] == "/"


def form_register(c: Cell):
    email = f"inscription{next(_numbers)}@example.org"
    r = c.form("/auth/register", {"email": email, "display_name": "Nouvelle venue",
                                  "password": "un mot de passe assez long"})
    # A signed-in person is sent home; no second account is created behind their back.
    return r, lambda: (accounts.find_user_by_email(email) is not None) == (c.actor is None)


def form_logout(c: Cell):
    r = c.form("/auth/logout", {})
    return r, lambda: c.client.get("/account").status_code == 302


def page_account(c: Cell):
    r = c.page("/account")
    return r, lambda: c.actor.display_name in html(r)


def _tokens_of(person: User | None) -> list[ApiToken]:
    db.session.expire_all()
    stmt = sa.select(ApiToken).where(ApiToken.label == "script de test")
    if person is not None:
        stmt = stmt.where(ApiToken.user_id == person.id)
    return list(db.session.scalars(stmt))


def form_create_token(c: Cell):
    r = c.form("/account/tokens", {"label": "script de test"})
    return r, lambda: len(_tokens_of(c.actor)) == 1


def form_revoke_token(c: Cell):
    owner = c.actor or c.make.user()
    _value, row = accounts.issue_api_token(owner, 30, "script de test")
    r = c.form(f"/account/tokens/{row.id}/revoke", {})
    return r, lambda: _tokens_of(owner)[0].revoked_at is not None


def page_health(c: Cell):
    r = c.page("/healthz")
    return r, lambda: r.json["status"] == "ok"


# --- the tables --------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """A route, who may use it (role → phases), and what success looks like."""

    name: str
    rule: dict
    success: int | Callable[[str], int]
    act: Callable

    @property
    def is_api(self) -> bool:
        return " /api/" in self.name

    def success_for(self, role: str) -> int:
        return self.success(role) if callable(self.success) else self.success


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
    Route("POST /account/tokens", SIGNED_IN, 302, form_create_token),
    Route("POST /account/tokens/<token_id>/revoke", SIGNED_IN, 302, form_revoke_token),
    Route("GET /healthz", ANYONE, 200, page_health),
]


def _check(route: Route, cell: Cell) -> None:
    rule_phases = route.rule.get(cell.role, frozenset())
    allowed = bool(rule_phases) and (cell.phase is None or cell.phase in rule_phases)
    response, effect = route.act(cell)
    status = response.status_code
    if allowed:
        expected = route.success_for(cell.role)
        assert status == expected, f"allowed, expected {expected}, got {status}: {html(response)[:300]}"
    elif route.is_api:
        expected = 401 if cell.role == "anonymous" else 403
        assert status == expected, f"refused, expected {expected}, got {status}: {html(response)[:300]}"
        assert response.json["error"]["code"] == expected
        if rule_phases:  # the role would do, the phase does not: the message says so
            assert "phase" in response.json["error"]["message"].lower()
    elif cell.role == "anonymous":
        assert status == 302, f"anonymous should be sent to sign in, got {status}"
        assert response.headers["Location"].startswith("/auth/login?next=")
    else:
        assert status == 403, f"refused, expected 403, got {status}: {html(response)[:300]}"
    assert _happened(effect) is allowed, "the effect does not match the answer"


def _happened(effect) -> bool:
    try:
        return bool(effect())
    except (KeyError, TypeError, AttributeError):  # an error body, an HTML page, no actor…
        return False


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", DEBATE_ROUTES, ids=lambda r: r.name)
def test_debate_route(client, make, route, role, phase):
    _check(route, Cell(client, make, role, phase))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", PLATFORM_ROUTES, ids=lambda r: r.name)
def test_platform_route(client, make, route, role):
    _check(route, Cell(client, make, role, None))


# --- unpublished debates: hidden (404) from everyone but members and administrators ------

# path → what the page or answer shows when the debate is visible.
UNPUBLISHED_READS = {
    "/api/v1/debates/{slug}": lambda c: c.slug,
    "/api/v1/debates/{slug}/members": lambda c: c.host.display_name,
    "/api/v1/debates/{slug}/scope-items": lambda c: "Qui paie les mesures ?",
    "/api/v1/debates/{slug}/modalities": lambda c: "Atelier existant",
    "/api/v1/debates/{slug}/charter": lambda c: "Clause d'origine 2.",
    "/debates/{slug}/": lambda c: c.debate.question,
    "/debates/{slug}/scope": lambda c: "Qui paie les mesures ?",
    "/debates/{slug}/charter": lambda c: "Clause d&#39;origine 2.",
    "/debates/{slug}/members": lambda c: c.host.display_name,
}


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", UNPUBLISHED_READS)
def test_unpublished_debate_is_hidden(client, make, path, role, phase):
    cell = Cell(client, make, role, phase, published=False)
    cell.proposal()
    cell.modality()
    url = path.format(slug=cell.slug)
    response = cell.api("GET", url) if url.startswith("/api/") else cell.page(url)
    visible = role in SEES_UNPUBLISHED
    assert response.status_code == (200 if visible else 404)
    marker = UNPUBLISHED_READS[path](cell)
    body = response.get_json() if url.startswith("/api/") else html(response)
    assert (marker in str(body)) == visible


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/api/v1/debates", "/"])
def test_unpublished_debate_listed_only_for_those_who_see_it(client, make, path, role):
    cell = Cell(client, make, role, "scope", published=False)
    response = cell.api("GET", path) if path.startswith("/api/") else cell.page(path)
    assert response.status_code == 200
    assert (f"{cell.slug}" in html(response)) == (role in SEES_UNPUBLISHED)


@pytest.mark.parametrize("role", ["anonymous", "citizen"])
def test_writes_on_an_unpublished_debate_look_like_an_unknown_debate(client, make, role):
    cell = Cell(client, make, role, "scope", published=False)
    response = cell.api("POST", f"/api/v1/debates/{cell.slug}/scope-items", SCOPE_ITEM)
    assert response.status_code == 404
    assert cell.scope_item(SCOPE_ITEM["question"]) is None
    proposal = cell.proposal()
    response = cell.api("PATCH", f"/api/v1/scope-items/{proposal.id}", {"status": "accepted"})
    assert response.status_code == 404


# --- the tables cover every route of the domain -------------------------------------------


def test_every_debates_route_has_a_row(app):
    """A new debates route fails here until someone writes down who may use it."""
    rows = {r.name for r in DEBATE_ROUTES + PLATFORM_ROUTES}
    missing = []
    for rule in app.url_map.iter_rules():
        # The debates blueprints; accounts routes are in the table too, but their domain owns
        # their completeness.
        if rule.endpoint.split(".")[0] not in {"debates", "debates_api"}:
            continue
        path = rule.rule.replace("<int:", "<")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            name = f"{method} {path}"
            # Table names use the generic placeholders <id>/<user_id>/<token_id>/<slug>.
            generic = name.replace("<item_id>", "<id>").replace("<modality_id>", "<id>")
            if generic not in rows:
                missing.append(name)
    assert missing == [], f"routes without a row in the permission matrix: {missing}"
