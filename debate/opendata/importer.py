"""Read an export document back into this instance as a new debate (flask --app debate import).

The export carries display names only, so each author becomes a placeholder account: no usable
e-mail (an address under the reserved `.invalid` domain) and no password (a hash nothing matches),
so nobody can sign in with it or reset its password. Arguments keep their endorsement counts, not
who endorsed (that is not public). Timestamps are kept; HTML is rendered again from the Markdown.
"""

import secrets
from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from debate.accounts.models import User
from debate.core.errors import Conflict, Invalid
from debate.core.sanitize import render_markdown
from debate.debates.models import DEFAULT_SETTINGS, Debate
from debate.debates.phases import PhaseKey
from debate.extensions import db
from debate.opendata.document import FORMAT, SECTIONS, VERSION

# A password hash that no password matches (werkzeug cannot parse it).
NO_PASSWORD = "!imported"
PLACEHOLDER_DOMAIN = "placeholder.invalid"


class Importer:
    """Maps from the document's local ids and keys to the rows written here."""

    def __init__(self, debate: Debate):
        self.debate = debate
        self.themes: dict[str, int] = {}
        self.authors: dict[str, int] = {}
        self._ids: dict[str, dict[int, int]] = {}

    def add(self, kind: str, local_id: int, row) -> None:
        """Write a row and remember which database id the document's `local_id` became."""
        db.session.add(row)
        db.session.flush()
        self._ids.setdefault(kind, {})[local_id] = row.id

    def id_of(self, kind: str, local_id: int | None) -> int | None:
        return self._ids.get(kind, {}).get(local_id) if local_id is not None else None

    @staticmethod
    def placeholder(display_name: str) -> int:
        """An account that shows a display name and cannot sign in."""
        user = User(
            email=f"imported-{secrets.token_hex(8)}@{PLACEHOLDER_DOMAIN}",
            display_name=display_name[:60],
            password_hash=NO_PASSWORD,
        )
        db.session.add(user)
        db.session.flush()
        return user.id


def _new_debate(header: dict, slug: str | None) -> Debate:
    slug = slug or header["slug"]
    if db.session.scalar(sa.select(Debate.id).where(Debate.slug == slug)):
        raise Conflict(
            _l("This address is already taken."), {"slug": [_l("This address is already taken.")]}
        )
    debate = Debate(
        slug=slug,
        title=header["title"],
        municipality=header["municipality"],
        question=header["question"],
        description=header["description"],
        description_html=render_markdown(header["description"]),
        commitment=header["commitment"],
        commitment_html=render_markdown(header["commitment"]),
        template=header["template"],
        published=header["published"],
        current_phase=PhaseKey(header["current_phase"]),
        settings={**DEFAULT_SETTINGS, **(header.get("settings") or {})},
    )
    if header.get("created_at"):
        debate.created_at = datetime.fromisoformat(header["created_at"])
    db.session.add(debate)
    db.session.flush()
    return debate


def import_document(
    document: dict, *, slug: str | None = None, on_section: Callable[[str, int], None] | None = None
) -> Debate:
    """Create the debate described by an export document; flushes, never commits.

    Raises Invalid for a file that is not an export of this format, Conflict for a taken slug."""

    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise Invalid(_l("This file is not a debate export."))
    if document.get("version") != VERSION:
        raise Invalid(_l("Unsupported export version: %(v)s.", v=document.get("version")))
    try:
        importer = Importer(_new_debate(document["debate"], slug))
        for part in SECTIONS:
            items = document.get(part.name) or []
            part.load(importer, items)
            db.session.flush()
            if on_section:
                on_section(part.name, len(items))
    except (KeyError, TypeError, ValueError) as exc:
        raise Invalid(
            _l("The export file is incomplete or damaged (%(detail)s).", detail=repr(exc))
        ) from None
    db.session.expire(importer.debate)
    return importer.debate
