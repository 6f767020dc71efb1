"""Rate limits (debate/core/limits.py): sign-in, registration, password reset, argument submission,
reports and token creation; 429 with Retry-After as a page and as JSON; one counter shared by every
worker when Redis is configured; sign-in replies that do not tell unknown e-mails from wrong passwords.

One extra app for the module, with tiny limits, on the session's database (as in
tests/accounts/test_rate_limits.py): the limiter is one extension object shared by every app, so
the fixture switches it off again afterwards.
"""

import json
import os
import re
import subprocess
import sys
import uuid

import pytest
import redis

from debate.accounts import operations
from debate.config import Defaults
from debate.core import limits
from tests.arguments.helpers import argument, body
from tests.assertions import assert_429_json
from tests.factories import PASSWORD
from tests.workshops.helpers import with_themes


def _argue_debate(make):
    return with_themes(make.debate(phase="arguments", template="blank"), "health")


def _assert_429_page(response):
    assert response.status_code == 429
    assert response.mimetype == "text/html"
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert "<html" in response.get_data(as_text=True)


def test_every_named_limit_reads_its_setting():
    for name, (key, _key_func) in limits.LIMITS.items():
        assert isinstance(getattr(Defaults, key), str), name
    assert set(limits.LIMITS) >= {
        "sign_in",
        "registration",
        "password_reset",
        "contribution",
        "report",
        "token_creation",
    }


def test_argument_submission_is_limited_per_user_in_the_api(limited, make):
    debate = _argue_debate(make)
    author, other = make.user(), make.user()
    headers = make.auth(author)
    for n in range(2):
        response = limited.post(
            f"/api/v1/debates/{debate.slug}/arguments",
            headers=headers,
            json=body(title=f"Argument numéro {n}"),
        )
        assert response.status_code == 201, response.get_json()
    assert_429_json(
        limited.post(
            f"/api/v1/debates/{debate.slug}/arguments",
            headers=headers,
            json=body(title="Un de trop"),
        )
    )
    # Another person (same address: tests share 127.0.0.1) still has their own quota.
    response = limited.post(
        f"/api/v1/debates/{debate.slug}/arguments",
        headers=make.auth(other),
        json=body(title="Autre personne"),
    )
    assert response.status_code == 201


def test_argument_form_and_api_share_one_counter_and_the_page_says_429(limited, make):
    debate = _argue_debate(make)
    author = make.user()
    assert (
        limited.post(
            f"/api/v1/debates/{debate.slug}/arguments",
            headers=make.auth(author),
            json=body(title="Par l'API"),
        ).status_code
        == 201
    )
    make.login(limited, author)
    form = {
        "theme": "health",
        "stance": "for",
        "title": "Par le formulaire",
        "body": "",
        "sources-0-url": "https://www.anfr.fr/a",
        "sources-0-title": "Mesures",
        "sources-0-publisher": "ANFR",
        "sources-0-kind": "public_agency",
    }
    path = f"/debates/{debate.slug}/arguments/new"
    assert limited.post_form(path, form, token_from=path).status_code == 302
    _assert_429_page(limited.post_form(path, {**form, "title": "Un de trop"}, token_from=path))
    assert limited.get(path).status_code == 200  # the form itself is not limited


def test_reports_are_limited(limited, make):
    debate = _argue_debate(make)
    reporter = make.user()
    headers = make.auth(reporter)
    targets = [argument(debate, make.user(), title=f"Cible {n}") for n in range(3)]
    for target in targets[:2]:
        assert (
            limited.post(
                f"/api/v1/arguments/{target.id}/reports",
                headers=headers,
                json={"reason": "Hors charte"},
            ).status_code
            == 201
        )
    assert_429_json(
        limited.post(
            f"/api/v1/arguments/{targets[2].id}/reports",
            headers=headers,
            json={"reason": "Hors charte"},
        )
    )


def test_token_creation_on_the_account_page_is_limited(limited, make):
    user = make.user()
    make.login(limited, user)  # sign-in has its own counter
    for _ in range(3):
        assert (
            limited.post_form(
                "/account/tokens", {"label": "script"}, token_from="/account"
            ).status_code
            == 201
        )
    _assert_429_page(
        limited.post_form("/account/tokens", {"label": "script"}, token_from="/account")
    )


def test_password_reset_requests_are_limited(limited_app, limited, make):
    routes = {r.rule for r in limited_app.url_map.iter_rules()}
    if "/api/v1/password-reset" not in routes:
        pytest.skip("no password reset route yet")
    user = make.user()
    for _ in range(2):
        response = limited.post("/api/v1/password-reset", json={"email": user.email})
        assert response.status_code < 300, response.get_data(as_text=True)
    assert_429_json(limited.post("/api/v1/password-reset", json={"email": user.email}))


def test_sign_in_page_is_limited_with_a_429_page(limited, make):
    user = make.user()
    for _ in range(3):
        assert (
            limited.post_form(
                "/auth/login", {"email": user.email, "password": "wrong password!"}
            ).status_code
            == 422
        )
    _assert_429_page(limited.post_form("/auth/login", {"email": user.email, "password": PASSWORD}))


# --- sign-in replies do not tell unknown e-mails from wrong passwords --------------------


def _normalized(html: str, email: str) -> str:
    html = html.replace(email, "EMAIL")
    return re.sub(r'name="csrf_token"[^>]*value="[^"]+"', 'name="csrf_token" value="TOKEN"', html)


def test_sign_in_page_answers_the_same_for_an_unknown_email_and_a_wrong_password(client, make):
    user = make.user()
    wrong = client.post_form("/auth/login", {"email": user.email, "password": "not the right one"})
    unknown_email = "personne@example.org"
    unknown = client.post_form(
        "/auth/login", {"email": unknown_email, "password": "not the right one"}
    )
    assert wrong.status_code == unknown.status_code == 422
    assert _normalized(wrong.get_data(as_text=True), user.email) == _normalized(
        unknown.get_data(as_text=True), unknown_email
    )
    assert [c.split("=")[0] for c in wrong.headers.getlist("Set-Cookie")] == [
        c.split("=")[0] for c in unknown.headers.getlist("Set-Cookie")
    ]


def test_token_api_answers_the_same_for_an_unknown_email_and_a_wrong_password(client, make):
    user = make.user()
    wrong = client.post(
        "/api/v1/tokens", json={"email": user.email, "password": "not the right one"}
    )
    unknown = client.post(
        "/api/v1/tokens", json={"email": "personne@example.org", "password": "not the right one"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()


def test_an_unknown_email_costs_one_password_hash_check_like_a_known_one(client, make, monkeypatch):
    calls = []
    real = operations.verify_password

    def counting(password_hash, password):
        calls.append(password_hash.split("$")[0])  # the method and its cost parameters
        return real(password_hash, password)

    monkeypatch.setattr(operations, "verify_password", counting)
    user = make.user()
    user.password_hash = operations.hash_password(
        make.PASSWORD
    )  # a real account's hash (test users have a cheap one)
    assert operations.authenticate(user.email, "not the right one") is None
    assert operations.authenticate("personne@example.org", "not the right one") is None
    assert len(calls) == 2
    assert calls[0] == calls[1]  # the same scrypt cost for the decoy hash


# --- one counter for every worker, with Redis ---------------------------------------------

_WORKER = """
import json, sys
from debate import create_app
app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": sys.argv[1], "RATELIMIT_ENABLED": True,
                  "RATELIMIT_STORAGE_URI": sys.argv[2], "RATELIMIT_KEY_PREFIX": sys.argv[3],
                  "RATELIMIT_AUTH": "3 per minute", "SECRET_KEY": "x", "SERVER_NAME": None})
client = app.test_client()
answers = []
for _ in range(int(sys.argv[4])):
    r = client.post("/api/v1/users", json={"email": "pas-une-adresse"})  # 422 before any database work
    answers.append([r.status_code, r.headers.get("Retry-After")])
print(json.dumps(answers))
"""
REDIS_URL = os.environ.get("DEBATE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_or_skip():

    try:
        connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        connection.ping()
        return connection
    except redis.RedisError as exc:
        if os.environ.get("CI") or os.environ.get("DEBATE_REDIS_REQUIRED"):
            pytest.fail(f"Redis is required in CI and unreachable at {REDIS_URL}: {exc}")
        pytest.skip(f"no Redis at {REDIS_URL}")


def _worker(database_url, prefix, requests, tmp_path):
    env = {**os.environ, "DEBATE_INSTANCE_PATH": str(tmp_path)}
    env.pop("REDIS_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", _WORKER, database_url, REDIS_URL, prefix, str(requests)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_two_app_processes_share_one_counter_in_redis(database_url, tmp_path):
    connection = _redis_or_skip()
    prefix = f"debate-test-{uuid.uuid4().hex[:12]}"
    try:
        first = _worker(database_url, prefix, 2, tmp_path)
        second = _worker(database_url, prefix, 2, tmp_path)
        assert [s for s, _ in first] == [422, 422]
        assert second[0][0] == 422
        assert (
            second[1][0] == 429 and 0 < int(second[1][1]) <= 60
        )  # the 4th request of the minute, overall
        assert connection.keys(f"*{prefix}*")  # the counter lives in Redis, under our prefix
        other = _worker(database_url, prefix + "-other", 1, tmp_path)
        assert other[0][0] == 422  # another prefix (another instance) counts on its own
    finally:
        for key in connection.scan_iter(f"*{prefix}*"):
            connection.delete(key)
        connection.close()
