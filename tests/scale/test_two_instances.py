"""Several machines: two gunicorn instances, on different ports, sharing one PostgreSQL database,
one Redis and one secret key, behave as one platform.

Runs when the suite runs on PostgreSQL (DEBATE_TEST_DATABASE_URL) and Redis answers at REDIS_URL
(default redis://127.0.0.1:6379/0), as in CI's PostgreSQL step; skipped otherwise, but failed when
DEBATE_POSTGRES_REQUIRED=1 or DEBATE_REDIS_REQUIRED=1 says they must be there (CI).
"""

import re
import uuid
from urllib.parse import urlencode

import pytest

from debate.extensions import db
from tests import factories
from tests.scale import servers

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
BROWSER = {"User-Agent": "Mozilla/5.0 (scale test)", "Accept-Language": "en"}


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    """Two instances (own folders, own ports) on one database, one Redis, one secret key."""

    postgres = servers.postgres_or_unavailable()
    redis_url = servers.redis_or_unavailable()
    first, second = tmp_path_factory.mktemp("machine-a"), tmp_path_factory.mktemp("machine-b")
    with servers.migrated_database(first, postgres) as url:
        with servers.local_app(first, url):
            debate = factories.debate(phase="arguments")
            debate.settings = {**debate.settings, "pre_moderation": False}
            person = factories.user()
            reader = factories.user()
            token, reader_token = factories.token(person), factories.token(reader)
            db.session.commit()
            data = {
                "slug": debate.slug,
                "email": person.email,
                "token": token,
                "reader_token": reader_token,
            }
        shared = {
            "REDIS_URL": redis_url,
            "RATELIMIT_ENABLED": "1",
            "DEBATE_RATELIMIT_AUTH": "3 per minute",
            # Counters of this run only, whatever else uses the same Redis.
            "DEBATE_RATELIMIT_KEY_PREFIX": f"scale-test-{uuid.uuid4().hex[:8]}",
        }
        machines = []
        try:
            for folder in (first, second):
                env = servers.server_env(folder, url, **shared)
                machines.append(servers.start_gunicorn(folder, env, workers=2, name="machine"))
            yield machines[0], machines[1], data
        finally:
            for machine in machines:
                machine.stop()


def _cookies(answer, jar: dict) -> dict:
    for key, value in answer.headers.items():
        if key.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name] = rest.split(";", 1)[0]
    return jar


def _cookie_header(jar: dict) -> dict:
    return {**BROWSER, "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}


class _NoRedirect(servers.urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post_form(url: str, fields: dict, headers: dict) -> servers.Answer:

    opener = servers.urllib.request.build_opener(_NoRedirect)
    req = servers.urllib.request.Request(url, data=urlencode(fields).encode(), method="POST")
    for key, value in {**headers, "Content-Type": "application/x-www-form-urlencoded"}.items():
        req.add_header(key, value)
    try:
        with opener.open(req, timeout=30) as response:
            return servers.Answer(response.status, response.read(), dict(response.headers.items()))
    except servers.urllib.error.HTTPError as error:
        return servers.Answer(error.code, error.read(), dict(error.headers.items()))


def test_a_session_started_on_one_machine_is_valid_on_the_other(platform):
    a, b, data = platform
    jar: dict = {}
    form = servers.request(a.url + "/auth/login?lang=en", headers=BROWSER)
    _cookies(form, jar)
    token = CSRF_RE.search(form.text).group(1)
    signed_in = _post_form(
        a.url + "/auth/login",
        {"csrf_token": token, "email": data["email"], "password": "a long test passphrase"},
        _cookie_header(jar),
    )
    assert signed_in.status == 302, signed_in.text[:500]
    _cookies(signed_in, jar)
    # Machine B knows the session (same secret key, same database) and shows the account page.
    page = servers.request(b.url + "/account?lang=en", headers=_cookie_header(jar))
    assert page.status == 200, page.text[:300]
    assert data["email"] in page.text
    # Without the cookie, B sends the visitor to the sign-in page: the cookie is what made it work.
    anonymous = _post_form(b.url + "/auth/logout", {}, BROWSER)
    assert anonymous.status in (302, 400, 401)
    assert (
        servers.request(b.url + "/account?lang=en", headers=BROWSER).text.count(data["email"]) == 0
    )


def test_a_rate_limit_counted_on_one_machine_applies_on_the_other(platform):
    a, b, _data = platform
    wrong = {"email": "nobody@example.org", "password": "not the right passphrase"}
    first = [
        servers.request(a.url + "/api/v1/tokens?lang=en", "POST", body=wrong) for _ in range(3)
    ]
    assert [r.status for r in first] == [401, 401, 401]
    # The fourth attempt within the minute, on the other machine, is refused: one shared counter.
    fourth = servers.request(b.url + "/api/v1/tokens?lang=en", "POST", body=wrong)
    assert fourth.status == 429, fourth.text[:300]
    assert fourth.json()["error"]["code"] == 429
    assert "Retry-After" in fourth.headers


def test_a_write_on_one_machine_is_read_on_the_other(platform):
    a, b, data = platform
    auth = {"Authorization": f"Bearer {data['token']}"}
    body = {
        "theme": "health",
        "stance": "against",
        "title": "Une antenne relais près de la crèche inquiète",
        "body": "Les parents demandent des mesures publiques.",
        "sources": [
            {
                "url": "https://www.anfr.fr/publications/mesures-5g",
                "title": "Mesures d'exposition",
                "publisher": "ANFR",
                "kind": "public_agency",
            }
        ],
    }
    created = servers.request(
        f"{a.url}/api/v1/debates/{data['slug']}/arguments?lang=en", "POST", body=body, headers=auth
    )
    assert created.status == 201, created.text[:300]
    argument_id = created.json()["id"]
    read = servers.request(f"{b.url}/api/v1/arguments/{argument_id}?lang=en")
    assert read.status == 200 and read.json()["title"] == body["title"]
    # An endorsement on B is counted in what A shows right after.
    endorsed = servers.request(
        f"{b.url}/api/v1/arguments/{argument_id}/endorsement",
        "PUT",
        headers={"Authorization": f"Bearer {data['reader_token']}"},
    )
    assert endorsed.status == 200
    assert servers.request(f"{a.url}/api/v1/arguments/{argument_id}").json()["endorsements"] == 1
    page = servers.request(f"{a.url}/debates/{data['slug']}/arguments/{argument_id}?lang=en")
    assert page.status == 200 and body["title"] in page.text.replace("&#39;", "'")


def test_a_page_cached_by_one_machine_is_served_by_the_other_until_a_write(platform):
    a, b, data = platform
    path = f"/debates/{data['slug']}/arguments"
    proxy = {"Host": "debat.example.fr"}  # as behind the reverse proxy: one public address for all
    assert (
        servers.request(a.url + path, headers=proxy).status == 200
    )  # rendered (or already cached) on A
    served = servers.request(b.url + path, headers=proxy)
    assert served.status == 200 and served.headers.get("X-Page-Cache") == "hit", served.headers
    body = {
        "theme": "economy",
        "stance": "for",
        "title": "La couverture mobile attire les entreprises",
        "sources": [
            {
                "url": "https://www.arcep.fr/cartes-et-donnees.html",
                "title": "Couverture mobile",
                "publisher": "Arcep",
                "kind": "public_agency",
            }
        ],
    }
    created = servers.request(
        f"{b.url}/api/v1/debates/{data['slug']}/arguments",
        "POST",
        body=body,
        headers={"Authorization": f"Bearer {data['token']}"},
    )
    assert created.status == 201, created.text[:300]
    fresh = servers.request(a.url + path, headers=proxy)
    assert fresh.headers.get("X-Page-Cache") == "miss" and body["title"] in fresh.text
    assert servers.request(b.url + path, headers=proxy).headers.get("X-Page-Cache") == "hit"
