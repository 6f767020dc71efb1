"""CI step: audit every installed distribution for known vulnerabilities (the project itself,
installed editable, is skipped).

    python .ci/audit_dependencies.py

1. pip-audit (PyPI's vulnerability service by default; PIP_AUDIT_SERVICE=osv for OSV) audits the
   environment. Where it can reach its service, that is the whole audit.
2. Packages pip-audit could not audit (the per-version JSON API, pypi.org/pypi/<name>/<version>/json,
   or api.osv.dev unreachable, as on our CI machines) are looked up in PyPI's project JSON,
   pypi.org/pypi/<name>/json, whose `vulnerabilities` are the known vulnerabilities (PYSEC, GHSA,
   CVE ids, from OSV) of the project's latest release: a package installed at its latest release is
   audited that way. A package installed below its latest release cannot be (the project JSON says
   nothing of older releases): it is listed as NOT AUDITED, with its latest release.

Exit 1 when a known, non-withdrawn vulnerability is found (each one listed with its fixed versions),
when nothing at all could be audited (PyPI unreachable: the install needs it too), and when a dependency of the application itself (not a test tool) could not be audited while
DEBATE_AUDIT_STRICT=1. Everything not audited is always listed, runtime dependencies first.
Environment: PIP_AUDIT_SERVICE (pypi), PIP_AUDIT_TIMEOUT (seconds, 15), DEBATE_AUDIT_STRICT.
"""

import importlib.metadata
import json
import os
import re
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor

STRICT = os.environ.get("DEBATE_AUDIT_STRICT", "").strip().lower() in {"1", "true", "yes", "on"}
PROJECT = "debate"
TIMEOUT = float(os.environ.get("PIP_AUDIT_TIMEOUT", "15"))


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed() -> dict[str, str]:
    """name → version of every distribution in this environment but the project itself."""
    found = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name and canonical(name) != PROJECT:
            found[canonical(name)] = dist.version
    return found


def runtime_dependencies() -> set[str]:
    """The distributions the application needs to run: the closure of the project's requirements
    without extras (the test tools of `.[test]` are not in it)."""
    from packaging.requirements import Requirement

    seen: set[str] = set()
    todo = [PROJECT]
    while todo:
        name = todo.pop()
        try:
            requirements = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        for line in requirements:
            requirement = Requirement(line)
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue
            key = canonical(requirement.name)
            if key not in seen:
                seen.add(key)
                todo.append(key)
    return seen


def pip_audit(service: str) -> dict[str, dict] | None:
    """pip-audit's answer per package ({version, vulns} or {version, skip_reason}); None if it did
    not run at all."""
    command = [sys.executable, "-m", "pip_audit", "--local", "--skip-editable", "--format", "json",
               "--progress-spinner", "off", "--vulnerability-service", service, "--timeout", str(int(TIMEOUT))]
    print("$", " ".join(command[2:]), flush=True)
    run = subprocess.run(command, capture_output=True, text=True)
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(f"pip-audit could not run (exit {run.returncode}):")
        print("\n".join(run.stderr.strip().splitlines()[-8:]))
        return None
    return {canonical(d["name"]): d for d in report.get("dependencies", [])}


def pypi_latest(name: str) -> dict:
    """PyPI's project JSON: {"version": latest release, "vulnerabilities": [...]} (raises on failure)."""
    with urllib.request.urlopen(f"https://pypi.org/pypi/{name}/json", timeout=TIMEOUT) as answer:
        data = json.load(answer)
    return {"version": data["info"]["version"], "requires_python": data["info"].get("requires_python"),
            "vulnerabilities": data.get("vulnerabilities") or []}


def same_version(a: str, b: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b


def _python_fits(specifier: str) -> bool:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return SpecifierSet(specifier).contains(".".join(map(str, sys.version_info[:3])))
    except InvalidSpecifier:
        return True


def audit_latest(name: str, version: str) -> dict:
    """One package through the project JSON: {vulns} when audited, {skip_reason} otherwise."""
    try:
        latest = pypi_latest(name)
    except Exception as exc:  # noqa: BLE001 - any network or format failure means "not audited"
        return {"skip_reason": f"PyPI's project JSON could not be read ({type(exc).__name__})"}
    if not same_version(version, latest["version"]):
        needs = latest.get("requires_python")
        why = f" (which needs Python {needs})" if needs and not _python_fits(needs) else ""
        return {"skip_reason": f"installed {version}, latest release {latest['version']}{why}: PyPI's project "
                               "JSON lists the vulnerabilities of the latest release only"}
    vulns = [{"id": v.get("id"), "aliases": v.get("aliases") or [], "fix_versions": v.get("fixed_in") or []}
             for v in latest["vulnerabilities"] if not v.get("withdrawn")]
    return {"vulns": vulns}


def main() -> int:
    service = os.environ.get("PIP_AUDIT_SERVICE", "pypi")
    packages = installed()
    runtime = runtime_dependencies()
    results = {name: {"version": version} for name, version in packages.items()}
    through = dict.fromkeys(packages, None)

    answer = pip_audit(service) or {}
    for name, entry in answer.items():
        if name in results and "skip_reason" not in entry:
            results[name]["vulns"] = entry.get("vulns") or []
            through[name] = f"pip-audit ({service})"

    pending = [name for name in results if through[name] is None]
    if pending:
        with ThreadPoolExecutor(max_workers=8) as pool:
            for name, entry in zip(pending, pool.map(lambda n: audit_latest(n, packages[n]), pending)):
                results[name].update(entry)
                if "vulns" in entry:
                    through[name] = "PyPI project JSON (latest release)"

    vulnerable = {n: r for n, r in results.items() if r.get("vulns")}
    skipped = {n: r for n, r in results.items() if "vulns" not in r}
    for name, entry in sorted(vulnerable.items()):
        for vuln in entry["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            print(f"VULNERABLE {name} {entry['version']}: {vuln['id']} "
                  f"{' '.join(vuln.get('aliases') or [])} (fixed in {fixed})")
    counts: dict[str, int] = {}
    for way in through.values():
        if way:
            counts[way] = counts.get(way, 0) + 1
    audited = len(results) - len(skipped)
    print(f"{audited} of {len(results)} packages audited "
          f"({', '.join(f'{n} through {w}' for w, n in sorted(counts.items())) or 'none'}), "
          f"{len(vulnerable)} vulnerable, {len(skipped)} not audited")
    runtime_skipped = sorted(n for n in skipped if n in runtime)
    for name in runtime_skipped + sorted(n for n in skipped if n not in runtime):
        role = "needed by the application" if name in runtime else "not needed at run time"
        print(f"NOT AUDITED {name} {skipped[name]['version']} ({role}): {skipped[name].get('skip_reason', '?')}")
    if skipped and audited == 0:
        print("!!! No vulnerability service could be reached from this machine: nothing was audited.")
        return 1
    if vulnerable:
        return 1
    if STRICT and runtime_skipped:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
