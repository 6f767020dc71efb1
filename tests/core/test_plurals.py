"""Every plural message of the catalogue, rendered at 0, 1 and 2: French uses the singular for 0
and 1 ("0 argument", "1 élément signalé") and the plural from 2 ("2 éléments signalés"); English
the plural for 0 and 2. No "1 signalés", no "Signalé par 1 personnes"."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale, ngettext, npgettext

PO_FILE = Path(__file__).resolve().parents[2] / "debate/translations/fr/LC_MESSAGES/messages.po"
CATALOG = read_po(PO_FILE.open("rb"))
PLURALS = [m for m in CATALOG if m.id and m.pluralizable]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
# French phrases the same in the singular and the plural ("fois", "en attente", "mois").
INVARIABLE = {
    "cited %(num)d time",
    "%(num)d awaiting moderation",
    "until %(num)d month after the debate ends; then they are deleted.",
}


def _render(message, n: int, values: dict) -> str:
    singular, plural = message.id
    extra = {k: v for k, v in values.items() if k != "num"}
    if message.context:
        return npgettext(message.context, singular, plural, n, **extra)
    return ngettext(singular, plural, n, **extra)


def _values(message, n: int) -> dict:
    names = set(PLACEHOLDER.findall(message.id[0] + message.id[1]))
    return {name: n if name == "num" else f"<{name}>" for name in names}


def test_the_catalogue_declares_french_plural_rule():
    assert CATALOG.plural_forms == "nplurals=2; plural=(n > 1);"
    assert len(PLURALS) > 10


@pytest.mark.parametrize("message", PLURALS, ids=lambda m: m.id[0][:50])
def test_plural_message_at_0_1_and_2(app, message):
    singular, plural = message.id
    french_one, french_many = message.string
    assert french_one and french_many, "untranslated plural"
    if singular not in INVARIABLE:
        assert french_one != french_many, "the French singular and plural forms are the same"
    with app.test_request_context("/"):
        with force_locale("fr"):
            for n, form in ((0, french_one), (1, french_one), (2, french_many)):
                values = _values(message, n)
                expected = form % values if "%" in form else form
                got = _render(message, n, values)
                assert got == expected, f"French at {n}: {got!r}, expected {expected!r}"
                assert "%(" not in got
                if "%(num)d" in form:
                    assert str(n) in got
        with force_locale("en"):
            for n, form in ((0, plural), (1, singular), (2, plural)):
                values = _values(message, n)
                got = _render(message, n, values)
                assert got == (form % values if "%" in form else form)
