"""The CI dependency audit (.ci/audit_dependencies.py): fails on a known vulnerability, says loudly
when nothing could be audited (no network), and fails then too only when DEBATE_AUDIT_STRICT=1."""

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "audit_dependencies.py"


@pytest.fixture
def step(monkeypatch):
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def answer(report=None, *, returncode=0, stderr=""):
        out = json.dumps(report) if report is not None else ""
        monkeypatch.setattr(subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, returncode, out, stderr))
        return module

    return answer


def test_a_known_vulnerability_fails_the_step(step, capsys):
    module = step({"dependencies": [
        {"name": "jinja2", "version": "3.1.4", "vulns": [{"id": "GHSA-q2x7-8rv6-6q7h", "fix_versions": ["3.1.5"],
                                                          "aliases": ["CVE-2024-56326"]}]},
        {"name": "flask", "version": "3.1.3", "vulns": []}]}, returncode=1)
    assert module.main() == 1
    out = capsys.readouterr().out
    assert "VULNERABLE jinja2 3.1.4: GHSA-q2x7-8rv6-6q7h CVE-2024-56326 (fixed in 3.1.5)" in out


def test_a_clean_audit_passes(step, capsys):
    module = step({"dependencies": [{"name": "flask", "version": "3.1.3", "vulns": []}]})
    assert module.main() == 0
    assert "1 packages audited, 0 vulnerable, 0 not audited" in capsys.readouterr().out


def test_an_unreachable_service_is_reported_loudly_and_fails_only_when_strict(step, capsys, monkeypatch):
    report = {"dependencies": [{"name": "flask", "skip_reason": "Dependency not found on PyPI and could not be "
                                                                "audited: flask (3.1.3)"}]}
    module = step(report)
    assert module.main() == 0
    out = capsys.readouterr().out
    assert "NOT AUDITED: 1 of 1" in out and "proves nothing" in out
    monkeypatch.setattr(module, "STRICT", True)
    assert module.main() == 1


def test_pip_audit_not_running_at_all_is_reported(step, capsys):
    module = step(None, returncode=1, stderr="ConnectionError: Failed to resolve 'api.osv.dev'")
    assert module.main() == 0
    assert "could not run" in capsys.readouterr().out
