"""`flask --app debate panel verify DRAW.json`: anyone re-runs a published draw record and learns
whether it gives the same panel, or where an altered record first differs."""

import copy
import json
import os
import subprocess
import sys

import pytest

from debate.extensions import db
from tests.panel.helpers import fill_pool, panel_for

# `panel verify` reads a file and re-runs the engine: no database (the draw that makes the record
# runs on both databases in tests/panel/test_api.py). Run once, on SQLite.
pytestmark = pytest.mark.db_independent


#: The record the tests read, drawn once for the module (a JSON document: each test gets a copy).
_DRAWN: dict = {}


@pytest.fixture
def record(client, make):
    """A published record: a draw of 8 among 40, then one replacement — through the API."""
    if "record" not in _DRAWN:
        _DRAWN["record"] = _draw_and_replace(client, make)
    return copy.deepcopy(_DRAWN["record"])


def _draw_and_replace(client, make) -> dict:
    wg = make.user()
    debate = make.debate(phase="expertise", members={"working_group": wg})
    panel = panel_for(debate, wg, size=8)
    fill_pool(panel, make, 40)
    db.session.commit()
    first = client.post(
        f"/api/v1/debates/{debate.slug}/panel/draw",
        json={"seed": "tirage public"},
        headers=make.auth(wg),
    ).get_json()
    declined = first["selected"][:1]
    replaced = client.post(
        f"/api/v1/debates/{debate.slug}/panel/replacements",
        json={"declined": declined, "seed": "remplacement"},
        headers=make.auth(wg),
    )
    assert replaced.status_code == 201, replaced.get_json()
    return client.get(f"/api/v1/debates/{debate.slug}/panel/draw").get_json()


def verify(app, tmp_path, data):
    path = tmp_path / "DRAW.json"
    path.write_text(json.dumps(data))
    return app.test_cli_runner().invoke(args=["panel", "verify", str(path)])


def test_the_published_record_gives_the_same_panel_and_replacement(app, tmp_path, record):
    result = verify(app, tmp_path, record)
    assert result.exit_code == 0, result.output
    assert (
        "SAME: the record's seed gives the same panel (8 members) and the same 1 replacement"
        in result.output
    )
    assert "Re-running the draw" in result.stderr  # progress, for a long draw


def test_a_swapped_member_is_named(app, tmp_path, record):
    altered = copy.deepcopy(record)
    outsider = next(p["key"] for p in altered["pool"] if p["key"] not in altered["selected"])
    insider = altered["selected"][2]
    altered["selected"][2] = outsider
    altered["selected"].sort()
    # Keep the record self-consistent (composition recounted), so that only the re-run can tell.
    answers = {p["key"]: p["answers"] for p in altered["pool"]}
    from debate.panel import engine

    altered["composition"] = engine.composition(
        altered["categories"],
        [{"key": k, "answers": answers[k]} for k in altered["selected"]],
        altered["selected"],
    )
    result = verify(app, tmp_path, altered)
    assert result.exit_code == 1
    first_line = result.stdout.splitlines()[0]
    assert first_line.startswith("DIFFERENT:")
    assert f"the record lists {outsider} where the re-run selects {insider}" in first_line, (
        result.output
    )


def test_an_altered_probability_or_seed_is_named(app, tmp_path, record):
    altered = copy.deepcopy(record)
    key = sorted(altered["probabilities"])[5]
    altered["probabilities"][key] = round(altered["probabilities"][key] + 0.05, 6)
    result = verify(app, tmp_path, altered)
    assert result.exit_code == 1 and f"probabilities[{key}]" in result.stdout.splitlines()[0]

    reseeded = copy.deepcopy(record)
    reseeded["replacements"][0]["seed"] = "un autre tirage"
    result = verify(app, tmp_path, reseeded)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith("DIFFERENT: replacements[0].selected")


def test_a_record_inconsistent_with_itself_is_named_before_any_rerun(app, tmp_path, record):
    altered = copy.deepcopy(record)
    altered["pool"][0]["answers"]["gender"] = (
        "homme" if altered["pool"][0]["answers"]["gender"] == "femme" else "femme"
    )
    altered["selected"] = sorted({*altered["selected"][1:], altered["pool"][0]["key"]})
    result = verify(app, tmp_path, altered)
    assert result.exit_code == 1 and "composition" in result.stdout.splitlines()[0]

    broken = {k: v for k, v in record.items() if k != "seed"}
    result = verify(app, tmp_path, broken)
    assert result.exit_code == 1 and "missing field(s): seed" in result.output

    path = tmp_path / "not.json"
    path.write_text("{oops")
    result = app.test_cli_runner().invoke(args=["panel", "verify", str(path)])
    assert result.exit_code != 0 and "Not a JSON file" in result.stderr


def test_verify_runs_outside_the_platform_from_a_shell(tmp_path, record):
    """As a citizen would run it: a new process, with their own hash seed, no database needed."""
    path = tmp_path / "DRAW.json"
    path.write_text(json.dumps(record))
    env = {
        **os.environ,
        "PYTHONHASHSEED": "12345",
        "DEBATE_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    env.pop("DEBATE_TEST_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "debate", "panel", "verify", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("SAME:")


def test_a_purged_record_says_it_can_no_longer_be_rerun(app, tmp_path, record):
    purged = copy.deepcopy(record)
    purged["purged_at"] = "2028-01-01"
    purged["pool"] = [{"key": p["key"]} for p in purged["pool"]]
    result = verify(app, tmp_path, purged)
    assert result.exit_code == 1
    assert "answers were deleted on 2028-01-01" in result.stdout.splitlines()[0]
