"""Expertise API behaviour: shapes, filters, bad input, hidden experts, overdue logic, XSS, glossary, query counts."""

from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from debate.debates.operations import set_member
from debate.expertise import operations
from debate.expertise.glossary import Glossary
from debate.expertise.models import Expert, ExpertContribution, Question, Resource
from debate.expertise.queries import question_stats
from debate.extensions import db
from tests import factories
from tests.assertions import assert_api_error
from tests.expertise.helpers import SOURCE, seed


@pytest.fixture
def wg(make):
    return make.user("Camille")


@pytest.fixture
def debate(make, wg):
    return make.debate(phase="expertise", members={"working_group": wg}, template="blank")


def post(client, make, user, path, body):
    headers = make.auth(user)
    db.session.commit()
    return client.post(path, json=body, headers=headers)


def test_lists_have_the_envelope_and_filter_by_theme(client, make, debate):
    seed(debate)
    operations.add_theme(debate, {"key": "climat", "title": "Climat"})
    operations.add_resource(
        debate,
        {
            "title": "HCC",
            "publisher": "HCC",
            "url": "https://hcc.fr/a",
            "kind": "report",
            "theme": "climat",
        },
    )
    db.session.commit()
    body = client.get(f"/api/v1/debates/{debate.slug}/resources?theme=climat&per_page=1").json
    assert set(body) == {"items", "page", "per_page", "total"}
    assert [r["title"] for r in body["items"]] == ["HCC"] and body["total"] == 1
    assert client.get(f"/api/v1/debates/{debate.slug}/resources").json["total"] == 2
    q = client.get(f"/api/v1/debates/{debate.slug}/questions").json["items"][0]
    assert {"id", "status", "asked_at", "due_on", "overdue"} <= set(q) and q["status"] == "pending"


def test_theme_key_taken_is_a_conflict(client, make, debate, wg):
    seed(debate)
    r = post(
        client, make, wg, f"/api/v1/debates/{debate.slug}/themes", {"key": "sante", "title": "Bis"}
    )
    assert_api_error(r, 409, fields=("key",))
    r = post(
        client,
        make,
        wg,
        f"/api/v1/debates/{debate.slug}/themes",
        {"key": "Santé Publique", "title": "Bis"},
    )
    assert_api_error(r, 422, fields=("key",))


def test_expert_on_unknown_theme_is_refused(client, make, debate, wg):
    r = post(
        client,
        make,
        wg,
        f"/api/v1/debates/{debate.slug}/experts",
        {
            "name": "X",
            "kind": "academic",
            "themes": ["inconnu"],
            "declaration_of_interests": "Aucun.",
        },
    )
    assert_api_error(r, 422, fields=("themes",))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Expert)) == 0


def test_undeclared_expert_and_contributions_are_hidden_from_the_public(client, make, debate, wg):
    seed(debate)
    hidden = operations.add_expert(
        debate, {"name": "Sans Déclaration", "kind": "operator", "themes": ["sante"]}
    )
    operations.add_contribution(
        debate, {"expert_id": hidden.id, "theme": "sante", "title": "Invisible", "body": "x"}
    )
    guarantor = make.user()

    set_member(debate, guarantor, "guarantor")
    db.session.commit()
    public = client.get(f"/api/v1/debates/{debate.slug}/experts").json
    assert [e["name"] for e in public["items"]] == ["Claire Vautrin"]
    contribs = client.get(f"/api/v1/debates/{debate.slug}/expert-contributions").json["items"]
    assert "Invisible" not in str(contribs)
    assert "Sans Déclaration" not in client.get(f"/debates/{debate.slug}/expertise").get_data(
        as_text=True
    )
    assert client.get(f"/api/v1/experts/{hidden.id}").status_code == 404
    for person in (wg, guarantor):
        seen = client.get(f"/api/v1/debates/{debate.slug}/experts", headers=make.auth(person)).json[
            "items"
        ]
        assert {e["name"]: e["declared"] for e in seen} == {
            "Claire Vautrin": True,
            "Sans Déclaration": False,
        }


def test_question_when_phase_closed_names_the_phase(client, make, wg):
    closed = make.debate(phase="outcome", members={"working_group": wg}, template="5g")
    r = post(
        client,
        make,
        make.user(),
        f"/api/v1/debates/{closed.slug}/questions",
        {"theme": "health", "body": "?"},
    )
    error = assert_api_error(r, 403)
    assert "phase" in error["message"].lower()


def test_answer_by_a_citizen_is_refused_and_answering_twice_conflicts(client, make, debate, wg):
    question = seed(debate)["question"]
    assert_api_error(
        post(
            client, make, make.user(), f"/api/v1/questions/{question.id}/answer", {"body": "Non."}
        ),
        403,
    )
    r = post(
        client,
        make,
        wg,
        f"/api/v1/questions/{question.id}/answer",
        {"body": "Oui.", "sources": [SOURCE]},
    )
    assert (
        r.status_code == 201
        and r.json["status"] == "answered"
        and r.json["answer"]["sources"][0]["publisher"] == "ANSES"
    )
    assert_api_error(
        post(client, make, wg, f"/api/v1/questions/{question.id}/answer", {"body": "Encore."}), 409
    )


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>x</script>",
        "http://",
        "not a url",
        "ftp://example.org/x",
        "https://exa mple.org",
    ],
)
def test_bad_links_are_refused_in_resources_and_sources(client, make, debate, wg, url):
    expert = seed(debate)["expert"]
    r = post(
        client,
        make,
        wg,
        f"/api/v1/debates/{debate.slug}/resources",
        {"title": "T", "publisher": "P", "url": url, "kind": "report"},
    )
    assert_api_error(r, 422, fields=("url",))
    r = post(
        client,
        make,
        wg,
        f"/api/v1/debates/{debate.slug}/expert-contributions",
        {
            "expert_id": expert.id,
            "theme": "sante",
            "title": "T",
            "body": "B",
            "sources": [{**SOURCE, "url": url}],
        },
    )
    assert_api_error(r, 422, fields=("sources.0.url",))
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Resource)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ExpertContribution)) == 1


def test_huge_and_too_long_bodies_are_refused_and_nothing_saved(client, make, debate, wg):
    seed(debate)
    r = post(
        client,
        make,
        make.user(),
        f"/api/v1/debates/{debate.slug}/questions",
        {"theme": "sante", "body": "x" * (10 * 1024 * 1024)},
    )
    assert_api_error(r, 413)
    r = post(
        client,
        make,
        make.user(),
        f"/api/v1/debates/{debate.slug}/questions",
        {"theme": "sante", "body": "x" * 5001},
    )
    assert_api_error(r, 422, fields=("body",))
    r = post(
        client,
        make,
        wg,
        f"/api/v1/debates/{debate.slug}/glossary",
        {"term": "t" * 101, "definition": "d"},
    )
    assert_api_error(r, 422, fields=("term",))
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Question)) == 1


def test_glossary_term_unique_ignoring_case_and_accents(client, make, debate, wg):
    assert (
        post(
            client,
            make,
            wg,
            f"/api/v1/debates/{debate.slug}/glossary",
            {"term": "Électrosensibilité", "definition": "d"},
        ).status_code
        == 201
    )
    r = post(
        client,
        make,
        wg,
        f"/api/v1/debates/{debate.slug}/glossary",
        {"term": "electrosensibilite", "definition": "d"},
    )
    assert_api_error(r, 409, fields=("term",))


def test_overdue_logic_with_fixed_dates(make, debate):
    seed(debate)
    asker = make.user()
    q = operations.ask_question(
        debate, asker, {"theme": "sante", "body": "?"}, now=datetime(2030, 1, 1, 9, tzinfo=UTC)
    )
    assert q.due_on == date(2030, 1, 16)
    assert not q.overdue_on(date(2030, 1, 16)) and q.overdue_on(date(2030, 1, 17))
    on_time = operations.ask_question(
        debate, asker, {"theme": "sante", "body": "?"}, now=datetime(2020, 1, 1, tzinfo=UTC)
    )
    operations.answer_question(
        debate, on_time, asker, {"body": "ok"}, now=datetime(2020, 1, 16, 12, tzinfo=UTC)
    )
    late = operations.ask_question(
        debate, asker, {"theme": "sante", "body": "?"}, now=datetime(2020, 1, 1, tzinfo=UTC)
    )
    operations.answer_question(
        debate, late, asker, {"body": "ok"}, now=datetime(2020, 1, 17, 12, tzinfo=UTC)
    )
    assert not on_time.overdue and late.overdue and late.answered_late

    stats = question_stats(debate, date(2030, 1, 17))
    assert (stats.total, stats.answered, stats.answered_on_time, stats.overdue_pending) == (
        4,
        2,
        1,
        2,
    )


XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[clic](javascript:alert(1))",
    "<svg onload=alert(1)>",
    '"><script>alert(1)</script>',
    "<a href='javascript:alert(1)'>x</a>",
    '<iframe src="javascript:alert(1)">',
    "<body onload=alert(1)>",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "<math><mtext><style><img src=x onerror=alert(1)>",
]


def _safe(text: str) -> bool:
    """No executable element, no event handler, no script or data URL in any attribute (escaped text is inert)."""

    found = []

    class Checker(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in {"script", "iframe", "svg", "math", "object", "embed", "style", "body"}:
                found.append(tag)
            for name, value in attrs:
                value = (value or "").strip().lower()
                if name.startswith("on") or value.startswith(("javascript:", "data:", "vbscript:")):
                    found.append(f"{tag}[{name}]")

    checker = Checker()
    checker.feed(text)
    return not found


@pytest.mark.parametrize("payload", XSS)
def test_xss_payloads_end_up_inert(client, make, debate, wg, payload):
    seed(debate)
    theme = operations.add_theme(
        debate, {"key": "x", "title": payload, "description": payload, "key_question": payload}
    )
    expert = operations.add_expert(
        debate,
        {
            "name": payload,
            "affiliation": payload,
            "kind": "other",
            "themes": ["x"],
            "declaration_of_interests": payload,
        },
    )
    c = operations.add_contribution(
        debate,
        {
            "expert_id": expert.id,
            "theme": "x",
            "title": payload,
            "body": payload,
            "sources": [{**SOURCE, "title": payload, "publisher": payload, "excerpt": payload}],
        },
    )
    q = operations.ask_question(debate, make.user(payload[:60]), {"theme": "x", "body": payload})
    operations.answer_question(debate, q, wg, {"body": payload})
    operations.add_term(debate, {"term": payload[:100], "definition": payload})
    operations.add_resource(
        debate,
        {
            "title": payload,
            "publisher": payload,
            "url": "https://a.fr",
            "kind": "other",
            "licence": payload,
        },
    )
    for html in (
        theme.description_html,
        expert.declaration_html,
        c.body_html,
        q.body_html,
        q.answer_html,
    ):
        assert _safe(html), html
    db.session.commit()
    for path in ("expertise", "expertise/library", "glossary", ""):
        page = client.get(f"/debates/{debate.slug}/{path}", headers=make.auth(wg)).get_data(
            as_text=True
        )
        body = page.split("<main", 1)[-1].split("</main>", 1)[0]
        assert _safe(body), path


def test_glossary_wraps_first_occurrence_not_in_links_and_escapes():
    g = Glossary(
        [
            (7, "DAS", 'Débit <b>"spécifique"</b>', "/debates/d/glossary"),
            (8, "électrosensibilité", "EHS", "/g"),
        ]
    )
    out = str(
        g.markup('<p><a href="/x">DAS</a> le das, le DAS; Electrosensibilite</p><code>DAS</code>')
    )
    assert out.count('class="glossary-term"') == 2
    assert '<a href="/x">DAS</a>' in out and "<code>DAS</code>" in out
    assert '<a href="/debates/d/glossary#term-7" class="glossary-term">das</a>' in out
    assert "&lt;b&gt;&#34;spécifique&#34;&lt;/b&gt;" in out and "<b>" not in out
    assert 'class="glossary-term">Electrosensibilite</a>' in out


def test_glossary_marks_terms_on_the_expertise_page(client, debate):
    seed(debate)
    db.session.commit()
    page = client.get(f"/debates/{debate.slug}/expertise").get_data(as_text=True)
    assert f'<a href="/debates/{debate.slug}/glossary#term-' in page and "Volt par mètre" in page


def _fill(debate, n):

    expert = db.session.scalar(sa.select(Expert).where(Expert.debate_id == debate.id))
    for i in range(n):
        operations.add_contribution(
            debate,
            {
                "expert_id": expert.id,
                "theme": "sante",
                "title": f"C{i}",
                "body": "V/m",
                "sources": [SOURCE],
            },
        )
        q = operations.ask_question(debate, factories.user(), {"theme": "sante", "body": f"Q{i}"})
        operations.answer_question(debate, q, factories.user(), {"body": "R", "sources": [SOURCE]})
        operations.add_resource(
            debate,
            {
                "title": f"R{i}",
                "publisher": "P",
                "url": "https://a.fr",
                "kind": "other",
                "theme": "sante",
            },
        )
        operations.add_term(debate, {"term": f"terme{i}", "definition": "d"})
        operations.add_need(debate, {"theme": "sante", "question": f"N{i}"})


def _count_page(client, queries, path):
    db.session.commit()
    with queries() as q:
        assert client.get(path).status_code == 200
    return q.count


@pytest.mark.parametrize("page", ["expertise", "expertise/library"])
def test_pages_run_a_bounded_number_of_queries(client, make, queries, page):
    counts = []
    for n in (3, 30):
        d = make.debate(phase="expertise", template="blank")
        seed(d)
        _fill(d, n)
        counts.append(_count_page(client, queries, f"/debates/{d.slug}/{page}"))
    assert counts[0] == counts[1], counts
    print(page, counts)


def test_add_another_source_rerenders_with_one_more_fieldset(client, make, debate, wg):
    seed(debate)
    make.login(client, wg)
    path = f"/debates/{debate.slug}/expertise/contributions/new"
    r = client.post_form(
        path, {"add_source": "1", "title": "T", "body": "B", "theme": "sante"}, token_from=path
    )
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and 'name="sources-3-url"' in page and 'value="T"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ExpertContribution)) == 1
