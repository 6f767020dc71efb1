"""The PDF report as the officials and screen-reader users get it: tagged (PDF/UA-1), in the debate's
language, with bookmarks, a running header, every recommendation numbered as published with its
response or the mark of a missing one, readable links, French typography, and dense pages (the
54 recommendations of a real municipal mission in at most 35 pages)."""

import io
import os
import re
from collections import Counter

import pytest
from pypdf import PdfReader

from debate.arguments import operations as arguments
from debate.extensions import db
from debate.outcome import operations
from debate.outcome.queries import recommendations_of
from tests.arguments.helpers import HCC
from tests.outcome.helpers import body, world

BODY = (
    "La commune demande aux opérateurs la liste des sites prévus sur son territoire et la publie "
    "sur une carte ouverte, mise à jour chaque trimestre ; elle organise une réunion publique avant "
    "chaque nouvelle implantation près d'un établissement accueillant des enfants. Les mesures "
    "d'exposition sont commandées à un laboratoire accrédité et publiées avec leur méthode."
)
RATIONALE = "Les habitants ont demandé, dans les ateliers comme en ligne, une information lisible."
DISSENT = "Une minorité du groupe de travail demande un moratoire tant que les études manquent."
JUSTIFICATION = (
    "La municipalité retient cette recommandation : la carte sera publiée sur le site de la ville "
    "et les mesures seront confiées à un laboratoire accrédité. Les réunions publiques seront "
    "organisées avec les conseils de quartier."
)
NBSP = "\u00a0"
DECISIONS = ["adopted", "partially_adopted", "rejected", "out_of_competence", "under_study"]


def build(w, make, n: int, *, answered_every: int = 1, unanswered: int = 1):
    """n published recommendations (over both areas) resting on arguments with sources; all but
    `unanswered` of them answered, with a commitment."""
    people = [make.user() for _ in range(3)]
    for i in range(n):
        row = arguments.submit_argument(
            w.debate,
            people[i % 3],
            {
                "theme": ["health", "environment"][i % 2],
                "stance": ["for", "against", "nuance"][i % 3],
                "title": f"Argument sourcé numéro {i}",
                "body": "",
                "sources": [
                    dict(HCC, url=f"https://www.example.org/rapports/2021/%C3%A9tude-{i}.pdf")
                ],
            },
        )
        operations.create_recommendation(
            w.debate,
            w.host,
            body(
                w,
                # Titles and texts of varied lengths, so that badges and headings fall at the
                # end of lines and pages somewhere.
                title=f"Recommandation détaillée {i} : informer sur les antennes"
                + " et les sites" * (i % 7),
                area=["health", "environment"][i % 2],
                body=BODY + " Les résultats sont présentés en conseil municipal." * (i % 4),
                rationale=RATIONALE,
                dissent=DISSENT if i % 3 == 0 else "",
                argument_ids=[row.id, w.arguments[0].id],
            ),
        )
    published = operations.publish_recommendations(w.debate, w.host)
    published.sort(key=lambda r: r.number)
    for i, row in enumerate(published[: len(published) - unanswered]):
        operations.respond(
            row,
            w.elected,
            {
                "decision": DECISIONS[i % len(DECISIONS)],
                "justification": JUSTIFICATION,
                "commitments": [{"text": "Publier la carte des sites", "due_on": "2031-01-01"}],
            },
        )
    db.session.commit()
    return published


def pdf_of(client, w, lang="fr") -> PdfReader:
    response = client.get(f"/debates/{w.slug}/outcome/report.pdf?lang={lang}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    if os.environ.get("OUTCOME_REPORT_DUMP"):
        with open(os.environ["OUTCOME_REPORT_DUMP"], "wb") as handle:
            handle.write(response.data)
    return PdfReader(io.BytesIO(response.data))


def text_of(reader: PdfReader) -> str:
    """The text of every page, runs of ASCII white space made one space (no-break spaces kept)."""
    return " ".join(re.sub(r"[ \t\r\n]+", " ", page.extract_text()) for page in reader.pages)


def _structure_types(node, found: Counter, depth=0):
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            _structure_types(child, found, depth + 1)
        return
    if not hasattr(node, "get"):
        return
    if "/S" in node:
        found[str(node["/S"])] += 1
    kids = node.get("/K")
    if kids is not None and depth < 60:
        _structure_types(kids, found, depth + 1)


def _figure_alts(node, depth=0) -> list:
    """The alternative texts of the figures of a structure tree (the chart's)."""
    node = node.get_object()
    if isinstance(node, list):
        return [alt for child in node for alt in _figure_alts(child, depth + 1)]
    if not hasattr(node, "get") or depth > 80:
        return []
    own = [str(node.get("/Alt"))] if node.get("/S") == "/Figure" else []
    kids = node.get("/K")
    return own + (_figure_alts(kids, depth + 1) if kids is not None else [])


@pytest.mark.db_independent
def test_the_report_is_a_tagged_pdf_declaring_pdf_ua(client, make):
    w = world(make)
    build(w, make, 4)
    reader = pdf_of(client, w)
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "fr"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    types = Counter()
    _structure_types(catalog["/StructTreeRoot"], types)
    assert types["/H1"] == 1 and types["/H2"] >= 4 and types["/H4"] >= 4, types
    assert types["/P"] and types["/L"], types
    assert "/Outlines" in catalog and reader.outline  # bookmarks
    assert _figure_alts(catalog["/StructTreeRoot"]) == [
        "L'équilibre des arguments, thème par thème"
    ]
    metadata = reader.xmp_metadata
    assert metadata is not None and "pdfuaid" in metadata.stream.get_data().decode()
    assert (
        reader.metadata.title.startswith("Recommandations")
        and w.debate.title in reader.metadata.title
    )
    # The viewer shows the title, not the file name (required by PDF/UA).
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert pdf_of(client, w, "en").trailer["/Root"]["/Lang"] == "en"


@pytest.mark.db_independent
def test_every_recommendation_with_its_number_title_and_response_or_the_unanswered_mark(
    client, make
):
    w = world(make)
    published = build(w, make, 6, unanswered=2)
    text = text_of(pdf_of(client, w))
    for row in recommendations_of(w.debate, None):
        assert f"n° {row.number} — {row.title.replace(' :', NBSP + ':')}" in text, row.title
    # "En attente de réponse" on each of the two unanswered, in the summary and on their card.
    # (badges are printed in capitals: the text is compared in lower case)
    assert text.lower().count("en attente de réponse") >= 2 * 2 + 1
    assert "Adoptée" in text and "Rejetée" in text
    assert len(published) == 6


@pytest.mark.db_independent
def test_links_are_readable_and_arguments_numbered_as_in_the_export(client, make):
    w = world(make)
    build(w, make, 3)
    exported = client.get(f"/api/v1/debates/{w.slug}/export.json").json
    text = text_of(pdf_of(client, w))
    # Decoded, never percent-encoded; and a line breaks only after "/" (so no "-" inserted).
    assert "https://www.example.org/rapports/2021/étude-0.pdf" in text.replace("/ ", "/")
    assert "%C3%A9" not in text
    numbers = {a["title"]: a["id"] for a in exported["arguments"]}
    for title, number in numbers.items():
        if title.startswith("Argument sourcé numéro"):
            assert f"Argument n° {number} (" in text, title


@pytest.mark.db_independent
def test_french_typography(client, make):
    w = world(make)
    build(w, make, 2)
    text = text_of(pdf_of(client, w))
    assert "La réponse des élus\u00a0:" in text
    assert re.search(r"\w :", text) is None  # never a plain space before a colon
    assert re.search(r"[^\s\u00a0/]:\s", text.replace("https:", "")) is None  # nor none at all
    assert "«\u00a0" in text and "\u00a0»" in text


@pytest.mark.db_independent
def test_running_header_names_the_debate_and_the_section(client, make):
    w = world(make)
    build(w, make, 6)
    reader = pdf_of(client, w)
    second = " ".join(reader.pages[1].extract_text().split())
    assert w.debate.title in second and "Résumé" in second
    later = [" ".join(p.extract_text().split()) for p in reader.pages[2:]]
    assert any("Les recommandations" in p and w.debate.title in p for p in later)


def _page_layout(page) -> tuple[str, float]:
    """(running header, share of the body area left empty below the last line) of a page."""
    height = float(page.mediabox.height)
    top, bottom = height - 20 / 25.4 * 72, 18 / 25.4 * 72  # the @page margins
    header, lowest = [], top

    def visit(text, cm, tm, font, size):
        y = tm[5] * cm[3] + cm[5]
        if not text.strip():
            return
        if y > top:
            header.append(text.strip())
        elif y > bottom:
            nonlocal_lowest[0] = min(nonlocal_lowest[0], y)

    nonlocal_lowest = [lowest]
    page.extract_text(visitor_text=visit)
    return " ".join(header), (nonlocal_lowest[0] - bottom) / (top - bottom)


@pytest.mark.db_independent
def test_54_recommendations_fit_in_35_dense_pages(client, make):
    w = world(make)
    build(w, make, 54, unanswered=5)
    reader = pdf_of(client, w)
    assert len(reader.pages) <= 35, len(reader.pages)
    layouts = [_page_layout(page) for page in reader.pages]
    for number, ((header, empty), (next_header, _)) in enumerate(
        zip(layouts[1:], layouts[2:], strict=False), start=2
    ):
        if header == next_header:  # not the end of a section
            assert empty <= 1 / 3, f"page {number} ({header}) is {empty:.0%} empty"
    assert any("Les recommandations" in header for header, _ in layouts)
    # Badges never wrap ("À | L'ÉTUDE"); an area's heading never ends a page (kept with its first
    # recommendation).
    areas = {t.title for t in w.debate.themes}
    for number, page in enumerate(reader.pages, start=1):
        raw = page.extract_text()
        assert not re.search(r"(À|EN ATTENTE DE|HORS|ADOPTÉE EN|HORS COMPÉTENCE)\s*\n", raw), number
        lines = [line.strip() for line in raw.split("\n") if line.strip()]
        body = [line for line in lines if not re.fullmatch(r"\d+ / \d+", line)]
        body = [line for line in body if w.debate.title not in line]  # the running header
        assert not body or body[-1] not in areas, f"page {number} ends with the heading {body[-1]}"
    text = text_of(reader)
    for row in recommendations_of(w.debate, None):
        assert f"n° {row.number} — " in text


@pytest.mark.parametrize("path", ["/debates/{slug}/outcome", "/debates/{slug}/outcome/report.pdf"])
def test_queries_are_the_same_at_6_and_60_recommendations(client, make, queries, path):
    counts = []
    for size in (6, 60):
        w = world(make)
        build(w, make, size, unanswered=2)
        client.get(f"/debates/{w.slug}/outcome")  # warm-up (first request of a fresh client)
        with queries() as q:
            response = client.get(path.format(slug=w.slug))
        assert response.status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1], counts


@pytest.mark.db_independent
def test_an_area_heading_is_kept_with_its_first_recommendation(client, make):
    """Several layouts (the first area holding 1 to 5 recommendations, long ones): wherever the
    following areas' headings fall, each is on the page of its first recommendation."""
    from tests.workshops.helpers import with_themes

    for first_area in range(1, 6):
        w = world(make)
        with_themes(w.debate, "economy", "sovereignty")
        areas = ["health"] * first_area + ["environment"] * 2 + ["economy"] * 2 + ["sovereignty"]
        for i, area in enumerate(areas):
            operations.create_recommendation(
                w.debate,
                w.host,
                body(
                    w,
                    title=f"Recommandation {i} du domaine {area}",
                    area=area,
                    body=BODY + " Les résultats sont présentés en conseil municipal." * (4 + i % 5),
                    dissent=DISSENT,
                ),
            )
        operations.publish_recommendations(w.debate, w.host)
        db.session.commit()
        reader = pdf_of(client, w)
        firsts = {}
        for row in recommendations_of(w.debate, None):
            firsts.setdefault(row.theme.title, row)
        for number, page in enumerate(reader.pages[2:], start=3):
            lines = [line.strip() for line in page.extract_text().split("\n")]
            for title, row in firsts.items():
                if title in lines and "Les recommandations" in page.extract_text():
                    after = lines[lines.index(title) + 1 :]
                    assert any(line.startswith(f"n° {row.number} —") for line in after), (
                        f"layout {first_area}, page {number}: the heading {title} is apart from "
                        f"its first recommendation"
                    )
