"""`tapedeck proxy` against a direct connection and against mitmproxy, same streams, same run.

    python bench/proxy_bench.py [--tapedeck .build/release/tapedeck] [--mitmdump .venv/bin/mitmdump]
                                [--runs 5] [--events 2000] [--markdown bench/out/proxy.md]

Any Python 3 runs it (the standard library is enough); mitmdump comes from a venv with
bench/proxy-requirements.txt, its own because mitmproxy pins an older h11 than the openai
SDK: `./scripts/bench-proxy` does all of it. Everything runs on 127.0.0.1 and stops by
itself (each process is stopped on exit; a global timeout ends a stuck run).

1. Throughput: the 24 MiB single-event cassette of bench/serve_bench.py (one
   `image_generation.completed` event carrying 25,165,824 characters of base64) served by
   `tapedeck serve --cassettes DIR`, fetched over a raw socket (1 MiB recv_into, nothing
   decoded but the HTTP framing) three ways: direct; through `tapedeck proxy --upstream
   http://127.0.0.1:PORT --record-mode all` (so every run is forwarded and recorded, the
   cassette saved before the response ends); through `mitmdump --mode
   reverse:http://127.0.0.1:PORT`. Each body is checked byte for byte against the
   cassette's first. Reported per contender, median of --runs interleaved runs: time to the
   first response byte, to the last body byte, and to the end of the response (its
   terminating chunk), and MB/s to the last body byte.
2. Added latency per chunk: a paced upstream (this file with `_paced`, a raw-socket HTTP/1.1
   server) writes --events small SSE events 1 ms apart, each carrying
   time.perf_counter_ns() at the moment it is written (CLOCK_MONOTONIC, shared by every
   process on the machine). The client stamps each event on arrival; latency = arrival -
   sent. Direct, through tapedeck proxy, through mitmdump. The added latency of a proxy is
   its latency minus the direct latency at the same percentile (p50, p99, max).
"""

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import serve_bench  # noqa: E402  (the 24 MiB cassette, process helpers)

REQUEST_JSON = serve_bench.REQUEST_JSON
PATH = "/v1/images/generations"


# ------------------------------------------------------------------ paced upstream


def paced_main(events, gap_ms):
    """A raw HTTP/1.1 server: any request gets `events` SSE events, one per write, gap_ms apart."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    print(f"http://127.0.0.1:{listener.getsockname()[1]}", flush=True)

    def serve(conn):
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        data = b""
        while b"\r\n\r\n" not in data:
            more = conn.recv(65536)
            if not more:
                return
            data += more
        head, _, rest = data.partition(b"\r\n\r\n")
        length = int(re.search(rb"(?i)content-length:\s*(\d+)", head).group(1)) if b"ontent-" in head else 0
        while len(rest) < length:
            rest += conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
        deadline = time.perf_counter()
        for index in range(events):
            deadline += gap_ms / 1000
            while time.perf_counter() < deadline:
                pass
            event = b'data: {"type":"tick","i":%d,"t":%d}\n\n' % (index, time.perf_counter_ns())
            conn.sendall(b"%x\r\n%s\r\n" % (len(event), event))
        conn.sendall(b"0\r\n\r\n")
        conn.close()

    while True:
        conn, _ = listener.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


# ------------------------------------------------------------------------ client


class Framing:
    """Follows a response's HTTP/1.1 framing as bytes arrive, without copying the body."""

    def __init__(self):
        self.head = bytearray()
        self.status = None
        self.chunked = False
        self.length = None
        self.body = 0
        self.done = False
        self.pending = bytearray()  # framing bytes not yet understood
        self.left_in_chunk = 0
        self.body_parts = []  # kept only when asked

    def feed(self, data, keep=False):
        view = memoryview(data)
        if self.status is None:
            self.head += view
            end = self.head.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self.head[:end]).decode("latin-1")
            self.status = int(head.split()[1])
            lower = head.lower()
            self.chunked = "transfer-encoding: chunked" in lower
            match = re.search(r"content-length:\s*(\d+)", lower)
            self.length = int(match.group(1)) if match else None
            view = memoryview(bytes(self.head[end + 4:]))
        if not self.chunked:
            self.body += len(view)
            if keep:
                self.body_parts.append(bytes(view))
            self.done = self.length is not None and self.body >= self.length
            return
        position = 0
        while position < len(view) and not self.done:
            if self.left_in_chunk > 0:
                take = min(self.left_in_chunk, len(view) - position)
                if keep:
                    self.body_parts.append(bytes(view[position:position + take]))
                self.body += take
                self.left_in_chunk -= take
                position += take
                if self.left_in_chunk == 0:
                    self.pending = bytearray()
                    self.skip_crlf = 2
                continue
            if getattr(self, "skip_crlf", 0):
                skip = min(self.skip_crlf, len(view) - position)
                self.skip_crlf -= skip
                position += skip
                continue
            self.pending += view[position:position + 1]
            position += 1
            if self.pending.endswith(b"\r\n"):
                size = int(bytes(self.pending[:-2]).split(b";")[0] or b"0", 16)
                self.pending = bytearray()
                if size == 0:
                    self.done = True
                else:
                    self.left_in_chunk = size


def fetch(port, expected_body, keep=False, on_data=None, timeout=120):
    """One POST over a raw socket (connected first, not timed). Times from sending the request
    to the first byte, to the last body byte, and to the end of the response."""
    buffer = bytearray(1 << 20)
    view = memoryview(buffer)
    sock = socket.create_connection(("127.0.0.1", port))
    sock.settimeout(timeout)
    request = (f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
               f"Content-Length: {len(REQUEST_JSON)}\r\n\r\n").encode() + REQUEST_JSON
    framing = Framing()
    first = last_body = end = None
    try:
        start = time.perf_counter()
        sock.sendall(request)
        while not framing.done:
            n = sock.recv_into(buffer)
            now = time.perf_counter()
            if n == 0:
                break
            if first is None:
                first = now
            before = framing.body
            framing.feed(view[:n], keep=keep)
            if on_data is not None:
                on_data(bytes(view[:n]), now)
            if expected_body is not None and before < expected_body <= framing.body:
                last_body = now
        end = time.perf_counter()
    finally:
        sock.close()
    return {"status": framing.status, "ttfb": first - start, "last_body": (last_body or end) - start,
            "end": end - start, "body": framing.body, "complete": framing.done,
            "data": b"".join(framing.body_parts) if keep else None}


def latencies(port):
    """Arrival minus sent, in microseconds, for every event of the paced stream."""
    found = []
    carry = bytearray()

    def on_data(data, now):
        nonlocal carry
        arrived = time.perf_counter_ns()
        carry += data
        consumed = 0
        for match in re.finditer(rb'"t":(\d+)\}', carry):
            found.append((arrived - int(match.group(1))) / 1000)
            consumed = match.end()
        del carry[:consumed]

    result = fetch(port, None, on_data=on_data)
    return result, found


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# --------------------------------------------------------------------- processes


def start(argv, pattern, what, stream="stdout"):
    proc = serve_bench.start_process(argv)
    source = proc.stdout if stream == "stdout" else proc.stderr
    match = serve_bench.read_line_until(source, pattern, time.monotonic() + 60, proc, what)
    serve_bench.drain(proc.stderr if stream == "stdout" else proc.stdout)
    return proc, int(match.group(1))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_mitmdump(mitmdump, upstream_port):
    port = free_port()
    proc = serve_bench.start_process([mitmdump, "--mode", f"reverse:http://127.0.0.1:{upstream_port}",
                                      "--listen-host", "127.0.0.1", "--listen-port", str(port), "-q"])
    serve_bench.drain(proc.stdout)
    serve_bench.drain(proc.stderr)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            time.sleep(0.1)
    raise SystemExit("mitmdump did not start listening within 60 s")


def start_proxy(tapedeck, upstream_port, folder):
    return start([tapedeck, "proxy", "--upstream", f"http://127.0.0.1:{upstream_port}", "--cassettes", folder,
                  "--record-mode", "all", "--port", "0", "--quiet"], r"^http://127\.0\.0\.1:(\d+)$", "tapedeck proxy")


# ------------------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tapedeck", default=".build/release/tapedeck")
    parser.add_argument("--mitmdump", default=os.path.join(os.path.dirname(sys.executable), "mitmdump"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--markdown", default="bench/out/proxy.md")
    parser.add_argument("--global-timeout", type=int, default=600)
    args = parser.parse_args()
    if len(sys.argv) > 1 and sys.argv[1] == "_paced":
        return
    signal.signal(signal.SIGALRM, lambda *_: (serve_bench.stop_all(), os._exit(3)))
    signal.alarm(args.global_timeout)
    work = tempfile.mkdtemp(prefix="proxy-bench-")
    try:
        run(args, work)
    finally:
        serve_bench.stop_all()
        shutil.rmtree(work, ignore_errors=True)


def run(args, work):
    tapedeck = os.path.abspath(args.tapedeck)
    library = os.path.join(work, "library")
    os.makedirs(library)
    _, body, _ = serve_bench.make_cassette(tapedeck, library)
    shutil.rmtree(os.path.join(library, "synth"), ignore_errors=True)

    upstream, upstream_port = serve_bench.start_tapedeck(tapedeck, library)
    proxy, proxy_port = start_proxy(tapedeck, upstream_port, os.path.join(work, "recorded"))
    mitm, mitm_port = start_mitmdump(args.mitmdump, upstream_port)
    contenders = [("direct (tapedeck serve)", upstream_port), ("tapedeck proxy", proxy_port), ("mitmdump --mode reverse", mitm_port)]

    for name, port in contenders:
        result = fetch(port, len(body), keep=True)
        if result["status"] != 200 or result["data"] != body:
            raise SystemExit(f"{name}: the body differs from the cassette's (status {result['status']}, {result['body']} bytes)")
        print(f"checked {name}: 200, {len(body):,} bytes, byte for byte", flush=True)

    timings = {name: [] for name, _ in contenders}
    for _ in range(args.runs):
        for name, port in contenders:
            result = fetch(port, len(body))
            if result["body"] != len(body):
                raise SystemExit(f"{name}: {result['body']} bytes, not {len(body)}")
            timings[name].append(result)
    rows = []
    direct_rate = None
    for name, _ in contenders:
        median = {key: statistics.median(r[key] for r in timings[name]) for key in ("ttfb", "last_body", "end")}
        rate = len(body) / median["last_body"] / 1e6
        direct_rate = direct_rate or rate
        rows.append((name, median, rate, rate / direct_rate))
    for proc in (proxy, mitm):
        proc.terminate()

    paced, paced_port = start([sys.executable, os.path.abspath(__file__), "_paced", str(args.events), "1"],
                              r"^http://127\.0\.0\.1:(\d+)$", "paced upstream")
    proxy, proxy_port = start_proxy(tapedeck, paced_port, os.path.join(work, "paced"))
    mitm, mitm_port = start_mitmdump(args.mitmdump, paced_port)
    latency = {}
    for name, port in [("direct (paced upstream)", paced_port), ("tapedeck proxy", proxy_port), ("mitmdump --mode reverse", mitm_port)]:
        result, values = latencies(port)
        if len(values) != args.events:
            raise SystemExit(f"{name}: {len(values)} events arrived, not {args.events}")
        latency[name] = values
        print(f"latency {name}: {len(values)} events", flush=True)
    direct = latency["direct (paced upstream)"]

    lines = [
        f"Machine: {serve_bench.machine()[1]}",
        "",
        f"Throughput, one 24 MiB event ({len(body):,} bytes of body), median of {args.runs} interleaved runs:",
        "",
        "| path | first byte | last body byte | response end | MB/s | vs direct |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, median, rate, ratio in rows:
        lines.append(f"| {name} | {median['ttfb'] * 1000:.1f} ms | {median['last_body'] * 1000:.1f} ms | {median['end'] * 1000:.1f} ms | {rate:.0f} | {ratio:.2f} |")
    lines += [
        "",
        f"Latency per event, {args.events} small events written 1 ms apart (µs from the upstream's write to the client's read):",
        "",
        "| path | p50 | p99 | max | added p50 | added p99 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, values in latency.items():
        added = "" if values is direct else f" {percentile(values, 50) - percentile(direct, 50):.0f} | {percentile(values, 99) - percentile(direct, 99):.0f} |"
        lines.append(f"| {name} | {percentile(values, 50):.0f} | {percentile(values, 99):.0f} | {max(values):.0f} |" + (added or " – | – |"))
    text = "\n".join(lines) + "\n"
    print()
    print(text)
    os.makedirs(os.path.dirname(os.path.abspath(args.markdown)), exist_ok=True)
    with open(args.markdown, "w") as f:
        f.write(text)
    print(f"wrote {args.markdown}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_paced":
        paced_main(int(sys.argv[2]), float(sys.argv[3]))
    else:
        main()
