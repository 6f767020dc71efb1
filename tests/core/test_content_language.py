"""The English interface declares the French its users wrote (issue 25): every piece of user text
of the demo — answers, sources, expertise, workshops, outcome, scope, modalities, charter,
moderation, notifications — sits, on every page that shows it, inside an element with
`lang="fr"`; the French interface adds no `lang="fr"` of its own (the page already is French)."""

import re
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from debate.accounts.models import Notification, User
from debate.arguments.models import Argument, ArgumentSource
from debate.debates.models import CharterClause, Modality, ScopeItem, Theme
from debate.expertise.models import (
    Expert,
    ExpertContribution,
    ExpertiseNeed,
    ExpertiseSource,
    GlossaryTerm,
    Question,
    Resource,
)
from debate.extensions import db
from debate.outcome.models import Commitment, FollowUp, Observation, Recommendation, Response
from debate.positions.models import Position
from debate.workshops.models import AgendaItem, Workshop, WorkshopNote

from .test_html_standards import _account, _crawl, _sign_in, demo  # noqa: F401 (fixture)

# What users write, by kind: (label, model, column, extra filter). `*_html` columns are read as the
# text their longest paragraph shows.
USER_TEXT = [
    ("answer to an argument", Argument, "title", Argument.parent_id.is_not(None)),
    ("argument source title", ArgumentSource, "title", None),
    ("argument source excerpt", ArgumentSource, "excerpt", None),
    ("expertise need", ExpertiseNeed, "question", None),
    ("expert declaration", Expert, "declaration_html", None),
    ("expert contribution title", ExpertContribution, "title", None),
    ("expert contribution", ExpertContribution, "body_html", None),
    ("citizen's question", Question, "body_html", None),
    ("answer to a question", Question, "answer_html", None),
    ("expertise source title", ExpertiseSource, "title", None),
    ("library document", Resource, "title", None),
    ("glossary definition", GlossaryTerm, "definition_html", None),
    ("workshop title", Workshop, "title", None),
    ("workshop summary", Workshop, "summary_html", None),
    ("agenda item", AgendaItem, "description_html", None),
    ("workshop note", WorkshopNote, "text", None),
    ("recommendation title", Recommendation, "title", None),
    ("recommendation", Recommendation, "body_html", None),
    ("officials' response", Response, "justification_html", None),
    ("commitment", Commitment, "text", None),
    ("follow-up", FollowUp, "body_html", None),
    ("guarantor observation", Observation, "body_html", None),
    ("scope item", ScopeItem, "question", None),
    ("modality", Modality, "title", None),
    ("modality description", Modality, "description_html", None),
    ("charter clause", CharterClause, "text", None),
    ("moderators' message", Notification, "message", None),
    ("theme title", Theme, "title", None),
    ("theme key question", Theme, "key_question", None),
    ("position title", Position, "title", None),
    ("position", Position, "body_html", None),
]
# Shorter snippets could be words of the interface itself.
MIN_LENGTH = 16
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
SKIPPED = {"head", "title", "script", "style", "option", "textarea"}


class _Texts(HTMLParser):
    """The page's visible text nodes, each with the language declared by its nearest ancestor."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.texts: list[tuple[str, str | None, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        text = " ".join(data.split())
        if not text or any(tag in SKIPPED for tag, _lang in self.stack):
            return
        lang = next((lang for _tag, lang in reversed(self.stack) if lang), None)
        self.texts.append((text, lang, self.stack[-1][0] if self.stack else ""))


def _parse(page: str) -> list[tuple[str, str | None, str]]:
    """(text, declared language, enclosing tag) of each text node."""
    parser = _Texts()
    parser.feed(page)
    return parser.texts


def _snippet(value: str, is_html: bool) -> str | None:
    """The part of a user text that a page shows in one piece."""
    if is_html:
        pieces = [text for text, _lang, _tag in _parse(value)]
        value = max(pieces, key=len) if pieces else ""
    value = " ".join(value.split())
    return value[:60] if len(value) >= MIN_LENGTH else None


def _user_snippets() -> dict[str, set[str]]:
    snippets = {}
    for label, model, column, where in USER_TEXT:
        query = sa.select(getattr(model, column))
        if where is not None:
            query = query.where(where)
        values = db.session.scalars(query).all()
        found = [s for v in values if v and (s := _snippet(v, column.endswith("_html")))]
        assert found, f"the demo has no {label} to look for"
        for snippet in found:
            snippets.setdefault(snippet, set()).add(label)
    return snippets


@pytest.mark.db_independent
@pytest.mark.parametrize("role", ["working_group", "citizen"])
def test_english_pages_declare_the_french_users_wrote(app, client, demo, role):  # noqa: F811
    snippets = _user_snippets()
    _sign_in(client, _account(role))
    seen: set[str] = set()
    undeclared: set[str] = set()
    for path, page in _crawl(client, "en"):
        assert '<html lang="en"' in page, path
        for text, lang, _tag in _parse(page):
            for snippet, labels in snippets.items():
                if snippet in text:
                    seen.update(labels)
                    if lang != "fr":
                        undeclared.add(f"{path}: {'/'.join(sorted(labels))}: {text[:70]!r}")
    assert not undeclared, "French user text not declared lang=fr:\n" + "\n".join(
        sorted(undeclared)
    )
    if role == "working_group":
        # Each kind was found on a page, so the check above looked at every one of them.
        expected = {label for label, *_rest in USER_TEXT} - {"moderators' message"}
        assert expected <= seen, f"never found on a page: {sorted(expected - seen)}"
    else:
        # A citizen reads the moderators' messages about their contributions in their notifications.
        citizen = db.session.scalar(sa.select(User).where(User.email == _account(role)["email"]))
        messages = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.user_id == citizen.id, Notification.message != "")
        )
        assert messages and "moderators' message" in seen


@pytest.mark.db_independent
def test_the_french_interface_adds_no_lang_attribute(app, client, demo):  # noqa: F811
    _sign_in(client, _account("working_group"))
    checked = 0
    for path, page in _crawl(client, "fr"):
        checked += 1
        assert '<html lang="fr"' in page, path
        assert len(re.findall(r'\slang="fr"', page)) == 1, f"{path}: lang=fr added in French"
    assert checked > 60
