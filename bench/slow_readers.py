"""Memory of `tapedeck serve` under clients that never read their answers.

    .venv/bin/python bench/slow_readers.py .build/release/tapedeck same
    .venv/bin/python bench/slow_readers.py .build/release/tapedeck distinct --delivery-memory 256

Sixty clients, each with a 4 KiB receive window, ask for a streamed 1024x1024 PNG at its real
size (about 8.4 MB of body) and never read it: all the same request (`same`), or sixty
different prompts (`distinct`). Prints the server's resident memory before, and its peak over
the next 20 seconds. Arguments after the mode go to `tapedeck serve`.
"""
import re
import socket
import subprocess
import sys
import time

CLIENTS = 60


def main():
    binary, mode = sys.argv[1], sys.argv[2]
    server = subprocess.Popen([binary, "serve", "--synthesize", "--quiet", "--port", "0"] + sys.argv[3:], stdout=subprocess.PIPE, text=True)
    port = int(server.stdout.readline().strip().rsplit(":", 1)[1])

    def resident_mib():
        return int(re.search(r"VmRSS:\s+(\d+)", open(f"/proc/{server.pid}/status").read()).group(1)) // 1024

    try:
        time.sleep(0.5)
        print(f"idle: {resident_mib()} MiB")
        clients = []
        for number in range(CLIENTS):
            prompt = f"p{number}" if mode == "distinct" else "same"
            body = '{"model":"gpt-image-1","prompt":"%s","stream":true,"partial_images":1,"size":"1024x1024","output_format":"png"}' % prompt
            client = socket.socket()
            client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            client.connect(("127.0.0.1", port))
            client.sendall((f"POST /s/images=full-size/v1/images/generations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                            f"Content-Length: {len(body)}\r\n\r\n" + body).encode())
            clients.append(client)
        peak = 0
        for _ in range(40):
            time.sleep(0.5)
            peak = max(peak, resident_mib())
        print(f"{CLIENTS} clients that never read ({mode} answers): peak {peak} MiB")
        for client in clients:
            client.close()
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
