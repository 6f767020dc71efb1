"""The load of issue 18 at any size, through the public API of a real gunicorn instance.

A crowd registers and signs in at once; people endorse one argument at once; people post arguments;
a working group moderates pending arguments and drafts and publishes recommendations while readers
browse and people ask questions. Every request is recorded (its kind, status and duration) and any
answer other than the one expected — a 5xx, an unexpected 4xx, a refused or cut connection, a
timeout — is an error, as is an error in the server's log. The counts are then read back from the
database: each write made exactly what it should, once.

Used by tests/scale/test_burst.py (a small load, in the default suite) and tests/scale/test_load.py
(the benchmark, marker `perf`).
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
import uuid
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import sqlalchemy as sa

from debate.accounts.models import ApiToken, User
from debate.arguments.models import Argument, ArgumentStatus, Endorsement
from debate.expertise.models import Question
from debate.extensions import db
from debate.moderation.models import ModerationEvent
from debate.outcome.models import Recommendation, RecommendationStatus
from tests import factories
from tests.arguments.helpers import ANSES, HCC, argument
from tests.scale import servers

# A client waits this long for an answer (gunicorn's worker timeout is 120 s): a slower answer is
# an error, not a hang.
TIMEOUT = 120
PASSWORD = "une phrase de passe assez longue"
REJECT_EVERY = 5  # the working group rejects one pending argument in five, approves the others
READER_PAUSE = 0.5  # seconds a reader spends on a page before opening the next
# The server's log: an access line ("%(m)s %(U)s %(s)s"), the start of any other entry, an error.
_ACCESS_LINE = re.compile(r"^[A-Z]+ /\S* \d{3}$")
_NEW_ENTRY = re.compile(r"^(\[?\d{4}-\d\d-\d\d|[A-Z]+ /)")
_ERROR = re.compile(r"\b(ERROR|CRITICAL|WORKER TIMEOUT)\b|^Traceback ")
_DETAIL = re.compile(r"^(\s|\(|\[SQL|\[parameters|The above|During handling|Traceback)")

# Reports of this process's runs, printed at the end of the session (tests/scale/conftest.py).
REPORTS: list[str] = []


@dataclass(frozen=True)
class Sizes:
    """How many of each: the benchmark's are the issue's."""

    registrations: int
    sign_ins: int  # of the people just registered, this many sign in (get a token) at once
    endorsers: int
    authors: int
    arguments_each: int
    moderated: int
    recommendations: int
    publications: int  # the recommendations are published in this many batches, one after another
    readers: int
    askers: int
    working_group: int = 5  # the first three moderate, the others draft and publish

    @property
    def people(self) -> int:
        """Accounts made before the run for those who endorse, argue and ask."""
        return max(self.endorsers, self.authors, self.askers)


BENCHMARK = Sizes(
    registrations=200,
    sign_ins=200,
    endorsers=200,
    authors=100,
    arguments_each=10,
    moderated=100,
    recommendations=54,
    publications=6,
    readers=50,
    askers=100,
)


@dataclass
class World:
    """What the load acts on, written directly in the database before the server starts."""

    run: str  # tells this run's registrations apart
    arguments_slug: str  # `arguments` phase, no pre-moderation: arguments and endorsements
    moderation_slug: str  # `arguments` phase, pre-moderated: pending arguments, questions
    outcome_slug: str  # `outcome` phase: recommendations
    moderation_id: int
    outcome_id: int
    endorsed_id: int
    pending_ids: list[int]
    linked_ids: list[int]  # published arguments of the outcome debate, for recommendations to cite
    working_group: list[str]  # bearer tokens
    people: list[tuple[int, str]]  # (user id, bearer token)

    @property
    def moderators(self) -> list[str]:
        return self.working_group[:3]

    @property
    def drafters(self) -> list[str]:
        return self.working_group[3:] or self.working_group[:1]


def prepare(folder: Path, url: str, sizes: Sizes) -> World:
    """Write the debates, the working group and the people in a migrated database
    (servers.migrated_database)."""
    with servers.local_app(folder, url):
        group = [factories.user(f"Groupe de travail {i + 1}") for i in range(sizes.working_group)]
        members = {"working_group": group}
        open_debate = factories.debate(phase="arguments", members=members)
        open_debate.settings = {**open_debate.settings, "pre_moderation": False}
        moderated = factories.debate(phase="arguments", members=members)
        moderated.settings = {**moderated.settings, "pre_moderation": True}
        outcome = factories.debate(phase="arguments", members=members)
        outcome.settings = {**outcome.settings, "pre_moderation": False}
        author = factories.user("Autrice")
        endorsed = argument(open_debate, author, title="Mesurer l'exposition près des écoles")
        pending = [
            argument(moderated, author, status="pending", title=f"Argument à modérer {i + 1}")
            for i in range(sizes.moderated)
        ]
        linked = [
            argument(outcome, author, title=f"Argument de la synthèse {i + 1}") for i in range(3)
        ]
        outcome.current_phase = "outcome"
        people = [factories.user() for _ in range(sizes.people)]
        world = World(
            run=uuid.uuid4().hex[:8],
            arguments_slug=open_debate.slug,
            moderation_slug=moderated.slug,
            outcome_slug=outcome.slug,
            moderation_id=moderated.id,
            outcome_id=outcome.id,
            endorsed_id=endorsed.id,
            pending_ids=[row.id for row in pending],
            linked_ids=[row.id for row in linked],
            working_group=[factories.token(person) for person in group],
            people=[(person.id, factories.token(person)) for person in people],
        )
        db.session.commit()
    return world


def serve(folder: Path, url: str) -> servers.Server:
    """gunicorn with 4 sync workers on the instance, as in production."""
    return servers.start_gunicorn(folder, servers.server_env(folder, url), workers=4, name="load")


# --- recording ------------------------------------------------------------------------------------


@dataclass
class Call:
    kind: str
    method: str
    path: str
    status: int
    seconds: float
    error: str = ""  # what was wrong, with the start of the body


class Recorder:
    """Makes the requests of one stage and remembers each one; collects what went wrong."""

    def __init__(self, server: servers.Server, stage: str):
        self.server = server
        self.stage = stage
        self.calls: list[Call] = []
        self.wrong: list[str] = []
        self._lock = threading.Lock()
        self._log_start = self.log_read = len(server.log_text())
        self.started = time.perf_counter()
        self.seconds = 0.0

    def call(self, kind, expect, method, path, *, token=None, body=None) -> dict | None:
        """One request; its JSON answer when the status is the expected one, else None."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        start = time.perf_counter()
        answer = servers.request(
            self.server.url + path, method, body=body, headers=headers, timeout=TIMEOUT
        )
        seconds = time.perf_counter() - start
        error = ""
        if answer.status != expect:
            error = f"{kind}: {method} {path} → {answer.status or 'no answer'} "
            error += f"(expected {expect}) {answer.text[:400].strip()}"
        with self._lock:
            self.calls.append(Call(kind, method, path, answer.status, seconds, error))
        if error:
            return None
        if "json" not in answer.headers.get("Content-Type", ""):
            return {}  # a page
        try:
            return answer.json()
        except ValueError:
            self.note_wrong(f"{kind}: {method} {path} answered {answer.status}, not in JSON")
            return None

    def note_wrong(self, message: str) -> None:
        """An answer with the expected status that said something wrong."""
        with self._lock:
            self.wrong.append(message)

    def finish(self) -> Recorder:
        self.seconds = time.perf_counter() - self.started
        return self

    def together(self, calls: list) -> None:
        """Run the calls each in its own thread, released at the same moment; wait for all. A call
        that raises is an error of the stage (a client's failure must not go unseen)."""
        barrier = threading.Barrier(len(calls))

        def run(call):
            barrier.wait()
            try:
                call()
            except Exception as exc:  # reported with the stage's errors
                self.note_wrong(f"a client thread raised {exc!r}")

        threads = [threading.Thread(target=run, args=(c,)) for c in calls]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def request_errors(self) -> list[str]:
        """Every failed request and wrong answer."""
        return [c.error for c in self.calls if c.error] + list(self.wrong)

    def errors(self) -> list[str]:
        """Every failed request and wrong answer, then the errors the server logged meanwhile (up
        to `log_read`)."""
        log = self.server.log_text()
        self.log_read = len(log)
        return self.request_errors() + log_errors(log[self._log_start :])

    def summary(self) -> list[dict]:
        """Per kind of request: how many, how many errors, p50, p95 and max in milliseconds."""
        rows = []
        for kind in dict.fromkeys(c.kind for c in self.calls):
            calls = [c for c in self.calls if c.kind == kind]
            times = sorted(c.seconds * 1000 for c in calls)
            rows.append(
                {
                    "stage": self.stage,
                    "kind": kind,
                    "requests": len(calls),
                    "errors": sum(1 for c in calls if c.error),
                    "p50_ms": round(_percentile(times, 50), 1),
                    "p95_ms": round(_percentile(times, 95), 1),
                    "max_ms": round(times[-1], 1),
                }
            )
        return rows


def log_errors(log: str) -> list[str]:
    """Each error the server logged — an ERROR or CRITICAL entry, a traceback, a worker timeout —
    as its first line and the exception it ends with."""
    lines, found, i = log.splitlines(), [], 0
    while i < len(lines):
        if _ACCESS_LINE.match(lines[i]) or not _ERROR.search(lines[i]):
            i += 1
            continue
        start, i = i, i + 1
        while i < len(lines) and not _NEW_ENTRY.match(lines[i]):
            i += 1
        ends = [line for line in lines[start + 1 : i] if line.strip() and not _DETAIL.match(line)]
        found.append(f"server log: {lines[start]}" + (f" … {ends[-1]}" if ends else ""))
    return found


def _percentile(sorted_values: list[float], p: float) -> float:
    """Nearest rank: the smallest value that at least p % of the values do not exceed."""
    return sorted_values[max(0, math.ceil(p / 100 * len(sorted_values)) - 1)]


# --- the stages -----------------------------------------------------------------------------------


def registrations(server: servers.Server, world: World, sizes: Sizes) -> Recorder:
    """`registrations` people create their account at once, then `sign_ins` of them sign in (get a
    bearer token) at once."""
    rec = Recorder(server, f"{sizes.registrations} registrations at once")
    people = [
        (f"inscription-{world.run}-{i}@example.org", f"Inscrite {i + 1}")
        for i in range(sizes.registrations)
    ]
    registered: list[str] = []

    def register(email, name):
        body = {"email": email, "display_name": name, "password": PASSWORD}
        if rec.call("registration", 201, "POST", "/api/v1/users", body=body) is not None:
            registered.append(email)

    rec.together([lambda e=e, n=n: register(e, n) for e, n in people])

    def sign_in(email):
        answer = rec.call(
            "sign-in (token)",
            201,
            "POST",
            "/api/v1/tokens",
            body={"email": email, "password": PASSWORD},
        )
        if answer is not None and not answer.get("token"):
            rec.note_wrong(f"sign-in of {email} answered without a token: {answer}")

    # Only people whose account was made sign in: a failed registration is counted once.
    signing_in = sorted(registered)[: sizes.sign_ins]
    if signing_in:
        rec.together([lambda e=e: sign_in(e) for e in signing_in])
    return rec.finish()


def endorsements(server: servers.Server, world: World, sizes: Sizes) -> Recorder:
    """`endorsers` people, each with their own account, endorse one argument at once."""
    rec = Recorder(server, f"{sizes.endorsers} people endorsing one argument")
    path = f"/api/v1/arguments/{world.endorsed_id}/endorsement"

    def endorse(token):
        answer = rec.call("endorsement", 200, "PUT", path, token=token)
        if answer is not None and answer.get("endorsed") is not True:
            rec.note_wrong(f"an endorsement answered {answer}")

    rec.together([lambda t=t: endorse(t) for _id, t in world.people[: sizes.endorsers]])
    return rec.finish()


def arguments(server: servers.Server, world: World, sizes: Sizes) -> Recorder:
    """`authors` people each post `arguments_each` arguments, one after the other, all at once."""
    total = sizes.authors * sizes.arguments_each
    rec = Recorder(server, f"{total} arguments by {sizes.authors} people")
    path = f"/api/v1/debates/{world.arguments_slug}/arguments"
    themes, stances = ("health", "environment", "economy"), ("for", "against", "nuance")

    def post_all(person: int, token: str):
        for n in range(sizes.arguments_each):
            body = {
                "theme": themes[n % 3],
                "stance": stances[(person + n) % 3],
                "title": f"Argument {n + 1} de la personne {person + 1}",
                "body": "Les mesures publiées près des écoles *rassurent* les parents.",
                "sources": [dict(ANSES if n % 2 else HCC)],
            }
            answer = rec.call("argument", 201, "POST", path, token=token, body=body)
            if answer is not None and answer.get("status") != "published":
                rec.note_wrong(f"an argument was answered as {answer.get('status')}")

    rec.together(
        [
            lambda i=i, t=t: post_all(i, t)
            for i, (_id, t) in enumerate(world.people[: sizes.authors])
        ]
    )
    return rec.finish()


def working_group(server: servers.Server, world: World, sizes: Sizes) -> Recorder:
    """The working group moderates the pending arguments and drafts and publishes the
    recommendations in batches, while readers browse and people ask questions, all at once."""
    rec = Recorder(
        server,
        f"working group: {sizes.moderated} decisions, {sizes.recommendations} recommendations; "
        f"{sizes.readers} readers, {sizes.askers} questions",
    )
    writers_done = threading.Event()
    moderators = world.moderators

    def moderate(index: int):
        for position in range(index, len(world.pending_ids), len(moderators)):
            item = world.pending_ids[position]
            body = (
                {"action": "reject", "clause": 1}
                if position % REJECT_EVERY == REJECT_EVERY - 1
                else {"action": "approve"}
            )
            rec.call(
                "moderation decision",
                200,
                "POST",
                f"/api/v1/arguments/{item}/moderation",
                token=moderators[index],
                body=body,
            )

    def draft(number: int, token: str):
        body = {
            "area": ("health", "environment", "economy")[number % 3],
            "title": f"Recommandation {number + 1} : publier les mesures d'exposition",
            "body": "La commune publie chaque année les mesures près des écoles.",
            "rationale": "Les habitants le demandent.",
            "origin": "working_group",
            "competence": "municipal",
            "consensus": "majority",
            "argument_ids": [world.linked_ids[number % len(world.linked_ids)]],
        }
        path = f"/api/v1/debates/{world.outcome_slug}/recommendations"
        rec.call("recommendation draft", 201, "POST", path, token=token, body=body)

    def outcome():
        batches = _split(sizes.recommendations, sizes.publications)
        drafters = world.drafters
        drafted = 0
        for size in batches:
            rec.together(
                [
                    lambda n=n: draft(n, drafters[n % len(drafters)])
                    for n in range(drafted, drafted + size)
                ]
            )
            drafted += size
            path = f"/api/v1/debates/{world.outcome_slug}/recommendations/publish"
            answer = rec.call("recommendation publication", 200, "POST", path, token=drafters[0])
            if answer is not None and answer.get("published") != size:
                rec.note_wrong(f"a publication published {answer.get('published')}, not {size}")

    def ask(index: int, token: str):
        body = {
            "theme": ("health", "environment", "economy")[index % 3],
            "body": f"Question {index + 1} : quelles mesures près de l'école ?",
        }
        path = f"/api/v1/debates/{world.moderation_slug}/questions"
        rec.call("question", 201, "POST", path, token=token, body=body)

    pages = [
        "/",
        f"/debates/{world.arguments_slug}/",
        f"/debates/{world.arguments_slug}/arguments",
        f"/debates/{world.arguments_slug}/arguments/{world.endorsed_id}",
        f"/debates/{world.moderation_slug}/expertise",
        f"/debates/{world.outcome_slug}/outcome",
        f"/api/v1/debates/{world.arguments_slug}/arguments",
        f"/api/v1/debates/{world.outcome_slug}/recommendations",
    ]

    def read(index: int):
        # Each reader opens the pages in turn, from a different one, until the writers are done.
        for turn in count(index):
            rec.call("page read", 200, "GET", pages[turn % len(pages)])
            if writers_done.wait(READER_PAUSE):
                return

    writers = (
        [lambda i=i: moderate(i) for i in range(len(moderators))]
        + [outcome]
        + [lambda i=i, t=t: ask(i, t) for i, (_id, t) in enumerate(world.people[: sizes.askers])]
    )

    def write(call):
        try:
            call()
        finally:
            with lock:
                remaining.remove(call)
                if not remaining:
                    writers_done.set()

    lock, remaining = threading.Lock(), list(writers)
    rec.together(
        [lambda c=c: write(c) for c in writers]
        + [lambda i=i: read(i) for i in range(sizes.readers)]
    )
    return rec.finish()


def _split(total: int, parts: int) -> list[int]:
    """`total` in `parts` batches as even as can be: 54 in 6 → 9 each."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


STAGES = (registrations, endorsements, arguments, working_group)


# --- what the database holds afterwards ---------------------------------------------------------


def count_problems(folder: Path, url: str, world: World, sizes: Sizes, stage) -> list[str]:
    """What the database holds after `stage` and should not, or lacks: one line per wrong count."""
    with servers.local_app(folder, url):
        checks = CHECKS[stage](world, sizes)
    return [
        f"{name}: {found} stored, {want} expected"
        for name, (found, want) in checks.items()
        if found != want
    ]


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _registered(world: World, sizes: Sizes) -> dict:
    people = sa.select(User.id).where(User.email.like(f"inscription-{world.run}-%"))
    return {
        "accounts": (_count(User, User.id.in_(people)), sizes.registrations),
        "tokens of these accounts": (
            _count(ApiToken, ApiToken.user_id.in_(people)),
            sizes.sign_ins,
        ),
    }


def _endorsed(world: World, sizes: Sizes) -> dict:
    endorsed = db.session.get(Argument, world.endorsed_id)
    return {
        "endorsements": (
            _count(Endorsement, Endorsement.argument_id == endorsed.id),
            sizes.endorsers,
        ),
        "endorsement counter": (endorsed.endorsements_count, sizes.endorsers),
    }


def _argued(world: World, sizes: Sizes) -> dict:
    authors = [person for person, _token in world.people[: sizes.authors]]
    per_author = dict(
        db.session.execute(
            sa.select(Argument.author_id, sa.func.count())
            .where(Argument.author_id.in_(authors), Argument.status == ArgumentStatus.PUBLISHED)
            .group_by(Argument.author_id)
        ).all()
    )
    return {
        "published arguments": (sum(per_author.values()), sizes.authors * sizes.arguments_each),
        "authors with exactly their arguments": (
            sum(1 for n in per_author.values() if n == sizes.arguments_each),
            sizes.authors,
        ),
    }


def _worked(world: World, sizes: Sizes) -> dict:
    rejected = sum(
        1 for position in range(sizes.moderated) if position % REJECT_EVERY == REJECT_EVERY - 1
    )
    pending = Argument.id.in_(world.pending_ids)
    numbers = db.session.scalars(
        sa.select(Recommendation.number)
        .where(
            Recommendation.debate_id == world.outcome_id,
            Recommendation.status == RecommendationStatus.PUBLISHED,
        )
        .order_by(Recommendation.number)
    ).all()
    askers = [person for person, _token in world.people[: sizes.askers]]
    return {
        "approved arguments": (
            _count(Argument, pending, Argument.status == ArgumentStatus.PUBLISHED),
            sizes.moderated - rejected,
        ),
        "rejected arguments": (
            _count(Argument, pending, Argument.status == ArgumentStatus.REJECTED),
            rejected,
        ),
        "moderation log entries": (
            _count(ModerationEvent, ModerationEvent.debate_id == world.moderation_id),
            sizes.moderated,
        ),
        "published recommendations, numbered 1 to N": (
            numbers,
            list(range(1, sizes.recommendations + 1)),
        ),
        "questions": (
            _count(
                Question, Question.debate_id == world.moderation_id, Question.author_id.in_(askers)
            ),
            sizes.askers,
        ),
    }


CHECKS = {
    registrations: _registered,
    endorsements: _endorsed,
    arguments: _argued,
    working_group: _worked,
}


# --- the report -----------------------------------------------------------------------------------


def report(title: str, recorders: list[Recorder], problems: list[str], path: Path) -> str:
    """A table of every kind of request (count, errors, p50, p95, max), written to `path` as JSON."""
    rows = [row for rec in recorders for row in rec.summary()]
    stages = [{"stage": rec.stage, "seconds": round(rec.seconds, 1)} for rec in recorders]
    data = json.loads(path.read_text()) if path.exists() else {}
    data[title] = {"requests": rows, "stages": stages, "problems": problems}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    lines = [
        title,
        f"{'request':<28}{'count':>7}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}",
    ]
    for rec in recorders:
        lines.append(f"  {rec.stage} — {rec.seconds:.1f} s")
        for row in rec.summary():
            lines.append(
                f"{row['kind']:<28}{row['requests']:>7}{row['errors']:>8}"
                f"{row['p50_ms']:>9.0f}{row['p95_ms']:>9.0f}{row['max_ms']:>9.0f}"
            )
    lines.append(f"{len(problems)} problem(s)" + "".join(f"\n  {p[:300]}" for p in problems[:8]))
    lines.append(f"written to {path}")
    text = "\n".join(lines)
    REPORTS.append(text)
    return text
