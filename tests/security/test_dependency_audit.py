"""The CI dependency audit (.ci/audit_dependencies.py): pip-audit first; what it cannot audit is looked
up in PyPI's project JSON (vulnerabilities of the latest release). A known vulnerability fails the
step; a package that could not be audited is always named; nothing audited at all fails."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "audit_dependencies.py"
JINJA_CVE = {"id": "GHSA-q2x7-8rv6-6q7h", "aliases": ["CVE-2024-56326"], "fixed_in": ["3.1.5"]}


@pytest.fixture
def audit(monkeypatch):
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def world(packages, *, pip_audit=None, pypi=None, runtime=()):
        """packages: name → installed version; pip_audit: its per-package answer (None: did not run);
        pypi: name → project JSON answer, or an exception to raise."""
        monkeypatch.setattr(module, "installed", lambda: dict(packages))
        monkeypatch.setattr(module, "runtime_dependencies", lambda: set(runtime))
        monkeypatch.setattr(module, "pip_audit", lambda service: pip_audit)

        def latest(name):
            answer = (pypi or {}).get(name, OSError("unreachable"))
            if isinstance(answer, Exception):
                raise answer
            return answer

        monkeypatch.setattr(module, "pypi_latest", latest)
        return module

    return world


def test_a_vulnerability_pip_audit_finds_fails_the_step(audit, capsys):
    module = audit(
        {"jinja2": "3.1.4", "flask": "3.1.3"},
        pip_audit={
            "jinja2": {
                "name": "jinja2",
                "version": "3.1.4",
                "vulns": [
                    {
                        "id": "GHSA-q2x7-8rv6-6q7h",
                        "fix_versions": ["3.1.5"],
                        "aliases": ["CVE-2024-56326"],
                    }
                ],
            },
            "flask": {"name": "flask", "version": "3.1.3", "vulns": []},
        },
    )
    assert module.main() == 1
    out = capsys.readouterr().out
    assert "VULNERABLE jinja2 3.1.4: GHSA-q2x7-8rv6-6q7h CVE-2024-56326 (fixed in 3.1.5)" in out
    assert "2 of 2 packages audited" in out


def test_without_pip_audit_service_the_latest_release_data_of_pypi_is_used(audit, capsys):
    skipped = {
        n: {"name": n, "version": v, "skip_reason": "Dependency not found on PyPI"}
        for n, v in {"flask": "3.1.3", "jinja2": "3.1.6"}.items()
    }
    module = audit(
        {"flask": "3.1.3", "jinja2": "3.1.6"},
        pip_audit=skipped,
        pypi={
            "flask": {"version": "3.1.3", "vulnerabilities": []},
            "jinja2": {
                "version": "3.1.6",
                "vulnerabilities": [dict(JINJA_CVE, withdrawn="2025-01-01")],
            },
        },
    )
    assert module.main() == 0
    out = capsys.readouterr().out
    assert (
        "2 of 2 packages audited (2 through PyPI project JSON (latest release)), 0 vulnerable"
        in out
    )
    assert "NOT AUDITED" not in out and "VULNERABLE" not in out  # a withdrawn advisory is not one


def test_a_vulnerability_of_the_installed_latest_release_fails_the_step(audit, capsys):
    module = audit(
        {"jinja2": "3.1.4"},
        pip_audit=None,
        pypi={"jinja2": {"version": "3.1.4", "vulnerabilities": [JINJA_CVE]}},
    )
    assert module.main() == 1
    assert (
        "VULNERABLE jinja2 3.1.4: GHSA-q2x7-8rv6-6q7h CVE-2024-56326 (fixed in 3.1.5)"
        in capsys.readouterr().out
    )


def test_an_older_release_is_named_as_not_audited_and_fails_only_strict_runs_for_app_dependencies(
    audit, capsys, monkeypatch
):
    pypi = {
        "flask": {"version": "3.1.3", "vulnerabilities": []},
        "deprecated": {"version": "3.0.1", "requires_python": ">=99", "vulnerabilities": []},
        "pip": {"version": "26.3", "vulnerabilities": []},
    }
    module = audit(
        {"flask": "3.1.3", "deprecated": "1.3.1", "pip": "23.2.1"},
        pypi=pypi,
        runtime={"flask", "deprecated"},
    )
    assert module.main() == 0
    out = capsys.readouterr().out
    assert "1 of 3 packages audited" in out
    assert (
        "NOT AUDITED deprecated 1.3.1 (needed by the application): installed 1.3.1, latest release 3.0.1 "
        "(which needs Python >=99)"
    ) in out
    assert "NOT AUDITED pip 23.2.1 (not needed at run time)" in out
    assert out.index("NOT AUDITED deprecated") < out.index("NOT AUDITED pip")
    monkeypatch.setattr(module, "STRICT", True)
    assert module.main() == 1
    module = audit({"flask": "3.1.3", "pip": "23.2.1"}, pypi=pypi, runtime={"flask"})
    monkeypatch.setattr(module, "STRICT", True)
    assert module.main() == 0  # only a test tool is left unaudited


def test_nothing_reachable_fails_the_step(audit, capsys):
    module = audit({"flask": "3.1.3"}, pip_audit=None, pypi={})
    assert module.main() == 1
    out = capsys.readouterr().out
    assert "0 of 1 packages audited" in out and "nothing was audited" in out
    assert "NOT AUDITED flask 3.1.3" in out and "could not be read (OSError)" in out


def test_the_project_itself_is_not_audited_and_runtime_dependencies_come_from_its_metadata():
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert "debate" not in module.installed()
    runtime = module.runtime_dependencies()
    assert {"flask", "werkzeug", "sqlalchemy", "weasyprint", "limits"} <= runtime
    assert not {"pytest", "playwright", "schemathesis", "pip-audit"} & runtime
