"""Benchmark of the citizens' panel draw (marker `perf`, on demand):

    python -m pytest -m perf tests/perf/test_panel_draw.py -s

The engine alone (debate/panel/engine.py, in its child process as in production), on pools of 500
and 2,000 volunteers over four categories (age band, gender, neighbourhood, occupation) with quotas
around the population's shares, for panels of 16 and 50, with maximin (the default) and Nash. The
figures go into the README ("Citizens' panel"): they say why a draw runs as a job (202) rather than
in the request.
"""

import random
import resource
import time

import pytest

from debate.panel import engine
from tests.panel.helpers import answers_for, categories

pytestmark = pytest.mark.perf


@pytest.fixture(autouse=True)
def _transaction():
    """Overrides tests/conftest.py: the engine needs no database."""
    yield


def _input(pool_size: int, size: int, algorithm: str) -> dict:
    cats = categories(size)
    rng = random.Random(pool_size)
    pool = [{"key": f"k{i:05d}", "answers": answers_for(rng, cats)} for i in range(pool_size)]
    return {"size": size, "categories": cats, "pool": pool, "algorithm": algorithm, "seed": "bench"}


@pytest.mark.parametrize(
    "pool_size, size, algorithm",
    [
        (500, 16, "maximin"),
        (500, 50, "maximin"),
        (500, 16, "nash"),
        (2000, 16, "maximin"),
        (2000, 50, "maximin"),
    ],
)
def test_draw_time(pool_size, size, algorithm):
    events = []
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = engine.compute_in_child(_input(pool_size, size, algorithm), events.append)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU time of the draw's process: what the draw costs, whatever else the machine is doing.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert len(result["selected"]) == size
    lowest = min(result["probabilities"].values())
    print(
        f"\npanel draw: {pool_size} volunteers, {size} seats, {algorithm}: {seconds:.1f} s "
        f"({cpu:.1f} s of CPU), "
        f"{len(events)} progress events, lowest probability {lowest:.4f} (seats per head {size / pool_size:.4f})"
    )
