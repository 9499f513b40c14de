"""``make audit`` (scripts/audit_dependencies.py): pip-audit's report, read."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.audit_dependencies import read_ignored, read_report, verdict
from tests.stub_server import serve

ROOT = Path(__file__).resolve().parent.parent

#: pip-audit's JSON for an old Django (the shape of ``pip-audit -f json``).
VULNERABLE = {
    "dependencies": [
        {
            "name": "django",
            "version": "4.2.0",
            "vulns": [
                {"id": "PYSEC-2023-100", "fix_versions": ["3.2.20", "4.1.10", "4.2.2"]},
                {"id": "GHSA-xxxx-yyyy-zzzz", "fix_versions": []},
            ],
        },
        {"name": "pillow", "version": "13.0.0", "vulns": []},
    ],
    "fixes": [],
}
#: What pip-audit answers where PyPI's per-version JSON API is not served.
UNREACHABLE = {
    "dependencies": [
        {
            "name": name,
            "skip_reason": f"Dependency not found on PyPI and could not be audited: {name} (1.0)",
        }
        for name in ("django", "pillow")
    ],
    "fixes": [],
}


def test_a_known_vulnerability_fails():
    status, text = verdict(read_report(VULNERABLE), required=False)
    assert status == 1
    assert "django 4.2.0: PYSEC-2023-100 (fixed in 3.2.20, 4.1.10, 4.2.2)" in text
    assert "GHSA-xxxx-yyyy-zzzz (fixed in no fix yet)" in text


def test_a_clean_report_passes():
    clean = {"dependencies": [{"name": "pillow", "version": "13.0.0", "vulns": []}]}
    assert verdict(read_report(clean), required=True) == (
        0,
        "1 packages audited: no known vulnerability.",
    )


def test_nothing_checked_is_said_never_passed_off_as_clean():
    status, text = verdict(read_report(UNREACHABLE), required=False)
    assert status == 0
    assert text.startswith("NOT CHECKED: 2 of 2 packages could not be audited")
    assert "no known vulnerability" not in text
    assert "Not checked: django, pillow" in text
    # Where an audit is required (a release), that is a failure.
    assert verdict(read_report(UNREACHABLE), required=True)[0] == 2


def test_accepted_vulnerabilities_need_a_reason():
    text = "# accepted\nPYSEC-2023-100  we never serve files with FileResponse\n\n"
    assert read_ignored(text) == {"PYSEC-2023-100": "we never serve files with FileResponse"}
    with pytest.raises(ValueError, match="needs a reason"):
        read_ignored("PYSEC-2023-100\n")


#: OSV's one advisory, for Django 4.2.0.
ADVISORY = {
    "id": "PYSEC-2023-100",
    "modified": "2023-05-07T00:00:00Z",
    "details": "Potential bypass of validation when uploading multiple files.",
    "affected": [
        {
            "package": {"name": "django", "ecosystem": "PyPI"},
            "ranges": [
                {"type": "ECOSYSTEM", "events": [{"introduced": "4.2"}, {"fixed": "4.2.1"}]}
            ],
        }
    ],
}


def is_old_django(request):
    """OSV's query API is POSTed ``{"package": {"name": …}, "version": …}``."""
    query = json.loads(request["body"])
    return query["package"]["name"].lower() == "django" and query["version"] == "4.2.0"


def test_make_audit_fails_on_an_old_django_reported_by_pip_audit(tmp_path):
    """The whole chain, pip-audit included, against a vulnerability service on loopback."""
    pins = tmp_path / "requirements.txt"
    pins.write_text("Django==4.2.0\npillow==13.0.0\n")
    with serve(key=is_old_django) as osv:  # OSV's query API on loopback
        osv.answer(True, {"vulns": [ADVISORY]})
        osv.answer(False, {})
        result = subprocess.run(  # noqa: S603 (our own script)
            [sys.executable, "scripts/audit_dependencies.py", "-r", str(pins), "--no-deps"]
            + [
                "--disable-pip",
                "-s",
                "osv",
                "--osv-url",
                osv.url("/"),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "django 4.2.0: PYSEC-2023-100 (fixed in 4.2.1)" in result.stdout
    assert "pillow" not in result.stdout
