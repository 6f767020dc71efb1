"""Notification titles stored as (English msgid, parameters) and rendered in the reader's language.

A domain passes a lazy string (`_l("Your question “%(title)s” was answered.")`) as the title of
`notify()`: its msgid is stored with its parameters, and the title is translated when a page or an
e-mail shows it. A parameter that is itself a lazy string (a phase title, say) is stored as
{"msgid": …} and translated at display time too.

A rendered title is plain text wherever a string goes (an e-mail's subject, JSON, exports); on an
HTML page the user's words it quotes (a recommendation's or a debate's title) declare their
language when it is not the interface's: `<span lang="fr">…</span>` in the English interface.
"""

from flask_babel import force_locale, gettext
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape

from debate.core.html import in_content_lang

# Kinds of notification, by the preference that governs their e-mail (debate.mail.preferences).
MODERATION = "moderation"  # every kind starting with "moderation_"
QUESTION_ANSWERED = "question_answered"
ARGUMENT_REPLIED = "argument_replied"
RECOMMENDATIONS_PUBLISHED = "recommendations_published"
RESPONSES_PUBLISHED = "responses_published"
PHASE_OPENED = "phase_opened"
KINDS = (
    MODERATION,
    QUESTION_ANSWERED,
    ARGUMENT_REPLIED,
    RECOMMENDATIONS_PUBLISHED,
    RESPONSES_PUBLISHED,
    PHASE_OPENED,
)


def preference_kind(kind: str) -> str | None:
    """The preference a notification kind falls under (None: in-app only, never e-mailed)."""
    if kind.startswith("moderation"):
        return MODERATION
    return kind if kind in KINDS else None


def is_lazy(value) -> bool:
    """A flask_babel lazy_gettext string (whose msgid can be kept)."""
    return isinstance(value, LazyString) and bool(value._args) and isinstance(value._args[0], str)


def store_params(params: dict) -> dict:
    """Parameters made JSON-safe: lazy strings become {"msgid": …}, everything else a string or number."""
    stored: dict = {}
    for key, value in (params or {}).items():
        if is_lazy(value):
            stored[key] = {"msgid": value._args[0]}
        elif isinstance(value, (int, float)) or value is None:
            stored[key] = value
        else:
            stored[key] = str(value)
    return stored


def _param_values(params: dict) -> dict:
    return {
        k: (gettext(v["msgid"]) if isinstance(v, dict) and "msgid" in v else v)
        for k, v in params.items()
    }


# The parameters that quote what users wrote (titles of arguments, questions, recommendations,
# debates); the others are interface words (a phase, stored as a msgid), numbers, dates or names.
CONTENT_PARAMS = frozenset({"title", "debate"})


class Title(str):
    """A notification title: the text itself, and its HTML (`__html__`, which Jinja and markupsafe
    use) where the quoted user content declares its language."""

    def __new__(cls, text: str, html: Markup | None = None):
        title = super().__new__(cls, text)
        title._html = escape(text) if html is None else html
        return title

    def __html__(self) -> Markup:
        return self._html


def _html_values(values: dict) -> dict:
    return {
        key: in_content_lang(value) if key in CONTENT_PARAMS and isinstance(value, str) else value
        for key, value in values.items()
    }


def render_title(msgid: str, params: dict, *, fallback: str = "") -> str:
    """The title in the current language; the stored French rendering if the msgid is unusable
    (the whole of it is then the user's language)."""
    try:
        template = gettext(msgid)
        if not params:
            return Title(template, escape(template))
        values = _param_values(params)
        return Title(template % values, escape(template) % _html_values(values))
    except (KeyError, TypeError, ValueError):
        text = fallback or msgid
        return Title(text, in_content_lang(text) if fallback else escape(text))


def render_title_in(locale: str, msgid: str, params: dict) -> str:
    """The title in a given language (the French copy stored in `title`, an e-mail's subject)."""
    with force_locale(locale):
        return render_title(msgid, params)
