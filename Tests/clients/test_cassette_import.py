"""`tapedeck cassette import` on recordings made the way users make them: vcrpy around the
openai SDK (as pytest-recording does), and Chromium's HAR of a page's fetch (through
Playwright, as devtools export it), both of a `tapedeck serve --synthesize` stream. The
imported cassettes validate and then pass the suite of `tapedeck run` like any cassette."""
import json
import os
import subprocess

import pytest

from scenario_kit import REPOSITORY, TAPEDECK

CHROMIUM = next((path for path in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if os.path.exists(path)), None)
KEY = "sk-test-abcdefghijklmnopqrstuvwxyz0123456789"


@pytest.fixture
def synthesizing_server():
    process = subprocess.Popen([TAPEDECK, "serve", "--synthesize", "--port", "0", "--quiet"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPOSITORY)
    url = process.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:"), url
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def tapedeck(*arguments, timeout=300):
    return subprocess.run([TAPEDECK, *arguments], capture_output=True, text=True, timeout=timeout, cwd=REPOSITORY)


def imported_cassettes(folder):
    return sorted(name for name in os.listdir(folder) if name.endswith(".cassette.json"))


def check_runs_clean(folder, tmp_path):
    """The imported cassettes through the suite, with the reference client: every scenario passes."""
    run = tapedeck("run", "--cassettes", str(folder), "--no-wire", "--full-size", "none", "--chunking", "whole,adversarial",
                   "--out", str(tmp_path / "report"))
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    report = json.loads((tmp_path / "report" / "run.json").read_text())
    assert len(report["results"]) > 20
    assert {result["verdict"] for result in report["results"]} == {"pass"}
    assert not any(result["strategy"] == "recorded" for result in report["results"]), "no arrival chunks, no recorded replay"
    return report


def test_vcrpy_cassette_of_the_openai_sdk(synthesizing_server, tmp_path):
    import openai
    import vcr

    recording = tmp_path / "cassettes" / "test_generate.yaml"
    client = openai.OpenAI(base_url=synthesizing_server + "/v1", api_key=KEY)
    with vcr.use_cassette(str(recording), record_mode="all"):
        images = [event.type for event in client.images.generate(
            model="gpt-image-1", prompt="an otter", stream=True, partial_images=2, size="1024x1024")]
        responses = [event.type for event in client.responses.create(
            model="gpt-5", input="a lighthouse", stream=True, tools=[{"type": "image_generation", "partial_images": 1}])]
        with pytest.raises(openai.NotFoundError):
            client.models.list()  # recorded too: an exchange the import skips
    assert images[-1] == "image_generation.completed" and responses[-1] == "response.completed"

    out = tmp_path / "imported"
    result = tapedeck("cassette", "import", str(recording), "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert imported_cassettes(out) == ["test_generate-1.cassette.json", "test_generate-2.cassette.json"]
    assert "skipped interactions[2]: GET" in result.stdout, "the models call is listed as skipped"
    assert result.stdout.count("conforms") == 2
    first = json.loads((out / "test_generate-1.cassette.json").read_text())
    assert first["provenance"]["kind"] == "imported" and first["provenance"]["format"] == "vcrpy"
    assert first["surface"] == "images.generate"
    assert [event["type"] for event in first["response"]["events"]] == images
    assert len(first["response"]["chunks"]) == 1
    text = "".join(open(out / name).read() for name in imported_cassettes(out))
    assert KEY not in text, "the API key is redacted"

    # Never overwritten without --force.
    again = tapedeck("cassette", "import", str(recording), "--out", str(out))
    assert again.returncode == 2 and "--force" in again.stderr
    check_runs_clean(out, tmp_path)


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium; ./scripts/test installs it (apt-get install -y chromium)")
def test_har_of_a_page_in_chromium(synthesizing_server, tmp_path):
    from playwright.sync_api import sync_playwright

    har = tmp_path / "page.har"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            context = browser.new_context(record_har_path=str(har), record_har_content="embed")
            page = context.new_page()
            page.goto(synthesizing_server + "/")
            length = page.evaluate("""async (key) => {
                const response = await fetch('/v1/images/generations', {method: 'POST',
                    headers: {'Content-Type': 'application/json', 'Authorization': 'Bearer ' + key},
                    body: JSON.stringify({model: 'gpt-image-1', prompt: 'an otter', stream: true, partial_images: 1,
                                          size: '1024x1536', output_format: 'jpeg'})});
                return (await response.text()).length;
            }""", KEY)
            context.close()
        finally:
            browser.close()
    assert length > 1000

    out = tmp_path / "imported"
    result = tapedeck("cassette", "import", str(har), "--name", "page-generate", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert imported_cassettes(out) == ["page-generate.cassette.json"]
    cassette = json.loads((out / "page-generate.cassette.json").read_text())
    assert cassette["provenance"]["format"] == "har" and "at" in cassette["provenance"]
    assert cassette["response"]["chunks"][0][0] == length
    assert KEY not in (out / "page-generate.cassette.json").read_text()
    check_runs_clean(out, tmp_path)


def test_a_file_without_image_exchanges_is_an_error(tmp_path):
    path = tmp_path / "models.yaml"
    path.write_text("interactions:\n- request: {method: GET, uri: 'https://api.openai.com/v1/models', body: null, headers: {}}\n"
                    "  response: {status: {code: 200}, body: {string: '{}'}, headers: {}}\nversion: 1\n")
    result = tapedeck("cassette", "import", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "holds no exchange with an image surface's endpoint" in result.stderr
    assert not (tmp_path / "out").exists()
