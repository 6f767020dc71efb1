"""`flask import` checks the whole document before writing anything, by the API's rules.

The whole class: a valid export of a debate with something of every kind (tests/opendata/helpers.py,
plus a phase change and a follow-up), then every field of every kind of item (the schemas of
debate/opendata/importer.py, generated: nested sources, agenda, notes, links, response and
commitments included) corrupted one at a time: removed; a link made `javascript:`; an enum given an
unknown value; a number, a boolean or a date given text; a required text left blank; a text one
character too long for its column; a number out of its range; a theme key or slug malformed; a
reference to an item the file does not hold; an id used twice. Each time the command refuses with a
message naming the section, the item and the field (`modalities.0.online_url`), and the database is
unchanged (every table's row count). Every validator of the schemas has its corruption here: a new
one without it fails the test.
"""

import copy
import dataclasses
import json

import marshmallow as ma
import pytest
import sqlalchemy as sa

from debate.debates import operations as debates
from debate.extensions import db
from debate.opendata import importer
from debate.opendata.document import SECTIONS, stream_document
from debate.outcome import operations as outcome
from debate.outcome.models import Recommendation
from tests.opendata.helpers import rich_debate

MISSING = object()  # the field removed from the item
TWICE = object()  # the item appended again, with the same id


def _bad_values(field: ma.fields.Field) -> list[tuple[str, object]]:
    """What to put in a field to break each of its rules."""
    found = [("missing", MISSING)] if field.required else []
    if isinstance(field, importer.Url):
        found.append(("javascript link", "javascript:alert(1)"))
    elif isinstance(field, ma.fields.Number):
        found.append(("text for a number", "douze"))
    elif isinstance(field, ma.fields.Boolean):
        found.append(("text for a boolean", "oui"))
    elif isinstance(field, ma.fields.Date | ma.fields.DateTime):
        found.append(("impossible date", "2024-02-31"))
    if "refers_to" in field.metadata:
        nothing = 999_999 if isinstance(field, ma.fields.Integer) else "nothing-here"
        found.append(("reference to nothing", nothing))
    if "identifies" in field.metadata:
        found.append(("id used twice", TWICE))
    for rule in field.validators:
        if isinstance(rule, ma.validate.OneOf):
            found.append(("unknown choice", "no-such-choice"))
        elif isinstance(rule, ma.validate.Length):
            found.append(("too long", "x" * (rule.max + 1)))
        elif isinstance(rule, ma.validate.Range):
            found.append(("out of range", rule.min - 1 if rule.min is not None else rule.max + 1))
        elif rule is importer._not_blank:
            found.append(("blank", "   "))
        elif rule is importer._theme_key:
            found.append(("malformed key", "Pas Une Clé"))
        elif rule is importer._slug:
            found.append(("malformed slug", "Pas Un Slug"))
        else:
            pytest.fail(f"no corruption for the validator {rule!r}: add one to _bad_values")
    return found


def _fields(schema: ma.Schema, prefix: tuple = ()):
    """(path, field) of every field of an item, nested items' included ("*": each list entry)."""
    for name, field in schema.fields.items():
        path = (*prefix, name)
        inner = field.inner if isinstance(field, ma.fields.List) else None
        if isinstance(inner or field, ma.fields.Nested):
            nested = (inner or field).schema
            yield path, field
            yield from _fields(nested, (*path, "*") if inner else path)
        elif inner is not None:
            yield path, field
            yield (*path, "*"), inner
        else:
            yield path, field


def corruptions():
    """(section, path in an item, label, bad value) for every rule of every kind of item."""
    for section, schema in [("debate", importer.HEADER), *importer.ITEMS.items()]:
        for path, field in _fields(schema()):
            for label, value in _bad_values(field):
                yield section, path, label, value


def _locate(item, path: tuple):
    """(container, key, concrete path) of `path` in an item (first entry of each list), or None."""
    here, concrete = item, []
    for step in path[:-1]:
        if step == "*":
            if not isinstance(here, list) or not here:
                return None
            here, step = here[0], 0
        else:
            if not isinstance(here, dict) or here.get(step) in (None, [], {}):
                return None
            here = here[step]
        concrete.append(str(step))
    last = path[-1]
    if last == "*":
        if not isinstance(here, list) or not here:
            return None
        last = 0
    elif not isinstance(here, dict) or last not in here:
        return None
    return here, last, [*concrete, str(last)]


def corrupt(document: dict, section: str, path: tuple, value) -> tuple[dict, str] | None:
    """A copy of the document with the first item holding `path` corrupted, and the path its
    refusal must name; None when no item holds it."""
    broken = copy.deepcopy(document)
    items = [(None, broken["debate"])] if section == "debate" else enumerate(broken[section])
    for index, item in items:
        found = _locate(item, path)
        if found is None:
            continue
        container, key, concrete = found
        prefix = [section] if index is None else [section, str(index)]
        if value is MISSING:
            del container[key]
        elif value is TWICE:  # the item holding the id, appended again to its list
            owner, owners, position = _owner(broken, section, index, path)
            owners.append(copy.deepcopy(owner))
            return broken, ".".join([*position, str(len(owners) - 1), path[-1]])
        else:
            container[key] = value
        return broken, ".".join(prefix + concrete)
    return None


def _owner(document, section, index, path):
    """The item an id belongs to, the list holding it and that list's path."""
    if len(path) == 1:
        return document[section][index], document[section], [section]
    owners = document[section][index]
    position = [section, str(index)]
    for step in path[:-2]:
        owners = owners[step] if step != "*" else owners
        position.append(step)
    return owners[0], owners, position


def _row_counts() -> dict[str, int]:
    tables = db.metadata.sorted_tables
    counts = db.session.execute(
        sa.select(*(sa.select(sa.func.count()).select_from(t).scalar_subquery() for t in tables))
    ).one()
    return dict(zip((t.name for t in tables), counts, strict=True))


@pytest.fixture
def exported(make) -> dict:
    """A valid export holding an item of every kind (every section, every nested list)."""
    debate, people = rich_debate(make)
    debates.change_phase(debate, people["wg"], "arguments", "Une semaine de plus pour argumenter.")
    debates.change_phase(debate, people["wg"], "outcome")
    recommendation = db.session.scalar(
        sa.select(Recommendation).where(
            Recommendation.debate_id == debate.id, Recommendation.number.is_not(None)
        )
    )
    outcome.add_follow_up(recommendation, people["elected"], {"body": "La carte est en ligne."})
    db.session.commit()
    document = json.loads("".join(stream_document(debate)))
    # Positions exist in open questions only: the same document, its question made open, with a
    # position that its first argument is for.
    document["debate"]["question_kind"] = "open"
    document["positions"] = [
        {
            "id": 1,
            "theme": "health",
            "title": "Mesurer l'exposition près des écoles",
            "body": "Une campagne **indépendante**.",
            "body_html": "",
            "author": document["participants"][0]["key"],
            "endorsements": 2,
            "created_at": document["arguments"][0]["created_at"],
        }
    ]
    document["arguments"][0]["position"] = 1
    document["recommendations"][0]["links"]["positions"] = [1]
    return document


def test_every_section_is_checked():
    assert set(importer.ITEMS) == {part.name for part in SECTIONS}


def test_each_invalid_field_is_refused_by_name_and_nothing_is_imported(app, exported, tmp_path):
    runner = app.test_cli_runner()
    source = tmp_path / "export.json"
    before = _row_counts()
    accepted, unnamed, written, unreached = [], {}, {}, []
    cases = list(corruptions())
    for n, (section, path, label, value) in enumerate(cases):
        broken = corrupt(exported, section, path, value)
        where = f"{section}:{'.'.join(path)} ({label})"
        if broken is None:
            unreached.append(where)
            continue
        document, expected = broken
        source.write_text(json.dumps(document), "utf-8")
        result = runner.invoke(args=["import", str(source), "--slug", f"copie-{n}"])
        if result.exit_code != 1:
            accepted.append((where, result.exit_code, result.output[-300:]))
        elif expected not in result.output:
            unnamed[where] = (expected, result.output[-300:])
        if (counts := _row_counts()) != before:
            written[where] = {t: (before[t], n) for t, n in counts.items() if n != before[t]}
    assert not unreached, (
        f"the export holds no item with these fields (extend the seed): {unreached}"
    )
    assert not accepted, f"imported in spite of: {accepted}"
    assert not unnamed, f"refused without naming the field: {unnamed}"
    assert not written, f"written in spite of the refusal: {written}"
    assert len(cases) > 300
    # The document itself was valid: it imports.
    source.write_text(json.dumps(exported), "utf-8")
    result = runner.invoke(args=["import", str(source), "--slug", "copie-valide"])
    assert result.exit_code == 0, result.output


def test_a_failure_while_writing_leaves_nothing_behind(app, exported, tmp_path, monkeypatch):
    """What the checks cannot foresee (here: the last section fails once the others are written)
    is refused too, and what was written before is rolled back: one transaction."""

    def fail(_importer, _items):
        raise ValueError("the last section cannot be written")

    *written_first, last = SECTIONS
    monkeypatch.setattr(
        importer, "SECTIONS", (*written_first, dataclasses.replace(last, load=fail))
    )
    source = tmp_path / "export.json"
    source.write_text(json.dumps(exported), "utf-8")
    before = _row_counts()
    result = app.test_cli_runner().invoke(args=["import", str(source), "--slug", "copie-cassee"])
    assert result.exit_code == 1 and "the last section cannot be written" in result.output
    assert _row_counts() == before


def test_the_refusal_says_what_is_wrong(app, exported, tmp_path):
    """The attacker's document of the issue: a `javascript:` link in a modality and in a resource,
    an unknown kind of source, a report threshold in words."""
    document = copy.deepcopy(exported)
    document["modalities"][0]["online_url"] = "javascript:alert(document.cookie)"
    document["resources"][0]["url"] = "JavaScript:alert(1)"
    document["arguments"][0]["sources"][0]["kind"] = "rumour"
    document["debate"]["settings"]["report_threshold"] = "three"
    source = tmp_path / "attack.json"
    source.write_text(json.dumps(document), "utf-8")
    before = _row_counts()
    result = app.test_cli_runner().invoke(args=["import", str(source), "--slug", "attaque"])
    assert result.exit_code == 1
    for where in (
        "modalities.0.online_url: ",
        "resources.0.url: ",
        "arguments.0.sources.0.kind: ",
        "debate.settings.report_threshold: ",
    ):
        assert where in result.output, result.output
    assert _row_counts() == before
