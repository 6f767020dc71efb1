"""Form fields whose choices quote what people wrote (a theme's title, an argument, a commitment):
in an interface of another language, each such choice declares the content's language (issue 25),
`<label …><span lang="fr">…</span></label>` for a checkbox, `<option lang="fr">` in a list.

A label that is already Markup (built with `in_content_lang`, the interface's words around the
user's) is kept as it is; a lazy string is the interface's own words; any other string is the
user's. In a list, the choice with an empty value is the interface's "none" and is not declared.
The content's language is the debate's when the view sets `field.debate`, else the platform's.
"""

from __future__ import annotations

from flask_babel.speaklater import LazyString
from markupsafe import Markup
from wtforms import SelectField, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from debate.core.html import declared_lang, in_content_lang


def _is_content(label) -> bool:
    return isinstance(label, str) and not isinstance(label, Markup | LazyString)


class ContentCheckboxField(SelectMultipleField):
    """Checkboxes (as `MultiCheckboxField`) whose labels quote the debate's content."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    debate = None

    def iter_choices(self):
        return [
            choice._replace(label=in_content_lang(choice.label, self.debate))
            if _is_content(choice.label)
            else choice
            for choice in super().iter_choices()
        ]


class ContentSelectField(SelectField):
    """A list whose options (all but the empty "none") quote the debate's content."""

    debate = None

    def iter_choices(self):
        language = declared_lang(self.debate)
        if not language:
            return super().iter_choices()
        return [
            choice._replace(render_kw={**(choice.render_kw or {}), "lang": language})
            if choice.value not in ("", None) and _is_content(choice.label)
            else choice
            for choice in super().iter_choices()
        ]
