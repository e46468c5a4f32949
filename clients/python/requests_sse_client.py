"""requests with requests-sse, the way its README shows it: an `EventSource` context manager
(here with `method="POST"` and the body), iterate it, stop at `[DONE]`,
`json.loads(event.data)`.

requests-sse is an EventSource: when a stream ends it waits and connects again, so its users
leave the loop at the last event they expect. On the plain `sse` surface there is none; the
adapter leaves at the end of the first connection, which the library announces by calling
`on_error`.

Command mode: `python clients/python/requests_sse_client.py`; service mode with TAPEDECK_SERVICE=1.
"""
import json
import os
import sys
from importlib.metadata import version

from requests_sse import EventSource

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tapedeck_client  # noqa: E402

CAPABILITIES = ["images.generate", "images.edit", "responses", "sse"]
LAST_EVENTS = tapedeck_client.IMAGE_FINALS + ("response.completed", "response.failed", "response.incomplete")


class ConnectionEnded(Exception):
    """Raised from `on_error` to leave the loop instead of reconnecting."""


def record_plain_stream(scenario, observations):
    opened = []

    def end_of_connection():
        # Before the stream opened, `on_error` announces a refused connection, which the
        # library then raises itself.
        if opened:
            raise ConnectionEnded()

    source = EventSource(
        scenario.url, timeout=scenario.timeout, on_open=lambda: opened.append(True), on_error=end_of_connection,
    )
    try:
        with source:
            for event in source:
                observations.plain_event(event.type, event.data, event.last_event_id)
    except ConnectionEnded:
        pass


def perform(scenario, observations):
    if scenario.surface == "sse":
        return record_plain_stream(scenario, observations)
    source = EventSource(
        scenario.url, method="POST", headers=scenario.headers(), timeout=scenario.timeout, **scenario.body_arguments(),
    )
    with source:
        for event in source:
            if event.data == "[DONE]":
                break
            payload = json.loads(event.data)
            tapedeck_client.record_payload(payload, scenario, observations)
            if payload.get("type") in LAST_EVENTS:
                break


if __name__ == "__main__":
    tapedeck_client.main(perform, "requests-sse", version("requests-sse"), CAPABILITIES)
