"""A gateway user following a job's progress, as the gateway's page describes it: python-socketio
on the `/image-progress` namespace, opened before the request, and the openai SDK for the
image. The SDK's raw response gives the `x-job-id` header that names the job; the messages for
that job are shown as they came, then the completion.

Command mode: `python clients/python/gateway_progress.py` with the TAPEDECK_* variables set.
Service mode: the same with TAPEDECK_SERVICE=1. See clients/README.md.
"""
import importlib.metadata
import os
import sys
import threading
import time

import openai
import socketio

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tapedeck_client  # noqa: E402
from openai_sdk import keyword_arguments, record_body  # noqa: E402

CAPABILITIES = ["images.generate", "json", "progress"]
# How long the socket stays open after the image, for a completion that comes after it (it
# closes at the completion).
LINGER_SECONDS = 2


class Follower:
    """A Socket.IO client keeping every progress and completion message, in arrival order."""

    def __init__(self, channel):
        self.messages = []
        self.completed = threading.Event()
        self.client = socketio.Client(reconnection=False)
        namespace = channel["namespace"]
        self.client.on(channel["progress_event"], lambda data: self.messages.append(("progress", data)), namespace=namespace)

        def on_complete(data):
            self.messages.append(("complete", data))
            self.completed.set()

        self.client.on(channel["complete_event"], on_complete, namespace=namespace)
        self.client.connect(channel["origin"], socketio_path=channel["socket_io_path"], namespaces=[namespace], transports=["websocket"], wait_timeout=5)

    def close(self):
        self.client.disconnect()


def perform(scenario, observations):
    channel = scenario.request.get("progress")
    follower = Follower(channel) if channel else None
    try:
        with openai.OpenAI(base_url=scenario.base_url, api_key=scenario.api_key) as client:
            method = client.images.with_raw_response.generate
            body = scenario.body
            body.pop("stream", None)
            raw = method(**keyword_arguments(client.images.generate, body))
            record_body(raw.parse(), scenario, observations)
        if follower:
            job = raw.headers.get(channel["job_header"])
            follower.completed.wait(LINGER_SECONDS)
            for kind, data in list(follower.messages):
                if not isinstance(data, dict) or data.get("job_id") != job:
                    continue
                if kind == "progress":
                    observations.progress(data["progress"])
                else:
                    observations.progress_complete()
    finally:
        if follower:
            follower.close()


if __name__ == "__main__":
    tapedeck_client.main(perform, "gateway-progress-python", f"openai {openai.__version__}, python-socketio {importlib.metadata.version('python-socketio')}", CAPABILITIES)
