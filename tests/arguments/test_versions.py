"""Earlier versions of an argument: a text the moderators never approved never reaches the public.

The author edits an argument until the moderation decides on it; each edit keeps the text it
replaces. Its author and the moderators read every version. The public reads them only while they
were all public: the argument was published as submitted (no pre-moderation) and the moderation has
not decided on it since. tests/security/test_moderated_items_by_id.py checks the versions route for
every status and viewer; here, the ways an argument gets there, through the API as a client would.
"""

import pytest

from debate.extensions import db
from tests.arguments.helpers import body

VIEWERS = ("anonymous", "citizen", "author", "working_group", "guarantor", "elected", "admin")
READ_EVERY_VERSION = {"author", "working_group", "guarantor"}
FIRST = "Appelez-moi au 06 12 34 56 78"  # what the author wrote first
CLEAN = "Les mesures restent sous les seuils"


@pytest.fixture
def people(make):
    return {
        "anonymous": None,
        "citizen": make.user("Cécile"),
        "author": make.user("Autrice"),
        "working_group": make.user("Modératrice"),
        "guarantor": make.user("Garant"),
        "elected": make.user("Élue"),
        "admin": make.admin("Administratrice"),
    }


@pytest.fixture
def call(client, make):
    def send(method, path, user=None, json=None):
        headers = make.auth(user) if user is not None else {}
        db.session.commit()
        return client.open(path, method=method, headers=headers, json=json)

    return send


def _debate(make, people, *, pre_moderation: bool):
    row = make.debate(
        phase="arguments",
        members={
            "working_group": people["working_group"],
            "guarantor": people["guarantor"],
            "elected": people["elected"],
        },
    )
    row.settings = {**row.settings, "pre_moderation": pre_moderation, "report_threshold": 5}
    db.session.flush()
    return row


def _submit_then_edit(call, debate, author) -> int:
    created = call(
        "POST", f"/api/v1/debates/{debate.slug}/arguments", author, body(title=FIRST, body=FIRST)
    )
    assert created.status_code == 201, created.json
    argument_id = created.json["id"]
    edited = call(
        "PATCH", f"/api/v1/arguments/{argument_id}", author, {"title": CLEAN, "body": CLEAN}
    )
    assert edited.status_code == 200, edited.json
    return argument_id


def _decide(call, people, argument_id, action):
    response = call(
        "POST",
        f"/api/v1/arguments/{argument_id}/moderation",
        people["working_group"],
        {"action": action, "message": "Merci de reformuler."},
    )
    assert response.status_code == 200, response.json


def _readers_of_the_first_text(call, people, argument_id) -> set[str]:
    readers = set()
    for viewer in VIEWERS:
        response = call("GET", f"/api/v1/arguments/{argument_id}/versions", people[viewer])
        assert response.status_code == 200, (viewer, response.json)
        if FIRST in response.get_data(as_text=True):
            readers.add(viewer)
        else:
            assert response.json["total"] == 0, viewer
    return readers


def test_a_text_edited_before_its_approval_never_reaches_the_public(call, make, people):
    debate = _debate(make, people, pre_moderation=True)
    argument_id = _submit_then_edit(call, debate, people["author"])
    _decide(call, people, argument_id, "approve")
    public = call("GET", f"/api/v1/arguments/{argument_id}")
    assert public.json["title"] == CLEAN and public.json["status"] == "published"
    assert _readers_of_the_first_text(call, people, argument_id) == READ_EVERY_VERSION


def test_the_public_reads_the_versions_of_an_argument_published_as_submitted(call, make, people):
    debate = _debate(make, people, pre_moderation=False)
    argument_id = _submit_then_edit(call, debate, people["author"])
    assert _readers_of_the_first_text(call, people, argument_id) == set(VIEWERS)
    # Reported, then kept by the moderators: they reviewed its latest text, not the first one.
    reported = call(
        "POST",
        f"/api/v1/arguments/{argument_id}/reports",
        people["citizen"],
        {"reason": "Un numéro de téléphone dans l'historique"},
    )
    assert reported.status_code == 201
    _decide(call, people, argument_id, "approve")
    assert _readers_of_the_first_text(call, people, argument_id) == READ_EVERY_VERSION


def test_changes_requested_then_approved_keep_the_first_text_from_the_public(call, make, people):
    debate = _debate(make, people, pre_moderation=False)
    created = call(
        "POST",
        f"/api/v1/debates/{debate.slug}/arguments",
        people["author"],
        body(title=FIRST, body=FIRST),
    )
    argument_id = created.json["id"]
    _decide(call, people, argument_id, "request_changes")
    edited = call(
        "PATCH",
        f"/api/v1/arguments/{argument_id}",
        people["author"],
        {"title": CLEAN, "body": CLEAN},
    )
    assert edited.status_code == 200
    _decide(call, people, argument_id, "approve")
    assert _readers_of_the_first_text(call, people, argument_id) == READ_EVERY_VERSION
