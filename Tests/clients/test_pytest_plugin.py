"""pytest-tapedeck, as its users run it: test files of their own, run by pytest in a process of
its own (pytester), against a real `tapedeck session` and a real `tapedeck proxy`."""
import json
import os
import subprocess
import xml.etree.ElementTree as ElementTree

import pytest

from conftest import CassetteServer
from scenario_kit import REPOSITORY, TAPEDECK

pytest_plugins = ["pytester"]

# A small suite: one cassette, delivered whole, as it is and with its final image truncated.
SELECTION = [
    f"--tapedeck-bin={TAPEDECK}",
    f"--tapedeck-cassettes={os.path.join(REPOSITORY, 'Cassettes')}",
    f"--tapedeck-specs={os.path.join(REPOSITORY, 'Specs')}",
    "--tapedeck-filter=^images-generate-png-partial-2@",
    "--tapedeck-fault=none+truncate-final-image+fault=status:429",
    "--tapedeck-chunking=whole",
    "--tapedeck-full-size=none",
    "--tapedeck-shape=documented",
    "--tapedeck-profile=none",
    "--tapedeck-no-wire",
    "-p", "no:cacheprovider",
]

# A client made of httpx and httpx-sse, as a test would write it; CAREFUL decides whether it
# checks the final image before presenting it.
CLIENT = '''
import base64, json, struct, zlib
import httpx, httpx_sse

def png_is_whole(data):
    """The PNG's chunks all present, each with its CRC."""
    if not data.startswith(b"\\x89PNG\\r\\n\\x1a\\n"):
        return False
    offset = 8
    while offset + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        end = offset + 12 + length
        if end > len(data) or zlib.crc32(data[offset + 4:end - 4]) != struct.unpack(">I", data[end - 4:end])[0]:
            return False
        if kind == b"IEND":
            return True
        offset = end
    return False

def generate(scenario, careful):
    seen = scenario.observations
    with httpx.Client(timeout=scenario.timeout) as client:
        with httpx_sse.connect_sse(client, "POST", scenario.url, json=scenario.body, headers=scenario.headers()) as source:
            source.response.raise_for_status()
            final = None
            for event in source.iter_sse():
                payload = json.loads(event.data)
                seen.event(payload)
                if payload["type"] == "image_generation.partial_image":
                    seen.partial_image(base64.b64decode(payload["b64_json"]), "png")
                if payload["type"] == "image_generation.completed":
                    final = base64.b64decode(payload["b64_json"])
    if final is None:
        raise RuntimeError("no final image")
    if careful and not png_is_whole(final):
        raise RuntimeError("the final image is broken")
    seen.final_image(final, "png")
'''


def run(pytester, test_body, *options):
    pytester.makepyfile(client=CLIENT, test_scenarios=test_body)
    return pytester.runpytest_subprocess(*SELECTION, *options, timeout=300)


def test_a_careful_client_passes_every_scenario(pytester):
    result = run(pytester, '''
from client import generate

def test_generate(tapedeck_scenario):
    generate(tapedeck_scenario, careful=True)
''', "-v")
    result.assert_outcomes(passed=3)
    # The 429's exception left the test: that is the error report the scenario asks for.
    result.stdout.fnmatch_lines(["*test_generate?images-generate-png-partial-2@fault=status:429? PASSED*"])


def test_a_careless_client_fails_with_the_rules_broken_and_how_to_rerun(pytester):
    result = run(pytester, '''
from client import generate

def test_generate(tapedeck_scenario):
    generate(tapedeck_scenario, careful=False)
''')
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines([
        "*Tapedeck scenario images-generate-png-partial-2@fault=truncate-final-image: fail*",
        "CLIENT-004 MUST:*",
        "  expected: an error, because the final image in event 2 (image_generation.completed) is broken*",
        "  observed: exit 0, no error reported*",
        "CLIENT-005 MUST:*",
        "reproduce: pytest 'test_scenarios.py::test_generate?images-generate-png-partial-2@fault=truncate-final-image?'*",
    ])


def test_judge_returns_the_result_and_a_failed_assertion_stays_a_failure(pytester):
    result = run(pytester, '''
import pytest
from client import generate

@pytest.mark.tapedeck(filter="@default$")
def test_judged_in_the_test(tapedeck_scenario):
    assert tapedeck_scenario.success_required and tapedeck_scenario.error_required is None
    generate(tapedeck_scenario, careful=True)
    result = tapedeck_scenario.judge()
    assert result["verdict"] == "pass" and result["violations"] == []

@pytest.mark.tapedeck(filter="truncate")
def test_an_assertion_is_not_an_error_report(tapedeck_scenario):
    assert tapedeck_scenario.error_required
    assert False, "the test's own assertion"
''')
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*AssertionError: the test's own assertion*"])
    assert "Tapedeck scenario" not in result.stdout.str()


def test_a_selection_of_nothing_is_an_error_not_a_green_run(pytester):
    result = run(pytester, '''
import pytest

@pytest.mark.tapedeck(filter="no-such-scenario")
def test_nothing(tapedeck_scenario):
    pass
''')
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*selects none of the session's 3 scenarios*"])


def test_scenarios_beyond_the_declared_capabilities_are_skipped_with_the_reason(pytester):
    result = run(pytester, '''
def test_generate(tapedeck_scenario):
    raise AssertionError("never runs")
''', "--tapedeck-capabilities=responses", "-rs")
    result.assert_outcomes(skipped=3)
    result.stdout.fnmatch_lines(["*the client does not declare the capability images.generate*"])


def test_the_session_writes_the_reports_of_what_it_judged(pytester):
    out = pytester.path / "reports"
    result = run(pytester, '''
from client import generate

def test_generate(tapedeck_scenario):
    generate(tapedeck_scenario, careful=False)
''', f"--tapedeck-out={out}")
    result.assert_outcomes(passed=2, failed=1)
    report = json.loads((out / "run.json").read_text())
    assert sorted(result["verdict"] for result in report["results"]) == ["fail", "pass", "pass"]
    assert report["client"]["mode"] == "session"
    cases = ElementTree.parse(out / "junit.xml").getroot().iter("testcase")
    assert len(list(cases)) == 3
    assert "truncate-final-image" in (out / "index.html").read_text()


def test_the_proxy_records_in_one_mode_and_replays_in_another(pytester, monkeypatch):
    upstream = CassetteServer("--synthesize")
    try:
        pytester.makepyfile(test_recorded='''
import httpx

BODY = {"model": "gpt-image-1", "prompt": "a lighthouse", "stream": True, "partial_images": 1, "size": "1024x1024"}

def test_generate(tapedeck_proxy):
    response = httpx.post(tapedeck_proxy + "/images/generations", json=BODY, headers={"Authorization": "Bearer sk-x"}, timeout=60)
    assert response.status_code == 200, response.text
    assert "image_generation.completed" in response.text
''')
        options = [f"--tapedeck-bin={TAPEDECK}", "-p", "no:cacheprovider"]
        recorded = pytester.runpytest_subprocess(*options, f"--tapedeck-upstream={upstream.url}", "--tapedeck-record-mode=all", timeout=300)
        recorded.assert_outcomes(passed=1)
        folder = pytester.path / "cassettes" / "test_recorded" / "test_generate"
        assert [path.name.endswith(".cassette.json") for path in folder.iterdir()] == [True]
    finally:
        upstream.stop()
    # TAPEDECK_RECORD=none, as pytest-recording's default: the upstream is gone; the cassette answers.
    monkeypatch.setenv("TAPEDECK_RECORD", "none")
    monkeypatch.setenv("TAPEDECK_UPSTREAM", "http://127.0.0.1:9")
    replayed = pytester.runpytest_subprocess(*options, timeout=300)
    replayed.assert_outcomes(passed=1)


def test_the_documented_example_suite_passes():
    """docs/examples/pytest, run as its docstring says."""
    completed = subprocess.run(
        [os.path.join(REPOSITORY, ".venv", "bin", "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "docs/examples/pytest", f"--tapedeck-bin={TAPEDECK}"],
        cwd=REPOSITORY, capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-2000:]
    assert " passed" in completed.stdout and " failed" not in completed.stdout
