"""The Swift adapter (clients/swift: async-http-client through the OpenAPI transport,
swift-openapi-runtime's event-stream decoding) through `tapedeck run`, in service mode: what it
gets right passes, and what docs/client-findings.md records against it fails under the rules
it names (findings 1, 12 and 18)."""
import json
import os
import subprocess
import tempfile

import pytest

from scenario_kit import REPOSITORY, TAPEDECK

ADAPTER = os.path.join(REPOSITORY, "clients", "swift", ".build", "debug", "tapedeck-swift-client")
SLICE = (
    "^(images-generate-png-partial-2|images-edit-png-partial-1|responses-png-partial-1|images-generate-json-n2|images-generate-apiyi)"
    "@(default|shape=live|chunking=adversarial,seed=1|fault=truncate-final-image|fault=ping@0|eol=cr)$"
    "|^(wpt-format-comments|edge-a-bom-split-ef-bb-bf-is-stripped-exactly-once"
    "|edge-an-event-only-block-dispatches-nothing-and-its-type-does-not-leak-into-the)@default$"
)


@pytest.fixture(scope="module")
def report():
    if not os.access(ADAPTER, os.X_OK):
        pytest.fail(f"{ADAPTER} is not built: ./scripts/test builds it (swift build --package-path clients/swift)")
    with tempfile.TemporaryDirectory() as out:
        result = subprocess.run(
            [TAPEDECK, "run", "--client-service", ADAPTER, "--filter", SLICE, "--full-size", "none",
             "--timeout", "300", "--out", out, "--plain"],
            capture_output=True, text=True, cwd=REPOSITORY, timeout=1200,
        )
        assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-3000:]
        with open(os.path.join(out, "run.json")) as file:
            report = json.load(file)
    return {entry["id"]: entry for entry in report["results"]}, report


def rules(entry):
    return {violation["ruleID"] for violation in entry["violations"]}


def test_the_adapter_declares_itself_and_no_scenario_is_a_harness_error(report):
    verdicts, whole = report
    assert whole["client"]["mode"] == "service" and whole["client"]["name"] == "swift-openapi-runtime"
    assert len(verdicts) == 23
    assert not [scenario for scenario, entry in verdicts.items() if entry["verdict"] in ("error", "skipped")]


@pytest.mark.parametrize("scenario", [
    "images-generate-png-partial-2@default",
    "images-generate-png-partial-2@chunking=adversarial,seed=1",
    "images-generate-png-partial-2@eol=cr",
    "images-generate-png-partial-2@fault=ping@0",
    "images-edit-png-partial-1@default",
    "responses-png-partial-1@default",
    "responses-png-partial-1@shape=live",
    "images-generate-json-n2@default",
    "wpt-format-comments@default",
])
def test_what_the_libraries_get_right_passes(report, scenario):
    entry = report[0][scenario]
    assert entry["verdict"] == "pass", entry["violations"]


def test_a_truncated_final_image_is_presented_as_complete(report):
    # Finding 1, as with every library: nothing looks at the image.
    assert {"CLIENT-004", "CLIENT-005"} <= rules(report[0]["images-generate-png-partial-2@fault=truncate-final-image"])


def test_a_data_url_in_b64_json_is_refused_by_foundation_and_reported(report):
    # Finding 12: Data(base64Encoded:) returns nil for `data:image/png;base64,…`; the user sees
    # an error instead of the image the gateway sent.
    entry = report[0]["images-generate-apiyi@default"]
    assert entry["verdict"] == "fail" and "CLIENT-001" in rules(entry)


def test_the_decoder_keeps_a_bom_and_dispatches_blocks_without_data(report):
    # Finding 18: a leading BOM is not stripped, and a block with no data line (an `event:`
    # alone) is handed over as an event.
    bom = report[0]["edge-a-bom-split-ef-bb-bf-is-stripped-exactly-once@default"]
    assert rules(bom) == {"CLIENT-009"}
    event_only = report[0]["edge-an-event-only-block-dispatches-nothing-and-its-type-does-not-leak-into-the@default"]
    assert rules(event_only) == {"CLIENT-009"}
    assert "saw ping" in event_only["violations"][0]["observed"]
