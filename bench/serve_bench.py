"""`tapedeck serve` against a Starlette/uvicorn SSE replay server: one 24 MiB event.

    python bench/serve_bench.py [--tapedeck .build/release/tapedeck]
                                [--markdown bench/out/serve.md] [--runs 5]
                                [--concurrency 256] [--bytes-timeout 120]
                                [--probes 10] [--global-timeout 480]

Run it with the Python that has bench/serve-requirements.txt installed
(uvicorn, starlette; nothing else: uvicorn runs on h11 and the asyncio loop).

What it does, all on 127.0.0.1, everything stopping by itself:

1. Builds a cassette `big` in a temporary folder: `tapedeck cassette synthesize`
   makes a real one, whose response is then replaced by a single
   `image_generation.completed` event carrying 24 MiB (25,165,824 characters)
   of base64 of seeded random bytes, stored as a blob (`blobs/<sha256>.b64`), one
   recorded chunk. `tapedeck cassette show` must load it.
2. Starts `tapedeck serve --cassettes DIR --port 0 --quiet`, and the PEER: a
   minimal Starlette app under `uvicorn.run(app, host="127.0.0.1", port=0)` in a
   subprocess (this file with `_peer`; the port is parsed from uvicorn's log),
   answering POST /v1/images/generations with a StreamingResponse
   (text/event-stream) of the same body bytes in one piece, and
   POST /64k/v1/images/generations in 64 KiB pieces.
3. Correctness, once per contender before any timing: the response is 200 and
   its body, after undoing chunked transfer encoding, equals the cassette body.
4. Throughput, one client: a raw-socket HTTP/1.1 client (blocking socket,
   recv_into a 1 MiB buffer, nothing decoded) sends the request with
   `Connection: close` and reads until EOF. Time from sending the request (the
   TCP connection is already open) to the last byte received, and to the first
   byte. Each response must have the length of the checked one (step 3), else
   the run counts as failed. With --keep-alive the request is keep-alive instead
   and the client stops at the response's last byte (its length known from step
   3): tapedeck builds before commit 080c92c could lose the end of a large body
   when they closed the connection, which made `Connection: close` unusable.
   Median of --runs runs, interleaved (run 1 of every contender, then run 2, ...)
   so background load hits all alike.
5. Reading to EOF: --probes requests each with `Connection: close` (tapedeck,
   peer) and with tapedeck's close-delimited `framing=close`, read until the
   server closes: how many bodies arrive whole.
6. Concurrency: --concurrency clients at once (asyncio.open_connection), each
   fetching the whole body, against a freshly started tapedeck (default
   scenario), then a freshly started peer (one piece). Per client: time to first
   byte and total time, from the start of its connect. Errors: exceptions,
   timeouts, a status other than 200, or a response of the wrong length. Peak RSS
   is VmHWM of the server process (uvicorn runs one process, no separate
   worker), reset through /proc/PID/clear_refs just before the run.
7. `chunking=bytes` runs once, stopped after --bytes-timeout seconds; the body
   bytes delivered by then (checked against the body) are reported.
8. Prints the tables and writes them as Markdown to --markdown.

MB/s is 10^6 bytes of response body (the SSE event, not counting HTTP framing)
per second.
"""

import argparse
import asyncio
import base64
import hashlib
import json
import os
import platform
import queue
import random
import re
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

REQUEST_JSON = b'{"model":"gpt-image-1","prompt":"x","stream":true}'
B64_LENGTH = 24 << 20  # characters of base64 in the final image
RECV_BUFFER = 1 << 20
PEER_PIECE = 64 << 10

# Processes this benchmark started; stopped on exit and by the global timeout.
STARTED = []


# --------------------------------------------------------------------------- peer


def peer_main(body_path):
    """The peer server: what a user would write to replay an SSE body."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import StreamingResponse
    from starlette.routing import Route

    with open(body_path, "rb") as f:
        body = f.read()

    async def one_piece():
        yield body

    async def pieces():
        for start in range(0, len(body), PEER_PIECE):
            yield body[start:start + PEER_PIECE]

    async def generations(request: Request):
        await request.json()
        return StreamingResponse(one_piece(), media_type="text/event-stream")

    async def generations_64k(request: Request):
        await request.json()
        return StreamingResponse(pieces(), media_type="text/event-stream")

    app = Starlette(routes=[
        Route("/v1/images/generations", generations, methods=["POST"]),
        Route("/64k/v1/images/generations", generations_64k, methods=["POST"]),
    ])
    uvicorn.run(app, host="127.0.0.1", port=0, log_level="info", access_log=False)


# --------------------------------------------------------------------- processes


def start_process(argv, **kwargs):
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)
    STARTED.append(proc)
    return proc


def read_line_until(stream, pattern, deadline, proc, what):
    """Reads the stream's lines (in a thread, which keeps draining it) until one matches pattern."""
    lines = queue.Queue()

    def pump():
        for line in iter(stream.readline, b""):
            lines.put(line.decode(errors="replace").rstrip())
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    seen = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise SystemExit(f"{what} did not start in time; output so far: {seen!r}")
        try:
            text = lines.get(timeout=remaining)
        except queue.Empty:
            continue
        if text is None:
            raise SystemExit(f"{what} exited (status {proc.wait()}) before starting; output: {seen!r}")
        seen.append(text)
        match = re.search(pattern, text)
        if match:
            return match


def drain(stream):
    """Keeps a child's pipe from filling up."""
    threading.Thread(target=lambda: [None for _ in iter(lambda: stream.read(65536), b"")], daemon=True).start()


def start_tapedeck(tapedeck, cassettes):
    proc = start_process([tapedeck, "serve", "--cassettes", cassettes, "--port", "0", "--quiet"])
    port = int(read_line_until(proc.stdout, r"^http://127\.0\.0\.1:(\d+)$", time.monotonic() + 60, proc, "tapedeck serve").group(1))
    drain(proc.stderr)
    return proc, port


def start_peer(body_path):
    proc = start_process([sys.executable, os.path.abspath(__file__), "_peer", body_path])
    port = int(read_line_until(proc.stderr, r"Uvicorn running on http://127\.0\.0\.1:(\d+)", time.monotonic() + 60, proc, "uvicorn").group(1))
    drain(proc.stdout)
    return proc, port


def stop_one(name, proc, grace=5):
    """SIGTERM, then SIGKILL after grace seconds; says which it took."""
    start = time.monotonic()
    proc.terminate()
    try:
        proc.wait(timeout=grace)
        return f"{name} exited {time.monotonic() - start:.2f} s after SIGTERM (status {proc.returncode})"
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)
        return f"{name} was still running {grace} s after SIGTERM and was killed (SIGKILL)"


def stop_all():
    for proc in STARTED:
        if proc.poll() is None:
            proc.terminate()
    for proc in STARTED:
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def proc_status(pid, field):
    """A field of /proc/PID/status in bytes (VmRSS, VmHWM), or None."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def reset_peak_rss(pid):
    """Resets VmHWM to the current RSS (Linux: write 5 to clear_refs). Returns success."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def cpu_seconds(pid):
    """User + system CPU seconds of a process, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def mem_available():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return None


def server_pid(proc):
    """The process that serves: proc itself, or its only child if it forked workers."""
    try:
        with open(f"/proc/{proc.pid}/task/{proc.pid}/children") as f:
            children = f.read().split()
    except OSError:
        children = []
    return int(children[0]) if len(children) == 1 else proc.pid


# ---------------------------------------------------------------------- cassette


def make_cassette(tapedeck, folder):
    """Writes folder/big.cassette.json (+ blobs/) and returns (path, body bytes, show output)."""
    synth = os.path.join(folder, "synth")
    subprocess.run([
        tapedeck, "cassette", "synthesize", "--surface", "images.generate",
        "--request", REQUEST_JSON.decode(), "--name", "seed", "--out", synth,
    ], check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(synth, "seed.cassette.json")) as f:
        cassette = json.load(f)

    raw = random.Random(7).randbytes(B64_LENGTH // 4 * 3)
    run = base64.b64encode(raw)
    assert len(run) == B64_LENGTH
    prefix = b'event: image_generation.completed\ndata: {"type":"image_generation.completed","b64_json":"'
    suffix = (b'","created_at":1,"size":"1024x1024","quality":"low","background":"opaque","output_format":"png",'
              b'"usage":{"input_tokens":1,"input_tokens_details":{"image_tokens":0,"text_tokens":1},'
              b'"output_tokens":1,"total_tokens":2}}\n\n')
    body = prefix + run + suffix
    digest = hashlib.sha256(run).hexdigest()

    os.makedirs(os.path.join(folder, "blobs"), exist_ok=True)
    with open(os.path.join(folder, "blobs", f"{digest}.b64"), "wb") as f:
        f.write(run)
    cassette["name"] = "big"
    response = cassette["response"]
    response["body"] = {"text": (prefix + suffix).decode()}
    response["blobs"] = [{"at": len(prefix), "length": len(run), "sha256": digest}]
    response["chunks"] = [[len(body), 1000]]
    response["events"] = [{"bytes": [0, len(body)], "index": 0, "type": "image_generation.completed"}]
    response["ending"] = "complete"
    response["status"] = 200
    path = os.path.join(folder, "big.cassette.json")
    with open(path, "w") as f:
        json.dump(cassette, f, indent=2, sort_keys=True)
        f.write("\n")
    show = subprocess.run([tapedeck, "cassette", "show", path], check=True, capture_output=True, text=True).stdout
    return path, body, show


# ------------------------------------------------------------------------ client
#
# By default every request says `Connection: close` and is read to EOF. tapedeck serve
# builds before commit 080c92c closed the connection as soon as a response was *queued*,
# losing the bytes still queued, so a 24 MiB body arrived cut short (close_probe shows
# it). With --keep-alive, requests are plain HTTP/1.1 keep-alive requests and the client
# reads until the response is complete by its framing (or its known length), then closes.


def request_bytes(port, path, close=False):
    connection = "Connection: close\r\n" if close else ""
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(REQUEST_JSON)}\r\n{connection}\r\n").encode() + REQUEST_JSON


def split_head(wire):
    end = wire.find(b"\r\n\r\n")
    if end < 0:
        raise ValueError("no end of headers in the response")
    lines = bytes(wire[:end]).decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return lines[0], status, headers, end + 4


def dechunk(wire, start):
    """Undoes chunked transfer encoding. Returns (body, chunk count, complete)."""
    out = bytearray()
    view = memoryview(wire)
    pos, chunks = start, 0
    while True:
        eol = wire.find(b"\r\n", pos)
        if eol < 0:
            return bytes(out), chunks, False
        size = int(bytes(wire[pos:eol]).split(b";")[0].strip(), 16)
        if size == 0:
            return bytes(out), chunks, bytes(wire[eol + 2:eol + 4]) == b"\r\n"
        data = eol + 2
        if data + size + 2 > len(wire):
            out += view[data:min(len(wire), data + size)]
            return bytes(out), chunks, False
        out += view[data:data + size]
        if wire[data + size:data + size + 2] != b"\r\n":
            raise ValueError(f"chunk {chunks} is not followed by CRLF")
        pos = data + size + 2
        chunks += 1


def one_byte_chunks_prefix(wire, start, body):
    """If the chunked body is all 1-byte chunks ("1\\r\\nX\\r\\n"), (matching body bytes, complete); else None."""
    region = memoryview(wire)[start:]
    k = min(len(region) // 6, len(body))
    expected = bytearray(6 * k)
    expected[0::6] = b"1" * k
    expected[1::6] = b"\r" * k
    expected[2::6] = b"\n" * k
    expected[3::6] = body[:k]
    expected[4::6] = b"\r" * k
    expected[5::6] = b"\n" * k
    if region[:6 * k] != expected:
        return None
    return k, bytes(region[6 * k:]) == b"0\r\n\r\n"


def decode_body(wire, body):
    """(status line, status, headers, head length, framing, decoded body, complete) of a captured response."""
    status_line, status, headers, start = split_head(wire)
    if headers.get("transfer-encoding", "").lower() == "chunked":
        fast = one_byte_chunks_prefix(wire, start, body) if body and len(wire) - start > 6 * 1000 else None
        if fast is not None:
            count, complete = fast
            return status_line, status, headers, start, f"chunked, {count} chunks of 1 byte", body[:count], complete
        got, chunks, complete = dechunk(wire, start)
        return status_line, status, headers, start, f"chunked, {chunks} chunks", got, complete
    if "content-length" in headers:
        got = bytes(wire[start:])
        return status_line, status, headers, start, f"content-length {headers['content-length']}", got, len(got) == int(headers["content-length"])
    return status_line, status, headers, start, "close-delimited", bytes(wire[start:]), None


def response_complete(wire, body):
    """Whether a captured keep-alive response is complete by its framing."""
    if not wire.endswith(b"0\r\n\r\n") and b"content-length" not in bytes(wire[:4096]).lower():
        return False
    try:
        complete = decode_body(wire, body)[6]
    except ValueError:
        return False
    return bool(complete)


def fetch(port, path, *, expected_wire=None, capture=False, limit=None, close=False, body=None):
    """One request over a raw socket (the connection is opened first, not timed).

    Reads with recv_into a 1 MiB buffer until expected_wire bytes have arrived, or (capture
    without expected_wire) until the response is complete by its framing, or until EOF; with
    a limit, stops after limit seconds. Returns timings, byte counts, the first 4 KiB, the
    last 8 bytes, and the whole response when capture."""
    buffer = bytearray(RECV_BUFFER)
    view = memoryview(buffer)
    wire = bytearray() if capture else None
    head = bytearray()
    tail = b""
    request = request_bytes(port, path, close)
    sock = socket.create_connection(("127.0.0.1", port))
    sock.settimeout(2 if limit else 120)
    received = 0
    first = last = None
    timed_out = eof = False
    try:
        start = time.perf_counter()
        sock.sendall(request)
        while True:
            try:
                n = sock.recv_into(buffer)
            except socket.timeout:
                if not limit:
                    raise
                n = -1
            now = time.perf_counter()
            if n == 0:
                eof = True
                break
            if n > 0:
                if first is None:
                    first = now
                last = now
                received += n
                if len(head) < 4096:
                    head += view[:min(n, 4096 - len(head))]
                tail = (tail + bytes(view[max(0, n - 8):n]))[-8:]
                if capture:
                    wire += view[:n]
                if expected_wire is not None and received >= expected_wire:
                    break
                if capture and expected_wire is None and not close and response_complete(wire, body):
                    break
            if limit and now - start > limit:
                timed_out = True
                break
    finally:
        sock.close()
    end = time.perf_counter() if timed_out else last
    return {"ttfb": first - start if first else None, "total": end - start if end else None, "wire": received,
            "head": bytes(head), "tail": tail, "data": wire, "timed_out": timed_out, "eof": eof}


def check(name, port, path, body, close):
    """Fetches once, capturing; the decoded body must equal the cassette body."""
    result = fetch(port, path, capture=True, close=close, body=body)
    status_line, status, headers, start, framing, got, complete = decode_body(result["data"], body)
    if status != 200:
        raise SystemExit(f"{name}: status {status_line}")
    if not complete or got != body:
        raise SystemExit(f"{name}: the body received ({len(got)} bytes, complete={complete}) is not the cassette body "
                         f"({len(body)} bytes){'; try --keep-alive' if close else ''}")
    print(f"  ok  {name}: {status_line}; content-type {headers.get('content-type')}; {framing}; body equal ({len(got)} bytes)")
    return {"wire": result["wire"], "head": start, "framing": framing, "headers": headers}


def close_probe(name, port, path, body, count, close_request):
    """count requests read to EOF (Connection: close, or a close-delimited scenario): how many arrive whole."""
    outcomes = []
    for _ in range(count):
        result = fetch(port, path, capture=True, close=close_request, body=body)
        status_line, status, headers, start, framing, got, complete = decode_body(result["data"], body)
        whole = got == body and complete is not False
        outcomes.append({"body_bytes": len(got), "whole": whole, "prefix_ok": body[:len(got)] == got, "framing": framing})
    return {"name": name, "path": path, "close_request": close_request, "outcomes": outcomes}


# ------------------------------------------------------------------- concurrency


async def client(port, path, expected_after_head, timeout, close):
    start = time.perf_counter()
    first = last = None
    received = 0
    head_len = None
    head = bytearray()
    tail = b""
    writer = None

    async def run():
        nonlocal first, last, received, head, head_len, tail, writer
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=RECV_BUFFER)
        writer.write(request_bytes(port, path, close))
        await writer.drain()
        while True:
            chunk = await reader.read(RECV_BUFFER)
            if not chunk:
                break
            now = time.perf_counter()
            if first is None:
                first = now
            last = now
            received += len(chunk)
            if head_len is None:
                head += chunk[:4096]
                end = head.find(b"\r\n\r\n")
                if end >= 0:
                    head_len = end + 4
                    del head[head_len:]
            tail = (tail + chunk[-8:])[-8:]
            if not close and head_len is not None and received - head_len >= expected_after_head:
                break

    try:
        await asyncio.wait_for(run(), timeout)
        error = None
        if head_len is None or not head.startswith(b"HTTP/1.1 200"):
            error = f"bad response head {bytes(head[:40])!r}"
        elif received - head_len != expected_after_head or not tail.endswith(b"0\r\n\r\n"):
            error = f"wrong length: {received - head_len} bytes after the head, expected {expected_after_head}"
    except (asyncio.TimeoutError, TimeoutError):
        error = "timeout"
    except Exception as failure:  # any failure is this client's error, not the run's
        error = f"{type(failure).__name__}: {failure}"
    finally:
        if writer is not None:
            writer.close()
    return {
        "ttfb": (first - start) if first else None,
        "total": (last - start) if last and not error else None,
        "error": error,
    }


async def crowd(port, path, count, expected_after_head, timeout, close):
    """count clients at once; watches memory so a shared machine is not pushed into OOM."""
    aborted = None
    tasks = [asyncio.ensure_future(client(port, path, expected_after_head, timeout, close)) for _ in range(count)]
    done_all = asyncio.gather(*tasks)
    while not done_all.done():
        await asyncio.wait([done_all], timeout=0.05)
        available = mem_available()
        if available is not None and available < (1 << 30):
            aborted = f"stopped: MemAvailable fell to {available >> 20} MiB"
            for task in tasks:
                task.cancel()
            break
    results = []
    for task in tasks:
        try:
            results.append(await task)
        except asyncio.CancelledError:
            results.append({"ttfb": None, "total": None, "error": "cancelled (memory guard)"})
    return results, aborted


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-p * len(ordered) // 100))  # nearest-rank
    return ordered[int(rank) - 1]


def concurrency(name, port, path, count, expected_after_head, timeout, pid, close):
    rss_before = proc_status(pid, "VmRSS")
    reset = reset_peak_rss(pid)
    cpu_before = cpu_seconds(pid)
    client_cpu_before = time.process_time()
    start = time.perf_counter()
    results, aborted = asyncio.run(crowd(port, path, count, expected_after_head, timeout, close))
    wall = time.perf_counter() - start
    cpu = cpu_seconds(pid) - cpu_before
    client_cpu = time.process_time() - client_cpu_before
    peak = proc_status(pid, "VmHWM")
    errors = [r["error"] for r in results if r["error"]]
    ttfbs = [r["ttfb"] for r in results if r["ttfb"] is not None]
    totals = [r["total"] for r in results if r["total"] is not None]
    row = {
        "name": name, "clients": count, "ok": len(totals), "errors": len(errors),
        "error_kinds": sorted({e.split(":")[0] for e in errors}),
        "ttfb_p50": percentile(ttfbs, 50), "ttfb_p99": percentile(ttfbs, 99),
        "total_p50": percentile(totals, 50), "total_p99": percentile(totals, 99),
        "wall": wall, "rss_before": rss_before, "peak_rss": peak, "peak_reset": reset,
        "server_cpu": cpu, "client_cpu": client_cpu, "aborted": aborted,
    }
    return row


# ------------------------------------------------------------------------ report


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    with open("/proc/meminfo") as f:
        total = int(f.readline().split()[1]) * 1024
    return nproc, f"{nproc} CPUs (nproc), {cpu}, {total / (1 << 30):.1f} GiB RAM, Linux {platform.release()}"


def versions(tapedeck):
    import importlib.metadata as md
    first = subprocess.run([tapedeck, "version"], capture_output=True, text=True, check=True).stdout.splitlines()[0]
    with open(tapedeck, "rb") as f:
        digest = hashlib.file_digest(f, "sha256").hexdigest()
    built = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(os.stat(tapedeck).st_mtime))
    head = subprocess.run(["git", "-C", os.path.dirname(os.path.abspath(__file__)), "log", "-1", "--format=%h %cI"],
                          capture_output=True, text=True).stdout.strip() or "unknown"
    return [
        f"tapedeck: {first} ({os.path.abspath(tapedeck)}, built {built}, sha256 {digest[:16]}…; repository HEAD {head})",
        f"python: {platform.python_version()} ({sys.executable})",
        f"uvicorn: {md.version('uvicorn')} (h11 {md.version('h11')}, asyncio loop; no uvloop/httptools installed)",
        f"starlette: {md.version('starlette')}",
    ]


def fmt_ms(seconds):
    return "–" if seconds is None else f"{seconds * 1000:.1f}"


def fmt_mib(value):
    return "–" if value is None else f"{value / (1 << 20):.0f}"


def render(info, throughput, bytes_row, crowd_rows, probes):
    out = ["# tapedeck serve vs a Starlette/uvicorn SSE replay server", ""]
    out += [f"- machine: {info['machine']}"]
    out += [f"- {line}" for line in info["versions"]]
    out += [f"- command: `{info['command']}`"]
    out += [f"- load average (1/5/15 min) at start: {info['load_start']}; at end: {info['load_end']}"]
    out += [f"- body: one `image_generation.completed` event, {info['body_len']} bytes "
            f"({info['body_len'] / 1e6:.2f} MB; 24 MiB of base64 in a cassette blob)"]
    out += ["- MB/s = 10^6 body bytes per second (HTTP framing not counted); all times in ms", ""]

    out += [f"## One client: raw socket, 1 MiB recv_into buffer, median of {info['runs']} interleaved runs", ""]
    out += ["Time from sending the request (connection already open) to the last byte of the response; TTFB to its first byte. "
            + ("Request with `Connection: close`, read until EOF; a response must have the checked response's length. "
               if info["close"] else
               "HTTP/1.1 keep-alive request (--keep-alive); the client stops at the response's last byte, "
               "known from the checked response's length, and closes. ") +
            "Server CPU: the server process's user+system CPU per run (from /proc, 10 ms ticks); client CPU: this Python process. "
            "vs peer = tapedeck MB/s / peer MB/s.", ""]
    out += ["| contender | framing seen | TTFB ms (median) | total ms (median) | min / max ms | MB/s | vs peer one piece | vs peer 64 KiB | server CPU ms/run | client CPU ms/run | failed runs |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    peer_whole = next(r for r in throughput if r["name"] == "peer: StreamingResponse, one piece")["mbps"]
    peer_64k = next(r for r in throughput if r["name"] == "peer: StreamingResponse, 64 KiB pieces")["mbps"]
    for r in throughput:
        is_peer = r["name"].startswith("peer")
        vs_whole = "" if is_peer else f"{r['mbps'] / peer_whole:.2f}x"
        vs_64k = "" if is_peer else f"{r['mbps'] / peer_64k:.2f}x"
        out.append(
            f"| {r['name']} | {r['framing']} | {fmt_ms(r['ttfb'])} | {fmt_ms(r['total'])} | "
            f"{fmt_ms(r['min'])} / {fmt_ms(r['max'])} | {r['mbps']:.0f} | "
            f"{vs_whole} | {vs_64k} | "
            f"{r['server_cpu'] * 1000:.0f} | {r['client_cpu'] * 1000:.0f} | {r['failures']} |")
    b = bytes_row
    out += ["", f"`chunking=bytes` (one run, stopped after {info['bytes_timeout']:.0f} s): "
            f"{'finished' if b['finished'] else 'stopped'} after {b['elapsed']:.1f} s, "
            f"{b['body_bytes']} of {info['body_len']} body bytes delivered "
            f"({b['body_bytes'] / info['body_len'] * 100:.2f}%), {b['body_bytes'] / b['elapsed'] / 1e6:.3f} MB/s of body "
            f"({b['wire'] / b['elapsed'] / 1e6:.2f} MB/s on the wire, {b['wire']} wire bytes); TTFB {fmt_ms(b['ttfb'])} ms; "
            f"prefix received {b['verdict']}; server CPU {b['server_cpu']:.1f} s, client CPU {b['client_cpu']:.1f} s "
            f"(both on the same {info['nproc']} CPUs); server peak RSS during the run {fmt_mib(b['peak_rss'])} MiB. "
            f"In the 5 s after the client closed the connection the server used {b['after_cpu']:.2f} s of CPU "
            f"and held {fmt_mib(b['after_rss'])} MiB RSS.", ""]

    out += ["## Reading to EOF: does the whole body arrive?", ""]
    out += ["Each request read until the server closes the connection, then decoded and compared with the cassette body.", ""]
    out += ["| contender | whole | body bytes received per request |", "|---|---:|---|"]
    for p in probes:
        whole = sum(o["whole"] for o in p["outcomes"])
        sizes = ", ".join(str(o["body_bytes"]) for o in p["outcomes"])
        bad_prefix = "" if all(o["prefix_ok"] for o in p["outcomes"]) else " (some prefix differs from the body!)"
        out.append(f"| {p['name']} (`{p['path']}`) | {whole}/{len(p['outcomes'])} | {sizes}{bad_prefix} |")
    out += [""]

    out += [f"## {info['concurrency']} clients at once (asyncio streams), whole body each", ""]
    out += ["Each server freshly started for this run, after one warm-up request. "
            "Times from the start of each client's connect; "
            + ("requests with `Connection: close`, read until EOF. " if info["close"] else "keep-alive requests, each client reads its whole response then closes. ")
            + "Errors: exceptions, timeouts, a status other than 200, or a response of the wrong length. Peak RSS: VmHWM of the server process, reset just before the run "
            "(clear_refs); RSS before: VmRSS just before the run. Aggregate MB/s = clients x body / wall time of the run.", ""]
    out += ["| server | ok | errors | TTFB p50 ms | TTFB p99 ms | total p50 ms | total p99 ms | wall s | aggregate MB/s | RSS before MiB | peak RSS MiB | server CPU s | client CPU s |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in crowd_rows:
        aggregate = r["ok"] * info["body_len"] / r["wall"] / 1e6
        errors = f"{r['errors']}" + (f" ({', '.join(r['error_kinds'])})" if r["errors"] else "")
        peak = fmt_mib(r["peak_rss"]) + ("" if r["peak_reset"] else " (lifetime, reset failed)")
        out.append(
            f"| {r['name']} | {r['ok']} | {errors} | {fmt_ms(r['ttfb_p50'])} | {fmt_ms(r['ttfb_p99'])} | "
            f"{fmt_ms(r['total_p50'])} | {fmt_ms(r['total_p99'])} | {r['wall']:.2f} | {aggregate:.0f} | "
            f"{fmt_mib(r['rss_before'])} | {peak} | {r['server_cpu']:.2f} | {r['client_cpu']:.2f} |")
        if r["aborted"]:
            out.append(f"|  {r['aborted']} | | | | | | | | | | | | |")
    out += ["", "Correctness (checked once per contender before timing; the body after undoing chunked framing equals the cassette body):", ""]
    out += [f"- {line}" for line in info["checks"]]
    out += ["", "Stopping the servers at the end: " + "; ".join(info.get("stops", [])) + "."]
    return "\n".join(out) + "\n"


# -------------------------------------------------------------------------- main


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "_peer":
        peer_main(sys.argv[2])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tapedeck", default=".build/release/tapedeck")
    parser.add_argument("--markdown", default="bench/out/serve.md")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=256)
    parser.add_argument("--bytes-timeout", type=float, default=120)
    parser.add_argument("--probes", type=int, default=10, help="requests per read-to-EOF probe")
    parser.add_argument("--keep-alive", action="store_true",
                        help="send keep-alive requests and stop at the response's last byte, instead of Connection: close and EOF")
    parser.add_argument("--client-timeout", type=float, default=90, help="per client, in the concurrency runs")
    parser.add_argument("--global-timeout", type=float, default=480)
    args = parser.parse_args()

    command = " ".join(shlex.quote(a) for a in [sys.executable] + sys.argv)

    def expire():
        print(f"\nserve_bench: global timeout of {args.global_timeout:.0f} s reached; stopping", file=sys.stderr, flush=True)
        stop_all()
        os._exit(3)

    watchdog = threading.Timer(args.global_timeout, expire)
    watchdog.daemon = True
    watchdog.start()
    try:
        run(args, command)
    finally:
        watchdog.cancel()
        stop_all()


def run(args, command):
    tapedeck = args.tapedeck
    close = not args.keep_alive
    info = {
        "close": close,
        "machine": machine()[1], "nproc": machine()[0], "versions": versions(tapedeck), "command": command,
        "load_start": " ".join(f"{x:.2f}" for x in os.getloadavg()), "runs": args.runs,
        "bytes_timeout": args.bytes_timeout, "concurrency": args.concurrency, "checks": [],
    }
    print(f"machine: {info['machine']}")
    for line in info["versions"]:
        print(line)

    with tempfile.TemporaryDirectory(prefix="serve-bench-") as folder:
        cassettes = os.path.join(folder, "cassettes")
        os.makedirs(cassettes)
        path, body, show = make_cassette(tapedeck, cassettes)
        info["body_len"] = len(body)
        print(f"\ncassette {path}: body {len(body)} bytes; tapedeck cassette show | head:")
        print("\n".join("  " + line for line in show.splitlines()[:10]))
        body_path = os.path.join(folder, "body.sse")
        with open(body_path, "wb") as f:
            f.write(body)

        td, td_port = start_tapedeck(tapedeck, cassettes)
        peer, peer_port = start_peer(body_path)
        td_pid, peer_pid = td.pid, server_pid(peer)
        print(f"\ntapedeck serve on port {td_port} (pid {td_pid}); uvicorn on port {peer_port} (pid {peer_pid})")

        contenders = [
            ("tapedeck whole (default)", td_port, "/c/big/v1/images/generations", td_pid),
            ("tapedeck chunking=fixed:65536", td_port, "/c/big/s/chunking=fixed:65536/v1/images/generations", td_pid),
            ("tapedeck chunking=adversarial,seed=7", td_port, "/c/big/s/chunking=adversarial,seed=7/v1/images/generations", td_pid),
            ("peer: StreamingResponse, one piece", peer_port, "/v1/images/generations", peer_pid),
            ("peer: StreamingResponse, 64 KiB pieces", peer_port, "/64k/v1/images/generations", peer_pid),
        ]

        print("\ncorrectness (once each, before timing):")
        checks = {}
        for name, port, url, _ in contenders:
            checks[name] = check(name, port, url, body, close)
            info["checks"].append(f"{name} (`{url}`): {checks[name]['framing']}, body equal")

        print(f"\nthroughput, one client, {args.runs} interleaved runs:")
        samples = {name: [] for name, *_ in contenders}
        failures = {name: 0 for name, *_ in contenders}
        cpu = {name: 0.0 for name, *_ in contenders}
        client_cpu = {name: 0.0 for name, *_ in contenders}
        for i in range(args.runs):
            for name, port, url, pid in contenders:
                before, client_before = cpu_seconds(pid), time.process_time()
                if close:
                    result = fetch(port, url, close=True)
                else:
                    result = fetch(port, url, expected_wire=checks[name]["wire"])
                cpu[name] += cpu_seconds(pid) - before
                client_cpu[name] += time.process_time() - client_before
                if result["wire"] == checks[name]["wire"] and result["tail"].endswith(b"0\r\n\r\n"):
                    samples[name].append(result)
                else:
                    failures[name] += 1
                    print(f"  ! {name}: run {i + 1} got {result['wire']} bytes, expected {checks[name]['wire']}")
            print(f"  run {i + 1}: " + ", ".join(f"{s[-1]['total'] * 1000:.0f} ms" if s else "-" for s in samples.values()))
        throughput = []
        for name, *_ in contenders:
            totals = [s["total"] for s in samples[name]]
            total = statistics.median(totals)
            throughput.append({
                "name": name, "framing": checks[name]["framing"], "failures": failures[name],
                "ttfb": statistics.median(s["ttfb"] for s in samples[name]),
                "total": total, "min": min(totals), "max": max(totals),
                "mbps": len(body) / total / 1e6,
                "server_cpu": cpu[name] / args.runs, "client_cpu": client_cpu[name] / args.runs,
            })
        for r in throughput:
            print(f"  {r['name']:42s} TTFB {r['ttfb'] * 1000:7.1f} ms  total {r['total'] * 1000:8.1f} ms  {r['mbps']:8.0f} MB/s  "
                  f"server CPU {r['server_cpu'] * 1000:.0f} ms/run")

        print(f"\nreading to EOF ({args.probes} requests each): does the whole body arrive?")
        probes = []
        for name, port, url, close_request in (
            ("tapedeck whole, request with Connection: close", td_port, contenders[0][2], True),
            ("tapedeck framing=close (close-delimited body)", td_port, "/c/big/s/framing=close/v1/images/generations", False),
            ("peer one piece, request with Connection: close", peer_port, contenders[3][2], True),
        ):
            probe = close_probe(name, port, url, body, args.probes, close_request)
            probes.append(probe)
            whole = sum(o["whole"] for o in probe["outcomes"])
            print(f"  {name}: {whole}/{len(probe['outcomes'])} whole; body bytes received: "
                  + ", ".join(str(o["body_bytes"]) for o in probe["outcomes"])
                  + ("" if all(o["prefix_ok"] for o in probe["outcomes"]) else " (a prefix differs from the body!)"))

        print(f"\nconcurrency: {args.concurrency} clients at once, whole body each, on freshly started servers:")
        crowd_rows = []
        for name, url, starter in (
            (contenders[0][0], contenders[0][2], lambda: start_tapedeck(tapedeck, cassettes)),
            (contenders[3][0], contenders[3][2], lambda: start_peer(body_path)),
        ):
            proc, port = starter()
            pid = server_pid(proc)
            fresh = check(name + " (fresh server, warm-up)", port, url, body, close)
            row = concurrency(name, port, url, args.concurrency, fresh["wire"] - fresh["head"], args.client_timeout, pid, close)
            crowd_rows.append(row)
            print(f"  {name:42s} ok {row['ok']}, errors {row['errors']} {row['error_kinds'] or ''}, "
                  f"TTFB p50/p99 {fmt_ms(row['ttfb_p50'])}/{fmt_ms(row['ttfb_p99'])} ms, "
                  f"total p50/p99 {fmt_ms(row['total_p50'])}/{fmt_ms(row['total_p99'])} ms, wall {row['wall']:.2f} s, "
                  f"RSS before {fmt_mib(row['rss_before'])} MiB, peak RSS {fmt_mib(row['peak_rss'])} MiB, "
                  f"server CPU {row['server_cpu']:.2f} s, client CPU {row['client_cpu']:.2f} s"
                  + (f" — {row['aborted']}" if row["aborted"] else ""), flush=True)
            stop = stop_one(name.split(" ")[0].rstrip(":") + " (concurrency server)", proc)
            info.setdefault("stops", []).append(stop)
            print("  " + stop)

        print(f"\ntapedeck chunking=bytes: one run, stopped after {args.bytes_timeout:.0f} s ...", flush=True)
        url = "/c/big/s/chunking=bytes/v1/images/generations"
        reset_peak_rss(td_pid)
        before, client_before = cpu_seconds(td_pid), time.process_time()
        result = fetch(td_port, url, capture=True, limit=args.bytes_timeout, body=body)
        bytes_cpu, bytes_client_cpu = cpu_seconds(td_pid) - before, time.process_time() - client_before
        # Does the server keep working on a response whose client has gone?
        after_before = cpu_seconds(td_pid)
        time.sleep(5)
        after_cpu = cpu_seconds(td_pid) - after_before
        after_rss = proc_status(td_pid, "VmRSS")
        wire = result["data"]
        _, status, headers, start = split_head(wire)
        fast = one_byte_chunks_prefix(wire, start, body)
        if fast is not None:
            body_bytes, complete = fast
            verdict = f"equal to the cassette body's first {body_bytes} bytes, all in 1-byte chunks"
        else:
            got, chunks, complete = dechunk(wire, start)
            body_bytes = len(got)
            verdict = ("equal to the cassette body's first" if body[:len(got)] == got else "NOT equal to the cassette body's first") + f" {body_bytes} bytes ({chunks} chunks)"
        finished = not result["timed_out"] and complete and body_bytes == len(body)
        bytes_row = {"finished": finished, "elapsed": result["total"], "body_bytes": body_bytes, "wire": result["wire"],
                     "ttfb": result["ttfb"], "verdict": verdict, "server_cpu": bytes_cpu, "client_cpu": bytes_client_cpu,
                     "after_cpu": after_cpu, "after_rss": after_rss, "peak_rss": proc_status(td_pid, "VmHWM")}
        info["checks"].append(f"tapedeck chunking=bytes (`{url}`): status {status}, {headers.get('transfer-encoding', '')}; prefix {verdict}")
        print(f"  {'finished' if finished else 'stopped'} after {result['total']:.1f} s: {body_bytes} body bytes "
              f"({body_bytes / result['total'] / 1e6:.3f} MB/s), {result['wire']} wire bytes; {verdict}; "
              f"server CPU {bytes_cpu:.1f} s; in the 5 s after the client closed: server CPU {after_cpu:.2f} s, "
              f"RSS {fmt_mib(after_rss)} MiB (peak {fmt_mib(bytes_row['peak_rss'])} MiB)")
        del wire, result

    info["load_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    for line in (stop_one("tapedeck serve", td), stop_one("uvicorn", peer)):
        info.setdefault("stops", []).append(line)
        print(line)
    markdown = render(info, throughput, bytes_row, crowd_rows, probes)
    os.makedirs(os.path.dirname(os.path.abspath(args.markdown)), exist_ok=True)
    with open(args.markdown, "w") as f:
        f.write(markdown)
    print("\n" + markdown)
    print(f"wrote {args.markdown}")


if __name__ == "__main__":
    main()
