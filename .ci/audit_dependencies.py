"""CI step: pip-audit the installed environment (the project itself, installed editable, is skipped).

    python .ci/audit_dependencies.py

Exit 1 when a known vulnerability is found (each one listed with its fixed versions). When the
vulnerability service cannot be reached, or does not know some packages, the step says so loudly
(how many packages were NOT audited, and why) but does not fail: CI machines without access to
PyPI's JSON API or OSV would otherwise always fail. Set DEBATE_AUDIT_STRICT=1 to fail in that case
too. Environment: PIP_AUDIT_SERVICE (pypi, the default, or osv), PIP_AUDIT_TIMEOUT (seconds, 15).
"""

import json
import os
import subprocess
import sys

STRICT = os.environ.get("DEBATE_AUDIT_STRICT", "").strip().lower() in {"1", "true", "yes", "on"}


def main() -> int:
    service = os.environ.get("PIP_AUDIT_SERVICE", "pypi")
    command = [sys.executable, "-m", "pip_audit", "--local", "--skip-editable", "--format", "json",
               "--progress-spinner", "off", "--vulnerability-service", service,
               "--timeout", os.environ.get("PIP_AUDIT_TIMEOUT", "15")]
    print("$", " ".join(command[2:]), flush=True)
    run = subprocess.run(command, capture_output=True, text=True)
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(f"!!! pip-audit could not run (exit {run.returncode}); nothing was audited:")
        print("\n".join(run.stderr.strip().splitlines()[-15:]))
        return 1 if STRICT else 0

    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if "skip_reason" in d]
    audited = len(dependencies) - len(skipped)
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            print(f"VULNERABLE {dependency['name']} {dependency['version']}: {vuln['id']} "
                  f"{' '.join(vuln.get('aliases') or [])} (fixed in {fixed})")
    print(f"pip-audit ({service}): {audited} packages audited, {len(vulnerable)} vulnerable, "
          f"{len(skipped)} not audited")
    if skipped:
        reasons = {d["skip_reason"].split(":")[0] for d in skipped}
        print(f"!!! NOT AUDITED: {len(skipped)} of {len(dependencies)} packages "
              f"({'; '.join(sorted(reasons))}).")
        if audited == 0:
            print("!!! The vulnerability service could not be reached from this machine (or knows none of "
                  "these versions): this run proves nothing. Run it where PyPI's JSON API or OSV is reachable.")
    if vulnerable:
        return 1
    if skipped and STRICT:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
