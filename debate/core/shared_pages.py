"""Whole pages shared by signed-in readers of the same audience, their personal parts filled in
per request.

Fragments (fragments.py) share the costly parts of a signed-in visitor's page; the rest — loading
the debate, rendering the layout — still ran for each request. A view marked `@shared_page` is
rendered once per content change for each *audience*: what the view's `audience` function says
makes the page differ between readers (in a debate: the reader's roles there and whether their
e-mail address is confirmed, the inputs of every permission question), never who reads. The next
reader of the same audience gets that page from the cache, without the view running, with its
personal parts filled in for them:

- the header's signed-in part (the administrator's link, the unread notifications, the account
  link naming the reader, the sign-out form): rendered in the shared page as a placeholder
  (`personal_part("header")` in base.html), rendered per request from `_header_user.html`;
- the visitor's CSRF token, wherever a form holds it: replaced by a placeholder once rendered,
  filled with the visitor's own token (a fresh one) per request;
- what a view leaves as placeholders while a shared page renders (`rendering_shared()`: "you find
  it convincing" on the cards of a list), filled by the view's `personalize(html, **arguments)`.

Never stale: the key is a fragment's key (fragments.key: the site's content generation renewed by
every committed write, the release, the language, the day) plus the address and the audience.
Never someone else's: a view returns `None` as its audience (or `personalize` returns None, or
the view calls `mark_personal()` while rendering) for a reader whose page holds something of their
own (an unpublished item of theirs, say): that page is rendered for them and never stored; a rendered page that still holds the reader's e-mail address is not stored either
(a personal part the view missed). Not shared: a request with a message waiting (flash), a
language choice (`?lang=`), a bearer token, or anything but a 200 HTML answer.

Stored as UTF-8 bytes (compressed in Redis, as is in a worker's memory) and filled as bytes on a
hit when the view has no `personalize`: the cost of a hit does not grow with the page's size.

The answer carries `X-Shared-Page: hit` or `miss`. PAGE_CACHE=0 turns shared pages off with the
fragments.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from functools import wraps

from flask import current_app, g, make_response, render_template, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from debate.core import cache, fragments

HEADER = "X-Shared-Page"
VERSION = "shared-page-2"
#: The personal parts of the layout and how each is rendered for the current reader (a domain may
#: register a quicker way: `register_part`).
_PARTS: dict[str, Callable[[], str]] = {"header": lambda: render_template("_header_user.html")}
_TOKEN_KIND = "csrf-token"
_TOKEN = str(fragments.placeholder(_TOKEN_KIND, 0))
_TOKEN_BYTES = _TOKEN.encode()


def register_part(name: str, render: Callable[[], str]) -> None:
    """Render the personal part `name` with `render()` (for the current reader)."""
    _PARTS[name] = render


def _eligible() -> bool:
    return (
        request.method in ("GET", "HEAD")
        and fragments.enabled(current_app)
        and current_user.is_authenticated
        and "Authorization" not in request.headers
        and "lang" not in request.args
        and not session.get("_flashes")
    )


def rendering_shared() -> bool:
    """Whether the page being rendered is shared: personal parts go in as placeholders."""
    return bool(g.get("shared_page_render"))


def mark_personal() -> None:
    """The page being rendered holds something of its reader's own: never store it."""
    g.shared_page_personal = True


def personal_part(name: str) -> Markup:
    """A personal part of the layout: its placeholder while a shared page renders, else itself."""
    if g.get("shared_page_render"):
        return fragments.placeholder(name, 0)
    return Markup(_PARTS[name]())


def _personalized(body: bytes) -> bytes:
    """The shared page with its reader's personal parts and CSRF token filled in, on its UTF-8
    bytes as stored: no decoding, no encoding, and a search for each placeholder rather than a
    pattern over the page — what a page of any size costs on a hit (an outcome page with a hundred
    recommendations is 180 KB)."""
    for name, render in _PARTS.items():
        placeholder = str(fragments.placeholder(name, 0)).encode()
        if placeholder in body:
            body = body.replace(placeholder, str(render()).encode())
    if _TOKEN_BYTES in body:
        body = body.replace(_TOKEN_BYTES, generate_csrf().encode())
    return body


def _pack(store, body: bytes) -> bytes:
    """The stored value: compressed for a shared store (Redis: fewer bytes over the network), as
    is in a worker's own memory (decompressing a large page costs more than the page's filling)."""
    if isinstance(store, cache.LocalStore):
        return b"=" + body
    return b"z" + zlib.compress(body, 1)


def _unpack(value: bytes) -> bytes:
    return value[1:] if value[:1] == b"=" else zlib.decompress(value[1:])


def _visitor_token() -> str | None:
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    token = g.get(field)
    return str(token) if token else None


def _holds_the_reader(html: str) -> bool:
    """Whether the rendered page still holds its reader's e-mail address, which no shared page
    shows: a personal part the view missed. (Not their display name: it is public, shown as the
    author of what they wrote, and would keep every page they took part in out of the cache.)"""
    email = getattr(current_user, "email", None)
    return bool(email) and str(Markup.escape(email)) in html


def shared_page(
    audience: Callable[..., str | None],
    personalize: Callable[..., str | None] | None = None,
):
    """Mark a GET view whose page is the same for every reader of an audience: `audience(**view
    arguments)` names it for the current reader (None: this reader's page is their own);
    `personalize(html, **view arguments)` fills the view's own placeholders for the reader (None:
    their page is their own after all)."""

    def decorate(view):
        @wraps(view)
        def wrapper(**kwargs):
            if not _eligible():
                return view(**kwargs)
            who = audience(**kwargs)
            key = None
            if who is not None:
                key = fragments.key(
                    VERSION,
                    request.host,
                    request.path,
                    fragments.query_key(),
                    who,
                )
            if key is None:
                return view(**kwargs)
            store = fragments._store(current_app)
            hit = store.get(key)
            if hit is not None:
                body = _filled(_unpack(hit), personalize, kwargs)
                if body is None:
                    return view(**kwargs)
                response = current_app.response_class(body, mimetype="text/html")
                response.headers[HEADER] = "hit"
                return response
            g.shared_page_render, g.shared_page_personal = True, False
            try:
                response = make_response(view(**kwargs))
            finally:
                g.shared_page_render = False
            if (
                g.shared_page_personal
                or response.status_code != 200
                or response.mimetype != "text/html"
            ):
                return response
            html = response.get_data(as_text=True)
            token = _visitor_token()
            if token:
                html = html.replace(token, _TOKEN)
            body = html.encode()
            filled = _filled(body, personalize, kwargs)
            if filled is None:  # their own page after all: rendered for them alone
                return view(**kwargs)
            if not _holds_the_reader(html):
                store.set(key, _pack(store, body), fragments.SECONDS)
                response.headers[HEADER] = "miss"
            response.set_data(filled)
            return response

        return wrapper

    return decorate


def _filled(body: bytes, personalize, kwargs) -> bytes | None:
    """The page for its reader: the view's own placeholders filled by `personalize` (on text;
    None: their own page after all), then the personal parts (on bytes)."""
    if personalize is not None:
        html = personalize(body.decode(), **kwargs)
        if html is None:
            return None
        body = str(html).encode()
    return _personalized(body)
