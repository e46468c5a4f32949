"""A deliberately naive client of the kind gateway docs show, standard library only: it
splits the body on blank lines, trusts every `data:` line, writes whatever image it is given
and never reports an error. The conformance tests use it to prove verdicts catch such
clients. It speaks command mode, and service mode when TAPEDECK_SERVICE=1."""
import base64
import json
import os
import sys
import urllib.request


def run(base_url, request_path, output):
    with open(request_path) as file:
        request = json.load(file)
    body = json.dumps(request["body"]).encode() if request["body"] is not None else None
    http_request = urllib.request.Request(base_url + request["path"], data=body, method=request["method"],
                                          headers={"Content-Type": "application/json", "Authorization": "Bearer x"})
    try:
        raw = urllib.request.urlopen(http_request, timeout=10).read()
    except Exception as error:  # noqa: BLE001 - the naive client swallows everything
        raw = getattr(error, "partial", b"") or b""
    finals = 0
    partials = 0
    with open(os.path.join(output, "events.jsonl"), "w") as events:
        for block in raw.replace(b"\r\n", b"\n").split(b"\n\n"):
            for line in block.split(b"\n"):
                if not line.startswith(b"data: "):
                    continue
                try:
                    event = json.loads(line[6:])
                except ValueError:
                    continue
                record = {"type": event.get("type", "message")}
                if "partial_image_index" in event:
                    record["partial_image_index"] = event["partial_image_index"]
                events.write(json.dumps(record) + "\n")
                if event.get("type", "").endswith(".partial_image") and "b64_json" in event:
                    with open(os.path.join(output, "partial-%d.png" % partials), "wb") as image:
                        image.write(base64.b64decode(event["b64_json"]))
                    partials += 1
                if event.get("type", "").endswith(".completed") and "b64_json" in event:
                    with open(os.path.join(output, "final-%d.png" % finals), "wb") as image:
                        image.write(base64.b64decode(event["b64_json"]))
                    finals += 1
    return 0


if os.environ.get("TAPEDECK_SERVICE") == "1":
    print(json.dumps({"tapedeck": "client/1", "name": "naive", "version": "1", "capabilities": ["images.generate"]}), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        code = run(job["base_url"], job["request"], job["output"])
        print(json.dumps({"id": job["id"], "exit": code}), flush=True)
else:
    sys.exit(run(os.environ["TAPEDECK_BASE_URL"], os.environ["TAPEDECK_REQUEST"], os.environ["TAPEDECK_OUTPUT"]))
