"""A web page as the client under test: the page's own streaming code runs in headless
Chromium (Debian's chromium, nothing downloaded), from a file, so the requests cross origins
as a deployed page's do. What the page's user would see is reported through the client
contract: the events its code parsed and the images it put on screen.

    python clients/browser/browser_client.py clients/browser/pages/aiswing.js
    python clients/browser/browser_client.py clients/browser/pages/careful.js

A page defines `async function page({endpoint, apiKey, body})`, which makes the request and
shows images in the page's <img>; it throws to report an error. harness.html watches it
without changing its code (JSON.parse and the <img>'s src) and posts what it saw to a
loopback server of this adapter's own. Command mode; service mode with TAPEDECK_SERVICE=1.
"""
import base64
import http.server
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "python"))
import tapedeck_client  # noqa: E402

CAPABILITIES = ["images.generate", "responses"]
CHROMIUM = next((path for path in ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome") if os.path.exists(path)), None)
# The types after which a shown image is the final one; after any other it is a preview.
FINAL_AFTER = ("image_generation.completed", "image_edit.completed", "response.completed", "response.output_item.done")


def page_html(page_source, scenario, result_url):
    argument = {"endpoint": scenario.url, "apiKey": scenario.api_key, "body": scenario.body, "resultURL": result_url}
    with open(os.path.join(HERE, "harness.html"), encoding="utf-8") as file:
        harness = file.read()
    # `</script` inside the JSON would end the script element early.
    return harness.replace("/*PAGE*/", page_source).replace("/*ARGUMENT*/", json.dumps(argument).replace("</", "<\\/"))


class ResultReceiver:
    """A loopback server the page posts what it observed to, once, when its code is done."""

    def __init__(self):
        results = queue.Queue()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                results.put(self.rfile.read(length))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *arguments):
                pass

        self.results = results
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/result"

    def wait(self, timeout):
        try:
            return json.loads(self.results.get(timeout=timeout))
        finally:
            self.server.shutdown()
            self.server.server_close()


def run_page(page_path, receiver, timeout):
    """Opens the page in headless Chromium and returns what it posted, or raises when it did
    not within `timeout` seconds. Chromium is stopped either way."""
    profile = tempfile.mkdtemp(prefix="tapedeck-chromium-")
    browser = subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         f"--user-data-dir={profile}", "file://" + page_path],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    try:
        return receiver.wait(timeout)
    except queue.Empty:
        raise RuntimeError(f"the page did not finish within {timeout:.0f} s") from None
    finally:
        try:
            os.killpg(browser.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        browser.wait()
        shutil.rmtree(profile, ignore_errors=True)


def perform(scenario, observations):
    if CHROMIUM is None:
        raise RuntimeError("no chromium: install it with apt-get install -y chromium")
    with open(sys.argv[1], encoding="utf-8") as file:
        page_source = file.read()
    folder = tempfile.mkdtemp(prefix="tapedeck-page-")
    receiver = ResultReceiver()
    try:
        page_path = os.path.join(folder, "page.html")
        with open(page_path, "w", encoding="utf-8") as file:
            file.write(page_html(page_source, scenario, receiver.url))
        observed = run_page(page_path, receiver, max(5.0, scenario.timeout - 3))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for event in observed["events"]:
        observations.event(event)
    shown = observed["shown"]
    for index, image in enumerate(shown):
        src = image["src"]
        if not src.startswith("data:"):
            continue
        data = base64.b64decode(src.split(",", 1)[1])
        # The page shows every image in one <img>: the last one, shown after a final event, is
        # what its user is left with.
        if image["after"] in FINAL_AFTER and index == len(shown) - 1:
            observations.final_image(data, scenario.image_format())
        else:
            observations.partial_image(data, scenario.image_format())
    if observed["error"]:
        error = RuntimeError(observed["error"]["message"])
        error.status_code = observed["error"]["status"]
        raise error


if __name__ == "__main__":
    name = "browser:" + os.path.splitext(os.path.basename(sys.argv[1]))[0] if len(sys.argv) > 1 else "browser"
    version = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip() if CHROMIUM else "no chromium"
    tapedeck_client.main(perform, name, version, CAPABILITIES)
