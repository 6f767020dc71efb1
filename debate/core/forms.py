"""Helpers for HTML form views: run an operation at the edge and show its refusals on the form."""

from debate.core.errors import Invalid
from debate.extensions import db


def apply_errors(form, exc: Invalid, rename=None) -> None:
    """Show an operation's refusals next to the matching fields (or at the top of the form).

    `rename` maps an operation's field name (e.g. "phases.scope") to the form field's name.
    """
    for name, messages in exc.fields.items():
        name = rename(name) if rename else name
        field = getattr(form, name.split(".")[-1], None) or getattr(form, name.replace(".", "_"), None)
        if field is None:
            form.form_errors.extend(str(m) for m in messages)
            continue
        field.errors = list(field.errors) + [str(m) for m in messages]
    if not exc.fields:
        form.form_errors.append(str(exc.message))


def attempt(form, action, rename=None) -> bool:
    """Run `action()` then commit; on refusal roll back, put the messages on the form, return False."""
    try:
        action()
    except Invalid as exc:
        db.session.rollback()
        apply_errors(form, exc, rename)
        return False
    db.session.commit()
    return True
