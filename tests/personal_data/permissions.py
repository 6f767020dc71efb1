"""The personal-data routes' rows of the role matrix (tests/matrix.py): anonymous, a citizen (the
owner of the data), another user ("other"), an administrator. These routes concern no debate: the
cells have no phase.

Every route acts on the caller's own data only: there is no route to see or delete someone else's,
administrators included. Each effect checks that the owner's data neither leaks to nor is changed by
anyone else. tests/personal_data/test_permissions.py runs them.
"""

from debate.accounts.models import User
from debate.extensions import db
from tests.matrix import Route, html, only, sign_in
from tests.personal_data.helpers import unique_person

ROLES = ("anonymous", "citizen", "other", "admin")
EVERYONE = only(*ROLES)
SIGNED_IN = only(*ROLES[1:])


class PersonalDataCell:
    """The owner (a citizen) and the actor of the role, with a client signed in as the actor."""

    phase = None

    def __init__(self, client, make, role):
        self.client, self.make, self.role = client, make, role
        self.owner = unique_person(make)
        self.admin_backup = make.admin()  # so an administrator may delete their own account
        self.actor = {
            "anonymous": None,
            "citizen": self.owner,
            "other": unique_person(make),
            "admin": unique_person(make, is_admin=True),
        }[role]
        if self.actor is not None:
            sign_in(client, self.actor)
        db.session.commit()

    def api(self, method, path, json=None):
        headers = self.make.auth(self.actor) if self.actor else {}
        return self.client.open(path, method=method, json=json, headers=headers)

    def form(self, path, data):
        return self.client.post_form(path, data)

    def exists(self, person) -> bool:
        db.session.expire_all()
        return person is not None and db.session.get(User, person.id) is not None

    def only_the_actor_is_gone(self) -> bool:
        """The actor's account is gone, and the owner's is still there unless the actor is the owner."""
        return (
            self.actor is not None
            and not self.exists(self.actor)
            and (self.actor == self.owner or self.exists(self.owner))
        )


def api_data(c):
    r = c.api("GET", "/api/v1/me/data")
    return (
        r,
        lambda: (
            r.json["account"]["id"] == c.actor.id
            and (c.actor == c.owner or c.owner.email not in str(r.json))
        ),
    )


def api_delete(c):
    r = c.api("DELETE", "/api/v1/me", {"password": c.make.PASSWORD, "mode": "anonymize"})
    return r, c.only_the_actor_is_gone


def api_me(c):
    r = c.api("GET", "/api/v1/me")
    return r, lambda: r.json["id"] == c.actor.id


def page_data(c):
    r = c.client.get("/account/data")
    return (
        r,
        lambda: c.actor.email in html(r) and (c.actor == c.owner or c.owner.email not in html(r)),
    )


def form_download(c):
    r = c.form("/account/data/download", {})
    return r, lambda: r.json["account"]["id"] == c.actor.id


def page_delete(c):
    r = c.client.get("/account/delete")
    return r, lambda: 'name="password"' in html(r)


def form_delete(c):
    r = c.form("/account/delete", {"mode": "delete", "password": c.make.PASSWORD})
    return r, c.only_the_actor_is_gone


def page_privacy(c):
    r = c.client.get("/privacy")
    return r, lambda: "/account/data" in html(r)


def page_accessibility(c):
    r = c.client.get("/accessibility")
    return r, lambda: "RGAA" in html(r)


ROUTES = [
    Route("GET /api/v1/me/data", SIGNED_IN, 200, api_data),
    Route("DELETE /api/v1/me", SIGNED_IN, 204, api_delete),
    Route("GET /api/v1/me", SIGNED_IN, 200, api_me),
    Route("GET /account/data", SIGNED_IN, 200, page_data),
    Route("POST /account/data/download", SIGNED_IN, 200, form_download),
    Route("GET /account/delete", SIGNED_IN, 200, page_delete),
    Route("POST /account/delete", SIGNED_IN, 302, form_delete),
    Route("GET /privacy", EVERYONE, 200, page_privacy),
    Route("GET /accessibility", EVERYONE, 200, page_accessibility),
]
