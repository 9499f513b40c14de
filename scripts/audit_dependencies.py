"""``make audit``: the installed dependencies against the known vulnerabilities.

Runs pip-audit on the virtualenv (every installed package, the unpinned ones that
the pinned ones bring included; arguments replace that, e.g. ``-r requirements.txt
--no-deps``) and reads its JSON report:

- a known vulnerability not accepted in ``pip-audit-ignore.txt``: exit 1;
- packages pip-audit could not check: named, loudly. pip-audit asks PyPI's JSON API
  for each version (``https://pypi.org/pypi/<name>/<version>/json``); where that
  address is not served (a network that reaches the package index only, like this
  project's CI) it answers « Dependency not found on PyPI » for every package and,
  on its own, still exits 0 with « No known vulnerabilities found ». Here that is
  « NOT CHECKED », exit 0, or exit 2 with ``AUDIT_REQUIRED=1`` (a release machine).

``pip-audit-ignore.txt``: one vulnerability id a line, then why it is accepted
(``PYSEC-2024-1  we never call the affected function``); ``#`` starts a comment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IGNORE_FILE = ROOT / "pip-audit-ignore.txt"


@dataclass
class Report:
    audited: list[str] = field(default_factory=list)
    vulnerable: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # name, version, id, fix
    skipped: list[tuple[str, str]] = field(default_factory=list)  # name, reason


def read_ignored(text: str) -> dict[str, str]:
    """{vulnerability id: reason}; a line without a reason is an error."""
    ignored = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        vuln_id, _, reason = line.partition(" ")
        if not reason.strip():
            raise ValueError(f"{IGNORE_FILE.name}:{number}: {vuln_id} needs a reason after it")
        ignored[vuln_id] = reason.strip()
    return ignored


def read_report(data: dict) -> Report:
    report = Report()
    for dependency in data.get("dependencies", []):
        name = dependency["name"]
        if "skip_reason" in dependency:
            report.skipped.append((name, dependency["skip_reason"]))
            continue
        report.audited.append(name)
        for vuln in dependency.get("vulns", []):
            fix = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
            report.vulnerable.append((name, dependency["version"], vuln["id"], fix))
    return report


def verdict(report: Report, *, required: bool) -> tuple[int, str]:
    """The exit status and what to print."""
    lines = []
    if report.vulnerable:
        lines.append(f"KNOWN VULNERABILITIES in {len(report.vulnerable)} case(s):")
        lines += [f"  {n} {v}: {i} (fixed in {fix})" for n, v, i, fix in report.vulnerable]
        lines.append(f"Upgrade, or accept one with its reason in {IGNORE_FILE.name}.")
        return 1, "\n".join(lines)
    total = len(report.audited) + len(report.skipped)
    if report.skipped:
        reasons = sorted({reason.split(":")[0] for _, reason in report.skipped})
        lines.append(
            f"NOT CHECKED: {len(report.skipped)} of {total} packages could not be audited "
            f"({'; '.join(reasons)})."
        )
        if not report.audited:
            lines += [
                "pip-audit reads the advisories from https://pypi.org/pypi/<name>/<version>/json:",
                "this network does not serve that address (it reaches the package index only).",
                "Run `make audit` where it does, before a release (docs/security.md).",
            ]
        lines.append("Not checked: " + ", ".join(name for name, _ in report.skipped))
    if report.audited:
        lines.append(f"{len(report.audited)} packages audited: no known vulnerability.")
    return (2 if report.skipped and required else 0), "\n".join(lines)


def main() -> int:
    try:
        ignored = read_ignored(IGNORE_FILE.read_text() if IGNORE_FILE.exists() else "")
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    # Other pip-audit arguments may replace --local: ``-r requirements.txt --no-deps``.
    command = [sys.executable, "-m", "pip_audit", *(sys.argv[1:] or ["--local"])]
    command += ["--format", "json"]
    command += ["--progress-spinner", "off", "--desc", "off"]
    for vuln_id in ignored:
        command += ["--ignore-vuln", vuln_id]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)  # noqa: S603
    try:
        data = json.loads(result.stdout)
    except ValueError:
        # pip-audit stopped before its report (the service unreachable, say).
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"NOT CHECKED: pip-audit failed ({last}).")
        return 2 if os.environ.get("AUDIT_REQUIRED") == "1" else 0
    status, text = verdict(read_report(data), required=os.environ.get("AUDIT_REQUIRED") == "1")
    if ignored:
        text += "\nAccepted: " + "; ".join(f"{i} ({why})" for i, why in ignored.items())
    print(text)
    return status


if __name__ == "__main__":
    sys.exit(main())
