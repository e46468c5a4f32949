"""Decode a Server-Sent Events file with a peer parser, for bench/compare.py.

    python bench/peers.py {openai,httpx-sse} FILE [--chunk-size N]

Reads FILE in chunks of N bytes, as a streamed HTTP response body would
arrive, and decodes it with:

  openai     the openai SDK's own decoder, openai._streaming.SSEDecoder, fed
             the way Stream._iter_events feeds it: decoder.iter_bytes(chunks).
  httpx-sse  httpx-sse's SSELineDecoder and SSEDecoder, fed the way
             EventSource.iter_sse feeds them over httpx's Response.iter_text():
             incremental UTF-8 decoding (errors="replace"), empty text
             dropped, lines split by SSELineDecoder, rstrip("\\n"), decode().

For every event it does what `tapedeck events` does: it writes one JSON line
{"event": type, "data": data, "id": last event ID} to stdout (buffered). The
type defaults to "message" and the ID to "", as in tapedeck's output.
"""

import argparse
import codecs
import importlib
import importlib.util
import json
import sys
import types


def read_chunks(path, chunk_size):
    """Yield the file's bytes in chunks, like Response.iter_bytes() (no empty chunks)."""
    with open(path, "rb") as f:
        yield from iter(lambda: f.read(chunk_size), b"")


def openai_events(chunks):
    """Events as openai's Stream sees them: SSEDecoder().iter_bytes(response.iter_bytes())."""
    from openai._streaming import SSEDecoder

    for sse in SSEDecoder().iter_bytes(chunks):
        yield sse.event or "message", sse.data, sse.id or ""


def import_httpx_sse_decoders():
    """Import httpx_sse._decoders without httpx_sse/__init__.py.

    The package's __init__ imports httpx (for EventSource), which httpx-sse does
    not declare as a dependency and which is not installed here; the decoders
    themselves need only the standard library.
    """
    spec = importlib.util.find_spec("httpx_sse")
    package = types.ModuleType("httpx_sse")
    package.__path__ = list(spec.submodule_search_locations)
    sys.modules["httpx_sse"] = package
    return importlib.import_module("httpx_sse._decoders")


def httpx_sse_events(chunks):
    """Events as EventSource.iter_sse() yields them over httpx's Response.iter_text()."""
    decoders = import_httpx_sse_decoders()

    def iter_text():  # httpx.Response.iter_text() with chunk_size=None
        text_decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        for chunk in chunks:
            text = text_decoder.decode(chunk)
            if text:
                yield text
        text = text_decoder.decode(b"", True)
        if text:
            yield text

    def iter_sse_lines():  # httpx_sse._api._iter_sse_lines
        line_decoder = decoders.SSELineDecoder()
        for text in iter_text():
            yield from line_decoder.decode(text)
        yield from line_decoder.flush()

    decoder = decoders.SSEDecoder()  # EventSource.iter_sse
    for line in iter_sse_lines():
        sse = decoder.decode(line.rstrip("\n"))
        if sse is not None:
            yield sse.event, sse.data, sse.id


PEERS = {"openai": openai_events, "httpx-sse": httpx_sse_events}


def main():
    parser = argparse.ArgumentParser(description="Decode an SSE file with a peer parser.")
    parser.add_argument("peer", choices=sorted(PEERS))
    parser.add_argument("file")
    parser.add_argument("--chunk-size", type=int, default=65536)
    args = parser.parse_args()

    write = sys.stdout.write
    for event, data, event_id in PEERS[args.peer](read_chunks(args.file, args.chunk_size)):
        write(json.dumps({"event": event, "data": data, "id": event_id}) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
