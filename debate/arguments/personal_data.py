"""The arguments domain's share of a user's personal data: arguments (with their versions and
sources), answers, endorsements."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from debate.accounts.personal_data import Provider, placeholder_text, stamp
from debate.arguments.models import Argument, ArgumentSource, ArgumentVersion, Endorsement
from debate.arguments.operations import refresh_replies_count
from debate.debates.models import Debate, Theme
from debate.extensions import db


def _source(s: ArgumentSource) -> dict:
    return {
        "url": s.url,
        "title": s.title,
        "publisher": s.publisher,
        "published_on": stamp(s.published_on),
        "kind": str(s.kind),
        "excerpt": s.excerpt,
    }


def collect(user) -> dict:
    """The user's arguments and answers with their earlier versions and sources, and their endorsements."""
    rows = db.session.execute(
        sa.select(Argument, Debate.slug, Theme.key)
        .join(Debate, Debate.id == Argument.debate_id)
        .join(Theme, Theme.id == Argument.theme_id)
        .where(Argument.author_id == user.id)
        .order_by(Argument.created_at, Argument.id)
    ).all()
    ids = [a.id for a, _slug, _theme in rows]
    sources: dict = {}
    versions: dict = {}
    if ids:
        for s in db.session.scalars(
            sa.select(ArgumentSource)
            .where(ArgumentSource.argument_id.in_(ids))
            .order_by(ArgumentSource.argument_id, ArgumentSource.position)
        ):
            sources.setdefault(s.argument_id, []).append(_source(s))
        for v in db.session.scalars(
            sa.select(ArgumentVersion)
            .where(ArgumentVersion.argument_id.in_(ids))
            .order_by(ArgumentVersion.argument_id, ArgumentVersion.number)
        ):
            versions.setdefault(v.argument_id, []).append(
                {
                    "number": v.number,
                    "stance": str(v.stance),
                    "title": v.title,
                    "body": v.body,
                    "sources": v.sources,
                    "created_at": stamp(v.created_at),
                }
            )
    arguments = [
        {
            "id": a.id,
            "debate": slug,
            "theme": theme,
            "stance": str(a.stance),
            "title": a.title,
            "body": a.body,
            "status": str(a.status),
            "parent_id": a.parent_id,
            "relation": str(a.relation) if a.relation else None,
            "endorsements_count": a.endorsements_count,
            "replies_count": a.replies_count,
            "created_at": stamp(a.created_at),
            "updated_at": stamp(a.updated_at),
            "sources": sources.get(a.id, []),
            "versions": versions.get(a.id, []),
        }
        for a, slug, theme in rows
    ]
    endorsed = db.session.execute(
        sa.select(Endorsement.created_at, Argument.id, Argument.title, Debate.slug)
        .join(Argument, Argument.id == Endorsement.argument_id)
        .join(Debate, Debate.id == Argument.debate_id)
        .where(Endorsement.user_id == user.id)
        .order_by(Endorsement.created_at, Endorsement.id)
    ).all()
    return {
        "arguments": arguments,
        "sources": [{"argument_id": a["id"], **s} for a in arguments for s in a["sources"]],
        "endorsements": [
            {"argument_id": aid, "argument_title": title, "debate": slug, "created_at": stamp(at)}
            for at, aid, title, slug in endorsed
        ],
    }


def _recount_endorsements(argument_ids) -> None:
    if not argument_ids:
        return
    count = (
        sa.select(sa.func.count(Endorsement.id))
        .where(Endorsement.argument_id == Argument.id)
        .scalar_subquery()
    )
    db.session.execute(
        sa.update(Argument).where(Argument.id.in_(argument_ids)).values(endorsements_count=count)
    )


# Rows that are part of an argument and go with it; any other row pointing at an argument (an
# answer, a recommendation citing it…) means others built on it.
_OWN_TABLES = {
    "argument_sources",
    "argument_versions",
    "endorsements",
    "reports",
    "argument_merges",
    "workshop_promotions",
}


def _built_on(argument_id: int) -> bool:
    """Does any row of another table (or another argument) point at this argument? Read from the
    metadata, so that a later domain citing arguments is covered without being imported here."""
    for table in db.metadata.sorted_tables:
        if table.name in _OWN_TABLES:
            continue
        for fk in table.foreign_keys:
            if (
                fk.column.table.name == "arguments"
                and fk.column.name == "id"
                and fk.parent.name != "root_id"
            ):
                found = db.session.execute(
                    sa.select(sa.literal(1))
                    .select_from(table)
                    .where(fk.parent == argument_id)
                    .limit(1)
                ).first()
                if found is not None:
                    return True
    return False


def erase(user, mode: str) -> int:
    """Endorsements are personal choices: withdrawn in both modes, counters recomputed.

    Anonymize: arguments stay, without their author. Delete: each argument of the user is removed
    (with its sources and versions), except one that others built on (answered it, or cite it in a
    recommendation): it stays as a placeholder without text, sources, versions or endorsements so
    that what rests on it keeps its place. The answer counts of the arguments answered are
    recomputed."""
    endorsed = list(
        db.session.scalars(sa.select(Endorsement.argument_id).where(Endorsement.user_id == user.id))
    )
    db.session.execute(sa.delete(Endorsement).where(Endorsement.user_id == user.id))
    _recount_endorsements(endorsed)
    mine = list(
        db.session.execute(
            sa.select(Argument.id, Argument.parent_id)
            .where(Argument.author_id == user.id)
            .order_by(Argument.id.desc())
        )
    )
    if mode == "delete":
        parents: set = set()
        placeholders: list = []
        text = placeholder_text()
        for (
            argument_id,
            parent_id,
        ) in mine:  # newest first: one's own answers go before what they answer
            if _built_on(argument_id):
                placeholders.append(argument_id)
                continue
            db.session.execute(sa.delete(Argument).where(Argument.id == argument_id))
            if parent_id:
                parents.add(parent_id)
        if placeholders:
            db.session.execute(
                sa.delete(ArgumentSource).where(ArgumentSource.argument_id.in_(placeholders))
            )
            db.session.execute(
                sa.delete(ArgumentVersion).where(ArgumentVersion.argument_id.in_(placeholders))
            )
            db.session.execute(
                sa.delete(Endorsement).where(Endorsement.argument_id.in_(placeholders))
            )
            db.session.execute(
                sa.update(Argument)
                .where(Argument.id.in_(placeholders))
                .values(title=text, body="", body_html="", search_text="", endorsements_count=0)
            )
        for parent_id in parents:  # one already deleted above is simply not found
            refresh_replies_count(parent_id)
    db.session.execute(
        sa.update(Argument).where(Argument.author_id == user.id).values(author_id=None)
    )
    return len(mine)


PROVIDER = Provider(
    name="arguments",
    tables=("arguments", "endorsements"),
    collect=collect,
    erase=erase,
    order=20,
    titles={
        "arguments": _l("Arguments and answers"),
        "sources": _l("Sources cited"),
        "endorsements": _l("Endorsements"),
    },
)
