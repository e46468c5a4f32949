"""Servers for the adapter tests: `tapedeck serve` on the bundled cassettes, and a plain
event-stream server for the `sse` surface (which `tapedeck run` serves itself)."""
import http.server
import os
import subprocess
import threading

import pytest

from scenario_kit import REPOSITORY, TAPEDECK

STREAMS = os.path.join(REPOSITORY, "Cassettes", "streams")


class CassetteServer:
    """A running `tapedeck serve --cassettes Cassettes`."""

    def __init__(self, *options):
        self.process = subprocess.Popen(
            [TAPEDECK, "serve", "--cassettes", "Cassettes", "--port", "0", "--quiet", *options],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPOSITORY,
        )
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self.process.kill()
            raise RuntimeError(f"tapedeck serve printed {self.url!r} instead of its URL")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class StreamFiles(http.server.BaseHTTPRequestHandler):
    """GET /events/NAME answers Cassettes/streams/NAME.sse byte for byte."""

    def do_GET(self):
        name = os.path.basename(self.path.rstrip("/"))
        path = os.path.join(STREAMS, f"{name}.sse")
        if not self.path.startswith("/v1/events/") or not os.path.exists(path):
            self.send_error(404)
            return
        with open(path, "rb") as file:
            body = file.read()
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *arguments):
        pass


@pytest.fixture(scope="session")
def cassette_server():
    server = CassetteServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def stream_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), StreamFiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
