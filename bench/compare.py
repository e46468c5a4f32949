"""End-to-end benchmark: `tapedeck events` against the SSE parsers users run today.

    python bench/compare.py --tapedeck PATH --inputs FILE [FILE ...]
                            [--repetitions 5] [--markdown OUT.md]

For each input, every contender runs as a subprocess with stdout to /dev/null:
`tapedeck events FILE`, `python bench/peers.py openai FILE`,
`python bench/peers.py httpx-sse FILE`, and the physical floor `wc -l FILE`.
Times are wall clock (time.perf_counter around subprocess.run), the median of
--repetitions runs after one warm-up run. Nothing is subtracted: process
start-up (and Python's imports) is included. Before timing, each parser runs
once and must print the same number of event lines; otherwise exit 1.
Run it with the Python that has bench/requirements.txt installed.
"""

import argparse
import importlib.metadata
import os
import platform
import statistics
import subprocess
import sys
import time

PEERS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers.py")


def contenders(tapedeck, path):
    """(name, argv, is_parser) for one input; the first is the baseline."""
    return [
        ("tapedeck events", [tapedeck, "events", path], True),
        ("openai SSEDecoder", [sys.executable, PEERS, "openai", path], True),
        ("httpx-sse SSEDecoder", [sys.executable, PEERS, "httpx-sse", path], True),
        ("wc -l (floor)", ["wc", "-l", path], False),
    ]


def header_lines(tapedeck, repetitions):
    version = subprocess.run([tapedeck, "version"], capture_output=True, text=True, check=True)
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
    return [
        "End-to-end times: each contender is a whole process (start-up and imports included,"
        " nothing subtracted), stdout to /dev/null;"
        f" median of {repetitions} runs after 1 warm-up run.",
        f"tapedeck: {version.stdout.splitlines()[0]} ({tapedeck})",
        f"python: {platform.python_version()} ({sys.executable})",
        f"openai: {importlib.metadata.version('openai')}",
        f"httpx-sse: {importlib.metadata.version('httpx-sse')}",
        f"machine: {nproc} CPUs (nproc), {cpu}, {platform.system()} {platform.release()}",
    ]


def count_lines(argv):
    """Run a parser once and return how many lines it printed."""
    result = subprocess.run(argv, stdout=subprocess.PIPE)
    if result.returncode != 0:
        sys.exit(f"FAILED: {' '.join(argv)} exited with status {result.returncode}")
    return result.stdout.count(b"\n")


def check_event_counts(runs):
    counts = {name: count_lines(argv) for name, argv, is_parser in runs if is_parser}
    if len(set(counts.values())) != 1:
        print("MISMATCH in the number of events printed:", file=sys.stderr)
        for name, count in counts.items():
            print(f"  {name}: {count} lines", file=sys.stderr)
        sys.exit(1)
    return next(iter(counts.values()))


def time_once(argv):
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def median_times(runs, repetitions):
    """Median seconds per contender: one warm-up each, then round-robin repetitions."""
    for _, argv, _ in runs:
        time_once(argv)
    samples = {name: [] for name, _, _ in runs}
    for _ in range(repetitions):
        for name, argv, _ in runs:
            samples[name].append(time_once(argv))
    return {name: statistics.median(times) for name, times in samples.items()}


def ratio_label(ratio, baseline):
    if baseline:
        return "1.0x (baseline)"
    if ratio >= 1:
        return f"{ratio:.1f}x slower than tapedeck"
    return f"{ratio:.2f}x"


def table_rows(medians, size):
    base = next(iter(medians.values()))
    return [
        (name, f"{seconds:.4f}", f"{size / 1e6 / seconds:.1f}", ratio_label(seconds / base, i == 0))
        for i, (name, seconds) in enumerate(medians.items())
    ]


COLUMNS = ("contender", "median s", "MB/s", "time vs tapedeck")


def text_table(rows):
    widths = [max(len(str(r[i])) for r in [COLUMNS, *rows]) for i in range(len(COLUMNS))]
    fmt = "  ".join(f"{{:{'<' if i in (0, 3) else '>'}{w}}}" for i, w in enumerate(widths))
    return "\n".join(fmt.format(*r).rstrip() for r in [COLUMNS, *rows])


def markdown_table(rows):
    lines = ["| " + " | ".join(COLUMNS) + " |", "|---|---:|---:|---|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tapedeck", required=True, help="path to the tapedeck binary")
    parser.add_argument("--inputs", nargs="+", required=True, help="SSE files")
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--markdown", help="also write the tables as Markdown to this file")
    args = parser.parse_args()
    tapedeck = os.path.abspath(args.tapedeck)

    header = header_lines(tapedeck, args.repetitions)
    print("\n".join(header))
    markdown = ["# tapedeck events vs peer SSE parsers", ""] + [f"- {h}" for h in header]

    for path in args.inputs:
        runs = contenders(tapedeck, path)
        events = check_event_counts(runs)
        size = os.path.getsize(path)
        rows = table_rows(median_times(runs, args.repetitions), size)
        title = f"{path}: {size} bytes ({size / 1e6:.2f} MB), {events} events"
        print(f"\n{title}\n{text_table(rows)}", flush=True)
        markdown += ["", f"## {title}", "", markdown_table(rows)]

    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write("\n".join(markdown) + "\n")


if __name__ == "__main__":
    main()
