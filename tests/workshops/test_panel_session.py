"""A workshop can be a session of the debate's citizens' panel: ticked on the form or sent through the
API, said on the workshop's page and in the list, listed for the panel's page; migration 0019 adds
the column without losing a row or a table's counter."""

import os
import re

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from debate.extensions import db
from debate.workshops import operations, queries
from debate.workshops.models import Workshop
from tests.core.test_ids_never_reused import Rows, instance
from tests.database import postgres_database
from tests.workshops.helpers import WORKSHOP, setup


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


FORM = {
    "title": "Deuxième séance du panel",
    "held_on": "2030-04-02",
    "format": "in_person",
    "duration_minutes": "180",
    "participants_count": "12",
    "facilitators": "",
    "tools": "",
    "summary": "",
}


def test_the_working_group_records_a_panel_session_through_the_form(client, make):
    host, debate, _workshop = setup(make)
    make.login(client, host)
    new = f"/debates/{debate.slug}/workshops/new"
    page = _text(client.get(new))
    assert 'type="checkbox"' in page and "Cet atelier est une séance du panel citoyen" in page
    r = client.post_form(new, {**FORM, "panel_session": "y"}, token_from=new)
    assert r.status_code == 302
    session = db.session.scalar(sa.select(Workshop).where(Workshop.title == FORM["title"]))
    assert session.panel_session is True
    r = client.post_form(new, {**FORM, "title": "Atelier ouvert à tous"}, token_from=new)
    assert r.status_code == 302
    other = db.session.scalar(sa.select(Workshop).where(Workshop.title == "Atelier ouvert à tous"))
    assert other.panel_session is False
    # Said on its page and in the list, in French and in English; not on the other workshop's.
    detail = f"/debates/{debate.slug}/workshops/{session.id}"
    assert "Une séance du panel citoyen" in _text(client.get(detail))
    assert "A session of the citizens' panel" in _text(client.get(detail + "?lang=en"))
    assert "session of the citizens' panel" not in _text(
        client.get(f"/debates/{debate.slug}/workshops/{other.id}?lang=en")
    )
    listing = _text(client.get(f"/debates/{debate.slug}/workshops?lang=en"))
    assert listing.count("A session of the citizens' panel") == 1


def test_the_api_takes_and_gives_panel_session(client, make):
    host, debate, workshop = setup(make)
    headers = make.auth(host)
    r = client.post(
        f"/api/v1/debates/{debate.slug}/workshops",
        json={**WORKSHOP, "title": "Séance du panel", "panel_session": True},
        headers=headers,
    )
    assert r.status_code == 201, r.get_json()
    assert r.json["panel_session"] is True
    assert client.get(f"/api/v1/workshops/{workshop.id}").json["panel_session"] is False
    listed = client.get(f"/api/v1/debates/{debate.slug}/workshops").json["items"]
    assert {w["title"]: w["panel_session"] for w in listed} == {
        WORKSHOP["title"]: False,
        "Séance du panel": True,
    }
    wrong = client.post(
        f"/api/v1/debates/{debate.slug}/workshops",
        json={**WORKSHOP, "panel_session": "perhaps"},
        headers=headers,
    )
    assert wrong.status_code == 422


def test_panel_sessions_lists_the_debates_sessions_in_the_order_held(make):
    host, debate, _workshop = setup(make)
    _host2, other_debate, _w2 = setup(make)
    later = operations.create_workshop(
        debate, {**WORKSHOP, "title": "Séance 2", "held_on": "2030-05-10", "panel_session": True}
    )
    earlier = operations.create_workshop(
        debate, {**WORKSHOP, "title": "Séance 1", "held_on": "2030-04-10", "panel_session": True}
    )
    operations.create_workshop(
        other_debate, {**WORKSHOP, "title": "Ailleurs", "panel_session": True}
    )
    assert queries.panel_sessions(debate) == [earlier, later]


def _workshops_table(connection) -> str:
    if connection.dialect.name != "sqlite":
        return ""
    return connection.execute(
        sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'workshops'")
    ).scalar_one()


def test_0019_adds_the_column_keeping_the_rows_and_the_counter(database_url, tmp_path):
    if database_url.startswith("postgresql"):
        url, drop = postgres_database(os.environ["DEBATE_TEST_DATABASE_URL"])
    else:
        url, drop = f"sqlite:///{tmp_path / 'before-0019.sqlite'}", None
    try:
        with instance(url):
            upgrade(revision="0018_citizens_panel")
            workshops = sa.Table("workshops", sa.MetaData(), autoload_with=db.engine)
            with db.engine.begin() as connection:
                rows = Rows(connection)
                kept, gone = rows.insert(workshops), rows.insert(workshops)
                connection.execute(workshops.delete().where(workshops.c.id == gone))
                before = _workshops_table(connection)
            upgrade()
            with db.engine.begin() as connection:
                assert connection.execute(
                    sa.text("SELECT id, panel_session FROM workshops")
                ).all() == [(kept, False)]
                indexes = {i["name"] for i in sa.inspect(connection).get_indexes("workshops")}
                assert "ix_workshops_debate_id" in indexes
                if before:
                    assert "AUTOINCREMENT" in before.upper()
                    assert "AUTOINCREMENT" in _workshops_table(connection).upper()
                new = Rows(connection).insert(db.metadata.tables["workshops"])
                assert new > gone
            downgrade(revision="0018_citizens_panel")
            with db.engine.begin() as connection:
                columns = {c["name"] for c in sa.inspect(connection).get_columns("workshops")}
                assert "panel_session" not in columns
                assert connection.execute(sa.text("SELECT count(*) FROM workshops")).scalar() == 2
    finally:
        if drop is not None:
            drop()
