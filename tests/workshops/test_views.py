"""Workshop pages: word cloud, SWOT grids, minutes, comparison, quick entry, promotion, bounded queries."""

import re

import sqlalchemy as sa

from debate.arguments.models import Argument
from debate.extensions import db
from debate.workshops import operations
from debate.workshops.models import WorkshopNote
from tests.workshops.helpers import WORKSHOP, note, setup


def html(r) -> str:
    return r.get_data(as_text=True)


def _fill(workshop, swot_groups=("Table 1", "Table 2")):
    for word in ("Vie privée", "vie privee", "VIE PRIVÉE", "Ondes"):
        note(workshop, "icebreaker_word", word)
    note(workshop, "sticky", "Mesurer les antennes", group="Groupe A", cluster="Santé")
    note(workshop, "sticky", "Couverture des hameaux", group="Groupe A", cluster="Territoire")
    for group in swot_groups:
        note(workshop, "strength", f"Atout des antennes {group}", group=group)
        note(workshop, "weakness", f"Faiblesse {group}", group=group)
        note(workshop, "opportunity", f"Opportunité {group}", group=group)
        note(workshop, "threat", f"Menace {group}", group=group)
    note(workshop, "action", "Demander des mesures à l'ANFR")
    note(workshop, "report_back", "Les tables veulent des mesures publiques")


def test_workshop_page_shows_agenda_cloud_swot_clusters_actions_and_report_back(client, make):
    _host, debate, workshop = setup(make)

    operations.add_agenda_item(
        workshop, {"title": "Brise-glace", "duration_minutes": 15, "mode": "plenary"}
    )
    operations.add_agenda_item(
        workshop, {"title": "Grilles AFOM", "duration_minutes": 70, "mode": "subgroups"}
    )
    _fill(workshop)
    page = html(client.get(f"/debates/{debate.slug}/workshops/{workshop.id}?lang=en"))
    assert "Brise-glace" in page and "85 min" in page  # the total of the agenda
    svg = re.search(
        r'<svg[^>]*role="img"[^>]*aria-labelledby="(cloud-title-\d+)"[^>]*>(.*?)</svg>', page, re.S
    )
    assert svg and f'<title id="{svg.group(1)}">' in svg.group(2)
    sizes = dict(
        (w, int(s)) for s, w in re.findall(r'font-size="(\d+)"[^>]*>([^<]+)</text>', svg.group(2))
    )
    assert sizes["Vie privée"] > sizes["Ondes"]
    after = page[page.index("</svg>") :]
    table = after[after.index("<table") : after.index("</table>")]
    assert '<td lang="fr">Vie privée</td><td>3</td>' in table
    assert '<td lang="fr">Ondes</td><td>1</td>' in table
    assert page.count('class="swot-grid"') == 2
    for title in (
        "SWOT grid: Table 1",
        "SWOT grid: Table 2",
        "Strengths",
        "Weaknesses",
        "Opportunities",
        "Threats",
    ):
        assert title in page
    assert "Santé" in page and "Territoire" in page and "Demander des mesures à l&#39;ANFR" in page
    assert "Les tables veulent des mesures publiques" in page
    assert 'aria-current="page">Workshops</a>' in page


def test_minutes_are_a_printable_document_of_everything(client, make, app):
    _host, debate, workshop = setup(make)
    _fill(workshop)
    page = html(client.get(f"/debates/{debate.slug}/workshops/{workshop.id}/minutes?lang=en"))
    assert "Minutes of the workshop" in page and WORKSHOP["title"] in page
    for text in (
        "Vie privée",
        "Mesurer les antennes",
        "Menace Table 2",
        "Les tables veulent des mesures publiques",
    ):
        assert text in page
    css = app.static_folder + "/css/main.css"
    rules = open(css).read()
    block = rules[rules.index("@media print") :]
    assert ".site-header" in block and ".debate-nav" in block and "display: none" in block


def test_compare_puts_grids_side_by_side_and_lists_shared_words(client, make):
    _host, debate, workshop = setup(make)
    _fill(workshop)
    api = client.get(f"/api/v1/workshops/{workshop.id}").json
    shared = {s["word"]: s["groups"] for s in api["shared_across_groups"]}
    assert shared["antennes"] == ["Groupe A", "Table 1", "Table 2"]
    page = html(client.get(f"/debates/{debate.slug}/workshops/{workshop.id}/compare?lang=en"))
    assert 'class="swot-compare"' in page and page.count('class="swot-grid"') == 2
    assert '<strong lang="fr">antennes</strong> — 3 groups: Groupe A, Table 1, Table 2' in page


def test_workshops_list_page(client, make):
    _host, debate, workshop = setup(make)
    page = html(client.get(f"/debates/{debate.slug}/workshops"))
    assert (
        f'href="/debates/{debate.slug}/workshops/{workshop.id}"' in page
        and WORKSHOP["title"] in page
    )


def test_quick_entry_keeps_kind_group_and_cluster_for_the_next_note(client, make):
    host, debate, workshop = setup(make)
    make.login(client, host)
    url = f"/debates/{debate.slug}/workshops/{workshop.id}/notes"
    form = {
        "kind": "sticky",
        "group": "Groupe B",
        "cluster": "Énergie",
        "theme": "",
        "text": "Éteindre la nuit",
    }
    r = client.post_form(url, form, token_from=url)
    assert r.status_code == 302
    assert "kind=sticky" in r.headers["Location"] and "group=Groupe+B" in r.headers["Location"]
    assert "#" not in r.headers["Location"]  # a fragment would cancel the text field's autofocus
    page = html(client.get(r.headers["Location"]))
    assert re.search(r'<option selected value="sticky">|<option value="sticky" selected>', page)
    assert 'value="Groupe B"' in page and 'value="Énergie"' in page
    assert re.search(
        r'<input[^>]*autofocus[^>]*name="text"|<input[^>]*name="text"[^>]*autofocus', page
    )
    assert "Éteindre la nuit" in page.split('id="last-notes-title"')[1]
    r = client.post_form(url, {**form, "text": "Partager les antennes"}, token_from=url)
    assert r.status_code == 302
    texts = db.session.scalars(
        sa.select(WorkshopNote.text)
        .where(WorkshopNote.workshop_id == workshop.id)
        .order_by(WorkshopNote.id)
    ).all()
    assert texts == ["Éteindre la nuit", "Partager les antennes"]


def test_quick_entry_refuses_bad_notes_clearly(client, make):
    host, debate, workshop = setup(make)
    make.login(client, host)
    url = f"/debates/{debate.slug}/workshops/{workshop.id}/notes"
    for bad in (
        {"kind": "sticky", "text": ""},
        {"kind": "haiku", "text": "x"},
        {"kind": "sticky", "text": "x", "group": "G" * 10_000},
    ):
        r = client.post_form(url, {"group": "", "cluster": "", "theme": "", **bad}, token_from=url)
        assert r.status_code == 422
        assert 'class="error-summary"' in html(r)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(WorkshopNote)) == 0


def test_new_workshop_and_agenda_forms(client, make):
    host, debate, _workshop = setup(make)
    make.login(client, host)
    new = f"/debates/{debate.slug}/workshops/new"
    r = client.post_form(
        new,
        {
            "title": "Atelier des jeunes",
            "held_on": "2030-04-02",
            "format": "online",
            "duration_minutes": "90",
            "participants_count": "18",
            "facilitators": "",
            "tools": "visio, tableau blanc",
            "summary": "",
        },
        token_from=new,
    )
    assert r.status_code == 302 and r.headers["Location"].endswith("/notes")
    workshop_id = int(r.headers["Location"].split("/")[-2])
    agenda = f"/debates/{debate.slug}/workshops/{workshop_id}/agenda"
    r = client.post_form(
        agenda,
        {"title": "Tour de table", "duration_minutes": "10", "mode": "plenary", "description": ""},
        token_from=agenda,
    )
    assert r.status_code == 302
    body = client.get(f"/api/v1/workshops/{workshop_id}").json
    assert (
        body["tools"] == ["visio", "tableau blanc"]
        and body["agenda"][0]["title"] == "Tour de table"
    )


def test_promotion_form_creates_the_argument(client, make):
    host, debate, workshop = setup(make)
    item = note(workshop, "action", "Publier les mesures", theme="health")
    make.login(client, host)
    url = f"/debates/{debate.slug}/workshops/{workshop.id}/notes/{item.id}/promote"
    page = html(client.get(url))
    assert 'value="Publier les mesures"' in page
    r = client.post_form(
        url,
        {"theme": "health", "stance": "for", "title": "Publier les mesures", "body": ""},
        token_from=url,
    )
    assert r.status_code == 302 and "/arguments/" in r.headers["Location"]
    assert "From the workshop" in html(client.get(r.headers["Location"] + "?lang=en"))
    r = client.post_form(
        url, {"theme": "health", "stance": "for", "title": "Encore", "body": ""}, token_from=url
    )
    assert r.status_code == 422 and "already been promoted" in html(r)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Argument)) == 1


def _fill_many(workshop, n):
    kinds = (
        "icebreaker_word",
        "sticky",
        "strength",
        "weakness",
        "opportunity",
        "threat",
        "action",
        "report_back",
    )
    for i in range(n):
        item = note(
            workshop,
            kinds[i % len(kinds)],
            f"Note {i} antennes",
            group=f"Groupe {i % 3}",
            cluster=f"Thème {i % 4}",
            theme="health" if i % 2 else None,
        )
    return item


def test_workshop_pages_run_the_same_number_of_queries_whatever_the_number_of_notes(
    client, make, queries
):
    counts = {}
    for n in (5, 100):
        host, debate, workshop = setup(make)
        last = _fill_many(workshop, n)
        client.post(
            f"/api/v1/workshop-notes/{last.id}/promote",
            headers=make.auth(host),
            json={"to": "argument", "theme": "health", "stance": "for"},
        )
        db.session.commit()
        for path in ("", "/minutes", "/compare"):
            with queries() as q:
                assert (
                    client.get(f"/debates/{debate.slug}/workshops/{workshop.id}{path}").status_code
                    == 200
                )
            counts[(path, n)] = q.count
        with queries() as q:
            assert client.get(f"/api/v1/workshops/{workshop.id}").status_code == 200
        counts[("api", n)] = q.count
    for path in ("", "/minutes", "/compare", "api"):
        assert counts[(path, 5)] == counts[(path, 100)], counts
    # 13: one query asks the registered promotions what the notes became (recommendations).
    assert counts[("", 100)] <= 13, counts
