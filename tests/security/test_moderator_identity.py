"""Who may learn which moderator took a decision: the working group and the guarantor of the debate
(debates/phases.py: `view_moderators`), nobody else.

The public log names the role that decided ("working_group", "admin"), never the person: moderators
apply the charter for the debate, and the people whose texts they reject or hide should not be able
to single them out. Elected officials and administrators are not moderators of the debate and read
the log as the public does; the author of the item is told the decision, not who took it. Each
viewer reads every place the log appears (page, API, open-data export) and their notifications.
"""

import pytest

from debate.accounts import operations as accounts
from debate.accounts.auth import SESSION_KEY
from debate.arguments import operations as arguments
from debate.debates import operations as debates
from debate.extensions import db
from debate.moderation import operations as moderation

VIEWERS = ("anonymous", "citizen", "author", "working_group", "guarantor", "elected", "admin")
SEE_MODERATORS = frozenset({"working_group", "guarantor"})
MODERATOR = "Mireille Moderatrix"  # the working-group member who decides (ASCII: JSON escapes)
SOURCE = {
    "url": "https://www.anses.fr/fr/content/5g-avis-2021",
    "title": "Avis 5G",
    "publisher": "ANSES",
    "kind": "public_agency",
}


@pytest.fixture
def scene(make):
    """A pre-moderated debate where MODERATOR rejected an argument, citing the charter; every
    viewer but the moderator (the "working_group" viewer is a colleague of theirs)."""
    moderator = make.user(MODERATOR)
    people = {
        "citizen": make.user("Cyril Citizen"),
        "author": make.user("Zelda Author"),
        "working_group": make.user("Wanda Colleague"),
        "guarantor": make.user("Gaston Guarantor"),
        "elected": make.user("Elena Elected"),
        "admin": make.admin("Ada Admin"),
    }
    debate = make.debate(
        phase="arguments",
        members={
            "working_group": [moderator, people["working_group"]],
            "guarantor": people["guarantor"],
            "elected": people["elected"],
        },
    )
    debate.settings = {**debate.settings, "pre_moderation": True}
    debates.replace_charter(debate, [{"number": 1, "text": "Respect des personnes."}])
    row = arguments.submit_argument(
        debate,
        people["author"],
        {"theme": "health", "stance": "for", "title": "Un argument", "sources": [SOURCE]},
    )
    moderation.decide(row, "reject", moderator, clause=1)
    db.session.commit()
    return debate, people


def _get(client, make, person, path):
    """A GET as `person`: the page with their session, the API with their bearer token."""
    client.delete_cookie(client.application.config["SESSION_COOKIE_NAME"])
    headers = {}
    if person is not None and path.startswith("/api/"):
        headers = make.auth(person)
    elif person is not None:
        sid = accounts.start_session(person)
        with client.session_transaction() as session:
            session["_user_id"] = str(person.id)
            session["_fresh"] = True
            session[SESSION_KEY] = sid
    db.session.commit()
    response = client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code)
    return response


@pytest.mark.parametrize("viewer", VIEWERS)
def test_only_the_working_group_and_the_guarantor_see_who_moderated(client, make, scene, viewer):
    debate, people = scene
    person = people.get(viewer)
    sees = viewer in SEE_MODERATORS

    page = _get(client, make, person, f"/debates/{debate.slug}/moderation/log")
    assert (MODERATOR in page.get_data(as_text=True)) is sees

    [entry] = _get(client, make, person, f"/api/v1/debates/{debate.slug}/moderation/log").json[
        "items"
    ]
    assert entry["action"] == "reject" and entry["moderator_role"] == "working_group"
    if sees:
        assert entry["moderator"]["display_name"] == MODERATOR
    else:
        assert "moderator" not in entry and MODERATOR not in str(entry)

    # The open-data document is public: it never names a moderator, whoever downloads it.
    export = _get(client, make, person, f"/api/v1/debates/{debate.slug}/export.json")
    assert MODERATOR not in export.get_data(as_text=True)

    if person is not None:  # told of the decision (the author), never of who took it
        notifications = _get(client, make, person, "/account/notifications").get_data(as_text=True)
        assert ("Un argument" in notifications) is (viewer == "author")
        assert MODERATOR not in notifications
