"""Whole pages for anonymous visitors, served from the cache until the next write.

A debate that goes viral is read by thousands of people who are not signed in, and they all see
the same page. Such a page is rendered once per (address, language, day) and served from the cache
(Redis when configured, shared by every worker and machine; otherwise in-process) until anything
it may show changes: the cache key carries the site's content generation, which every committed
write to a table a page shows renews in its own transaction (debate/core/content_writes.py). So a page is never stale after a write — the next visitor gets a freshly
rendered one — and no view has to declare what it depends on.

Cached: GET and HEAD answers of 200 with an HTML or JSON body (pages and the public API; not
streamed exports), with the headers the view set (pagination…), to visitors who are not signed in, carry no
bearer token and have no message waiting (flash); a page holding a form token (CSRF: it belongs to
the visitor's session) is not stored, and a language choice (`?lang=`, kept in the visitor's session
by the view) always reaches the view. The cookie an answer may set is never stored. The day is part of the key (phase statuses, due dates) and entries
expire after PAGE_CACHE_SECONDS (300) anyway. The key also carries a digest of the templates,
translations and migrations and of the settings, so a new release or a changed setting never serves
an old page. Settings are read once, at start-up (instance/config.py, the environment), as every
deployment sets them; the digest is taken then.
PAGE_CACHE=0 turns it off.
The answer carries `X-Page-Cache: hit` or `miss` (absent when the page is not cacheable).
"""

from __future__ import annotations

import hashlib
import pickle
import zlib
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g, request, session
from flask_babel import get_locale

from debate.core import cache, content_writes

HEADER = "X-Page-Cache"
CACHED_TYPES = frozenset({"text/html", "application/json"})
ENTRIES = 256


def _stable(value) -> str:
    """A setting as text, the same in every process (sets have no fixed order)."""
    if isinstance(value, (set, frozenset)):
        return repr(sorted(map(_stable, value)))
    if isinstance(value, dict):
        return repr(sorted((str(k), _stable(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return repr([_stable(v) for v in value])
    return repr(value)


def _release_digest(app: Flask) -> str:
    """Templates, compiled translations and migrations of this release, and the instance's settings
    (a secret only through its digest), as a short digest."""
    root = Path(app.root_path).parent
    digest = hashlib.sha256()
    for key in sorted(app.config):
        digest.update(f"{key}={_stable(app.config[key])}\n".encode())
    folders = [
        Path(app.template_folder),
        Path(app.root_path) / "translations",
        root / "migrations" / "versions",
    ]
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in {".html", ".mo", ".py", ".txt", ".svg"}:
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _store(app: Flask):
    existing = app.extensions.get("debate_page_cache")
    if existing is None:
        url = cache.redis_url(app)
        existing = cache.RedisStore(url) if url else cache.LocalStore(size=ENTRIES)
        app.extensions["debate_page_cache"] = existing
    return existing


def _cacheable_request() -> bool:
    if request.method not in ("GET", "HEAD") or request.path.startswith(("/static/", "/healthz")):
        return False
    if "lang" in request.args:  # the view keeps the choice in the visitor's session: let it run
        return False
    if request.headers.get("Authorization") or session.get("_user_id") or session.get("_flashes"):
        return False
    return True


def _has_form_token(body: bytes) -> bool:
    """Whether the page holds this visitor's CSRF token (it belongs to their session: shown to anyone
    else it would let a third party forge their requests). Views build forms, and so a token, even
    when the page shows no form to an anonymous visitor: only a token in the page counts."""
    name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    tokens = [g.get(name), session.get(name)]
    return any(token and str(token).encode() in body for token in tokens)


def _key() -> str | None:
    generation = content_writes.site_generation()
    if generation is None:  # nothing written since the database was created: nothing to key on
        return None
    app = current_app
    today = datetime.now(cache_zone(app)).date().isoformat()
    return ":".join(
        (
            "page",
            app.config["PAGE_CACHE_RELEASE"],
            generation,
            str(get_locale() or "fr"),
            today,
            request.scheme,
            request.host,
            request.script_root,
            request.full_path,
        )
    )


def cache_zone(app: Flask):
    return ZoneInfo(app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC")


def _enabled(app: Flask) -> bool:
    return str(app.config.get("PAGE_CACHE", "1")).strip().lower() not in {
        "0",
        "false",
        "no",
        "off",
        "none",
    }


def init_app(app: Flask) -> None:
    """Serve cached pages before the view runs; keep fresh ones after it. (PAGE_CACHE is read again
    at each request: the tests that count a view's queries turn it off around the counted request.)"""
    if not _enabled(app):
        return
    app.config["PAGE_CACHE_RELEASE"] = _release_digest(app)
    seconds = int(app.config.get("PAGE_CACHE_SECONDS") or 300)

    @app.before_request
    def _serve_from_cache():
        if not _enabled(app) or not _cacheable_request():
            return None
        key = _key()
        if key is None:
            return None
        g.page_cache_key = key
        hit = _store(app).get(key)
        if hit is None:
            return None
        g.page_cache_hit = True
        headers, body = pickle.loads(zlib.decompress(hit))
        response = app.response_class(body, headers=headers)
        response.headers[HEADER] = "hit"
        return response

    @app.after_request
    def _keep_in_cache(response):
        key = g.pop("page_cache_key", None)
        if key is None or g.pop("page_cache_hit", False):
            return response
        if (
            response.status_code != 200
            or response.mimetype not in CACHED_TYPES
            or response.is_streamed
            or response.direct_passthrough
            or session.get("_user_id")
            or session.get("_flashes")
        ):
            return response
        body = response.get_data()
        if _has_form_token(body):
            return response
        headers = [
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in {"content-length", "set-cookie", "date"}
        ]
        _store(app).set(key, zlib.compress(pickle.dumps((headers, body), protocol=5), 1), seconds)
        response.headers[HEADER] = "miss"
        return response
