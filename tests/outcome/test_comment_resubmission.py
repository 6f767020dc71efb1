"""A refused comment on a draft recommendation: its author reads, under the comment, the decision,
the charter clause and the moderators' message, revises it (the form keeps what was typed after an
error) and sends it back to the moderation queue as a new version, where the moderators see what
changed; the public log does not call it "item removed"."""

import re

import sqlalchemy as sa

from debate.debates import operations as debates
from debate.extensions import db
from debate.moderation import operations as moderation
from debate.moderation.models import ItemVersion
from debate.outcome import operations
from debate.outcome.models import Comment
from tests.factories import switch_session as sign_in
from tests.outcome.helpers import recommendation, world


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _refused(make, *, message="Reformulez sans attaquer les personnes."):
    w = world(make)
    w.debate.settings = {**(w.debate.settings or {}), "pre_moderation": True}
    debates.replace_charter(w.debate, [{"number": 1, "text": "Respecter les personnes."}])
    row = recommendation(w, open_for_comments=True)
    comment = operations.add_comment(row, w.citizen, {"body": "Les élus sont des incapables."})
    moderation.decide(comment, "reject", w.host, clause=1, message=message)
    db.session.commit()
    return w, row, comment


def test_the_author_reads_the_decision_clause_and_message_under_their_comment(client, make):
    w, row, comment = _refused(make)
    page_path = f"/debates/{w.slug}/recommendations/{row.id}"
    make.login(client, w.citizen)
    page = _text(client.get(page_path + "?lang=en"))
    assert "Les élus sont des incapables." in page
    assert "The moderators refused your comment" in page
    assert "Respecter les personnes." in page
    assert "Reformulez sans attaquer les personnes." in page
    edit = f"/debates/{w.slug}/recommendation-comments/{comment.id}/edit"
    assert f'href="{edit}"' in page and "Revise and send back to the moderators" in page
    # In French, with the no-break space before the colon.
    page = client.get(page_path + "?lang=fr").get_data(as_text=True)
    assert "Message des modérateurs\u00a0:" in page


def test_others_do_not_see_the_refused_comment_nor_the_message(client, make):
    w, row, _comment = _refused(make)
    sign_in(client, make.user("Voisin"))
    page = _text(client.get(f"/debates/{w.slug}/recommendations/{row.id}?lang=en"))
    assert "Les élus sont des incapables." not in page
    assert "Reformulez" not in page


def test_revising_sends_the_comment_back_to_the_queue_as_a_new_version(client, make):
    w, row, comment = _refused(make)
    make.login(client, w.citizen)
    edit = f"/debates/{w.slug}/recommendation-comments/{comment.id}/edit"
    form = _text(client.get(edit + "?lang=en"))
    assert "Reformulez sans attaquer les personnes." in form
    assert "Les élus sont des incapables." in form  # the text to revise
    # An empty comment is refused; the page says why (422), nothing changes.
    r = client.post_form(edit + "?lang=en", {"body": ""}, token_from=edit)
    assert r.status_code == 422 and "The form has errors" in _text(r)
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).moderation_status.value == "rejected"
    r = client.post_form(
        edit, {"body": "Les élus devraient publier la carte des antennes."}, token_from=edit
    )
    assert r.status_code == 302
    assert r.headers["Location"].endswith(f"/recommendations/{row.id}#comment-{comment.id}")
    db.session.expire_all()
    revised = db.session.get(Comment, comment.id)
    assert revised.moderation_status.value == "pending" and revised.moderated_at is None
    assert revised.body == "Les élus devraient publier la carte des antennes."
    kept = db.session.scalars(sa.select(ItemVersion)).all()
    assert [(v.target_type, v.number, v.fields) for v in kept] == [
        ("recommendation_comment", 1, {"body": "Les élus sont des incapables."})
    ]
    page = _text(client.get(f"/debates/{w.slug}/recommendations/{row.id}?lang=en"))
    assert "Awaiting moderation" in page and "The moderators refused your comment" not in page
    # The moderators see it again, with what changed.
    sign_in(client, w.host)
    queue = client.get(f"/debates/{w.slug}/moderation?lang=en").get_data(as_text=True)
    assert "Revised after a refusal" in queue
    assert "What the author changed since the previous version" in queue
    assert re.search(r'<del class="diff-removed">[^\n]*incapables', queue)
    assert re.search(r'<ins class="diff-added">[^\n]*publier la carte', queue)
    # The public log says it awaits moderation again, not that it was removed.
    log = _text(client.get(f"/debates/{w.slug}/moderation/log?lang=en"))
    assert "awaiting moderation again" in log and "item removed" not in log
    assert "Les élus" not in log  # the title of an unpublished item stays private


def test_a_moderator_deciding_meanwhile_wins_409(client, make):
    w, row, comment = _refused(make)
    make.login(client, w.citizen)
    edit = f"/debates/{w.slug}/recommendation-comments/{comment.id}/edit"
    client.get(edit)
    moderation.decide(comment, "restore", w.host)
    db.session.commit()
    r = client.post_form(
        edit + "?lang=en",
        {"body": "Une version revue."},
        token_from=f"/debates/{w.slug}/recommendations/{row.id}",
    )
    assert r.status_code == 409
    assert "Une version revue." in r.get_data(as_text=True)  # what was typed is kept
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).moderation_status.value == "published"
    assert db.session.get(Comment, comment.id).body == "Les élus sont des incapables."


def test_the_conditional_update_refuses_when_the_status_changed_underneath(make):
    w, row, comment = _refused(make)
    previous = moderation.snapshot(comment)
    db.session.execute(
        sa.update(Comment).where(Comment.id == comment.id).values(moderation_status="published")
    )
    try:
        moderation.send_back_to_queue(comment, previous)
    except Exception as exc:  # noqa: BLE001 - the 409 of the operation
        assert getattr(exc, "code", None) == 409
    else:
        raise AssertionError("a decided comment was sent back to the queue")


def test_a_comment_cannot_be_revised_once_the_recommendation_is_published(client, make):
    w, row, comment = _refused(make)
    operations.publish_recommendations(w.debate, w.host)  # comments close with the publication
    db.session.commit()
    make.login(client, w.citizen)
    page = _text(client.get(f"/debates/{w.slug}/recommendations/{row.id}?lang=en"))
    assert "The moderators refused your comment" in page
    assert "It can only be revised while this draft is open to comments." in page
    edit = f"/debates/{w.slug}/recommendation-comments/{comment.id}/edit"
    assert client.get(edit).status_code == 303
    r = client.post_form(
        edit, {"body": "Encore."}, token_from=f"/debates/{w.slug}/recommendations/{row.id}"
    )
    assert r.status_code == 409


def test_only_its_author_can_revise_a_comment(client, make):
    w, row, comment = _refused(make)
    edit = f"/debates/{w.slug}/recommendation-comments/{comment.id}/edit"
    sign_in(client, make.user("Intrus"))
    assert client.get(edit).status_code == 404  # they cannot see it: as for an unknown id
    sign_in(client, w.host)
    assert client.get(edit).status_code == 403  # the moderators see it, but did not write it
