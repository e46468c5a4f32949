"""What every Python adapter shares: the scenario it is given, the observations it writes,
and the two ways `tapedeck run` drives it (docs/client-contract.md).

An adapter supplies one function, `perform(scenario, observations)`, that makes the request
with its library and records what the library handed over. It returns normally when the
library reported nothing wrong and raises whatever the library raised otherwise; this module
turns that into `error.json` and the exit status.
"""
import base64
import json
import os
import sys
import time
import traceback

PROTOCOL = "client/1"

# The fields of an event payload that `events.jsonl` carries when present.
INDEX_FIELDS = ("partial_image_index", "output_index", "sequence_number")
# Images API events that carry the final image in `b64_json`.
IMAGE_FINALS = ("image_generation.completed", "image_edit.completed")
# Events that carry a preview, and the field it is in.
IMAGE_PARTIALS = {
    "image_generation.partial_image": "b64_json",
    "image_edit.partial_image": "b64_json",
    "response.image_generation_call.partial_image": "partial_image_b64",
}


class Scenario:
    """One scenario: where to send the request, what to ask for, where to write."""

    def __init__(self, identifier, base_url, api_key, request_path, output, timeout):
        self.identifier = identifier
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        with open(request_path, encoding="utf-8") as file:
            self.request = json.load(file)
        self.output = output
        self.timeout = float(timeout)

    @classmethod
    def from_environment(cls):
        environment = os.environ
        return cls(
            environment.get("TAPEDECK_SCENARIO", "command"),
            environment["TAPEDECK_BASE_URL"],
            environment.get("OPENAI_API_KEY", "sk-tapedeck-dummy"),
            environment["TAPEDECK_REQUEST"],
            environment["TAPEDECK_OUTPUT"],
            environment.get("TAPEDECK_TIMEOUT", "30"),
        )

    @classmethod
    def from_line(cls, message):
        return cls(
            message["id"], message["base_url"], message.get("api_key", "sk-tapedeck-dummy"),
            message["request"], message["output"], message.get("timeout", 30),
        )

    @property
    def surface(self):
        return self.request["surface"]

    @property
    def body(self):
        return dict(self.request.get("body") or {})

    @property
    def streams(self):
        return bool(self.request.get("stream"))

    @property
    def url(self):
        return self.base_url + self.request["path"]

    def headers(self):
        return {"Authorization": f"Bearer {self.api_key}"}

    def body_arguments(self):
        """The request body as requests and httpx take it: `json=` for a JSON body, `data=` and
        `files=` for an edit's multipart form."""
        if self.surface != "images.edit":
            return {"json": self.body}
        files = [
            (upload["field"], (os.path.basename(upload["path"]), read_bytes(upload["path"]), upload.get("content_type")))
            for upload in self.request.get("files") or []
        ]
        return {"data": self.body, "files": files}

    def image_format(self):
        """The format asked for, to name final images when the response does not say."""
        body = self.body
        for tool in body.get("tools") or []:
            if isinstance(tool, dict) and tool.get("type") == "image_generation" and tool.get("output_format"):
                return tool["output_format"]
        return body.get("output_format") or "png"


class Observations:
    """Writes events.jsonl, partial-N.EXT, final-N.EXT and error.json into the scenario's
    output folder."""

    def __init__(self, output):
        os.makedirs(output, exist_ok=True)
        self.output = output
        self.started = time.monotonic()
        self.final_count = 0
        self.partial_count = 0
        # Line-buffered so a client killed at its timeout leaves every event it surfaced.
        self.events = open(os.path.join(output, "events.jsonl"), "w", encoding="utf-8", buffering=1)

    def elapsed(self):
        return round(time.monotonic() - self.started, 6)

    def event(self, payload):
        """One event surfaced to the user, from its JSON payload (a dict, as received)."""
        record = {"type": payload.get("type") if isinstance(payload, dict) else None}
        if isinstance(payload, dict):
            for field in INDEX_FIELDS:
                if field in payload:
                    record[field] = payload[field]
            usage = usage_in(payload)
            if usage is not None:
                record["usage"] = usage
        record["t"] = self.elapsed()
        self.events.write(json.dumps(record) + "\n")

    def plain_event(self, event_type, data, last_event_id):
        """One dispatched event of a plain event stream (the `sse` surface)."""
        record = {"type": event_type, "data": data, "id": last_event_id, "t": self.elapsed()}
        self.events.write(json.dumps(record) + "\n")

    def partial_image(self, image_bytes, image_format):
        """A preview shown to the user."""
        path = os.path.join(self.output, f"partial-{self.partial_count}.{image_format or 'png'}")
        with open(path, "wb") as file:
            file.write(image_bytes)
        self.partial_count += 1

    def final_image(self, image_bytes, image_format):
        path = os.path.join(self.output, f"final-{self.final_count}.{image_format or 'png'}")
        with open(path, "wb") as file:
            file.write(image_bytes)
        self.final_count += 1

    def final_url(self, url):
        with open(os.path.join(self.output, f"final-{self.final_count}.url"), "w", encoding="utf-8") as file:
            file.write(url)
        self.final_count += 1

    def error(self, message, status=None):
        record = {"message": message}
        if status is not None:
            record["status"] = status
        with open(os.path.join(self.output, "error.json"), "w", encoding="utf-8") as file:
            json.dump(record, file)

    def progress(self, percent):
        """A job's progress shown to the user, in percent (progress.jsonl)."""
        self._progress_line({"type": "progress", "percent": percent})

    def progress_complete(self):
        """The job said done."""
        self._progress_line({"type": "complete"})

    def _progress_line(self, record):
        with open(os.path.join(self.output, "progress.jsonl"), "a", encoding="utf-8") as file:
            file.write(json.dumps(record) + "\n")

    def close(self):
        self.events.close()


def read_bytes(path):
    with open(path, "rb") as file:
        return file.read()


def record_payload(payload, scenario, observations):
    """An event's JSON payload as a raw event-stream user handles it: surfaced, and its final
    image decoded with `base64.b64decode` exactly as the payload carries it."""
    observations.event(payload)
    kind = payload.get("type")
    if kind in IMAGE_PARTIALS and payload.get(IMAGE_PARTIALS[kind]):
        image_format = payload.get("output_format") or scenario.image_format()
        observations.partial_image(base64.b64decode(payload[IMAGE_PARTIALS[kind]]), image_format)
    elif kind in IMAGE_FINALS:
        image_format = payload.get("output_format") or scenario.image_format()
        observations.final_image(base64.b64decode(payload["b64_json"]), image_format)
    elif kind == "response.output_item.done":
        item = payload["item"]
        if item.get("type") == "image_generation_call" and item.get("result"):
            image_format = item.get("output_format") or scenario.image_format()
            observations.final_image(base64.b64decode(item["result"]), image_format)


def usage_in(payload):
    """Usage as received: on an Images completed event, or in a Responses `response` object."""
    if isinstance(payload.get("usage"), dict):
        return payload["usage"]
    response = payload.get("response")
    if isinstance(response, dict) and isinstance(response.get("usage"), dict):
        return response["usage"]
    return None


def http_status(error):
    """The HTTP status an exception carries, under the names the libraries here use."""
    status = getattr(error, "status_code", None)
    if isinstance(status, int):
        return status
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    return status if isinstance(status, int) else None


def run_scenario(perform, scenario):
    """Runs one scenario; returns the exit status the contract asks for."""
    observations = Observations(scenario.output)
    try:
        perform(scenario, observations)
        return 0
    except Exception as error:  # whatever the library raised is what its user sees
        traceback.print_exc(file=sys.stderr)
        observations.error(f"{type(error).__name__}: {error}", http_status(error))
        return 1
    finally:
        observations.close()


def serve(perform, name, version, capabilities):
    """Service mode: a hello line, then one scenario per line of standard input."""
    protocol_out = sys.stdout
    # Only protocol lines may reach standard output; anything a library prints goes to the log.
    sys.stdout = sys.stderr
    hello = {"tapedeck": PROTOCOL, "name": name, "version": version, "capabilities": capabilities}
    protocol_out.write(json.dumps(hello) + "\n")
    protocol_out.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        message = json.loads(line)
        try:
            status = run_scenario(perform, Scenario.from_line(message))
        except Exception:  # an unreadable request.json: answer, so the suite goes on
            traceback.print_exc(file=sys.stderr)
            status = 2
        protocol_out.write(json.dumps({"id": message.get("id"), "exit": status}) + "\n")
        protocol_out.flush()


def main(perform, name, version, capabilities):
    """Command mode, or service mode when TAPEDECK_SERVICE=1."""
    if os.environ.get("TAPEDECK_SERVICE") == "1":
        serve(perform, name, version, capabilities)
        sys.exit(0)
    sys.exit(run_scenario(perform, Scenario.from_environment()))
