"""Every adapter under clients/, in command mode and in service mode, against `tapedeck serve`
on a slice of the bundled cassettes: what it writes must be what the cassette delivered.

Each (adapter, mode) runs its whole slice in one test, command-mode scenarios a few at a time,
so the file stays near a minute on a busy two-core machine.
"""
import os
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

import pytest

import scenario_kit

PYTHON = sys.executable
ADAPTERS = {
    "openai-python": (f"{PYTHON} clients/python/openai_sdk.py", ["images.generate", "images.edit", "responses", "json", "sse"]),
    "httpx-sse": (f"{PYTHON} clients/python/httpx_sse_client.py", ["images.generate", "images.edit", "responses", "sse"]),
    "sseclient-py": (f"{PYTHON} clients/python/sseclient_client.py", ["images.generate", "images.edit", "responses", "sse"]),
    "requests-sse": (f"{PYTHON} clients/python/requests_sse_client.py", ["images.generate", "images.edit", "responses", "sse"]),
    "node-fetch-splitter": ("node clients/node/fetch_client.mjs", ["images.generate", "images.edit", "responses", "json"]),
}
STREAMED = ["images-generate-png-partial-1", "images-edit-png-partial-1", "responses-png-partial-1"]
JSON_BODY = "images-generate-json-n2"
# Byte-at-a-time delivery costs the Python and Node HTTP stacks about a millisecond per byte
# on a loaded machine, so it runs on the smallest stream that still has a partial image.
BYTE_AT_A_TIME = "images-generate-png-partial-1"


def slice_for(capabilities):
    scenarios = [(cassette, "chunking=adversarial,seed=11") for cassette in STREAMED]
    scenarios.append((BYTE_AT_A_TIME, "chunking=bytes"))
    if "json" in capabilities:
        scenarios.append((JSON_BODY, "chunking=adversarial,seed=11"))
    return scenarios


def prepare(server_url, cassette, scenario):
    folder = tempfile.mkdtemp(prefix="tapedeck-adapter-")
    loaded, _ = scenario_kit.load_cassette(cassette)
    request_path = scenario_kit.write_request(loaded, folder)
    output = os.path.join(folder, "out")
    os.makedirs(output)
    return scenario_kit.base_url(server_url, cassette, scenario), request_path, output


def mismatches(cassette, scenario, status, output, log=""):
    """What the adapter got wrong for a conformant delivery, as lines; none when it was right."""
    want = scenario_kit.expected(cassette)
    seen = scenario_kit.observations(output)
    label = f"{cassette} @ {scenario}"
    problems = []
    if status != 0 or seen["error"] is not None:
        problems.append(f"{label}: exit {status}, error {seen['error']}\n{log[-1500:]}")
    events = [(event["type"], event.get("partial_image_index")) for event in seen["events"]]
    if events != want["events"]:
        problems.append(f"{label}: events {events} != delivered {want['events']}")
    names = list(seen["finals"])
    if [name.split(".")[0] for name in names] != [f"final-{index}" for index in range(len(names))]:
        problems.append(f"{label}: final image files named {names}")
    if list(seen["finals"].values()) != want["finals"]:
        problems.append(f"{label}: final image SHA-256 {list(seen['finals'].values())} != delivered {want['finals']}")
    return problems


def run_in_command_mode(command, server_url, scenarios):
    def one(item):
        cassette, scenario = item
        url, request_path, output = prepare(server_url, cassette, scenario)
        status, log = scenario_kit.run_command(command, url, request_path, output, timeout=60)
        return mismatches(cassette, scenario, status, output, log)

    with ThreadPoolExecutor(max_workers=3) as pool:
        return [problem for problems in pool.map(one, scenarios) for problem in problems]


def run_in_service_mode(service, server_url, scenarios):
    problems = []
    for cassette, scenario in scenarios:
        url, request_path, output = prepare(server_url, cassette, scenario)
        status = service.run(url, request_path, output, timeout=60)
        problems += mismatches(cassette, scenario, status, output)
    return problems


@pytest.mark.parametrize("adapter", ADAPTERS)
def test_command_mode_surfaces_what_was_delivered(cassette_server, adapter):
    command, capabilities = ADAPTERS[adapter]
    problems = run_in_command_mode(command, cassette_server.url, slice_for(capabilities))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("adapter", ADAPTERS)
def test_service_mode_surfaces_what_was_delivered(cassette_server, adapter):
    command, capabilities = ADAPTERS[adapter]
    service = scenario_kit.Service(command)
    try:
        assert service.hello["tapedeck"] == "client/1"
        assert service.hello["name"] == adapter
        assert service.hello["version"]
        assert service.hello["capabilities"] == capabilities
        problems = run_in_service_mode(service, cassette_server.url, slice_for(capabilities))
    finally:
        exit_status = service.close()
    assert not problems, "\n".join(problems)
    assert exit_status == 0, "the service did not exit 0 when its standard input closed"


@pytest.mark.parametrize("adapter", [name for name, (_, capabilities) in ADAPTERS.items() if "sse" in capabilities])
def test_plain_event_stream_reports_each_dispatched_event(stream_server, adapter):
    command, _ = ADAPTERS[adapter]
    folder = tempfile.mkdtemp(prefix="tapedeck-adapter-")
    request_path = scenario_kit.write_plain_request("/events/images-edit-crlf-heartbeat", folder)
    output = os.path.join(folder, "out")
    status, log = scenario_kit.run_command(command, f"{stream_server}/v1", request_path, output, timeout=60)
    assert status == 0, log
    with open(os.path.join(scenario_kit.REPOSITORY, "Cassettes", "streams", "images-edit-crlf-heartbeat.sse"), "rb") as file:
        delivered = scenario_kit.delivered_events(file.read())
    seen = scenario_kit.observations(output)["events"]
    assert [(event["type"], event["data"], event["id"]) for event in seen] == \
        [(event["event"], event["data"], event["id"]) for event in delivered]
    assert len(seen) == 2


@pytest.mark.parametrize("adapter", ["openai-python", "requests-sse", "node-fetch-splitter"])
def test_http_error_is_reported_with_its_status(cassette_server, adapter):
    command, _ = ADAPTERS[adapter]
    url, request_path, output = prepare(cassette_server.url, "images-generate-png-partial-1", "fault=status:400")
    status, log = scenario_kit.run_command(command, url, request_path, output, timeout=60)
    seen = scenario_kit.observations(output)
    assert status != 0, log
    assert seen["error"]["status"] == 400
    assert seen["finals"] == {}
