"""Every route that addresses one moderated item by its id (pages and API) × every moderation status
the item's kind has × every viewer: who may see the item, and that nobody else learns anything.

The rule, the same for every kind the moderation decides on (moderation.targets: arguments,
questions, scope proposals, comments on recommendations, and any kind registered later):

- a published item is public;
- a pending, rejected or hidden one is seen by its author (with its status) and by the moderators:
  the working group and the guarantor, who both see the moderation queue (debates/phases.py:
  `view_moderation_queue`, `view_unpublished_arguments`). Elected officials and administrators see
  what the public sees: they do not moderate;
- everyone else gets exactly what an id that does not exist gets (404 from the routes that show an
  item; from the other routes, the answer an unknown id gets), with neither the item's text nor its
  author's name in the answer.

The debate pre-moderates (the role × phase matrices build theirs without pre-moderation, which is
how a pending question readable by anyone went unnoticed). Each item is submitted through the
operations (so it starts pending), and an argument is edited once before any decision (so it has an
earlier version that the moderators never approved).

ROUTES names every route of the URL map that takes the id of a moderated item, with its kind;
NOT_MODERATED names every other route with an `<int:…>` id and what that id is. A new route with an
id fails test_every_route_with_an_id_is_classified until it is put in one of them: no route is left
out silently. Two tests read the same answers: test_nothing_is_shown_to_those_who_may_not_see (the
text and the author, no exemption) and test_refusals_answer_as_for_an_unknown_id (the status code).
test_no_list_shows_an_item_to_those_who_may_not_see reads every page and API read of the debate
without an id of its own (lists, exports, the synthesis…) as each viewer who sees published items
only.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from debate.accounts import operations as accounts
from debate.accounts.auth import SESSION_KEY
from debate.arguments import operations as arguments
from debate.core.db import utcnow
from debate.debates import operations as debates
from debate.expertise import operations as expertise
from debate.extensions import db
from debate.moderation.targets import PENDING, PUBLISHED, all_targets, target_by_key, target_of
from debate.outcome import operations as outcome
from debate.positions import operations as positions
from tests import factories
from tests.database import rolled_back
from tests.matrix import route_keys, url_of

VIEWERS = ("anonymous", "citizen", "author", "working_group", "guarantor", "elected", "admin")
# Who sees an item that is not published, besides the public's published ones.
SEES_UNPUBLISHED = frozenset({"author", "working_group", "guarantor"})
AUTHOR_NAME = "Zelda Quillfeather"
MISSING_ID = 999_999_999  # no item has this id
SOURCE = {
    "url": "https://www.anses.fr/fr/content/5g-avis-2021",
    "title": "Avis 5G",
    "publisher": "ANSES",
    "kind": "public_agency",
}


def may_see(viewer: str, status: str) -> bool:
    """The rule this module checks (see the docstring)."""
    return status == PUBLISHED or viewer in SEES_UNPUBLISHED


# --- the routes ----------------------------------------------------------------------------

ALL_KINDS = None  # the route names the kind in its <target> segment: every registered kind


@dataclass(frozen=True)
class ByIdRoute:
    """A route taking the id of a moderated item.

    `shows`: what a viewer who may see the item gets — "text": 200 with the item's text; "earlier":
    200, with its earlier versions' text for its author and the moderators only; "redirect": a 302
    to the page that shows it; None: the route has a rule of its own (a form, a write), checked by
    the role × phase matrices; here only what a viewer who may not see the item gets is checked.
    `body(world)`: a valid JSON body or form, so the request gets past validation to the item.
    """

    kinds: tuple[str, ...] | None
    shows: str | None = None
    body: Callable | None = None


def _body(**values) -> Callable:
    return lambda world: {k: v(world) if callable(v) else v for k, v in values.items()}


REASON = _body(reason="Hors charte, selon moi.")
APPROVE = _body(action="approve")
KEPT = _body(into=lambda world: world.kept_argument_id)
KEPT_POSITION = _body(into=lambda world: world.kept_position_id)
ANSWER = _body(body="Voici la reponse du groupe de travail.")
SCOPE_DECISION = _body(status="accepted", reason="Retenu par le groupe de travail.")

ROUTES: dict[str, ByIdRoute] = {
    # Arguments.
    "GET /api/v1/arguments/<int:argument_id>": ByIdRoute(("argument",), "text"),
    "GET /api/v1/arguments/<int:argument_id>/versions": ByIdRoute(("argument",), "earlier"),
    "PATCH /api/v1/arguments/<int:argument_id>": ByIdRoute(
        ("argument",), body=_body(title="Un titre corrige")
    ),
    "PUT /api/v1/arguments/<int:argument_id>/endorsement": ByIdRoute(("argument",)),
    "DELETE /api/v1/arguments/<int:argument_id>/endorsement": ByIdRoute(("argument",)),
    "POST /api/v1/arguments/<int:argument_id>/reports": ByIdRoute(("argument",), body=REASON),
    "POST /api/v1/arguments/<int:argument_id>/moderation": ByIdRoute(("argument",), body=APPROVE),
    "POST /api/v1/arguments/<int:argument_id>/merge": ByIdRoute(("argument",), body=KEPT),
    "GET /debates/<slug>/arguments/<int:argument_id>": ByIdRoute(("argument",), "text"),
    "GET /debates/<slug>/arguments/<int:argument_id>/edit": ByIdRoute(("argument",)),
    "POST /debates/<slug>/arguments/<int:argument_id>/edit": ByIdRoute(
        ("argument",),
        body=_body(theme="health", stance="for", title="Un titre corrige", body="Corrige."),
    ),
    "POST /debates/<slug>/arguments/<int:argument_id>/endorsement": ByIdRoute(
        ("argument",), body=_body(action="endorse")
    ),
    "POST /debates/<slug>/arguments/<int:argument_id>/report": ByIdRoute(
        ("argument",), body=REASON
    ),
    "GET /debates/<slug>/moderation/arguments/<int:argument_id>/merge": ByIdRoute(("argument",)),
    "POST /debates/<slug>/moderation/arguments/<int:argument_id>/merge": ByIdRoute(
        ("argument",), body=KEPT
    ),
    # Citizens' questions to the experts.
    "GET /api/v1/questions/<int:question_id>": ByIdRoute(("question",), "text"),
    "POST /api/v1/questions/<int:question_id>/answer": ByIdRoute(("question",), body=ANSWER),
    "POST /api/v1/questions/<int:question_id>/moderation": ByIdRoute(("question",), body=APPROVE),
    "GET /debates/<slug>/expertise/questions/<int:question_id>/answer": ByIdRoute(("question",)),
    "POST /debates/<slug>/expertise/questions/<int:question_id>/answer": ByIdRoute(
        ("question",), body=ANSWER
    ),
    # Scope proposals.
    "PATCH /api/v1/scope-items/<int:item_id>": ByIdRoute(("scope_item",), body=SCOPE_DECISION),
    "POST /api/v1/scope-items/<int:item_id>/moderation": ByIdRoute(("scope_item",), body=APPROVE),
    "POST /debates/<slug>/scope/<int:item_id>/decision": ByIdRoute(
        ("scope_item",), body=SCOPE_DECISION
    ),
    "GET /debates/<slug>/scope/<int:item_id>/edit": ByIdRoute(("scope_item",)),
    "POST /debates/<slug>/scope/<int:item_id>/edit": ByIdRoute(
        ("scope_item",),
        body=_body(
            question="Une question corrigee ?",
            in_scope="yes",
            competence="municipal",
            rationale="Corrige.",
        ),
    ),
    # Comments on recommendations (registered by the outcome).
    "GET /debates/<slug>/recommendation-comments/<int:comment_id>": ByIdRoute(
        ("recommendation_comment",), "redirect"
    ),
    "POST /debates/<slug>/recommendation-comments/<int:comment_id>/report": ByIdRoute(
        ("recommendation_comment",), body=REASON
    ),
    "POST /api/v1/recommendation-comments/<int:comment_id>/reports": ByIdRoute(
        ("recommendation_comment",), body=REASON
    ),
    "POST /api/v1/recommendation-comments/<int:comment_id>/moderation": ByIdRoute(
        ("recommendation_comment",), body=APPROVE
    ),
    # Positions on the open question.
    "GET /api/v1/positions/<int:position_id>": ByIdRoute(("position",), "text"),
    "PUT /api/v1/positions/<int:position_id>/endorsement": ByIdRoute(("position",)),
    "DELETE /api/v1/positions/<int:position_id>/endorsement": ByIdRoute(("position",)),
    "POST /api/v1/positions/<int:position_id>/moderation": ByIdRoute(("position",), body=APPROVE),
    "POST /api/v1/positions/<int:position_id>/merge": ByIdRoute(("position",), body=KEPT_POSITION),
    "GET /debates/<slug>/positions/<int:position_id>": ByIdRoute(("position",), "text"),
    "POST /debates/<slug>/positions/<int:position_id>/endorsement": ByIdRoute(
        ("position",), body=_body(action="endorse")
    ),
    # A refused item revised by its author and sent back (kinds with a revision page of this route).
    "GET /debates/<slug>/moderation/<target>/<int:item_id>/revise": ByIdRoute(
        ("question", "scope_item")
    ),
    "POST /debates/<slug>/moderation/<target>/<int:item_id>/revise": ByIdRoute(
        ("question", "scope_item"),
        body=_body(body="Une question revue ?", question="Une question revue ?", rationale="Revu."),
    ),
    "GET /debates/<slug>/recommendation-comments/<int:comment_id>/edit": ByIdRoute(
        ("recommendation_comment",)
    ),
    "POST /debates/<slug>/recommendation-comments/<int:comment_id>/edit": ByIdRoute(
        ("recommendation_comment",), body=_body(body="Un commentaire revu.")
    ),
    # Every kind: the moderation's decision form, addressed by the kind's URL segment.
    "POST /debates/<slug>/moderation/<target>/<int:item_id>": ByIdRoute(ALL_KINDS, body=APPROVE),
}

# Every other route with an <int:…> id, and what the id is: none of them is a moderated item.
NOT_MODERATED: dict[str, str] = {
    "POST /account/tokens/<int:token_id>/revoke": "API token",
    "PUT /api/v1/debates/<slug>/members/<int:user_id>": "user",
    "DELETE /api/v1/debates/<slug>/members/<int:user_id>": "user",
    "POST /debates/<slug>/members/<int:user_id>/remove": "user",
    "PATCH /api/v1/expertise-needs/<int:need_id>": "expertise need (working group)",
    "POST /debates/<slug>/expertise/needs/<int:need_id>/status": "expertise need",
    "GET /api/v1/experts/<int:expert_id>": "expert (working group)",
    "PATCH /api/v1/experts/<int:expert_id>": "expert",
    "GET /debates/<slug>/expertise/experts/<int:expert_id>/edit": "expert",
    "POST /debates/<slug>/expertise/experts/<int:expert_id>/edit": "expert",
    "PATCH /api/v1/themes/<int:theme_id>": "theme",
    "GET /debates/<slug>/themes/<int:theme_id>/edit": "theme",
    "POST /debates/<slug>/themes/<int:theme_id>/edit": "theme",
    "PATCH /api/v1/modalities/<int:modality_id>": "modality",
    "DELETE /api/v1/modalities/<int:modality_id>": "modality",
    "POST /debates/<slug>/modalities/<int:modality_id>/delete": "modality",
    "GET /debates/<slug>/modalities/<int:modality_id>/edit": "modality",
    "POST /debates/<slug>/modalities/<int:modality_id>/edit": "modality",
    "POST /api/v1/workshop-notes/<int:note_id>/promote": "workshop note (working group)",
    "GET /api/v1/workshops/<int:workshop_id>": "workshop",
    "POST /api/v1/workshops/<int:workshop_id>/agenda": "workshop",
    "POST /api/v1/workshops/<int:workshop_id>/notes": "workshop",
    "GET /debates/<slug>/workshops/<int:workshop_id>": "workshop",
    "GET /debates/<slug>/workshops/<int:workshop_id>/agenda": "workshop",
    "POST /debates/<slug>/workshops/<int:workshop_id>/agenda": "workshop",
    "GET /debates/<slug>/workshops/<int:workshop_id>/compare": "workshop",
    "GET /debates/<slug>/workshops/<int:workshop_id>/minutes": "workshop",
    "GET /debates/<slug>/workshops/<int:workshop_id>/notes": "workshop",
    "POST /debates/<slug>/workshops/<int:workshop_id>/notes": "workshop",
    "GET /debates/<slug>/workshops/<int:workshop_id>/notes/<int:note_id>/promote": "workshop note",
    "POST /debates/<slug>/workshops/<int:workshop_id>/notes/<int:note_id>/promote": "workshop note",
    "GET /api/v1/recommendations/<int:recommendation_id>": "recommendation (drafts: own rule)",
    "PATCH /api/v1/recommendations/<int:recommendation_id>": "recommendation",
    "GET /api/v1/recommendations/<int:recommendation_id>/comments": "recommendation",
    "POST /api/v1/recommendations/<int:recommendation_id>/comments": "recommendation",
    "POST /api/v1/recommendations/<int:recommendation_id>/follow-ups": "recommendation",
    "PUT /api/v1/recommendations/<int:recommendation_id>/response": "recommendation",
    "PUT /api/v1/recommendations/<int:recommendation_id>/support": "recommendation",
    "DELETE /api/v1/recommendations/<int:recommendation_id>/support": "recommendation",
    "GET /debates/<slug>/recommendations/<int:recommendation_id>": "recommendation",
    "POST /debates/<slug>/recommendations/<int:recommendation_id>/comments": "recommendation",
    "GET /debates/<slug>/recommendations/<int:recommendation_id>/edit": "recommendation",
    "POST /debates/<slug>/recommendations/<int:recommendation_id>/edit": "recommendation",
    "POST /debates/<slug>/recommendations/<int:recommendation_id>/follow-ups": "recommendation",
    "GET /debates/<slug>/recommendations/<int:recommendation_id>/response": "recommendation",
    "POST /debates/<slug>/recommendations/<int:recommendation_id>/response": "recommendation",
    "POST /debates/<slug>/recommendations/<int:recommendation_id>/support": "recommendation",
}
# Parameter names that address a moderated item: a route using one cannot be called "not moderated".
MODERATED_ID_NAMES = frozenset(
    {"argument_id", "question_id", "item_id", "comment_id", "position_id"}
)
_INT_PARAM = re.compile(r"<int:([^<>]+)>")


def rules_with_an_id(app) -> set[str]:
    return {key for key in route_keys(app) if _INT_PARAM.search(key)}


def test_every_route_with_an_id_is_classified(app):
    with_id = rules_with_an_id(app)
    unclassified = with_id - set(ROUTES) - set(NOT_MODERATED)
    assert not unclassified, (
        "routes taking an id that this module does not know: put each in ROUTES (the id of a "
        f"moderated item, with its kind) or NOT_MODERATED (what the id is): {sorted(unclassified)}"
    )
    stale = (set(ROUTES) | set(NOT_MODERATED)) - with_id
    assert not stale, f"rows for routes that do not exist: {sorted(stale)}"
    assert not set(ROUTES) & set(NOT_MODERATED)
    mislabelled = [
        key for key in NOT_MODERATED if set(_INT_PARAM.findall(key)) & MODERATED_ID_NAMES
    ]
    assert not mislabelled, f"these ids name a moderated item: {mislabelled}"
    for key, route in ROUTES.items():
        assert len(_INT_PARAM.findall(key)) == 1, f"{key}: one id, the item's"
        for kind in route.kinds or ():
            target_by_key(kind)  # a registered kind (LookupError otherwise)


def test_every_kind_has_a_builder():
    kinds = {target.key for target in all_targets()}
    assert kinds == set(BUILDERS), (
        f"registered kinds without a builder here: {sorted(kinds - set(BUILDERS))}; "
        f"builders of kinds that are not registered: {sorted(set(BUILDERS) - kinds)}"
    )


# --- the world -----------------------------------------------------------------------------


@dataclass
class Viewer:
    name: str
    user: object | None = None
    cookie: str | None = None
    csrf: str | None = None
    bearer: str | None = None


@dataclass
class Item:
    kind: str
    status: str
    id: int
    text: str  # its current text (title, body or question)
    earlier: str | None = None  # the text of its earlier version, if it has one


@dataclass
class World:
    app: object
    connection: object
    slug: str = ""
    viewers: dict = field(default_factory=dict)
    items: dict = field(default_factory=dict)  # (kind, status) → Item
    kept_argument_id: int = 0
    kept_position_id: int = 0
    recommendation: object = None
    recommendation_id: int = 0

    def request(self, viewer: str, method: str, path: str, body: dict | None):
        """One request as `viewer`, rolled back afterwards: pages with the viewer's session (and
        the CSRF token in forms), the API with the viewer's bearer token."""
        who = self.viewers[viewer]
        headers, kwargs = {}, {}
        if path.startswith("/api/"):
            if who.bearer:
                headers["Authorization"] = f"Bearer {who.bearer}"
            if method in ("POST", "PUT", "PATCH"):
                kwargs["json"] = body or {}
        elif method != "GET":
            kwargs["data"] = {**(body or {}), "csrf_token": who.csrf}
        db.session.commit()
        db.session.remove()
        nested = self.connection.begin_nested()
        try:
            client = self.app.test_client()
            if who.cookie:
                client.set_cookie(self.app.config["SESSION_COOKIE_NAME"], who.cookie)
            response = client.open(path, method=method, headers=headers, **kwargs)
            response.get_data()
            response.close()
            return response
        finally:
            db.session.remove()
            if nested.is_active:
                nested.rollback()


def _argument(world, debate, author, text):
    earlier = f"Earlier text {text}"
    row = arguments.submit_argument(
        debate,
        author,
        {
            "theme": "health",
            "stance": "for",
            "title": earlier,
            "body": earlier,
            "position_id": world.kept_position_id,
            "sources": [SOURCE],
        },
    )
    # Edited while it waits for the moderators: its first text becomes an earlier version.
    arguments.edit_argument(row, {"title": text, "body": text})
    return row, earlier


def _question(world, debate, author, text):
    return expertise.ask_question(debate, author, {"theme": "health", "body": text}), None


def _scope_item(world, debate, author, text):
    item = debates.add_scope_item(
        debate,
        author,
        {"question": text, "in_scope": True, "rationale": text, "competence": "municipal"},
        as_working_group=False,
    )
    return item, None


def _position(world, debate, author, text):
    return positions.propose_position(debate, author, {"title": text, "body": text}), None


def _comment(world, debate, author, text):
    recommendation = world.recommendation
    return outcome.add_comment(recommendation, author, {"body": text}), None


# kind → build(world, debate, author, text) → (item, text of its earlier version or None)
BUILDERS = {
    "argument": _argument,
    "question": _question,
    "scope_item": _scope_item,
    "recommendation_comment": _comment,
    "position": _position,
}
# Kinds whose citizens' items wait for the moderators when the debate pre-moderates (scope
# proposals are published at once and moderated afterwards: debates.operations.add_scope_item).
PRE_MODERATED = {"argument", "question", "recommendation_comment", "position"}


def _put_in(item, status: str) -> None:
    """Give the item a moderation status, as a decision would (it sets moderated_at)."""
    target = target_of(item)
    setattr(item, target.status.key, target.status_enum(status))
    item.moderated_at = None if status == PENDING else utcnow()


def _viewer(app, name: str, user) -> Viewer:
    viewer = Viewer(name, user)
    client = app.test_client()
    if user is not None:
        sid = accounts.start_session(user, "moderated-items")
        db.session.commit()
        with client.session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
            session[SESSION_KEY] = sid
        viewer.bearer = factories.token(user)
        db.session.commit()
    viewer.csrf = client.session_csrf_token()
    viewer.cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    return viewer


def build(app, connection) -> World:
    world = World(app, connection)
    make = factories
    users = {
        "citizen": make.user("Cyril Citizen"),
        "author": make.user(AUTHOR_NAME),
        "working_group": make.user("Wanda Workgroup"),
        "guarantor": make.user("Gaston Guarantor"),
        "elected": make.user("Elena Elected"),
        "admin": make.admin("Ada Admin"),
    }
    # An open question: its positions are moderated items too, and every argument is on one.
    debate = make.debate(
        phase="arguments",
        template="blank",
        question_kind="open",
        members={
            "working_group": users["working_group"],
            "guarantor": users["guarantor"],
            "elected": users["elected"],
        },
    )
    debate.settings = {**debate.settings, "pre_moderation": True}
    debates.replace_charter(debate, [{"number": 1, "text": "Respect des personnes."}])
    expertise.add_theme(
        debate, {"key": "health", "title": "Sante", "description": "", "key_question": "?"}
    )
    db.session.expire(debate, ["themes"])
    assert debate.setting("pre_moderation") is True
    world.slug = debate.slug

    # A published position and argument by someone else: merges keep them; the recommendation
    # cites the argument.
    keeper = make.user("Kim Kept")
    kept_position = positions.propose_position(debate, keeper, {"title": "Kept position"})
    _put_in(kept_position, PUBLISHED)
    world.kept_position_id = kept_position.id
    kept = arguments.submit_argument(
        debate,
        keeper,
        {
            "theme": "health",
            "stance": "against",
            "title": "Kept",
            "body": "",
            "position_id": kept_position.id,
            "sources": [SOURCE],
        },
    )
    arguments.set_status(kept, PUBLISHED)
    world.kept_argument_id = kept.id
    world.recommendation = outcome.create_recommendation(
        debate,
        users["working_group"],
        {
            "area": "health",
            "title": "Publier les mesures",
            "body": "La commune publie les mesures.",
            "rationale": "Les habitants le demandent.",
            "origin": "working_group",
            "competence": "municipal",
            "consensus": "consensual",
            "argument_ids": [kept.id],
            "open_for_comments": True,
        },
    )
    world.recommendation_id = world.recommendation.id

    for target in all_targets():
        for status in (s.value for s in target.status_enum):
            text = f"Current text mk-{target.key}-{status}"
            row, earlier = BUILDERS[target.key](world, debate, users["author"], text)
            submitted = getattr(row, target.status.key).value
            if target.key in PRE_MODERATED:
                assert submitted == PENDING, f"{target.key}: not pre-moderated ({submitted})"
            _put_in(row, status)
            world.items[(target.key, status)] = Item(target.key, status, row.id, text, earlier)
    db.session.commit()
    world.viewers = {"anonymous": _viewer(app, "anonymous", None)}
    for name, user in users.items():
        world.viewers[name] = _viewer(app, name, user)
    db.session.commit()
    return world


@pytest.fixture(autouse=True)
def _transaction():
    """The module's world lives in one transaction (below): no per-test one."""
    yield


@pytest.fixture(scope="module")
def world(app):
    with rolled_back(app) as connection:
        yield build(app, connection)


# --- the checks ----------------------------------------------------------------------------


def _path(key: str, kind: str, item_id: int, world: World) -> str:
    rule = key.split(" ", 1)[1]
    (name,) = _INT_PARAM.findall(rule)
    values = {"slug": world.slug, "target": target_by_key(kind).segment, name: item_id}
    return url_of(rule, values)


def _cases() -> list:
    cases = []
    for key, route in sorted(ROUTES.items()):
        kinds = route.kinds if route.kinds is not ALL_KINDS else tuple(BUILDERS)
        for kind in kinds:
            cases.append(pytest.param(key, kind, id=f"{key} [{kind}]"))
    return cases


@dataclass
class Seen:
    """One answer: the item's status, the viewer, and what they got."""

    status: str
    viewer: str
    item: Item
    code: int
    text: str
    location: str
    json: object
    unknown: int  # what the same viewer gets from the same route for an id that does not exist


_SEEN: dict = {}


def _observe(world: World, key: str, kind: str) -> list[Seen]:
    """Every status × viewer answer of a route for one kind (requested once for both tests)."""
    if (id(world), key, kind) not in _SEEN:
        route, method = ROUTES[key], key.split(" ", 1)[0]
        body = route.body(world) if route.body else None
        unknown = {
            viewer: world.request(viewer, method, _path(key, kind, MISSING_ID, world), body)
            for viewer in VIEWERS
        }
        seen = []
        for status in (s.value for s in target_by_key(kind).status_enum):
            item = world.items[(kind, status)]
            path = _path(key, kind, item.id, world)
            for viewer in VIEWERS:
                response = world.request(viewer, method, path, body)
                seen.append(
                    Seen(
                        status,
                        viewer,
                        item,
                        response.status_code,
                        response.get_data(as_text=True),
                        response.headers.get("Location", ""),
                        response.json if response.is_json else None,
                        unknown[viewer].status_code,
                    )
                )
        _SEEN[(id(world), key, kind)] = seen
    return _SEEN[(id(world), key, kind)]


@pytest.mark.parametrize("key, kind", _cases())
def test_nothing_is_shown_to_those_who_may_not_see(world, key, kind):
    """No exemption: the item's text, its earlier versions and its author's name reach only those
    who may see it, who do get it from the routes that show it; no answer is a server error."""
    route, problems = ROUTES[key], []
    for seen in _observe(world, key, kind):
        where = f"{seen.status} {kind}, {seen.viewer}: got {seen.code}"
        if seen.code >= 500 or seen.unknown >= 500:
            problems.append(f"{where} (unknown id: {seen.unknown}): a server error")
        elif not may_see(seen.viewer, seen.status):
            secrets = (seen.item.text, seen.item.earlier, AUTHOR_NAME)
            leaked = [t for t in secrets if t and t in seen.text + seen.location]
            if leaked:
                problems.append(f"{where}, and the answer holds {leaked}")
        else:
            problems += _shown(route, world, seen, where)
    assert not problems, f"{key} [{kind}]:\n" + "\n".join(problems)


@pytest.mark.parametrize("key, kind", _cases())
def test_refusals_answer_as_for_an_unknown_id(world, key, kind):
    """Who may not see the item cannot tell it from one that does not exist: the routes that show
    an item answer 404, the others what they answer for an unknown id."""
    route, problems = ROUTES[key], []
    for seen in _observe(world, key, kind):
        if may_see(seen.viewer, seen.status):
            continue
        expected = 404 if route.shows else seen.unknown
        if seen.code != expected:
            problems.append(
                f"{seen.status} {kind}, {seen.viewer}: got {seen.code}, expected {expected}"
            )
    assert not problems, f"{key} [{kind}]:\n" + "\n".join(problems)


def _shown(route: ByIdRoute, world: World, seen: Seen, where: str) -> list:
    """What a viewer who may see the item gets from a route that shows it."""
    item = seen.item
    if route.shows == "text":
        if seen.code != 200 or item.text not in seen.text:
            return [f"{where}, expected 200 with the item's text"]
        if seen.viewer == "author" and seen.json is not None:
            status = seen.json.get("moderation_status", seen.json.get("status"))
            if status != item.status:
                return [f"{where}: the author is not told the status ({status!r})"]
    elif route.shows == "earlier":
        if seen.code != 200:
            return [f"{where}, expected 200"]
        # Every earlier version here was written before the moderators decided: never public.
        reads_earlier = seen.viewer in SEES_UNPUBLISHED
        if (item.earlier in seen.text) is not reads_earlier:
            return [f"{where}: the earlier version is {'missing' if reads_earlier else 'shown'}"]
    elif route.shows == "redirect":
        if seen.code != 302 or f"/recommendations/{world.recommendation_id}" not in seen.location:
            return [f"{where} → {seen.location!r}, expected a redirect to its recommendation"]
    return []


# --- the lists ---------------------------------------------------------------------------

# The pages and API reads that list items of a debate (no id of an item of their own): none may
# show an item to someone who may not see it, nor an earlier version that was never public.
LIST_PARAMETERS = frozenset({"slug", "entity", "recommendation_id"})
CSV_ENTITIES = ("arguments", "sources", "recommendations", "responses", "questions", "positions")
UNSEARCHABLE = {
    # Compressed PDF text; it is drawn from the queries of GET /debates/<slug>/outcome, read here.
    "GET /debates/<slug>/outcome/report.pdf",
}
PUBLIC_VIEWERS = tuple(v for v in VIEWERS if v not in SEES_UNPUBLISHED)


def _lists(app) -> list:
    keys = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and set(rule.arguments) <= LIST_PARAMETERS:
            key = f"GET {rule.rule}"
            if key not in UNSEARCHABLE and not rule.rule.startswith("/static"):
                keys.append(key)
    return sorted(keys)


def test_no_list_shows_an_item_to_those_who_may_not_see(world):
    secrets = [
        text
        for item in world.items.values()
        for text in (item.earlier, None if item.status == PUBLISHED else item.text)
        if text
    ]
    problems = []
    for key in _lists(world.app):
        rule = key.split(" ", 1)[1]
        entities = CSV_ENTITIES if "<entity>" in rule else (None,)
        for entity in entities:
            path = url_of(
                rule,
                {
                    "slug": world.slug,
                    "entity": entity,
                    "recommendation_id": world.recommendation_id,
                },
            )
            for viewer in PUBLIC_VIEWERS:
                response = world.request(viewer, "GET", path, None)
                text = response.get_data(as_text=True)
                if response.status_code >= 500:
                    problems.append(f"{path}, {viewer}: {response.status_code}")
                shown = [secret for secret in secrets if secret in text]
                if shown:
                    problems.append(f"{path}, {viewer}: shows {shown}")
    assert not problems, "\n".join(problems)
