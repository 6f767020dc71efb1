"""The draw itself, pure: quotas and a pool in, a panel and everyone's probability out.

No Flask and no database here, so that anyone can re-run a published draw record with nothing but
this module and the pinned library (`flask --app debate panel verify DRAW.json`).

The fair algorithms are the Sortition Foundation's `sortition-algorithms` (Flanigan, Gölz, Gupta,
Hennig and Procaccia, Nature 2021): maximin (default) and Nash compute a probability distribution
over every panel that meets the quotas, as equal as the quotas allow, then one panel is drawn from
that distribution with the published seed. "legacy" is the Sortition Foundation's older greedy
algorithm, kept for comparison.

Reproducibility: the library iterates over sets of strings, whose order depends on Python's hash
seed, and draws its randomness from the global `random` module. `compute_in_child` therefore runs
the computation in a fresh interpreter with PYTHONHASHSEED=0 and seeds `random` from the published
seed; the same record gives the same panel on any machine with the same library versions.
"""

import hashlib
import json
import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata

LIBRARY = "sortition-algorithms"
ALGORITHMS = ("maximin", "nash", "legacy")
#: Probabilities are published rounded to this many decimals (they are sums of LP weights).
PROBABILITY_DECIMALS = 6


def library_versions() -> dict:
    """The library and the solvers it ran on: a record is re-run with the same versions."""
    versions = {"name": LIBRARY, "version": metadata.version(LIBRARY)}
    for solver in ("highspy", "cvxpy"):
        try:
            versions[solver] = metadata.version(solver)
        except metadata.PackageNotFoundError:  # pragma: no cover - both are dependencies
            pass
    return versions


def seed_number(seed: str) -> int:
    """The integer the random generator is seeded with: the seed text's SHA-256, never 0."""
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") or 1


# --- checks without the solver -------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    """Why a panel cannot be drawn: the category concerned and what is wrong, with the numbers."""

    category: str | None
    code: str
    params: dict

    def as_dict(self) -> dict:
        return {"category": self.category, "code": self.code, **self.params}


def quota_problems(size: int, categories: list[dict]) -> list[Problem]:
    """Quotas that no panel of `size` can meet, whatever the pool: a category whose minimums add
    up to more than the panel, or whose maximums add up to less; a minimum above its maximum."""
    problems = []
    for category in categories:
        values = category["values"]
        for value in values:
            if value["min"] > value["max"]:
                problems.append(
                    Problem(
                        category["key"],
                        "min_above_max",
                        {"value": value["key"], "min": value["min"], "max": value["max"]},
                    )
                )
        low = sum(v["min"] for v in values)
        high = sum(v["max"] for v in values)
        if low > size:
            problems.append(
                Problem(category["key"], "minimums_above_size", {"sum": low, "size": size})
            )
        if high < size:
            problems.append(
                Problem(category["key"], "maximums_below_size", {"sum": high, "size": size})
            )
    return problems


def pool_by_value(categories: list[dict], pool: list[dict]) -> dict:
    """How many volunteers give each value of each category (zeros included)."""
    counts = {
        c["key"]: Counter(person["answers"].get(c["key"]) for person in pool) for c in categories
    }
    return {
        c["key"]: {v["key"]: counts[c["key"]][v["key"]] for v in c["values"]} for c in categories
    }


def pool_problems(size: int, categories: list[dict], pool: list[dict]) -> list[Problem]:
    """What the pool lacks for a draw: volunteers in all, or for a value's minimum (with the
    numbers missing). The solver may still find the quotas infeasible in combination."""
    problems = []
    if len(pool) < size:
        problems.append(
            Problem(
                None,
                "pool_too_small",
                {"pool": len(pool), "size": size, "missing": size - len(pool)},
            )
        )
    counts = pool_by_value(categories, pool)
    for category in categories:
        for value in category["values"]:
            have = counts[category["key"]][value["key"]]
            if have < value["min"]:
                problems.append(
                    Problem(
                        category["key"],
                        "value_short",
                        {
                            "value": value["key"],
                            "min": value["min"],
                            "pool": have,
                            "missing": value["min"] - have,
                        },
                    )
                )
    return problems


# --- the computation ------------------------------------------------------------------------------
class DrawError(Exception):
    """The library could not draw a panel: `problems` says why, with the numbers."""

    def __init__(self, problems: list[dict]):
        super().__init__("; ".join(f"{p.get('category')}: {p['code']}" for p in problems))
        self.problems = problems


def _library_inputs(size: int, categories: list[dict], pool: list[dict]):
    from sortition_algorithms import Settings, read_in_features, read_in_people  # noqa: PLC0415
    # (imported here: the library pulls numpy and the solvers, needed only when a draw runs)

    rows = [
        {"feature": c["key"], "value": v["key"], "min": str(v["min"]), "max": str(v["max"])}
        for c in categories
        for v in c["values"]
    ]
    features, _, _ = read_in_features(
        ["feature", "value", "min", "max"], rows, number_to_select=size
    )
    keys = [c["key"] for c in categories]
    settings = Settings(id_column="key", columns_to_keep=[])
    people_rows = [
        {"key": p["key"], **{k: p["answers"][k] for k in keys}}
        for p in sorted(pool, key=lambda p: p["key"])
    ]
    people, _ = read_in_people(["key", *keys], people_rows, features, settings)
    return features, people


class _Reporter:
    """Passes the library's progress events on, as (phase, current, total, message)."""

    def __init__(self, emit: Callable[[dict], None]):
        self.emit = emit
        self.phase = None
        self.total = None

    def start_phase(self, name, total=None, *, message=None):
        self.phase, self.total = name, total
        self.emit({"phase": name, "current": 0, "total": total, "message": message or ""})

    def update(self, current, *, message=None):
        self.emit(
            {"phase": self.phase, "current": current, "total": self.total, "message": message or ""}
        )

    def end_phase(self):
        pass


def distribution(
    size: int,
    categories: list[dict],
    pool: list[dict],
    algorithm: str,
    seed: str,
    emit=lambda e: None,
) -> tuple[list[frozenset], list[float]]:
    """The lottery over panels: every panel that may be drawn, with its probability. For
    "legacy", a single panel drawn greedily (probability 1; marginals are not computed)."""
    from sortition_algorithms import errors as sortition_errors  # noqa: PLC0415 (see _library_inputs)
    from sortition_algorithms.committee_generation import (  # noqa: PLC0415
        find_distribution_maximin,
        find_distribution_nash,
        standardize_distribution,
    )
    from sortition_algorithms.committee_generation.legacy import find_random_sample_legacy  # noqa: PLC0415
    from sortition_algorithms.utils import set_random_provider  # noqa: PLC0415

    set_random_provider(seed_number(seed))
    reporter = _Reporter(emit)
    try:
        features, people = _library_inputs(size, categories, pool)
        if algorithm == "legacy":
            committees, _ = find_random_sample_legacy(
                people, features, size, [], max_attempts=1, progress_reporter=reporter
            )
            return [committees[0]], [1.0]
        finder = find_distribution_nash if algorithm == "nash" else find_distribution_maximin
        committees, probabilities, _ = finder(
            features, people, size, [], progress_reporter=reporter
        )
    except sortition_errors.InfeasibleQuotasError as error:
        raise DrawError([_relaxation(categories, error.features)]) from error
    except sortition_errors.SortitionBaseError as error:
        raise DrawError(
            [{"category": None, "code": "selection_failed", "detail": str(error)}]
        ) from error
    return standardize_distribution(committees, probabilities)


def _relaxation(categories: list[dict], relaxed) -> dict:
    """The library's suggestion when the pool cannot meet the quotas together: the smallest change
    of quotas that would make a panel possible, value by value."""
    changes = []
    for category in categories:
        for value in category["values"]:
            suggested = relaxed.get(category["key"], {}).get(value["key"])
            if suggested is None:
                continue
            if (suggested.min, suggested.max) != (value["min"], value["max"]):
                changes.append(
                    {
                        "category": category["key"],
                        "value": value["key"],
                        "min": value["min"],
                        "max": value["max"],
                        "suggested_min": suggested.min,
                        "suggested_max": suggested.max,
                    }
                )
    first = changes[0]["category"] if changes else None
    return {"category": first, "code": "infeasible_quotas", "changes": changes}


def marginals(
    pool_keys: list[str], committees: list[frozenset], probabilities: list[float]
) -> dict:
    """Each volunteer's probability of being selected: the sum over the panels that include them."""
    totals = dict.fromkeys(pool_keys, 0.0)
    for committee, probability in zip(committees, probabilities, strict=True):
        for key in committee:
            totals[key] += probability
    return {
        key: round(min(max(p, 0.0), 1.0), PROBABILITY_DECIMALS) for key, p in sorted(totals.items())
    }


def sample(committees: list[frozenset], probabilities: list[float]) -> frozenset:
    """One panel drawn from the lottery, with the random generator as seeded."""
    from sortition_algorithms.core import lottery_rounding  # noqa: PLC0415 (see _library_inputs)

    return lottery_rounding(committees, probabilities, 1)[0]


def compute(record_input: dict, emit=lambda e: None) -> dict:
    """Draw one panel from a record's input ({size, categories, pool, algorithm, seed}):
    {selected: [key], probabilities: {key: p}, composition}. Run it through `compute_in_child`."""
    size, categories, pool = record_input["size"], record_input["categories"], record_input["pool"]
    problems = [
        p.as_dict()
        for p in quota_problems(size, categories) + pool_problems(size, categories, pool)
    ]
    if problems:
        raise DrawError(problems)
    committees, probabilities = distribution(
        size, categories, pool, record_input["algorithm"], record_input["seed"], emit
    )
    emit(
        {
            "phase": "lottery",
            "current": 0,
            "total": 1,
            "message": "Drawing one panel from the lottery",
        }
    )
    chosen = sample(committees, probabilities)
    keys = [p["key"] for p in pool]
    probabilities_by_key = (
        {key: (1.0 if key in chosen else 0.0) for key in sorted(keys)}
        if record_input["algorithm"] == "legacy"
        else marginals(keys, committees, probabilities)
    )
    selected = sorted(chosen)
    return {
        "selected": selected,
        "probabilities": probabilities_by_key,
        "composition": composition(categories, pool, selected),
    }


def composition(categories: list[dict], pool: list[dict], selected: list[str]) -> dict:
    """How many panel members give each value of each category."""
    chosen = set(selected)
    return pool_by_value(categories, [p for p in pool if p["key"] in chosen])


def compute_in_child(
    record_input: dict,
    on_progress: Callable[[dict], None] = lambda e: None,
    timeout: float | None = None,
) -> dict:
    """`compute` in a fresh interpreter with PYTHONHASHSEED=0, so that the same input gives the same
    panel in a web worker, a job and `panel verify` alike. Raises DrawError like `compute`, and
    RuntimeError when the process dies or runs past `timeout` seconds (it is then stopped)."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    child = subprocess.Popen(  # noqa: S603 - our own module, with our own interpreter
        # This file as a script, not `-m debate.panel.engine`: importing the package would load
        # the whole web application (about a second) for nothing; the engine needs only itself.
        [sys.executable, "-P", __file__],  # -P: nothing of this folder shadows a module
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    # The answer is read while the progress is: a record larger than a pipe's buffer (64 KB: a
    # few thousand volunteers) would otherwise block the child on its last write, and us on its
    # progress, forever.
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.append(child.stdout.read()), daemon=True)
    reader.start()
    stopped = threading.Event()

    def stop():
        stopped.set()
        child.kill()

    timer = None
    if timeout is not None:
        timer = threading.Timer(timeout, stop)
        timer.daemon = True
        timer.start()
    try:
        child.stdin.write(json.dumps(record_input))
        child.stdin.close()
        other = []  # what is not a progress event (a traceback) goes into the error
        for line in child.stderr:  # progress events, one JSON object per line
            try:
                event = json.loads(line)
            except json.JSONDecodeError:
                other.append(line)
                continue
            on_progress(event)
        reader.join()
        child.wait()
    finally:
        if timer is not None:
            timer.cancel()
        if child.poll() is None:  # on our way out with an exception: never leave it running
            child.kill()
            child.wait()
    if stopped.is_set():
        raise RuntimeError(f"the draw was stopped after {timeout:g} seconds")
    answer = json.loads(output[0] if output and output[0] else "{}")
    if "error" in answer:
        raise DrawError(answer["error"])
    if child.returncode != 0 or "selected" not in answer:
        raise RuntimeError(
            f"the draw process ended with status {child.returncode}: {''.join(other)[-2000:]}"
        )
    return answer


# --- verification --------------------------------------------------------------------------------
RECORD_KEYS = (
    "seed",
    "algorithm",
    "size",
    "categories",
    "pool",
    "selected",
    "probabilities",
    "composition",
)


def _first_difference(where: str, recorded: dict, rerun: dict) -> str | None:
    """The first place where a published draw and its re-run disagree, said plainly."""
    if recorded["selected"] != rerun["selected"]:
        missing = [k for k in recorded["selected"] if k not in rerun["selected"]]
        extra = [k for k in rerun["selected"] if k not in recorded["selected"]]
        if missing or extra:
            return (
                f"{where}selected: the record lists {', '.join(missing) or '—'} "
                f"where the re-run selects {', '.join(extra) or '—'}"
            )
        return f"{where}selected: the same people in another order"
    for key in sorted(set(recorded["probabilities"]) | set(rerun["probabilities"])):
        a, b = recorded["probabilities"].get(key), rerun["probabilities"].get(key)
        if a is None or b is None or abs(a - b) > 10**-PROBABILITY_DECIMALS:
            return f"{where}probabilities[{key}]: the record says {a}, the re-run gives {b}"
    if recorded["composition"] != rerun["composition"]:
        return f"{where}composition: the record says {recorded['composition']}, the re-run gives {rerun['composition']}"
    return None


def _consistency(where: str, part: dict) -> str | None:
    """Checks a record must pass before anything is re-run."""
    if "purged_at" in part:
        return (
            f"{where}the volunteers' answers were deleted on {part['purged_at']} (retention "
            "period over): this draw can no longer be re-run"
        )
    missing = [k for k in RECORD_KEYS if k not in part]
    if missing:
        return f"{where}missing field(s): {', '.join(missing)}"
    keys = [p["key"] for p in part["pool"]]
    outside = [k for k in part["selected"] if k not in keys]
    if outside:
        return f"{where}selected: {', '.join(outside)} not in the pool"
    if len(part["selected"]) != part["size"]:
        return f"{where}selected: {len(part['selected'])} people for a panel of {part['size']}"
    recounted = composition(part["categories"], part["pool"], part["selected"])
    if recounted != part["composition"]:
        return f"{where}composition: the record says {part['composition']}, its pool and selection give {recounted}"
    return None


def verify(record: dict, on_progress=lambda where, e: None) -> tuple[list[str], list[str]]:
    """Re-run a published record and its replacements: (differences, notes). No difference: the
    same panel. The first difference found is first; notes say what may explain one (versions)."""
    notes = []
    library = record.get("library") or {}
    here = library_versions()
    for name in ("version", "highspy", "cvxpy"):
        if library.get(name) and library.get(name) != here.get(name):
            notes.append(
                f"the record was drawn with {name} {library[name]}, this machine has {here.get(name)}"
            )
    parts = [("", record)] + [
        (f"replacements[{i}].", r) for i, r in enumerate(record.get("replacements") or [])
    ]
    differences = []
    for where, part in parts:
        problem = _consistency(where, part)
        if problem is None:
            try:
                rerun = compute_in_child(
                    {k: part[k] for k in ("size", "categories", "pool", "algorithm", "seed")},
                    lambda e, where=where: on_progress(where, e),
                )
            except DrawError as error:
                problem = f"{where}the re-run cannot draw: {error}"
            else:
                problem = _first_difference(where, part, rerun)
        if problem:
            differences.append(problem)
    return differences, notes


def _one_thread() -> None:
    """HiGHS on one thread, whatever the machine's cores: the same work on a 2-core server and on
    a 16-core laptop re-running a record, and no spinning helper threads competing with the web
    workers (on a 2-core machine they doubled a draw's CPU time: 5.0 → 2.6 s for 120 volunteers,
    the same panel and probabilities; the recorded draws of the tests and the demo are unchanged)."""
    import highspy  # noqa: PLC0415

    original = highspy.Highs

    class OneThread(original):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.setOptionValue("threads", 1)

    highspy.Highs = OneThread


def _main() -> int:  # the child of compute_in_child
    import logging  # noqa: PLC0415 (only the child process configures logging)

    logging.disable(logging.CRITICAL)  # the library logs to stderr, which carries our progress
    # The solvers print their logs on file descriptor 1: keep it for the answer, silence them.
    answer = os.fdopen(os.dup(1), "w")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    record_input = json.load(sys.stdin)
    _one_thread()

    def emit(event):
        print(json.dumps(event), file=sys.stderr, flush=True)

    try:
        result = compute(record_input, emit)
    except DrawError as error:
        result = {"error": error.problems}
    answer.write(json.dumps(result))
    answer.close()
    return 0


if __name__ == "__main__":
    sys.exit(_main())
