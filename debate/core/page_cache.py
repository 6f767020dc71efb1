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

Costly answers (`shared_answer`: the PDF report, the open-data exports) are a second kind of entry,
for everyone, signed in or not: what costs seconds of CPU or reads the whole debate is built once per
content change (the same site generation), language (when it depends on it) and day, then served
from the cache; no query string, header or visitor can make the server build it again. The view
authorizes first and keys the answer by what makes it differ between the people allowed to read it.
With Redis the answer is built once for every worker and machine, concurrent requests waiting for
the one building it; without Redis, once per worker process. Answers carry an ETag and a
Last-Modified date, and a conditional request gets a 304. PAGE_CACHE=0 does not turn it off.
"""

from __future__ import annotations

import hashlib
import pickle
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask, Response, current_app, g, request, session
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.exceptions import ServiceUnavailable

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
    """Templates, compiled translations, migrations and static assets of this release (a page
    names its assets by content hash: core/html.py), and the instance's settings (a secret only
    through its digest), as a short digest."""
    root = Path(app.root_path).parent
    digest = hashlib.sha256()
    for key in sorted(app.config):
        digest.update(f"{key}={_stable(app.config[key])}\n".encode())
    folders = [
        Path(app.template_folder),
        Path(app.root_path) / "translations",
        root / "migrations" / "versions",
        Path(app.static_folder),
    ]
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in {
                ".html",
                ".mo",
                ".py",
                ".txt",
                ".svg",
                ".css",
                ".js",
            }:
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


# --- costly answers, for everyone ----------------------------------------------------------------

ANSWER_ENTRIES = 32  # in-process: a few reports and exports per worker…
ANSWER_LOCAL_BYTES = 96 * 1024 * 1024  # …in this much memory at most
ANSWER_SECONDS = 24 * 3600  # the day is in the key anyway
#: Compressed. A larger answer (an export of several hundred thousand items) is not kept: it is built
#: for each request that asks for it, as without a cache.
ANSWER_MAX_BYTES = 64 * 1024 * 1024
#: How long a request waits for another building the same answer, then answers 503 (below
#: gunicorn's 30-second worker timeout); how long a builder's lock lasts if its worker dies.
BUILD_WAIT_SECONDS = 20
BUILD_HOLD_SECONDS = 300
RETRY_AFTER_SECONDS = 5
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Built:
    """An answer's body, compressed, with what conditional requests compare."""

    etag: str
    built_at: datetime  # UTC, whole seconds (the precision of Last-Modified)
    size: int
    body: bytes


def release(app: Flask) -> str:
    """The release digest of the page cache (templates, translations, migrations, settings), taken
    once per app even when the page cache is off."""
    digest = app.config.get("PAGE_CACHE_RELEASE") or app.extensions.get("debate_release")
    if digest is None:
        digest = app.extensions["debate_release"] = _release_digest(app)
    return digest


def _answer_store(app: Flask):
    existing = app.extensions.get("debate_answer_cache")
    if existing is None:
        url = cache.redis_url(app)
        existing = (
            cache.RedisStore(url)
            if url
            else cache.LocalStore(size=ANSWER_ENTRIES, max_bytes=ANSWER_LOCAL_BYTES)
        )
        app.extensions["debate_answer_cache"] = existing
    return existing


def _built(build: Callable[[], bytes | str | Iterable[bytes | str]]) -> Built:
    """Run `build` and keep its answer compressed (a streamed one chunk by chunk: never whole)."""
    produced = build()
    chunks = [produced] if isinstance(produced, (bytes, str)) else produced
    digest, packer, parts, size = hashlib.sha256(), zlib.compressobj(1), [], 0
    for chunk in chunks:
        data = chunk.encode() if isinstance(chunk, str) else chunk
        digest.update(data)
        size += len(data)
        parts.append(packer.compress(data))
    parts.append(packer.flush())
    return Built(
        digest.hexdigest()[:32], datetime.now(UTC).replace(microsecond=0), size, b"".join(parts)
    )


def _inflated(body: bytes) -> Iterator[bytes]:
    unpacker = zlib.decompressobj()
    while body:
        chunk = unpacker.decompress(body, CHUNK)
        body = unpacker.unconsumed_tail
        if chunk:
            yield chunk
    rest = unpacker.flush()
    if rest:
        yield rest


def _answer(built: Built, mimetype: str, headers: dict | None) -> Response:
    if request.if_none_match:
        fresh = request.if_none_match.contains(built.etag)
    else:
        since = request.if_modified_since
        fresh = since is not None and built.built_at <= since
    if fresh:
        response = current_app.response_class(status=304)
    else:
        response = current_app.response_class(
            _inflated(built.body), mimetype=mimetype, headers=headers
        )
        response.headers["Content-Length"] = str(built.size)
    response.set_etag(built.etag)
    response.last_modified = built.built_at
    response.cache_control.no_cache = True  # browsers keep it, and ask whether it changed
    return response


def _come_back_later(app: Flask) -> Response:
    """503 (the site's error page, or the API's JSON error) asking to try again in a few seconds."""
    error = ServiceUnavailable(
        description=_("This file is being prepared. Please try again in a few seconds."),
        retry_after=RETRY_AFTER_SECONDS,
    )
    response = app.make_response(app.handle_http_exception(error))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def shared_answer(
    name: str,
    *parts,
    build: Callable[[], bytes | str | Iterable[bytes | str]],
    mimetype: str,
    headers: dict | None = None,
    per_language: bool = True,
) -> Response:
    """The answer `build()` makes (bytes, text, or an iterable of chunks), built once per content
    change, language (`per_language`) and day, then served to everyone from the cache.

    The view authorizes first; `name` and `parts` must hold everything the answer depends on
    besides the content, language and day (the debate, what kind of reader — never a request
    header or argument a visitor may vary). While a request builds it, the others asking for the
    same answer wait for it (every worker and machine with Redis), and get a 503 asking them to
    try again if it takes longer than BUILD_WAIT_SECONDS."""
    app = current_app._get_current_object()
    generation = content_writes.site_generation()
    if generation is None:  # nothing written since the database was created: nothing to key on
        return _answer(_built(build), mimetype, headers)
    key = ":".join(
        (
            "answer-1",  # the layout of Built: a new one gets a new name
            release(app),
            generation,
            str(get_locale() or "fr") if per_language else "-",
            datetime.now(cache_zone(app)).date().isoformat(),
            name,
            *map(str, parts),
        )
    )
    store = _answer_store(app)
    hit = store.get(key)
    if hit is None:
        with store.building(key, wait=BUILD_WAIT_SECONDS, hold=BUILD_HOLD_SECONDS) as ours:
            if not ours:
                return _come_back_later(app)
            hit = store.get(key)  # built by the request we waited for
            if hit is None:
                built = _built(build)
                if len(built.body) <= ANSWER_MAX_BYTES:
                    store.set(key, pickle.dumps(built, protocol=5), ANSWER_SECONDS)
                return _answer(built, mimetype, headers)
    return _answer(pickle.loads(hit), mimetype, headers)
