"""Starts `tapedeck serve` on loopback for the SDK tests and stops it afterwards."""
import os
import subprocess
import time

import pytest

REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TAPEDECK = os.environ.get("TAPEDECK", os.path.join(REPOSITORY, ".build", "debug", "tapedeck"))


class Server:
    """A running `tapedeck serve` and its log."""

    def __init__(self, *arguments):
        self.process = subprocess.Popen(
            [TAPEDECK, "serve", "--port", "0", *arguments],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPOSITORY,
        )
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self.process.kill()
            raise RuntimeError(f"tapedeck serve printed {self.url!r} instead of its URL")

    def base_url(self, scenario=None):
        return f"{self.url}/s/{scenario}/v1" if scenario else f"{self.url}/v1"

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="session")
def synthesizing_server():
    server = Server("--synthesize")
    yield server
    server.stop()
