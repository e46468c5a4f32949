"""httpx with httpx-sse, the way gateway documentation shows it: `connect_sse` a POST, iterate
`iter_sse()`, stop at `[DONE]`, `json.loads(sse.data)`.

Command mode: `python clients/python/httpx_sse_client.py`; service mode with TAPEDECK_SERVICE=1.
"""
import json
import os
import sys
from importlib.metadata import version

import httpx
from httpx_sse import connect_sse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tapedeck_client  # noqa: E402

CAPABILITIES = ["images.generate", "images.edit", "responses", "sse"]


def perform(scenario, observations):
    with httpx.Client(timeout=scenario.timeout) as client:
        if scenario.surface == "sse":
            with connect_sse(client, "GET", scenario.url) as source:
                for sse in source.iter_sse():
                    observations.plain_event(sse.event, sse.data, sse.id)
            return
        arguments = scenario.body_arguments()
        with connect_sse(client, "POST", scenario.url, headers=scenario.headers(), **arguments) as source:
            for sse in source.iter_sse():
                if sse.data == "[DONE]":
                    break
                tapedeck_client.record_payload(json.loads(sse.data), scenario, observations)


if __name__ == "__main__":
    tapedeck_client.main(perform, "httpx-sse", version("httpx-sse"), CAPABILITIES)
