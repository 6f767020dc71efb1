"""The French catalog is complete, compiled, and used; English stays one click away.

Maintainers: after adding or changing a UI string, run from the project root

    pybabel extract -F debate/babel.cfg -k _l -k lazy_gettext --ignore-dirs=".* __pycache__ venv node_modules" -o debate/translations/messages.pot .
    pybabel update -i debate/translations/messages.pot -d debate/translations
    pybabel compile -d debate/translations

then translate every new or "#, fuzzy" entry of debate/translations/fr/LC_MESSAGES/messages.po
(keep each %(name)s placeholder), compile again and commit the .po and the .mo.

--ignore-dirs matters: without it Babel skips every directory whose name starts with "_",
such as templates/_macros/.
"""

import io
import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "debate" / "translations"
PO_FILE = TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po"
MO_FILE = TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.mo"
EXTRACT_OPTIONS = [
    *("-F", str(ROOT / "debate" / "babel.cfg")),
    *("-k", "_l", "-k", "lazy_gettext"),
    *("--ignore-dirs", ".* __pycache__ venv node_modules"),
]
HOW_TO_FIX = "run the extract/update/compile commands of this module's docstring, then translate"

# %(name)s, %(n)d, %s, %.2f, %%: what Python's %-formatting (and Jinja's newstyle gettext) reads.
PLACEHOLDER_RE = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]"
)


def _strings(message) -> tuple:
    """msgid/msgstr as tuples (plural messages have several forms)."""
    ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return tuple(ids), tuple(strings)


def _relative(path: str) -> str:
    try:
        return str(Path(path).relative_to(ROOT))
    except ValueError:
        return path


def _placeholders(text: str) -> Counter:
    return Counter(m.group(0) for m in PLACEHOLDER_RE.finditer(text) if m.group(0) != "%%")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A fresh extraction of the sources, exactly as the documented command does it."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", *EXTRACT_OPTIONS, "-o", str(pot), str(ROOT)]
    )
    with pot.open("rb") as handle:
        catalog = read_po(handle)
    assert len(catalog) > 100, "extraction found almost nothing: check debate/babel.cfg"
    return catalog


@pytest.fixture(scope="module")
def french():
    with PO_FILE.open("rb") as handle:
        return read_po(handle, locale="fr")


def _translated(catalog):
    return [m for m in catalog if m.id]


def test_every_source_string_has_a_french_translation(template, french):
    problems = []
    for message in template:
        if not message.id:
            continue
        where = ", ".join(f"{_relative(path)}:{line}" for path, line in message.locations[:2])
        entry = french.get(message.id, message.context)
        if entry is None:
            problems.append(f"not in the catalog: {message.id!r} ({where})")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {message.id!r} ({where})")
        elif not all(s.strip() for s in _strings(entry)[1]):
            problems.append(f"empty translation: {message.id!r} ({where})")
    assert not problems, f"{len(problems)} untranslated string(s); {HOW_TO_FIX}:\n" + "\n".join(
        problems
    )


def test_compiled_catalog_matches_the_po_file(french):
    assert MO_FILE.exists(), f"{MO_FILE} is missing: pybabel compile -d debate/translations"
    compiled = io.BytesIO()
    write_mo(compiled, french)  # what `pybabel compile` would write now (fuzzy entries left out)
    compiled.seek(0)
    expected = read_mo(compiled)
    with MO_FILE.open("rb") as handle:
        committed = read_mo(handle)

    def contents(catalog):
        return {(_strings(m)[0], m.context): _strings(m)[1] for m in catalog if m.id}

    want, have = contents(expected), contents(committed)
    stale = sorted(key[0][0] for key in want.keys() | have.keys() if want.get(key) != have.get(key))
    assert not stale, (
        f"messages.mo is out of date for {len(stale)} message(s) "
        f"(pybabel compile -d debate/translations): {stale[:10]}"
    )
    assert committed.plural_forms == expected.plural_forms


def test_placeholders_are_kept_in_every_translation(french):
    problems = []
    for message in _translated(french):
        ids, strings = _strings(message)
        wanted = _placeholders(ids[-1])
        for string in strings:
            if string and _placeholders(string) != wanted:
                problems.append(f"{message.id!r} -> {string!r}")
                continue
            # Jinja's newstyle gettext always %-formats, even without arguments: a stray "%" breaks the page.
            dummy = {name: 1 for name in re.findall(r"%\((\w+)\)", ids[-1])}
            try:
                ids[-1] % (dummy or {})
            except (TypeError, ValueError, KeyError):
                continue  # the source itself is not a format string
            try:
                string % (dummy or {})
            except (TypeError, ValueError, KeyError) as exc:
                problems.append(f"{message.id!r} -> {string!r}: {exc}")
    problems += [f"{message.id!r}: {errors}" for message, errors in french.check()]
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


def test_pages_are_in_french_by_default(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="fr"' in html
    assert "Débats" in html
    assert ">Debates<" not in html
    login = client.get("/auth/login").get_data(as_text=True)
    assert "Mot de passe" in login  # a WTForms label: lazy_gettext is resolved per request


def test_english_on_request_and_the_choice_is_remembered(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en"' in html
    assert "Debates" in html
    assert "Débats" not in html

    html = client.get("/").get_data(as_text=True)  # no parameter: the session keeps the choice
    assert '<html lang="en"' in html
    assert "Debates" in html
    assert "Password" in client.get("/auth/login").get_data(as_text=True)

    html = client.get("/?lang=fr").get_data(as_text=True)
    assert '<html lang="fr"' in html
    assert '<html lang="fr"' in client.get("/").get_data(as_text=True)


def test_unknown_language_falls_back_to_french(client):
    html = client.get("/?lang=xx").get_data(as_text=True)
    assert '<html lang="fr"' in html
    assert "Débats" in html
