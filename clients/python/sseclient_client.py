"""requests with sseclient-py, the way its README and gateway documentation show it: a
streamed `requests.post`, `SSEClient(response).events()`, stop at `[DONE]`,
`json.loads(event.data)`.

Command mode: `python clients/python/sseclient_client.py`; service mode with TAPEDECK_SERVICE=1.
"""
import json
import os
import sys
from importlib.metadata import version

import requests
import sseclient

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tapedeck_client  # noqa: E402

CAPABILITIES = ["images.generate", "images.edit", "responses", "sse"]
EVENT_STREAM = {"Accept": "text/event-stream"}


def perform(scenario, observations):
    if scenario.surface == "sse":
        with requests.get(scenario.url, stream=True, headers=EVENT_STREAM, timeout=scenario.timeout) as response:
            for event in sseclient.SSEClient(response).events():
                # sseclient-py gives each event its own `id` and keeps no last event ID.
                observations.plain_event(event.event, event.data, event.id or "")
        return
    with requests.post(
        scenario.url, stream=True, headers={**EVENT_STREAM, **scenario.headers()}, timeout=scenario.timeout,
        **scenario.body_arguments(),
    ) as response:
        for event in sseclient.SSEClient(response).events():
            if event.data == "[DONE]":
                break
            tapedeck_client.record_payload(json.loads(event.data), scenario, observations)


if __name__ == "__main__":
    tapedeck_client.main(perform, "sseclient-py", version("sseclient-py"), CAPABILITIES)
