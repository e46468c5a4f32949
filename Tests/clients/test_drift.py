"""`tapedeck drift` against a `tapedeck serve` standing in for the provider: the same cassettes
(unchanged), the shape real servers send (`--shape live`), and another dialect (aiswing's
Responses gateway). Reports are read as CI reads them: exit status and JUnit."""
import json
import os
import subprocess
import xml.etree.ElementTree as ElementTree

import pytest

from scenario_kit import REPOSITORY, TAPEDECK

CASSETTES = "^(images-generate-png-partial-2|images-edit-png-partial-1|responses-png-partial-2)$"


@pytest.fixture
def provider():
    """Starts `tapedeck serve` with the given options; every server is stopped at the end."""
    processes = []

    def start(*options):
        process = subprocess.Popen([TAPEDECK, "serve", "--port", "0", "--quiet", *options],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPOSITORY)
        processes.append(process)
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        return url

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def drift(*arguments, out):
    return subprocess.run([TAPEDECK, "drift", "--filter", CASSETTES, "--out", str(out), *arguments],
                          capture_output=True, text=True, timeout=300, cwd=REPOSITORY)


def junit_cases(out):
    root = ElementTree.parse(out / "junit.xml").getroot()
    return {case.get("name"): case for case in root.iter("testcase")}


def test_an_unchanged_provider_passes(provider, tmp_path):
    upstream = provider("--cassettes", "Cassettes")
    result = drift("--upstream", upstream, "--save", str(tmp_path / "new"), out=tmp_path / "report")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(": unchanged") == 3
    cases = junit_cases(tmp_path / "report")
    assert len(cases) == 3 and not any(case.find("failure") is not None for case in cases.values())
    assert sorted(os.listdir(tmp_path / "new")) == [
        "images-edit-png-partial-1.cassette.json", "images-generate-png-partial-2.cassette.json", "responses-png-partial-2.cassette.json"]
    assert (tmp_path / "report" / "index.html").exists()


def test_the_live_shape_breaks_what_the_docs_promised(provider, tmp_path):
    upstream = provider("--cassettes", "Cassettes", "--shape", "live")
    result = drift("--upstream", upstream, out=tmp_path / "report")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "responses-png-partial-2: 1 breaking" in result.stdout
    assert "breaking  DRIFT-EVENT-GONE response.image_generation_call.completed: sent 1× → not sent" in result.stdout
    assert "notable   DRIFT-STATUS-VALUE response.output_item.done item.status: completed → completed, generating" in result.stdout
    failure = junit_cases(tmp_path / "report")["responses-png-partial-2"].find("failure")
    assert failure is not None and failure.get("type") == "DRIFT-EVENT-GONE"
    report = json.loads((tmp_path / "report" / "run.json").read_text())
    verdicts = {result["id"]: result["verdict"] for result in report["results"]}
    assert verdicts["responses-png-partial-2"] == "fail"
    assert verdicts["images-generate-png-partial-2"] == "pass", "the Images API has no live shape of its own here"


def test_another_dialect(provider, tmp_path):
    upstream = provider("--synthesize", "--dialect", "aiswing")
    result = drift("--upstream", upstream, "--filter", "^responses-png-partial-2$", out=tmp_path / "report")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "DRIFT-DONE-ADDED" in result.stdout and "DRIFT-EVENT-GONE response.image_generation_call.completed" in result.stdout


def test_errors_are_never_green(tmp_path):
    nothing = drift("--upstream", "http://127.0.0.1:9", "--filter", "^no-such-cassette$", out=tmp_path / "a")
    assert nothing.returncode == 2 and "matches none of the" in nothing.stderr
    dead = drift("--upstream", "http://127.0.0.1:9", "--connect-timeout", "2", out=tmp_path / "b")
    assert dead.returncode == 2, dead.stdout + dead.stderr
    cases = junit_cases(tmp_path / "b")
    assert len(cases) == 3 and all(case.find("error") is not None for case in cases.values()), "the reports are written all the same"
    missing = subprocess.run([TAPEDECK, "drift"], capture_output=True, text=True, timeout=60, cwd=REPOSITORY)
    assert missing.returncode == 64 and "--upstream" in missing.stderr
