"""Moderation pages: the queue acts in place, the log links or says "item removed", merged arguments
redirect and credit both authors, notifications are listed and marked read, statistics on the debate
page; the queue and log pages run a bounded number of queries."""

import pytest
import sqlalchemy as sa

from debate.accounts.models import Notification
from debate.arguments import operations as arguments
from debate.debates import operations as debates
from debate.extensions import db
from debate.moderation import operations
from debate.moderation.models import ModerationEvent
from tests.arguments.helpers import argument
from tests.factories import switch_session as sign_in


@pytest.fixture
def wg(make):
    return make.user("Modératrice")


@pytest.fixture
def debate(make, wg):
    row = make.debate(phase="arguments", members={"working_group": wg})
    row.settings = {**row.settings, "pre_moderation": True, "report_threshold": 3}
    return row


def html(response) -> str:
    return response.get_data(as_text=True)


def test_the_queue_lists_pending_and_reported_items_oldest_first_and_acts_in_place(
    client, make, debate, wg
):
    author = make.user("Autrice")
    first = argument(debate, author, status="pending", title="Premier en attente")
    argument(debate, author, status="pending", title="Second en attente")
    reported = argument(debate, author, status="published", title="Argument signalé")
    arguments.report_argument(reported, make.user("Signaleur secret"), "Propos blessants")
    sign_in(client, wg)
    db.session.commit()
    page = html(client.get(f"/debates/{debate.slug}/moderation?lang=en"))
    assert (
        page.index("Premier en attente")
        < page.index("Second en attente")
        < page.index("Argument signalé")
    )
    assert "2 items awaiting moderation, 1 reported item" in page and "Propos blessants" in page
    assert "Signaleur secret" not in page
    assert f'href="/debates/{debate.slug}/charter"' in page
    response = client.post_form(
        f"/debates/{debate.slug}/moderation/arguments/{first.id}",
        {"action": "reject", "clause": "", "message": ""},
        token_from="/",
    )
    assert response.status_code == 422  # the queue again, the decision kept, the error beside it
    db.session.expire_all()
    assert first.status.value == "pending"
    response = client.post_form(
        f"/debates/{debate.slug}/moderation/arguments/{first.id}",
        {"action": "reject", "clause": "1", "message": ""},
        token_from="/",
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert first.status.value == "rejected"
    assert "Premier en attente" not in html(client.get(f"/debates/{debate.slug}/moderation"))


def test_queue_and_log_pages_run_a_bounded_number_of_queries(client, make, debate, wg, queries):
    def fill(n):
        for i in range(n):
            author = make.user()
            waiting = argument(debate, author, status="pending", title=f"Attente {i}")
            arguments.edit_argument(waiting, {"title": f"Attente revue {i}"})  # a version
            row = argument(debate, author, status="published", title=f"Publié {i}")
            arguments.report_argument(row, make.user(), "Raison")
            pending = argument(debate, author, status="pending", title=f"Décidé {i}")
            operations.decide(pending, "reject", wg, clause=1)

    sign_in(client, wg)
    counts = []
    for n in (1, 6):
        fill(n)
        db.session.commit()
        with queries() as q:
            assert client.get(f"/debates/{debate.slug}/moderation").status_code == 200
        with queries() as log_q:
            assert client.get(f"/debates/{debate.slug}/moderation/log").status_code == 200
        counts.append((q.count, log_q.count))
    assert counts[0] == counts[1], counts
    # The queue shows each item whole: its sources and its author's earlier decisions (one query each).
    assert counts[1][0] <= 22 and counts[1][1] <= 20, counts


def test_the_log_page_links_public_items_and_says_item_removed_otherwise(client, make, debate, wg):
    author = make.user("Autrice Anonyme")
    kept = argument(debate, author, status="pending", title="Argument approuvé")
    gone = argument(debate, author, status="pending", title="Argument rejeté")
    operations.decide(kept, "approve", wg)
    operations.decide(gone, "reject", wg, clause=2, message="Message privé")
    db.session.commit()
    page = html(client.get(f"/debates/{debate.slug}/moderation/log?lang=en"))
    assert f"/debates/{debate.slug}/arguments/{kept.id}" in page
    # Named by its title, not by a number.
    assert (
        f'href="/debates/{debate.slug}/arguments/{kept.id}" lang="fr">Argument approuvé</a>' in page
    )
    assert f"n° {kept.id}" not in page
    assert f"/debates/{debate.slug}/arguments/{gone.id}" not in page
    assert "refused item" in page and "item removed" not in page  # it still exists, unpublished
    assert "Clause 2" in page
    for secret in ("Modératrice", "Autrice Anonyme", "Message privé", "Argument rejeté"):
        assert secret not in page
    sign_in(client, wg)
    assert "Modératrice" in html(client.get(f"/debates/{debate.slug}/moderation/log?lang=en"))


def test_a_merged_argument_redirects_and_both_authors_are_credited(client, make, debate, wg):
    kept = argument(debate, make.user("Alice"), status="published", title="Argument gardé")
    duplicate = argument(debate, make.user("Bruno"), status="published", title="Doublon")
    sign_in(client, wg)
    response = client.post_form(
        f"/debates/{debate.slug}/moderation/arguments/{duplicate.id}/merge",
        {"into": str(kept.id), "clause": "6"},
        token_from="/",
    )
    assert response.status_code == 302
    response = client.get(f"/debates/{debate.slug}/arguments/{duplicate.id}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/debates/{debate.slug}/arguments/{kept.id}")
    page = html(client.get(f"/debates/{debate.slug}/arguments/{kept.id}?lang=en"))
    assert "Alice" in page and "Bruno" in page and "credited" in page


def test_notifications_page_lists_decisions_and_marks_them_read(client, make, debate, wg):
    author = make.user("Autrice")
    row = argument(debate, author, status="pending", title="Mon argument")
    operations.decide(row, "request_changes", wg, message="Ajoutez une source.")
    db.session.commit()
    sign_in(client, author)
    home = html(client.get("/?lang=en"))
    assert 'href="/account/notifications"' in home and "1<span" in home
    page = html(client.get("/account/notifications?lang=en"))
    assert "Mon argument" in page and "Ajoutez une source." in page
    assert f'href="/debates/{debate.slug}/arguments/{row.id}"' in page
    response = client.post_form(
        "/account/notifications/read", {}, token_from="/account/notifications"
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (
        db.session.scalar(sa.select(Notification.read_at).where(Notification.user_id == author.id))
        is not None
    )
    assert "1<span" not in html(client.get("/?lang=en"))
    # Without a CSRF token nothing changes.
    assert client.post("/account/notifications/read", data={}).status_code == 400


def test_the_debate_page_shows_moderation_statistics(client, make, debate, wg, queries):
    author = make.user()
    for status in ("pending", "published"):
        argument(debate, author, status=status)
    rejected = argument(debate, author, status="pending")
    operations.decide(rejected, "reject", wg, clause=1)
    db.session.commit()
    page = html(client.get(f"/debates/{debate.slug}/?lang=en"))
    assert (
        "3 contributions received: 1 published, 1 rejected, 0 hidden, 1 awaiting moderation."
        in page
    )
    assert "Median time to a decision" in page
    # Plurals: one of each reads in the singular (French: "1 contribution reçue", not "reçues").
    page = html(client.get(f"/debates/{debate.slug}/?lang=fr"))
    assert "3 contributions reçues\u00a0: 1 publiée, 1 refusée, 0 masquée, 1 en attente" in page


def test_moderation_events_rows_survive_every_request(client, make, debate, wg):
    row = argument(debate, make.user(), status="pending")
    operations.decide(row, "approve", wg)
    db.session.commit()
    sign_in(client, wg)
    for path in (f"/debates/{debate.slug}/moderation/log", f"/debates/{debate.slug}/moderation"):
        for method in ("put", "patch", "delete"):
            assert getattr(client, method)(path).status_code == 405
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(ModerationEvent)
            .where(ModerationEvent.debate_id == debate.id)
        )
        == 1
    )


def test_the_working_group_hides_and_restores_a_scope_proposal_from_the_scope_page(
    client, make, wg
):

    scope_debate = make.debate(phase="scope", members={"working_group": wg})
    citizen = make.user("Proposante")
    proposal = debates.add_scope_item(
        scope_debate,
        citizen,
        {
            "question": "Acheter des voitures au comptant ?",
            "in_scope": True,
            "rationale": "",
            "competence": "municipal",
        },
        as_working_group=False,
    )
    page_url = f"/debates/{scope_debate.slug}/scope"
    action = f"/debates/{scope_debate.slug}/moderation/scope-items/{proposal.id}"

    # Visitors see the proposal and no moderation control.
    assert "Acheter des voitures" in html(client.get(page_url))
    assert action not in html(client.get(page_url))

    sign_in(client, wg)
    page = html(client.get(page_url))
    assert action in page  # the hide form sits on the item itself
    response = client.post_form(
        action, {"action": "hide", "clause": "3", "message": ""}, token_from=page_url
    )
    assert response.status_code in (302, 303)

    page = html(client.get(page_url))
    hidden_section = page[page.index('id="hidden-scope"') :]
    assert "Acheter des voitures" in hidden_section  # moderators can still find it, to restore it
    response = client.post_form(
        action, {"action": "restore", "clause": "", "message": ""}, token_from=page_url
    )
    assert response.status_code in (302, 303)

    client.post_form("/auth/logout", token_from=page_url)
    page = html(client.get(page_url))
    assert "Acheter des voitures" in page and 'id="hidden-scope"' not in page


def test_a_hidden_scope_item_leaves_the_public_scope_page(client, make, wg):

    scope_debate = make.debate(phase="scope", members={"working_group": wg})
    proposal = debates.add_scope_item(
        scope_debate,
        make.user(),
        {
            "question": "Publicité pour un forfait mobile",
            "in_scope": True,
            "rationale": "",
            "competence": "operators",
        },
        as_working_group=False,
    )
    sign_in(client, wg)
    page_url = f"/debates/{scope_debate.slug}/scope"
    action = f"/debates/{scope_debate.slug}/moderation/scope-items/{proposal.id}"
    client.post_form(action, {"action": "hide", "clause": "5", "message": ""}, token_from=page_url)
    client.post_form("/auth/logout", token_from=page_url)
    assert "Publicité pour un forfait mobile" not in html(client.get(page_url))


def test_the_queue_shows_every_earlier_version_of_an_argument_awaiting_moderation(
    client, make, debate, wg
):
    author = make.user("Autrice")
    row = argument(
        debate, author, status="pending", title="Premier jet", body="Appelez le 06 12 34 56 78"
    )
    arguments.edit_argument(row, {"title": "Texte revu", "body": "Sans numéro."})
    arguments.edit_argument(row, {"title": "Texte final", "body": "Toujours sans numéro."})
    guarantor = make.user("Garant")
    debates.set_member(debate, guarantor, "guarantor")
    for person in (wg, guarantor):
        sign_in(client, person)
        db.session.commit()
        page = html(client.get(f"/debates/{debate.slug}/moderation?lang=en"))
        assert "Texte final" in page and "2 earlier versions" in page
        # The moderators read what the author wrote before, not only the text they approve.
        assert page.index("Premier jet") < page.index("Texte revu")
        assert "Appelez le 06 12 34 56 78" in page
