"""Drives a client adapter through one scenario the way `tapedeck run` does
(docs/client-contract.md), from a bundled cassette, and reads back what it wrote.

Used by the adapter tests, and on its own to reproduce a finding against a running
`tapedeck serve --cassettes Cassettes`:

    python Tests/clients/scenario_kit.py --server http://127.0.0.1:8080 \\
        --cassette images-generate-png-partial-2 --scenario fault=drop-final \\
        -- python clients/python/openai_sdk.py

It prints the request it wrote, the exit status, the events, the final images' SHA-256 and
the error the client reported. `--service` drives the same command in service mode.

For bytes no `tapedeck serve` scenario produces, `--raw FILE` answers every request with FILE
as an event stream from a server of its own (`--server` is then not needed); `--plain PATH`
asks for the plain `sse` surface (a GET of PATH) instead of the cassette's request.
"""
import argparse
import base64
import hashlib
import http.server
import json
import os
import struct
import subprocess
import sys
import tempfile
import threading
import zlib

REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CASSETTES = os.path.join(REPOSITORY, "Cassettes")
TAPEDECK = os.environ.get("TAPEDECK", os.path.join(REPOSITORY, ".build", "debug", "tapedeck"))
API_KEY = "sk-tapedeck-dummy"
IMAGE_FINALS = ("image_generation.completed", "image_edit.completed")


def load_cassette(name):
    """The cassette and its full response body, blobs spliced back in."""
    with open(os.path.join(CASSETTES, f"{name}.cassette.json"), encoding="utf-8") as file:
        cassette = json.load(file)
    response = cassette["response"]
    stored = response["body"]
    body = stored["text"].encode() if "text" in stored else base64.b64decode(stored["base64"])
    for blob in response.get("blobs", []):
        with open(os.path.join(CASSETTES, "blobs", f"{blob['sha256']}.b64"), "rb") as file:
            body = body[: blob["at"]] + file.read() + body[blob["at"]:]
    return cassette, body


def png(width=64, height=64, colour=(200, 120, 80)):
    """A real RGB PNG, for an edit to upload."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes(colour) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def write_request(cassette, folder):
    """request.json for the cassette's request, with a real image on disk for an edit."""
    request = cassette["request"]
    body = request.get("body", {}).get("json") or {}
    files = []
    if cassette["surface"] == "images.edit":
        image_path = os.path.join(folder, "image-0.png")
        with open(image_path, "wb") as file:
            file.write(png())
        files.append({"field": "image[]", "path": image_path, "content_type": "image/png"})
    path = request["path"][len("/v1"):] if request["path"].startswith("/v1/") else request["path"]
    document = {
        "surface": cassette["surface"], "method": request["method"], "path": path,
        "stream": body.get("stream") in (True, "true"), "body": body, "files": files,
    }
    return save_request(document, folder)


def write_plain_request(path, folder):
    """request.json for the plain event-stream surface: a GET of `path`."""
    return save_request({"surface": "sse", "method": "GET", "path": path, "stream": True, "body": None, "files": []}, folder)


def save_request(document, folder):
    request_path = os.path.join(folder, "request.json")
    with open(request_path, "w", encoding="utf-8") as file:
        json.dump(document, file, indent=2)
    return request_path


def delivered_events(body):
    """The events of a body as the project's WHATWG parser dispatches them."""
    result = subprocess.run([TAPEDECK, "events"], input=body, capture_output=True, check=True)
    return [json.loads(line) for line in result.stdout.decode().splitlines() if line.startswith("{")]


def expected(name):
    """What a conformant client surfaces for a cassette: event types and partial indices, and
    the SHA-256 of each final image, decoded strictly from the cassette."""
    cassette, body = load_cassette(name)
    headers = {header["name"].lower(): header["value"] for header in cassette["response"]["headers"]}
    if "text/event-stream" not in headers.get("content-type", ""):
        document = json.loads(body)
        finals = [sha256(base64.b64decode(image["b64_json"], validate=True)) for image in document.get("data", [])]
        return {"events": [], "finals": finals}
    events, finals = [], []
    for event in delivered_events(body):
        if event["data"] == "[DONE]":
            continue
        payload = json.loads(event["data"])
        events.append((payload["type"], payload.get("partial_image_index")))
        if payload["type"] in IMAGE_FINALS:
            finals.append(sha256(base64.b64decode(payload["b64_json"], validate=True)))
        elif payload["type"] == "response.output_item.done" and payload["item"].get("result"):
            finals.append(sha256(base64.b64decode(payload["item"]["result"], validate=True)))
    return {"events": events, "finals": finals}


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def base_url(server_url, cassette, scenario=None):
    prefix = f"/s/{scenario}" if scenario else ""
    return f"{server_url}{prefix}/c/{cassette}/v1"


def observations(output):
    """What the client wrote: its events, its final images by name, and its error record."""
    events_path = os.path.join(output, "events.jsonl")
    events = []
    if os.path.exists(events_path):
        with open(events_path, encoding="utf-8") as file:
            events = [json.loads(line) for line in file if line.strip()]
    finals = {}
    for name in sorted(os.listdir(output)):
        if name.startswith("final-"):
            with open(os.path.join(output, name), "rb") as file:
                finals[name] = sha256(file.read())
    error = None
    if os.path.exists(os.path.join(output, "error.json")):
        with open(os.path.join(output, "error.json"), encoding="utf-8") as file:
            error = json.load(file)
    return {"events": events, "finals": finals, "error": error}


def run_command(command, url, request_path, output, timeout=30):
    """Command mode: one process per scenario, the scenario in its environment."""
    environment = dict(
        os.environ, TAPEDECK_BASE_URL=url, OPENAI_BASE_URL=url, OPENAI_API_KEY=API_KEY,
        TAPEDECK_REQUEST=request_path, TAPEDECK_OUTPUT=output, TAPEDECK_SCENARIO=os.path.basename(output),
        TAPEDECK_TIMEOUT=str(timeout),
    )
    environment.pop("TAPEDECK_SERVICE", None)
    try:
        finished = subprocess.run(command, shell=True, env=environment, cwd=REPOSITORY, timeout=timeout,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        return finished.returncode, finished.stderr
    except subprocess.TimeoutExpired as timeout_error:
        return "killed", timeout_error.stderr.decode() if timeout_error.stderr else ""


class Service:
    """Service mode: one process, one JSON line per scenario."""

    def __init__(self, command):
        environment = dict(os.environ, TAPEDECK_SERVICE="1")
        self.process = subprocess.Popen(command, shell=True, env=environment, cwd=REPOSITORY, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=sys.stderr)
        self.hello = json.loads(self.process.stdout.readline())
        self.count = 0

    def run(self, url, request_path, output, timeout=30):
        self.count += 1
        message = {"id": f"scenario-{self.count}", "base_url": url, "api_key": API_KEY,
                   "request": request_path, "output": output, "timeout": timeout}
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        assert answer["id"] == message["id"], f"answer {answer} to {message['id']}"
        return answer["exit"]

    def close(self):
        self.process.stdin.close()
        return self.process.wait(timeout=30)


def serve_raw(path):
    """A loopback server that answers every GET and POST with the file's bytes as an event stream."""
    with open(path, "rb") as file:
        body = file.read()

    class RawStream(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET

        def log_message(self, *arguments):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RawStream)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", help="the URL `tapedeck serve --cassettes Cassettes` printed")
    parser.add_argument("--raw", help="serve this file's bytes to every request instead")
    parser.add_argument("--plain", help="ask for the plain `sse` surface: a GET of this path")
    parser.add_argument("--cassette", default="images-generate-png-partial-1", help="whose request to send")
    parser.add_argument("--scenario", default="", help="a delivery scenario, such as fault=drop-final")
    parser.add_argument("--service", action="store_true", help="drive the command in service mode")
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- the client command")
    arguments = parser.parse_args()
    command = " ".join(part for part in arguments.command if part != "--")
    if not (arguments.server or arguments.raw):
        parser.error("give --server or --raw")
    folder = tempfile.mkdtemp(prefix="tapedeck-scenario-")
    if arguments.plain:
        request_path = write_plain_request(arguments.plain, folder)
    else:
        cassette, _ = load_cassette(arguments.cassette)
        request_path = write_request(cassette, folder)
    output = os.path.join(folder, "out")
    os.makedirs(output)
    if arguments.raw:
        url = serve_raw(arguments.raw) + "/v1"
    else:
        url = base_url(arguments.server, arguments.cassette, arguments.scenario)
    if arguments.service:
        service = Service(command)
        status = service.run(url, request_path, output, arguments.timeout)
        service.close()
    else:
        status, log = run_command(command, url, request_path, output, arguments.timeout)
        sys.stderr.write(log[-4000:])
    seen = observations(output)
    print(json.dumps({"base_url": url, "request": request_path, "exit": status, **seen}, indent=1))


if __name__ == "__main__":
    main()
