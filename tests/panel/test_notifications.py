"""Selected volunteers are told by notification and by e-mail, in their language, with a link to the
panel's page; the volunteers not drawn get nothing."""

import sqlalchemy as sa

from debate.accounts.models import Notification
from debate.extensions import db
from debate.mail import preferences
from debate.mail.models import Category, OutboxMessage
from debate.panel.models import PanelVolunteer, VolunteerStatus
from tests.panel.helpers import fill_pool, panel_for


def _emails(kind="panel"):
    return {
        m.user_id: m
        for m in db.session.scalars(
            sa.select(OutboxMessage).where(
                OutboxMessage.kind == kind, OutboxMessage.category == Category.NOTIFICATION
            )
        )
    }


def test_each_selected_volunteer_gets_an_email_with_the_panel_page_and_no_one_else(client, make):
    wg = make.user("Groupe de travail")
    debate = make.debate(phase="scope", members={"working_group": wg})
    panel = panel_for(debate, wg, size=6)
    pool = fill_pool(panel, make, 40)
    for person in pool[::2]:  # half of them read English
        db.session.get(type(wg), person.user_id).locale = "en"
    db.session.flush()
    r = client.post(
        f"/api/v1/debates/{debate.slug}/panel/draw",
        json={"seed": "Loto du 3 octobre 2026 : 7 12 23 34 41 — 5"},
        headers=make.auth(wg),
    )
    assert r.status_code == 201, r.get_json()  # PANEL_DRAW_JOBS is "inline" in the tests
    db.session.expire_all()
    selected = set(
        db.session.scalars(
            sa.select(PanelVolunteer.user_id).where(
                PanelVolunteer.panel_id == panel.id,
                PanelVolunteer.status == VolunteerStatus.SELECTED,
            )
        )
    )
    assert len(selected) == 6
    emails = _emails()
    assert set(emails) == selected  # and none to the 34 others, nor to the working group
    link = f"/debates/{debate.slug}/panel"
    languages = set()
    for user_id, message in emails.items():
        assert link in message.body
        user = db.session.get(type(wg), user_id)
        assert message.to_address == user.email
        languages.add(user.locale or "fr")
        if user.locale == "en":
            assert "You have been drawn to the citizens' panel" in message.subject
            assert "for: the citizens' panel you volunteered for or organise" in message.body
        else:
            assert "Vous avez été tiré au sort pour le panel citoyen" in message.subject
            assert "pour : le panel citoyen auquel" in message.body.replace("\u00a0", " ")
    # The in-app notification carries the same link.
    urls = set(
        db.session.scalars(
            sa.select(Notification.url).where(
                Notification.kind == "panel", Notification.user_id.in_(selected)
            )
        )
    )
    assert urls == {link}
    assert languages == {"en", "fr"}  # the seed draws readers of both


def test_someone_who_stopped_every_email_gets_none(client, make):
    wg = make.user("Groupe de travail")
    debate = make.debate(phase="scope", members={"working_group": wg})
    panel = panel_for(debate, wg, size=4)
    pool = fill_pool(panel, make, 20)
    for person in pool:
        preferences.unsubscribe(person.user_id, preferences.ALL)
    r = client.post(f"/api/v1/debates/{debate.slug}/panel/draw", json={}, headers=make.auth(wg))
    assert r.status_code == 201, r.get_json()
    assert _emails() == {}
    told = db.session.scalar(
        sa.select(sa.func.count(Notification.id)).where(Notification.kind == "panel")
    )
    assert told == 4  # still told on the platform
