"""The engine's process, as a job and `panel verify` run it: a large record comes back whole, and a
draw that runs too long is stopped with a message instead of holding a job forever."""

import random

import pytest

from debate.panel import engine
from tests.panel.helpers import answers_for, categories


def _input(count: int, size: int, algorithm: str) -> dict:
    rng = random.Random(7)
    cats = categories(size)
    pool = [{"key": f"k{i:04d}", "answers": answers_for(rng, cats)} for i in range(count)]
    return {
        "seed": "graine",
        "algorithm": algorithm,
        "size": size,
        "categories": cats,
        "pool": pool,
    }


@pytest.mark.db_independent
def test_a_record_larger_than_a_pipe_comes_back_whole():
    """6,000 volunteers' probabilities are about 85 KB of answer, more than a pipe holds: the
    answer is read while the progress is, or the child and the job would wait on each other."""
    result = engine.compute_in_child(_input(6000, 30, "legacy"), timeout=120)
    assert len(result["selected"]) == 30
    assert len(result["probabilities"]) == 6000
    assert sum(result["probabilities"].values()) == 30


@pytest.mark.db_independent
def test_a_draw_past_its_time_limit_is_stopped_and_says_so():
    # The interpreter alone takes longer than this to start: the limit is always reached.
    with pytest.raises(RuntimeError, match="stopped after 0.01 seconds"):
        engine.compute_in_child(_input(40, 10, "legacy"), timeout=0.01)
