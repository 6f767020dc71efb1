"""A fixture world for the cross-cutting security tests, built once per module.

A debate per phase (same members in each), a debate asking an open question ("open": arguments
phase, a published position by "author" and one by the working group), a second debate with its own working group, and in
every debate one item of each kind (theme, argument, question, scope proposal, modality, charter
clauses, expert, expertise need, contribution, resource, glossary term, workshop with a note),
written by "author". Each role has a live browser session (cookie + CSRF token) and a bearer token.

`world_transaction` keeps the world in one outer transaction; `World.isolated()` runs one request in
a savepoint rolled back afterwards, so every check sees the same world and a module runs hundreds of
requests without rebuilding it.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from debate.accounts import operations as accounts
from debate.accounts.auth import SESSION_KEY
from debate.arguments import operations as arguments
from debate.core.errors import Conflict, Invalid
from debate.debates import operations as debates
from debate.expertise import operations as expertise
from debate.extensions import db
from debate.mail import tokens
from debate.moderation import operations as moderation
from debate.outcome import operations as outcome
from debate.panel import operations as panel
from debate.panel.models import PanelVolunteer
from debate.positions import operations as positions
from debate.workshops import operations as workshops
from tests import factories
from tests.database import rolled_back

ROLES = (
    "anonymous",
    "citizen",
    "author",
    "other",
    "wg",
    "wg_other",
    "elected",
    "guarantor",
    "admin",
)
PHASES = ("scope", "expertise", "arguments", "outcome")
SOURCE = {
    "url": "https://www.anses.fr/fr/content/5g-avis-2021",
    "title": "Avis 5G",
    "publisher": "ANSES",
    "published_on": "2021-04-20",
    "kind": "public_agency",
}
CHARTER = [{"number": n, "text": f"Clause {n} de la charte."} for n in (1, 2, 3)]


@dataclass
class Items:
    """The ids of one debate's items, by URL parameter name."""

    debate: object
    ids: dict = field(default_factory=dict)


@dataclass
class Actor:
    role: str
    user: object | None
    cookie: str | None = None
    csrf: str | None = None
    bearer: str | None = None


class World:
    def __init__(self, app, connection):
        self.app, self.connection = app, connection
        self.users: dict = {}
        self.debates: dict[str, Items] = {}
        self.actors: dict[str, Actor] = {}
        self.contents: dict = {}
        self.refused = 0  # contents a field refused (the default was used instead)

    # --- building ------------------------------------------------------------------------
    def build(self, *, contents=None, phases=PHASES) -> "World":
        make = factories
        names = (contents or {}).get("display_names", {})
        for role in ROLES[1:]:
            name = names.get(role, f"Rôle {role}")
            self.users[role] = make.admin(name) if role == "admin" else make.user(name)
        members = {
            "working_group": self.users["wg"],
            "elected": self.users["elected"],
            "guarantor": self.users["guarantor"],
        }
        for phase in phases:
            self.debates[phase] = self._debate(make, phase, members, contents)
        self.debates["open"] = self._open_debate(make, members)
        self.debates["panel"] = self._panel_debate(make, members)
        self.debates["other"] = self._debate(
            make, "arguments", {"working_group": self.users["wg_other"]}, contents
        )
        db.session.commit()
        for role in ROLES:
            self.actors[role] = self._actor(role)
        db.session.commit()
        return self

    def _attempt(self, build):
        """Run `build(text)` with the world's contents; if they are refused (Invalid), again with
        the defaults (the XSS corpus feeds payloads that some fields rightly refuse)."""

        try:
            with db.session.begin_nested():
                return build(self._text)
        except (Invalid, Conflict):
            self.refused += 1
            return build(lambda key, default: default)

    def _debate(self, make, phase, members, contents) -> Items:
        self.contents = contents or {}
        author = self.users["author"]
        debate = self._attempt(
            lambda text: make.debate(
                phase=phase,
                members=members,
                template="blank",
                title=text("debate_title", "Débat sur la 5G"),
                question=text("debate_question", "Faut-il la 5G ?"),
                description=text("description", "Un débat."),
                commitment=text("commitment", "La mairie répondra."),
            )
        )
        self._attempt(
            lambda text: debates.replace_charter(
                debate,
                [{"number": 1, "text": text("charter", "Respect des personnes.")}, *CHARTER[1:]],
            )
        )
        theme = self._attempt(
            lambda text: expertise.add_theme(
                debate,
                {
                    "key": "health",
                    "title": text("theme", "Santé"),
                    "description": text("theme_description", "Santé."),
                    "key_question": text("key_question", "Quels risques ?"),
                },
            )
        )
        db.session.expire(debate, ["themes"])

        def source(text):
            return {
                "url": text("source_url", SOURCE["url"]),
                "title": text("source_title", SOURCE["title"]),
                "publisher": text("source_publisher", SOURCE["publisher"]),
                "kind": "public_agency",
                "excerpt": text("source_excerpt", "Un extrait."),
            }

        argument = self._attempt(
            lambda text: arguments.submit_argument(
                debate,
                author,
                {
                    "theme": "health",
                    "stance": "for",
                    "title": text("argument_title", "Des mesures rassurantes"),
                    "body": text("argument_body", "L'ANFR mesure une hausse modeste."),
                    "sources": [source(text)],
                },
            )
        )
        arguments.set_status(argument, "published", moderated=False)  # still editable by its author
        second = arguments.submit_argument(
            debate,
            self.users["other"],
            {
                "theme": "health",
                "stance": "against",
                "title": "Un autre argument",
                "body": "",
                "sources": [SOURCE],
            },
        )
        arguments.set_status(second, "published", moderated=False)
        self._attempt(
            lambda text: arguments.submit_argument(
                debate,
                self.users["other"],
                {
                    "theme": "health",
                    "stance": "against",
                    "title": text("reply_title", "Une réponse"),
                    "body": text("reply_body", "Je ne suis pas d'accord."),
                    "parent_id": argument.id,
                    "relation": "objects",
                    "sources": [SOURCE],
                },
            )
        )
        self._attempt(
            lambda text: arguments.report_argument(
                second, self.users["citizen"], text("report_reason", "Hors charte")
            )
        )
        question = self._attempt(
            lambda text: expertise.ask_question(
                debate, author, {"theme": "health", "body": text("question", "Quelle exposition ?")}
            )
        )
        answered = expertise.ask_question(
            debate, self.users["other"], {"theme": "health", "body": "Et le sommeil ?"}
        )
        self._attempt(
            lambda text: expertise.answer_question(
                debate, answered, self.users["wg"], {"body": text("answer", "Voici la réponse.")}
            )
        )
        proposal = self._attempt(
            lambda text: debates.add_scope_item(
                debate,
                author,
                {
                    "question": text("scope_question", "Qui paie les mesures ?"),
                    "in_scope": True,
                    "rationale": text("scope_rationale", "Les parents le demandent."),
                    "competence": "municipal",
                },
                as_working_group=False,
            )
        )
        modality = self._attempt(
            lambda text: debates.add_modality(
                debate,
                {
                    "kind": "public_meeting",
                    "title": text("modality_title", "Réunion publique"),
                    "starts_at": datetime(2030, 5, 14, 16, 30, tzinfo=UTC),
                    "location": text("modality_location", "Salle du conseil"),
                    "online_url": text("modality_url", ""),
                    "description": text("modality_description", "Ouverte à toutes et tous."),
                },
            )
        )
        expert = self._attempt(
            lambda text: expertise.add_expert(
                debate,
                {
                    "name": text("expert_name", "Claire Vautrin"),
                    "affiliation": text("expert_affiliation", "Université"),
                    "kind": "academic",
                    "themes": ["health"],
                    "declaration_of_interests": text("expert_doi", "Aucun lien."),
                },
            )
        )
        need = self._attempt(
            lambda text: expertise.add_need(
                debate, {"theme": "health", "question": text("need", "Quel effet sur le sommeil ?")}
            )
        )
        self._attempt(
            lambda text: expertise.add_contribution(
                debate,
                {
                    "expert_id": expert.id,
                    "theme": "health",
                    "title": text("contribution_title", "Ce que l'on sait"),
                    "body": text("contribution_body", "Des mesures en V/m."),
                    "sources": [source(text)],
                },
            )
        )
        self._attempt(
            lambda text: expertise.add_resource(
                debate,
                {
                    "title": text("resource_title", "Rapport ANFR"),
                    "publisher": text("resource_publisher", "ANFR"),
                    "url": text("resource_url", "https://www.anfr.fr/r"),
                    "kind": "report",
                    "theme": "health",
                    "licence": text("resource_licence", "Etalab"),
                },
            )
        )
        self._attempt(
            lambda text: expertise.add_term(
                debate,
                {"term": text("term", "V/m"), "definition": text("definition", "Volt par mètre.")},
            )
        )
        workshop = self._attempt(
            lambda text: workshops.create_workshop(
                debate,
                {
                    "title": text("workshop_title", "Atelier des Tanneurs"),
                    "held_on": date(2030, 3, 18),
                    "format": "in_person",
                    "duration_minutes": 120,
                    "participants_count": 25,
                    "facilitators": text("facilitators", "Claire"),
                    "tools": [text("tool", "post-it")],
                    "summary": text("workshop_summary", "Un atelier **AFOM**."),
                },
            )
        )
        self._attempt(
            lambda text: workshops.add_agenda_item(
                workshop,
                {
                    "title": text("agenda_title", "Tour de table"),
                    "duration_minutes": 10,
                    "mode": "plenary",
                    "description": text("agenda_description", "Chacun se présente."),
                },
            )
        )
        note = self._attempt(
            lambda text: workshops.add_note(
                workshop,
                {
                    "kind": "sticky",
                    "text": text("note", "Une note"),
                    "theme": "health",
                    "group": text("note_group", "Table 1"),
                    "cluster": text("note_cluster", "Santé"),
                },
            )
        )
        recommendation, comment = self._outcome(debate, argument)
        if self.contents:
            hidden = arguments.submit_argument(
                debate,
                author,
                {
                    "theme": "health",
                    "stance": "for",
                    "title": "À revoir",
                    "body": "",
                    "sources": [SOURCE],
                },
            )
            self._attempt(
                lambda text: moderation.decide(
                    hidden,
                    "request_changes",
                    self.users["wg"],
                    message=text("moderation_message", "Merci de préciser."),
                )
            )
        db.session.flush()
        return Items(
            debate,
            {
                "slug": debate.slug,
                "argument_id": argument.id,
                "question_id": question.id,
                "item_id": proposal.id,
                "modality_id": modality.id,
                "expert_id": expert.id,
                "need_id": need.id,
                "theme_id": theme.id,
                "workshop_id": workshop.id,
                "note_id": note.id,
                "user_id": self.users["elected"].id,
                "other_argument_id": second.id,
                "author_email": author.email,
                "citizen_email": self.users["citizen"].email,
                "recommendation_id": recommendation.id if recommendation else 0,
                "comment_id": comment.id if comment else 0,
                **self._mail_tokens(),
            },
        )

    def _open_debate(self, make, members) -> Items:
        """A debate asking an open question, in its arguments phase: a published position by
        "author" (`position_id`) and one by the working group (`other_position_id`)."""
        debate = make.debate(
            phase="arguments",
            members=members,
            template="blank",
            question_kind="open",
            question="Comment mesurer les ondes ?",
        )
        debates.replace_charter(debate, CHARTER)
        expertise.add_theme(
            debate,
            {"key": "health", "title": "Santé", "description": "Santé.", "key_question": "?"},
        )
        db.session.expire(debate, ["themes"])
        position = self._attempt(
            lambda text: positions.propose_position(
                debate,
                self.users["author"],
                {
                    "title": text("position_title", "Des capteurs dans chaque quartier"),
                    "body": text("position_body", "La commune installe des capteurs."),
                    "theme": "health",
                },
            )
        )
        other = positions.propose_position(
            debate, self.users["wg"], {"title": "Une campagne de mesures par an", "body": ""}
        )
        assert position.is_published and other.is_published
        db.session.flush()
        return Items(
            debate,
            {
                "slug": debate.slug,
                "position_id": position.id,
                "other_position_id": other.id,
                "user_id": self.users["elected"].id,
                "author_email": self.users["author"].email,
                "citizen_email": self.users["citizen"].email,
            },
        )

    def _panel_debate(self, make, members) -> Items:
        """A debate in its expertise phase whose citizens' panel (4 seats, one category) takes
        volunteers: eight in the pool, and "author"."""
        debate = make.debate(phase="expertise", members=members, template="blank")
        category = {
            "key": "age",
            "title": "Âge",
            "values": [
                {"key": "jeune", "title": "Moins de 45 ans", "min": 1, "max": 3},
                {"key": "senior", "title": "45 ans et plus", "min": 1, "max": 3},
            ],
        }
        until = date.today() + timedelta(days=20)
        row = panel.configure_panel(
            debate,
            self.users["wg"],
            {"size": 4, "volunteers_until": until, "categories": [category]},
        )
        for i in range(8):
            person = make.user(f"Volontaire {i}")
            answers = {"age": "jeune" if i % 2 else "senior"}
            db.session.add(
                PanelVolunteer(panel=row, user_id=person.id, key=f"k{i:04d}", answers=answers)
            )
        panel.volunteer(
            row,
            self.users["author"],
            {"age": "jeune"},
            consent=True,
            show_name=False,
            today=date.today(),
        )
        db.session.flush()
        return Items(debate, {"slug": debate.slug})

    def _outcome(self, debate, argument):
        """A draft recommendation open for comments, with a comment by the author (if the outcome
        domain is there)."""
        recommendation = self._attempt(
            lambda text: outcome.create_recommendation(
                debate,
                self.users["wg"],
                {
                    "area": "health",
                    "title": text("recommendation_title", "Publier les mesures"),
                    "body": text("recommendation_body", "La commune publie les mesures."),
                    "rationale": text("recommendation_rationale", "Les habitants le demandent."),
                    "origin": "working_group",
                    "competence": "municipal",
                    "consensus": "divided",
                    "dissent": text("recommendation_dissent", "Une minorité s'y oppose."),
                    "argument_ids": [argument.id],
                    "source_urls": [],
                    "expert_contribution_ids": [],
                    "workshop_note_ids": [],
                    "open_for_comments": True,
                },
            )
        )
        comment = self._attempt(
            lambda text: outcome.add_comment(
                recommendation,
                self.users["author"],
                {"body": text("recommendation_comment", "Bonne idée.")},
            )
        )
        return recommendation, comment

    def _mail_tokens(self) -> dict:
        author = self.users["author"]
        return {
            "confirm_token": tokens.confirmation_token(author),
            "reset_token": tokens.reset_token(author),
            "unsubscribe_token": tokens.unsubscribe_token(author, "all"),
        }

    def _text(self, key, default):
        return self.contents.get(key, default)

    def _actor(self, role) -> Actor:
        user = self.users.get(role)
        actor = Actor(role, user)
        client = self.app.test_client()
        if user is not None:
            sid = accounts.start_session(user, "security-tests")
            db.session.commit()
            with client.session_transaction() as session:
                session["_user_id"] = str(user.id)
                session["_fresh"] = True
                session[SESSION_KEY] = sid
            actor.bearer = factories.token(user)
            db.session.commit()
        actor.csrf = client.csrf_token("/account" if user is not None else "/auth/login")
        actor.cookie = client.get_cookie("session").value
        if role == "author":
            _token, row = accounts.issue_api_token(user, 30, "page token")
            self.author_token_id = row.id
            db.session.commit()
        return actor

    # --- requests ------------------------------------------------------------------------
    def client(self, role: str, *, with_cookie: bool = True):
        client = self.app.test_client()
        actor = self.actors[role]
        if with_cookie and actor.cookie:
            client.set_cookie("session", actor.cookie, domain="localhost")
        return client

    @contextmanager
    def isolated(self):
        """Whatever happens inside is rolled back afterwards."""
        db.session.commit()
        db.session.remove()  # no savepoint of the session may enclose ours
        nested = self.connection.begin_nested()
        try:
            yield
        finally:
            db.session.remove()
            if nested.is_active:
                nested.rollback()

    def request(
        self,
        role: str,
        method: str,
        path: str,
        *,
        data=None,
        json=None,
        csrf=True,
        bearer=True,
        headers=None,
    ):
        """One request as `role`, rolled back afterwards: pages with the role's cookie (and CSRF
        token in form posts), the API with its bearer token."""
        actor = self.actors[role]
        headers = dict(headers or {})
        api = path.startswith("/api/")
        if api and bearer and actor.bearer:
            headers["Authorization"] = f"Bearer {actor.bearer}"
        kwargs: dict = {"headers": headers}
        if api:
            if json is not None or method in ("POST", "PUT", "PATCH"):
                kwargs["json"] = json if json is not None else {}
        elif method != "GET":
            form = dict(data or {})
            if csrf:
                form.setdefault("csrf_token", actor.csrf)
            kwargs["data"] = form
        with self.isolated():
            client = self.client(role)
            response = client.open(path, method=method, **kwargs)
            response.get_data()  # streamed answers run to the end inside the savepoint
            response.close()
            return response


def world_transaction(app):
    """An app context and one outer transaction for a module's world (replaces the per-test one)."""
    return rolled_back(app)
