"""One-click unsubscribe: the link in every e-mail works without signing in; mail clients' RFC 8058
POST works too; a tampered link gives a clear page."""

from debate.accounts import operations as accounts
from debate.mail import preferences, tokens
from debate.mail.rendering import unsubscribe_url


def _path(url):
    return url[url.index("/mail/unsubscribe/") :]


def test_the_link_shows_a_page_and_one_button_stops_that_kind(client, make):
    user = make.user()
    path = _path(unsubscribe_url(user, "question_answered"))
    page = client.get(path)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Une réponse à ma question" in text and user.email not in text
    assert (
        preferences.delivery_for(user.id, "question_answered").value == "immediately"
    )  # a GET changes nothing
    done = client.post_form(path, {}, token_from=path)
    assert done.status_code == 200
    assert "Votre désinscription est enregistrée" in done.get_data(as_text=True)
    assert preferences.delivery_for(user.id, "question_answered").value == "never"
    assert preferences.delivery_for(user.id, "moderation").value == "immediately"


def test_rfc_8058_one_click_post_needs_no_session_and_no_csrf_token(client, make):
    user = make.user()
    response = client.post(
        _path(unsubscribe_url(user, "moderation")),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert preferences.delivery_for(user.id, "moderation").value == "never"


def test_the_unsubscribe_link_of_an_email_really_works(client, make, mailbox):
    user = make.user()
    accounts.notify(user.id, "moderation_approve", "Publié")
    mailbox.deliver()
    [message] = mailbox.to(user.email)
    header = message["List-Unsubscribe"].strip("<>")
    assert client.post(_path(header), data="List-Unsubscribe=One-Click").status_code == 200
    accounts.notify(user.id, "moderation_approve", "Publié de nouveau")
    mailbox.deliver()
    assert len(mailbox.to(user.email)) == 1  # nothing more


def test_all_stops_every_kind(client, make):
    user = make.user()
    client.post(_path(unsubscribe_url(user, "all")))
    assert set(v.value for v in preferences.preferences_of(user.id).values()) == {"never"}


def test_a_tampered_link_gives_a_clear_page(client, make):
    user = make.user()
    good = tokens.unsubscribe_token(user, "moderation")
    forged_kind = tokens.unsubscribe_token(user, "newsletter")
    for bad in (good[:-2] + "xx", "n-importe-quoi", forged_kind):
        for method in ("get", "post"):
            response = getattr(client, method)(f"/mail/unsubscribe/{bad}")
            assert response.status_code == 400, (bad, method)
            assert "est pas valide" in response.get_data(as_text=True)
    assert preferences.delivery_for(user.id, "moderation").value == "immediately"
