"""Helpers for HTML form views: run an operation at the edge and show its refusals on the form."""

from flask import flash
from wtforms import FieldList, HiddenField

from debate.core.errors import Invalid
from debate.extensions import db


def apply_errors(form, exc: Invalid, rename=None, filled=None) -> None:
    """Show an operation's refusals next to the matching fields, or at the top of the form.

    Error names are the operation's: "title"; "settings.report_threshold" (the form's
    "report_threshold" or "settings_report_threshold"); "sources.1.url", the link of the second item
    of a repeated fieldset (a FieldList of FormFields). `filled` maps such a list's name to the form
    positions of the fieldsets the operation was given (blank ones left out), so that item 1 is the
    second *filled* fieldset and an error on the whole list ("at least one source") shows on the first
    fieldset when none was filled. `rename` maps an operation's name to the form field's name.
    """
    for name, messages in exc.fields.items():
        field = _field_for(form, rename(name) if rename else name, filled or {})
        messages = [str(m) for m in messages]
        if field is None:
            form.form_errors.extend(messages)
        else:
            field.errors = list(field.errors or []) + messages
    if not exc.fields:
        form.form_errors.append(str(exc.message))


def _field_for(form, name: str, filled: dict):
    """The field an operation's error name points at; None for the top of the form."""
    parts = name.split(".")
    if len(parts) == 3 and parts[1].isdigit() and isinstance(_field(form, parts[0]), FieldList):
        entries = form[parts[0]].entries
        positions = filled.get(parts[0], range(len(entries)))
        index = int(parts[1])
        if index >= len(positions) or positions[index] >= len(entries):
            return None
        return _field(entries[positions[index]].form, parts[2])
    field = _field(form, parts[-1])
    if field is None:
        field = _field(form, name.replace(".", "_"))
    if isinstance(field, FieldList) and name in filled and not filled[name] and field.entries:
        return next(iter(field.entries[0].form))  # "give at least one": shown where to give it
    if isinstance(field, HiddenField):
        return None  # nothing on the page to show it next to
    return field


def _field(form, name: str):
    return form[name] if name in form else None


def attempt(form, action, rename=None, filled=None) -> bool:
    """Run `action()` then commit; on refusal roll back, put the messages on the form, return False."""
    try:
        action()
    except Invalid as exc:
        db.session.rollback()
        apply_errors(form, exc, rename, filled)
        return False
    db.session.commit()
    return True


def flash_errors(form) -> None:
    """A form posted from another page (a comment box, a report button): its messages, flashed in one line."""
    messages = " ".join(e for errors in form.errors.values() for e in errors) or " ".join(
        form.form_errors
    )
    flash(messages, "error")
