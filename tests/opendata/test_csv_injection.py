"""Spreadsheet formula injection ("CSV injection", OWASP): no cell of any CSV export starts with
what a spreadsheet runs as a formula, while the JSON export keeps the exact text.

The whole class: a debate with something of every kind (tests/opendata/helpers.py), then every text
column of every table of the database overwritten with a formula, a different one per row and
column (each carries a marker §n§ to trace it). Every table of tables.TABLES is downloaded as a
client would; every column they export must either carry one of the formulas or hold only values
the platform writes itself (keys, dates, numbers, ids), which can never start a formula.
"""

import csv
import io
import json
import re
from urllib.parse import quote

import sqlalchemy as sa

from debate.debates.models import Debate
from debate.extensions import db
from debate.opendata import tables
from tests.opendata.helpers import rich_debate
from tests.opendata.positions_helpers import with_a_position

# What spreadsheet software runs as a formula: these first characters (OWASP), a tab or carriage
# return before them, their full-width forms; a leading space does not stop some of them.
STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20", " =", "\n+")
FORMULA = set("=+-@\uff1d\uff0b\uff0d\uff20")
MARKER = re.compile(r"§(\d+)§")
# Values the platform writes itself: keys and enum values, ISO dates and times, lists of ids.
GENERATED = re.compile(r"^(?:[a-z0-9_]*|\d{4}-\d\d-\d\d(?:T[\d:.+]*)?|[\d ]*)$")


def _dangerous(cell: str) -> bool:
    return cell[:1] in ("\t", "\r") or cell.lstrip()[:1] in FORMULA


def _text_columns():
    """(table, column) for every column of the database holding free text."""
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            kind = column.type
            if (
                isinstance(kind, sa.String)
                and not isinstance(kind, sa.Enum)
                and not column.primary_key
                and not column.foreign_keys
                and (kind.length is None or kind.length >= 20)
            ):
                yield table, column


def _poison_every_text_column() -> dict[int, str]:
    """Overwrite each text value of every row with a formula; {marker number: formula written}."""
    written: dict[int, str] = {}
    for table, column in _text_columns():
        keys = list(table.primary_key.columns)
        for row in db.session.execute(sa.select(*keys)).all():
            n = len(written) + 1
            formula = f"{STARTS[n % len(STARTS)]}1+1§{n}§"
            db.session.execute(
                table.update()
                .where(*(key == value for key, value in zip(keys, row, strict=True)))
                .values({column.name: formula})
            )
            written[n] = formula
    db.session.commit()
    db.session.expire_all()
    return written


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_no_csv_cell_starts_a_formula_and_json_keeps_the_exact_text(client, make):
    debate, people = rich_debate(make)
    with_a_position(debate, people["wg"])  # the positions table has a row too
    debate_id = debate.id
    written = _poison_every_text_column()
    slug = quote(db.session.get(Debate, debate_id).slug, safe="")
    assert len(written) > 100  # the seed filled the tables (and their text columns)

    response = client.get(f"/api/v1/debates/{slug}/export.json")
    assert response.status_code == 200
    in_json = set(_strings(json.loads(response.get_data(as_text=True))))
    assert {s for s in in_json if s.startswith("'") and MARKER.search(s)} == set()

    for entity, table in tables.TABLES.items():
        response = client.get(f"/api/v1/debates/{slug}/export/{entity}.csv")
        assert response.status_code == 200, entity
        raw = response.get_data(as_text=True).removeprefix("\ufeff")
        rows = list(csv.reader(io.StringIO(raw, newline="")))
        assert rows[0] == list(table.columns)
        body = rows[1:]
        assert body, f"{entity}: the seed gives this table no row (tests/opendata/helpers.py)"
        for index, column in enumerate(table.columns):
            cells = [row[index] for row in body]
            where = f"{entity}.csv, column {column}"
            assert not [c for c in cells if _dangerous(c)], f"{where}: a cell starts a formula"
            poisoned = [c for c in cells if MARKER.search(c)]
            assert poisoned or all(GENERATED.match(c) for c in cells), (
                f"{where}: free text that the seed did not reach: {cells}"
            )
            for cell in poisoned:
                formula = written[int(MARKER.search(cell).group(1))]
                if not cell.removeprefix("'").startswith(formula):
                    continue  # the formula sits inside a longer text, which starts harmlessly
                # Shown as text: the formula behind one quote, in a quoted cell…
                assert cell.startswith("'" + formula), where
                assert '"' + cell.replace('"', '""') + '"' in raw, f"{where}: cell not quoted"
                # …and exactly as written in the JSON document.
                assert formula in in_json, f"{where}: the JSON export changed {formula!r}"
