"""The argument graph in the Argument Interchange Format, as AIFdb JSON:
`{nodes: [{nodeID, text, type, timestamp}], edges: [{edgeID, fromID, toID, formEdgeID}],
locutions: [{nodeID, personID, timestamp}], participants: [{participantID, firstname, surname}]}`.

- I-nodes (information): the debate's question ("q"), each published position of an open question
  ("p<id>"), each published argument ("a<id>"), each distinct source cited by them ("s<n>", by
  normalized URL), each published recommendation ("r<id>").
- RA nodes (inference) and CA nodes (conflict) join a premise to what it supports or attacks:
  an answer to its parent ("supports" → RA, "objects" → CA); a top-level argument of a yes or no
  question to the question ("for" → RA, "against" → CA; a "nuance" stands alone); a top-level
  argument of an open question to its position ("for" → RA, "against" → CA, "nuance" → MA); a
  source to each argument citing it (RA); an argument, a source or a position to the
  recommendation resting on it (RA).
- MA nodes (rephrase, "Default Rephrase") where a claim neither supports nor attacks another but
  restates it: a position to the question it answers (as AIFdb's dialogue graphs, after Inference
  Anchoring Theory, join an answer to its question), and a nuance to the position it qualifies
  (a nuance is neither a reason for the position nor against it, so neither RA nor CA fits).
- Each argument with an author was asserted by someone: an L-node (locution: "name: claim") and a
  YA node ("Asserting") from it to the argument; `locutions` gives its author key and date.

Ids are the export's local ids. Every node and locution has a timestamp in AIFdb's format,
"YYYY-MM-DD HH:mm:ss" in UTC (the format argument tools such as arguebuf read; the JSON export keeps
ISO 8601): an argument's or a position's is when it was written, a source's when a published
argument first cited it, a scheme's that of the argument, position or recommendation it joins.
The document is streamed, in several passes over the arguments (memory stays flat).
"""

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

import sqlalchemy as sa

from debate.accounts.models import User
from debate.arguments.models import Argument, ArgumentSource, ArgumentStatus, Relation, Stance
from debate.arguments.queries import debate_sources
from debate.extensions import db
from debate.opendata import public
from debate.opendata.format import jsonable
from debate.opendata.outcome import _links, _ranks, _with_everything, published_recommendations
from debate.opendata.public import PublicView, batched
from debate.outcome.models import LinkKind, Recommendation
from debate.positions.models import Position

AIFDB_TIME = "%Y-%m-%d %H:%M:%S"


def aifdb_time(moment: datetime | None) -> str | None:
    """A moment as AIFdb writes it ("2026-12-05 01:14:22"), in UTC; a naive one is UTC already."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime(AIFDB_TIME)


def _node(node_id: str, text: str, kind: str, timestamp: datetime | None) -> dict:
    return {"nodeID": node_id, "text": text, "type": kind, "timestamp": aifdb_time(timestamp)}


def _first_citations(debate) -> dict[str, datetime]:
    """When a published argument first cited each source (by normalized URL): one grouped query."""
    rows = db.session.execute(
        sa.select(ArgumentSource.normalized_url, sa.func.min(Argument.created_at))
        .join(Argument, Argument.id == ArgumentSource.argument_id)
        .where(Argument.debate_id == debate.id, Argument.status == ArgumentStatus.PUBLISHED)
        .group_by(ArgumentSource.normalized_url)
    )
    return dict(rows.all())


SCHEME_TEXT = {"RA": "Default Inference", "CA": "Default Conflict", "MA": "Default Rephrase"}
# The scheme joining a top-level argument to the position it takes its stance on.
ON_POSITION = {Stance.FOR: "RA", Stance.AGAINST: "CA", Stance.NUANCE: "MA"}


def _edge(from_id: str, to_id: str) -> dict:
    return {"edgeID": f"{from_id}>{to_id}", "fromID": from_id, "toID": to_id, "formEdgeID": None}


class Graph:
    """The debate's public arguments seen as AIF, pass by pass."""

    def __init__(self, view: PublicView):
        self.view = view
        # Distinct sources of published arguments: a few hundred at most in a municipal debate.
        self.sources = debate_sources(view.debate)
        self.source_of_url = {s["normalized_url"]: n for n, s in enumerate(self.sources, start=1)}
        self.first_cited = _first_citations(view.debate)
        # Published positions: tens at most, and none in a yes or no debate.
        self.positions = list(batched(public.published_positions(view.debate), Position))

    def arguments(self) -> Iterator[tuple[Argument, list]]:
        batch: list[Argument] = []
        for argument in batched(public.published_arguments(self.view.debate), Argument):
            batch.append(argument)
            if len(batch) == public.BATCH:
                yield from self._with_sources(batch)
                batch = []
        if batch:
            yield from self._with_sources(batch)

    def _with_sources(self, batch):
        sources = self.view.sources_of([a.id for a in batch])
        for argument in batch:
            yield argument, sources.get(argument.id, [])

    def _link(self, argument: Argument) -> tuple[str, str] | None:
        """(scheme node type, conclusion node) this argument is a premise of, if any."""
        parent = self.view.arguments(argument.parent_id)
        if parent:
            return ("RA" if argument.relation == Relation.SUPPORTS else "CA"), f"a{parent}"
        if argument.parent_id is not None:
            return None
        if argument.position_id is not None:
            position = self.view.positions(argument.position_id)
            return (ON_POSITION[argument.stance], f"p{position}") if position else None
        if argument.stance != Stance.NUANCE:
            return ("RA" if argument.stance == Stance.FOR else "CA"), "q"
        return None

    def nodes(self) -> Iterator[dict]:
        yield _node("q", self.view.debate.question, "I", self.view.debate.created_at)
        for position in self.positions:
            p = f"p{self.view.positions(position.id)}"
            yield _node(p, position.title, "I", position.created_at)
            yield _node(f"ma-{p}", SCHEME_TEXT["MA"], "MA", position.created_at)
        for n, source in enumerate(self.sources, start=1):
            yield _node(
                f"s{n}",
                f"{source['title']} ({source['publisher']})",
                "I",
                self.first_cited.get(source["normalized_url"]),
            )
        names = _display_names(self.view)
        for argument, sources in self.arguments():
            a = f"a{self.view.arguments(argument.id)}"
            yield _node(a, argument.title, "I", argument.created_at)
            link = self._link(argument)
            if link:
                yield _node(
                    f"{link[0].lower()}-{a}", SCHEME_TEXT[link[0]], link[0], argument.created_at
                )
            for s in self._cited(sources):
                yield _node(f"ra-s{s}-{a}", "Default Inference", "RA", argument.created_at)
            if argument.author_id and argument.author_id in names:
                yield _node(
                    f"l-{a}",
                    f"{names[argument.author_id]}: {argument.title}",
                    "L",
                    argument.created_at,
                )
                yield _node(f"ya-{a}", "Asserting", "YA", argument.created_at)
        yield from recommendation_graph(self.view, self.source_of_url)[0]

    def _cited(self, sources) -> list[int]:
        seen = []
        for source in sources:
            n = self.source_of_url.get(source.normalized_url)
            if n and n not in seen:
                seen.append(n)
        return seen

    def edges(self) -> Iterator[dict]:
        names = _display_names(self.view)
        for position in self.positions:
            p = f"p{self.view.positions(position.id)}"
            yield _edge(p, f"ma-{p}")
            yield _edge(f"ma-{p}", "q")
        for argument, sources in self.arguments():
            a = f"a{self.view.arguments(argument.id)}"
            link = self._link(argument)
            if link:
                scheme = f"{link[0].lower()}-{a}"
                yield _edge(a, scheme)
                yield _edge(scheme, link[1])
            for s in self._cited(sources):
                yield _edge(f"s{s}", f"ra-s{s}-{a}")
                yield _edge(f"ra-s{s}-{a}", a)
            if argument.author_id and argument.author_id in names:
                yield _edge(f"l-{a}", f"ya-{a}")
                yield _edge(f"ya-{a}", a)
        yield from recommendation_graph(self.view, self.source_of_url)[1]

    def locutions(self) -> Iterator[dict]:
        names = _display_names(self.view)
        for argument, _sources in self.arguments():
            if argument.author_id and argument.author_id in names:
                yield {
                    "nodeID": f"l-a{self.view.arguments(argument.id)}",
                    "personID": self.view.author(argument.author_id),
                    "timestamp": aifdb_time(argument.created_at),
                }

    def participants(self) -> Iterator[dict]:
        for user_id, name in _display_names(self.view).items():
            yield {"participantID": self.view.author(user_id), "firstname": name, "surname": ""}


def _display_names(view: PublicView) -> dict[int, str]:
    """Display names of the debate's public authors (one short row per person)."""
    if not hasattr(view, "_aif_names"):
        view._aif_names = dict(
            db.session.execute(
                db.select(User.id, User.display_name)
                .where(User.id.in_(view.author_ids()))
                .order_by(User.id)
            ).all()
        )
    return view._aif_names


def _array(name: str, items: Iterable[dict], first: bool = False) -> Iterator[str]:
    yield ("" if first else ",\n") + f'"{name}": ['
    sep = "\n"
    for item in items:
        yield sep + json.dumps(item, ensure_ascii=False, default=jsonable)
        sep = ",\n"
    yield "\n]"


def stream_aif(view: PublicView) -> Iterator[str]:
    """The AIF JSON document, in pieces."""
    graph = Graph(view)
    yield "{\n"
    yield from _array("nodes", graph.nodes(), first=True)
    yield from _array("edges", graph.edges())
    yield from _array("locutions", graph.locutions())
    yield from _array("participants", graph.participants())
    yield "\n}\n"


# --- the outcome ---------------------------------------------------------------------------------------


def recommendation_graph(view: PublicView, source_of_url: dict[str, int]):
    """Recommendations as I-nodes; each linked position, argument or source supports it through
    an RA node."""
    nodes, edges = [], []
    ranks = _ranks(view)
    for rec in batched(_with_everything(published_recommendations(view)), Recommendation):
        r = f"r{ranks(rec.id)}"
        nodes.append(_node(r, rec.title, "I", rec.published_at))
        links = _links(view, rec)
        premises = [f"p{n}" for n in links["positions"]] + [f"a{n}" for n in links["arguments"]]
        for link in rec.links_of(LinkKind.SOURCE):
            n = source_of_url.get(link.normalized_url)
            if n and f"s{n}" not in premises:
                premises.append(f"s{n}")
        for premise in premises:
            scheme = f"ra-{premise}-{r}"
            nodes.append(_node(scheme, "Default Inference", "RA", rec.published_at))
            edges.extend([_edge(premise, scheme), _edge(scheme, r)])
    return nodes, edges
