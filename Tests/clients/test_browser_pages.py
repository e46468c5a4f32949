"""Web pages as clients: each page's own streaming code runs in Debian's headless Chromium
through clients/browser/browser_client.py, from a file:// page, so its requests cross origins
as a deployed page's do, against `tapedeck run`. The careful page passes; the aiswing gateway's
documented example fails exactly where docs/client-findings.md says it does."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

from scenario_kit import REPOSITORY, TAPEDECK

CHROMIUM = next((path for path in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if os.path.exists(path)), None)
ADAPTER = os.path.join(REPOSITORY, "clients", "browser", "browser_client.py")
SLICE = (
    "^(images-generate-png-partial-1|responses-png-partial-1)"
    "@(default|shape=live|eol=crlf,heartbeat=1|fault=truncate-final-image|fault=status:500|fault=error-event:nested@1"
    "|images=full-size|shape=live,images=full-size|(shape=live,)?fault=silence:1s@0:comments=0.25s)$"
)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium; ./scripts/test installs it (apt-get install -y chromium)")


def run_page(page):
    with tempfile.TemporaryDirectory() as out:
        command = f"{sys.executable} {ADAPTER} {os.path.join(REPOSITORY, 'clients', 'browser', 'pages', page)}"
        result = subprocess.run(
            [TAPEDECK, "run", "--client", command, "--capabilities", "images.generate,responses", "--filter", SLICE,
             "--timeout", "60", "--out", out, "--plain"],
            capture_output=True, text=True, cwd=REPOSITORY, timeout=900,
        )
        with open(os.path.join(out, "run.json")) as file:
            report = json.load(file)
    return result, {entry["id"].split("@", 1)[1] + "@" + entry["source"]: entry for entry in report["results"]}


def rules(entry):
    return sorted({violation["ruleID"] for violation in entry["violations"]})


def test_careful_page_passes_everything():
    result, verdicts = run_page("careful.js")
    assert result.returncode == 0, result.stdout + result.stderr
    # Seven scenarios of the Images surface, eight of the Responses one (its live shape too).
    assert len(verdicts) == 15, sorted(verdicts)
    assert all(entry["verdict"] == "pass" for entry in verdicts.values())


def test_aiswing_example_fails_where_the_findings_say():
    result, verdicts = run_page("aiswing.js")
    assert result.returncode == 1, result.stdout + result.stderr
    assert not [key for key, entry in verdicts.items() if entry["verdict"] == "error"]
    for source in ("images-generate-png-partial-1", "responses-png-partial-1"):
        # Clean streams, in either shape, at real size and after a silence: the image is shown.
        for scenario in ("default", "shape=live", "images=full-size", "shape=live,images=full-size",
                         "fault=silence:1s@0:comments=0.25s", "shape=live,fault=silence:1s@0:comments=0.25s"):
            key = f"{scenario}@{source}"
            if key in verdicts:
                assert verdicts[key]["verdict"] == "pass", (key, verdicts[key]["violations"])
        # No status check, no error handling, no image check: nothing is reported.
        assert rules(verdicts[f"fault=status:500@{source}"]) == ["CLIENT-004"]
        assert rules(verdicts[f"fault=error-event:nested@1@{source}"]) == ["CLIENT-004"]
        assert rules(verdicts[f"fault=truncate-final-image@{source}"]) == ["CLIENT-004", "CLIENT-005"]
        # split("\n\n") never matches CRLF: no event, no image, and no error.
        assert {"CLIENT-002", "CLIENT-003"} <= set(rules(verdicts[f"eol=crlf,heartbeat=1@{source}"]))
