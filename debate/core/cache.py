"""A cache for results that are costly to compute and read far more often than written (the word
cloud of a workshop, the synthesis of a published outcome), never stale after a write.

Every cached value belongs to a debate. Its key carries the debate's *generation*: a random token
stored in the database (table `cache_generations`) and replaced, in the same transaction, by every
write that affects the debate's cached values. A read after a write's commit therefore sees a new
generation and recomputes; old entries are never read again and expire. Because the generation
lives in the database, this holds across gunicorn workers and machines, whatever the storage:

- Redis when REDIS_URL is set (shared by every worker and machine);
- otherwise a small in-process store (one per worker; still never stale, only less shared).

A debate with no generation yet (nothing watched was ever written) is not cached: computed each time.

Use it in two steps.

1. Say which writes change the debate's cached values, once, in the domain's `init_app` (the flush
   of any new, changed or deleted row of that model replaces the debate's generation)::

       cache.watch(WorkshopNote, lambda note, connection: connection.scalar(
           sa.select(Workshop.debate_id).where(Workshop.id == note.workshop_id)))

   Bulk statements (`sa.update(...)`, `sa.delete(...)`) bypass the ORM's flush: an operation that
   changes watched data that way calls `cache.bump(debate_id)` itself, before its commit.

2. Read through the cache::

       cloud = cache.cached("workshop-cloud", workshop.debate_id, workshop.id,
                            compute=lambda: words.cloud_layout(...))

   `name` and `parts` identify the value inside the debate; the value must pickle (dataclasses,
   dicts, lists — not ORM objects attached to a session: turn rows into plain data first).

For the outcome synthesis (debate/outcome/queries.py): watch the outcome models whose rows the
synthesis shows (recommendations, their links, the officials' responses) and wrap the function that
builds the synthesis of a published outcome::

    def published_synthesis(debate):
        return cache.cached("synthesis", debate.id, debate.current_phase, compute=lambda: synthesis(debate))

Counts shown in the synthesis that other writes change (endorsements of linked arguments…) must
either be read outside the cached value or those writes must `cache.bump(debate.id)`.
"""

from __future__ import annotations

import pickle
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import redis
import sqlalchemy as sa
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from debate.extensions import db

TTL_SECONDS = 3600
LOCAL_ENTRIES = 512
KEY_PREFIX = "debate:cache:"


class CacheGeneration(db.Model):
    """A generation of a debate's cached values: the newest row of a debate is its current one.

    Every write affecting the debate inserts a row (and removes the debate's older ones): inserting
    takes no lock another writer waits for, so concurrent writers never queue or deadlock on it,
    and a rolled-back write leaves no row. The token is random, so a generation is never reused,
    even when ids are (SQLite after a rollback)."""

    __tablename__ = "cache_generations"
    __table_args__ = (sa.Index("ix_cache_generations_debate_id_id", "debate_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # A plain integer, no foreign key: core sits below debates; a deleted debate's rows are harmless.
    debate_id: Mapped[int]
    token: Mapped[str] = mapped_column(sa.String(32))


# --- generations ---------------------------------------------------------------------------------


def _new_generation(connection, debate_id: int) -> None:
    table = CacheGeneration.__table__
    new_id = connection.scalar(
        sa.insert(table)
        .values(debate_id=debate_id, token=secrets.token_hex(16))
        .returning(table.c.id)
    )
    older = sa.select(table.c.id).where(table.c.debate_id == debate_id, table.c.id < new_id)
    if connection.dialect.name == "postgresql":
        # Rows another writer is removing right now are left to it: nobody ever waits here.
        older = older.with_for_update(skip_locked=True)
    connection.execute(sa.delete(table).where(table.c.id.in_(older.scalar_subquery())))


def bump(debate_id: int | None) -> None:
    """Give the debate a new generation in the current transaction (for writes the watches do not
    see, such as bulk UPDATE or DELETE statements): from its commit, cached values are recomputed."""
    if debate_id is not None:
        _new_generation(db.session.connection(), debate_id)


def bump_on(connection, debate_id: int) -> None:
    """bump() on a connection of the caller's own, outside the session (a job's heartbeat writing
    progress that pages show): committed with that connection's transaction."""
    _new_generation(connection, debate_id)


#: Read on every page (the key of cached pages and fragments): built once, a plain Core statement.
_GENERATION = (
    sa.select(CacheGeneration.__table__.c.token)
    .where(CacheGeneration.__table__.c.debate_id == sa.bindparam("debate_id"))
    .order_by(CacheGeneration.__table__.c.id.desc())
    .limit(1)
)


def generation(debate_id: int) -> str | None:
    """The debate's current generation, or None if none was ever written."""
    return db.session.connection().execute(_GENERATION, {"debate_id": debate_id}).scalar()


def generation_statement(debate_id: int):
    """The SELECT of a debate's current generation (a literal id), to embed in another statement."""
    table = CacheGeneration.__table__
    return (
        sa.select(table.c.token)
        .where(table.c.debate_id == debate_id)
        .order_by(table.c.id.desc())
        .limit(1)
    )


_WATCHED: dict[type, Callable] = {}


def watch(model: type, debate_of: Callable) -> None:
    """Give the debate a new generation whenever a row of `model` is added, changed or deleted
    through the session; `debate_of(row, connection)` says which debate the row belongs to. Domains
    call it from their `init_app`."""
    _WATCHED[model] = debate_of
    if not event.contains(Session, "after_flush", _bump_watched):
        event.listen(Session, "after_flush", _bump_watched)


def _bump_watched(session, _flush_context) -> None:
    if not _WATCHED:
        return
    rows = [r for r in (*session.new, *session.dirty, *session.deleted) if type(r) in _WATCHED]
    if rows:
        connection = session.connection()
        debates = {_WATCHED[type(r)](r, connection) for r in rows}
        for debate_id in sorted(d for d in debates if d is not None):
            _new_generation(connection, debate_id)


# --- storage -------------------------------------------------------------------------------------


class LocalStore:
    """In-process storage: a bounded, thread-safe LRU with expiry (`size` entries at most, and
    `max_bytes` of values at most when given)."""

    def __init__(self, size: int = LOCAL_ENTRIES, max_bytes: int | None = None):
        self.size = size
        self.max_bytes = max_bytes
        self.bytes = 0
        self.entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self.lock = threading.Lock()
        self.builders: dict[str, list] = {}  # key → [its lock, how many threads want it]

    def get(self, key: str) -> bytes | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None or entry[0] < time.monotonic():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return entry[1]

    def set(self, key: str, value: bytes, ttl: int) -> None:
        with self.lock:
            self._drop(key)
            self.entries[key] = (time.monotonic() + ttl, value)
            self.bytes += len(value)
            while len(self.entries) > self.size or (
                self.max_bytes is not None and self.bytes > self.max_bytes and self.entries
            ):
                self._drop(next(iter(self.entries)))

    def _drop(self, key: str) -> None:
        entry = self.entries.pop(key, None)
        if entry is not None:
            self.bytes -= len(entry[1])

    @contextmanager
    def building(self, key: str, wait: float, hold: float) -> Iterator[bool]:
        """Hold the right to build the value of `key` in this process (threads of one worker take
        turns); yields False if another thread still held it after `wait` seconds. (`hold` bounds
        the shared lock of RedisStore; a thread that dies here releases its lock.)"""
        with self.lock:
            entry = self.builders.setdefault(key, [threading.Lock(), 0])
            entry[1] += 1
        acquired = entry[0].acquire(timeout=wait)
        try:
            yield acquired
        finally:
            if acquired:
                entry[0].release()
            with self.lock:
                entry[1] -= 1
                if not entry[1]:
                    self.builders.pop(key, None)


class RedisStore:
    """Redis storage: shared by every worker and machine; a Redis that is down is a cache miss."""

    def __init__(self, url: str):
        self.client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        self.errors = redis.RedisError

    def get(self, key: str) -> bytes | None:
        try:
            return self.client.get(KEY_PREFIX + key)
        except self.errors:
            return None  # a cache that is down is a cache miss, never an error page

    def set(self, key: str, value: bytes, ttl: int) -> None:
        try:
            self.client.set(KEY_PREFIX + key, value, ex=ttl)
        except self.errors:
            pass

    @contextmanager
    def building(self, key: str, wait: float, hold: float) -> Iterator[bool]:
        """Hold the right to build the value of `key`, shared by every worker and machine; yields
        False if another still held it after `wait` seconds. The lock expires after `hold` seconds
        (a worker killed while building does not block the others for longer). A Redis that is
        down grants it: the value is then built without waiting, as without a cache."""
        lock = self.client.lock(KEY_PREFIX + "building:" + key, timeout=hold, blocking_timeout=wait)
        try:
            acquired = bool(lock.acquire())
        except self.errors:
            yield True
            return
        try:
            yield acquired
        finally:
            if acquired:
                try:
                    lock.release()
                except self.errors:  # expired (a build longer than `hold`) or Redis gone: let it be
                    pass


def redis_url(app) -> str | None:
    """CACHE_REDIS_URL, else the Redis of the rate limits (REDIS_URL), else None (in-process)."""
    url = app.config.get("CACHE_REDIS_URL") or app.config.get("RATELIMIT_STORAGE_URI") or ""
    return url if url.startswith(("redis://", "rediss://", "unix://")) else None


def store():
    """The app's cache storage (created on first use)."""
    app = current_app._get_current_object()
    existing = app.extensions.get("debate_cache")
    if existing is None:
        url = redis_url(app)
        existing = RedisStore(url) if url else LocalStore()
        app.extensions["debate_cache"] = existing
    return existing


def cached(name: str, debate_id: int, *parts, compute: Callable, ttl: int = TTL_SECONDS):
    """The value of `compute()` for (name, parts) in this debate, cached until the debate's next write."""
    token = generation(debate_id)
    if token is None or current_app.config.get("CACHE_DISABLED"):
        return compute()
    key = ":".join(str(p) for p in (name, debate_id, token, *parts))
    backend = store()
    hit = backend.get(key)
    if hit is not None:
        return pickle.loads(hit)
    value = compute()
    backend.set(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), ttl)
    return value
