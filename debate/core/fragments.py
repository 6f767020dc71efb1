"""Parts of pages that are the same for everyone, rendered once per content change, for signed-in
visitors too.

The page cache (page_cache.py) serves whole pages to visitors who are not signed in. A signed-in
visitor's page holds personal parts — the header, "you find it convincing", forms and their CSRF
tokens, the buttons their role allows — so it is rendered for each request; but most of it (an
argument list, the tree of answers, the synthesis's figures and charts, the expertise page) is the
same for everyone who may read it. Those parts are *fragments*: HTML rendered once, kept in the
cache (Redis when configured, shared by every worker and machine; otherwise in-process) and pasted
into each visitor's page.

Never stale: a fragment's key carries the site's content generation, the one of the page cache,
which every committed write to a table a page shows renews in its own transaction
(content_writes.py); and the release digest (templates, translations, settings), the language and
the day (phase statuses). A read after a write's commit therefore renders the fragment again.

Never someone else's: the key names what makes the fragment differ between the people allowed to
read it — `parts`, chosen by the view: the debate, the item, the query string of a list, and for a
fragment showing role-dependent buttons the answers to the permission questions it asks
(`permissions`), never who the visitor is. A fragment holding the visitor's CSRF token (a form) is
refused (`PersonalFragment` in tests; not cached in a deployment): forms stay out of fragments. What is personal inside a shared part
("you find it convincing" on a card) is a *placeholder* in the fragment (`placeholder`), filled per
request (`fill`).

PAGE_CACHE=0 turns fragments off too (the tests counting a view's queries, the benchmarks' "first
visit after a write").

In a view::

    html = fragments.cached("arguments-list", debate.id, request.query_string.decode(),
                            render=lambda: render_template("arguments/_list.html", ...))

In a template (the body runs only on a miss: what it calls is not queried on a hit)::

    {% call shared_fragment("debate-figures", debate.id) %}…{% endcall %}
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterable
from datetime import datetime
from urllib.parse import urlencode

from flask import Flask, current_app, g, request, session
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from debate.core import cache, content_writes, page_cache

ENTRIES = 2048
LOCAL_BYTES = 64 * 1024 * 1024
SECONDS = 3600  # the generation and day are in the key anyway
VERSION = "fragment-1"  # the layout of an entry: a new one gets a new name


class PersonalFragment(RuntimeError):
    """A fragment about to be shared holds the visitor's CSRF token: a form went into a shared part."""


def enabled(app: Flask) -> bool:
    """Fragments follow the page cache's switch (PAGE_CACHE, read at each request)."""
    return page_cache._enabled(app) and not app.config.get("CACHE_DISABLED")


def _store(app: Flask):
    existing = app.extensions.get("debate_fragments")
    if existing is None:
        url = cache.redis_url(app)
        existing = (
            cache.RedisStore(url) if url else cache.LocalStore(size=ENTRIES, max_bytes=LOCAL_BYTES)
        )
        app.extensions["debate_fragments"] = existing
    return existing


def key(name: str, *parts) -> str | None:
    """The cache key of a fragment now, or None when it cannot be cached (nothing ever written)."""
    generation = content_writes.site_generation()
    if generation is None:
        return None
    app = current_app._get_current_object()
    today = datetime.now(page_cache.cache_zone(app)).date().isoformat()
    return ":".join(
        (
            VERSION,
            page_cache.release(app),
            generation,
            str(get_locale() or "fr"),
            today,
            request.script_root,
            name,
            *(str(p) for p in parts),
        )
    )


def query_key() -> str:
    """The request's query string in a stable order, as a key part (a list's filters and page)."""
    return urlencode(sorted(request.args.items(multi=True)))


def _personal_tokens() -> list[str]:
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    return [str(t) for t in (g.get(field), session.get(field)) if t]


def cached(name: str, *parts, render: Callable[[], str]) -> Markup:
    """The HTML `render()` makes for (name, parts), rendered once per content change, language and
    day, then shared by everyone whose page shows it with the same `parts`."""
    app = current_app._get_current_object()
    wanted = key(name, *parts) if enabled(app) else None
    store = _store(app)
    hit = store.get(wanted) if wanted is not None else None
    if hit is not None:
        return Markup(zlib.decompress(hit).decode())
    html = str(render())
    if any(token in html for token in _personal_tokens()):
        # A defect (a form went into a shared part): the tests fail on it; a deployment serves
        # this visitor their page and keeps nothing.
        if app.testing:
            raise PersonalFragment(f"the fragment {name!r} holds the visitor's CSRF token")
        app.logger.error("Fragment %r holds a CSRF token: not cached", name)
        return Markup(html)
    if wanted is not None:
        store.set(wanted, zlib.compress(html.encode(), 1), SECONDS)
    return Markup(html)


def shared_fragment(name: str, *parts, caller) -> Markup:
    """`{% call shared_fragment(name, *parts) %}…{% endcall %}`: the block's HTML, cached (`cached`)."""
    return cached(name, *parts, render=caller)


def audience(debate, user) -> str:
    """Who reads, as a key part, for a fragment whose content depends on the permission questions
    it asks: the reader's roles in the debate (citizen, working group, elected…, administrator) and
    whether their e-mail address is confirmed — all that `debate.can(action, user)` depends on
    besides the phase (content) — never who they are."""
    return audience_key(debate.roles_of(user), user)


def audience_key(roles, user) -> str:
    """`audience` from the reader's roles in the debate, however they were read."""
    names = ",".join(sorted(str(role) for role in roles)) or "anonymous"
    confirmed = getattr(user, "email_confirmed_at", None) is not None
    return f"{names}:{'confirmed' if confirmed else 'unconfirmed'}"


def permissions(debate, user, actions: Iterable[str]) -> str:
    """What a role-dependent fragment shows, as a key part: the answers to the permission questions
    it asks (`debate.can(action, user)` for each action), never who asks."""
    return "".join("1" if debate.can(action, user) else "0" for action in actions)


# --- personal parts inside a shared one ----------------------------------------------------------

_PLACEHOLDER = re.compile(r"<!--personal:([a-z-]+):(\d+)-->")


def placeholder(kind: str, item_id: int) -> Markup:
    """Where a fragment shows something personal about an item (`fill` puts it there per request)."""
    return Markup(f"<!--personal:{kind}:{int(item_id)}-->")


def placeholder_ids(html: str, kind: str) -> list[int]:
    """The items of the fragment that have a `kind` placeholder, in order."""
    return [int(i) for k, i in _PLACEHOLDER.findall(html) if k == kind]


def fill(html: str, kind: str, content: Callable[[int], str]) -> Markup:
    """The fragment with each `kind` placeholder replaced by `content(item_id)` (HTML: escape what
    it shows) — the other kinds' placeholders are left for another `fill`."""

    def replace(match):
        return str(content(int(match.group(2)))) if match.group(1) == kind else match.group(0)

    return Markup(_PLACEHOLDER.sub(replace, str(html)))


def fill_csrf(html: str) -> Markup:
    """The fragment with each `csrf` placeholder replaced by this visitor's CSRF field (a form inside
    a shared part: `{{ personal_placeholder("csrf", item.id) }}` where the form's token goes)."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    return fill(
        html,
        "csrf",
        lambda _item: (
            Markup('<input type="hidden" name="%s" value="%s">') % (field, generate_csrf())
        ),
    )
