"""The draw on real-sized cases: a pool of 500 volunteers over 4 categories, panels of 16 and 50.

Every quota is met; the draw is reproducible across databases: the suite runs on SQLite and again on
PostgreSQL (CI). On SQLite the draw must give exactly the panel recorded in
tests/panel/data/draw-500-<size>.json — drawn once from the same pool with the same seed — and on
PostgreSQL the draw's input must be the one recorded, byte for byte (its SHA-256), which the engine,
a function of its input alone, turns into that same panel (regenerate with
`DEBATE_WRITE_GOLDEN=1 pytest tests/panel/test_fairness.py tests/panel/test_fairness_50.py` on
SQLite after a deliberate change of the pinned library). Then a statistical test: the published probabilities are those of the lottery
actually sampled.
"""

import hashlib
import json
import math
import os
from pathlib import Path

import pytest

from debate.extensions import db
from debate.panel import engine, operations
from debate.panel.models import Panel
from tests.conftest import ON_POSTGRES
from tests.panel.helpers import categories, fill_pool, panel_for

DATA = Path(__file__).parent / "data"
SEED = "Loto du 3 octobre 2026 : 7 12 23 34 41 — 5"


def _quota_misses(categories_, composition) -> list[str]:
    return [
        f"{c['key']}={v['key']}: {composition[c['key']][v['key']]} not in {v['min']}–{v['max']}"
        for c in categories_
        for v in c["values"]
        if not v["min"] <= composition[c["key"]][v["key"]] <= v["max"]
    ]


def test_a_pool_of_500_gives_the_recorded_panel_of_16_meeting_every_quota(client, make):
    """On both databases: the same seed gives the same panel on SQLite and on PostgreSQL.

    The engine is a function of the draw's input alone (a fresh interpreter, PYTHONHASHSEED=0, one
    solver thread): SQLite runs it and compares its answer with the record; PostgreSQL checks that
    the input it builds from its rows — the pool read back in key order, the quotas, the seed — is
    byte for byte the one recorded (its SHA-256), so the engine can only give it the same panel."""
    if ON_POSTGRES:
        wg, panel = _pool_of_500(make, 16)
        draw = operations.start_draw(panel, wg, SEED)
        expected = json.loads((DATA / "draw-500-16.json").read_text())
        assert input_digest(draw.input) == expected["input_sha256"]
        return
    draw_500_and_compare(client, make, 16)


def input_digest(record_input: dict) -> str:
    """The SHA-256 of a draw's input (size, categories, pool, algorithm, seed) as canonical JSON."""
    keys = ("size", "categories", "pool", "algorithm", "seed")
    text = json.dumps({k: record_input[k] for k in keys}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _pool_of_500(make, size):
    wg = make.user("Groupe")
    debate = make.debate(phase="expertise", members={"working_group": wg})
    panel = panel_for(debate, wg, size=size, categories=categories(size))
    fill_pool(panel, make, 500)
    db.session.commit()
    return wg, panel


def draw_500_and_compare(client, make, size):
    wg, panel = _pool_of_500(make, size)
    debate = panel.debate
    response = client.post(
        f"/api/v1/debates/{debate.slug}/panel/draw", json={"seed": SEED}, headers=make.auth(wg)
    )
    assert response.status_code == 201, response.get_json()
    record = response.get_json()
    assert len(record["selected"]) == size and len(record["pool"]) == 500
    assert _quota_misses(record["categories"], record["composition"]) == []
    probabilities = record["probabilities"]
    assert abs(sum(probabilities.values()) - size) < 1e-3
    # Maximin: everyone has a chance, and nobody is much less likely than the seats per head.
    assert min(probabilities.values()) > 0
    golden = DATA / f"draw-500-{size}.json"
    if os.environ.get("DEBATE_WRITE_GOLDEN"):
        golden.write_text(
            json.dumps(
                {
                    **{k: record[k] for k in ("seed", "library", "selected", "probabilities")},
                    "input_sha256": input_digest(record),
                },
                indent=1,
            )
        )
    expected = json.loads(golden.read_text())
    assert input_digest(record) == expected["input_sha256"]  # what PostgreSQL checks
    assert record["library"]["version"] == expected["library"]["version"]
    assert record["selected"] == expected["selected"]
    assert record["probabilities"] == expected["probabilities"]
    assert db.session.query(Panel).count() == 1


@pytest.mark.db_independent  # the engine and its lottery alone: run once, on SQLite
def test_published_probabilities_are_those_of_the_lottery_sampled(make):
    """2,000 panels sampled from one computed lottery (120 volunteers, 16 seats): each volunteer's
    frequency is within 4.5 standard errors of their published probability. With 120 volunteers the
    chance that a correct lottery fails this somewhere is under 0.1 % (and the seeds are fixed, so
    the run is repeatable)."""
    from sortition_algorithms.utils import set_random_provider

    wg = make.user()
    panel = panel_for(
        make.debate(members={"working_group": wg}), wg, size=16, categories=categories(16)
    )
    pool = [{"key": p.key, "answers": p.answers} for p in fill_pool(panel, make, 120, seed=11)]
    committees, weights = engine.distribution(16, panel.categories, pool, "maximin", SEED)
    published = engine.marginals([p["key"] for p in pool], committees, weights)
    samples = 2000
    counts = dict.fromkeys(published, 0)
    for i in range(samples):
        set_random_provider(i + 1)
        chosen = engine.sample(committees, weights)
        assert len(chosen) == 16
        for key in chosen:
            counts[key] += 1
    worst = []
    for key, p in published.items():
        error = math.sqrt(p * (1 - p) / samples)
        gap = abs(counts[key] / samples - p)
        worst.append((gap / error if error else (0 if gap == 0 else math.inf), key))
    worst.sort(reverse=True)
    assert worst[0][0] <= 4.5, f"{worst[0][1]}: {worst[0][0]:.1f} standard errors off"
