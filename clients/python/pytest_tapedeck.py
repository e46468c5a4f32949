"""pytest-tapedeck: your own tests are the client of the conformance suite.

A test that asks for the `tapedeck_scenario` fixture runs once per scenario of a
`tapedeck session` (the suite of `tapedeck run`, selected with the --tapedeck-* options and the
`tapedeck` marker). It sends the scenario's request with your code, writes what your code
handed its user into `tapedeck_scenario.observations` (docs/client-contract.md), and is judged
by Tapedeck's CLIENT rules when it returns: the test fails with every rule broken, expected
against observed, and the command that reruns it. An exception the test lets out (other than a
failed assertion) is your client reporting an error to its user, which is what some scenarios
expect.

`tapedeck_proxy` is the recording proxy for a test that talks to a real upstream:
--tapedeck-record-mode (or TAPEDECK_RECORD) as pytest-recording's --record-mode.
"""
import json
import os
import queue
import shlex
import shutil
import signal
import subprocess
import threading
import time

import pytest

from tapedeck_client import Observations, Scenario, http_status

SESSION_PROTOCOL = "tapedeck-session/1"
RECORD_MODES = ("none", "once", "new-episodes", "all")
# Selection options passed to `tapedeck session` as they are: (pytest option, session option, help).
SELECTION = (
    ("--tapedeck-cassettes", "--cassettes", "the cassette folder (default: the nearest Cassettes/)"),
    ("--tapedeck-specs", "--specs", "the Specs folder (default: the nearest Specs/)"),
    ("--tapedeck-filter", "--filter", "only scenarios whose ID matches this regular expression"),
    ("--tapedeck-chunking", "--chunking", "chunking strategies, comma-separated"),
    ("--tapedeck-fault", "--fault", "faults and rewrites, separated by '+' ('none' for the response as it is)"),
    ("--tapedeck-shape", "--shape", "response shapes: documented, live"),
    ("--tapedeck-full-size", "--full-size", "chunkings delivered again with full-size images, or none"),
    ("--tapedeck-seeds", "--seeds", "seeds per seeded strategy"),
    ("--tapedeck-profile", "--profile", "silences before events: quick, slow or none"),
    ("--tapedeck-timeout", "--timeout", "seconds a test has for one scenario (CLIENT-008)"),
    ("--tapedeck-capabilities", "--capabilities", "what your client can do; scenarios needing more are skipped"),
    ("--tapedeck-out", "--out", "write run.json, junit.xml and index.html of the judged scenarios here"),
)
# Bounds on every wait for a tapedeck process: nothing here hangs a test run.
START_SECONDS = 120
REPLY_SECONDS = 300
STOP_SECONDS = 30


class TapedeckError(Exception):
    """Tapedeck could not be started or answered outside its protocol."""


def pytest_addoption(parser):
    group = parser.getgroup("tapedeck", "Tapedeck conformance scenarios and recording proxy")
    group.addoption("--tapedeck-bin", default=None,
                    help="the tapedeck executable (default: $TAPEDECK, else tapedeck on PATH)")
    for option, _, text in SELECTION:
        group.addoption(option, default=None, help=text)
    group.addoption("--tapedeck-no-wire", action="store_true", default=False,
                    help="leave out the WHATWG parsing cases")
    group.addoption("--tapedeck-record-mode", default=None, choices=RECORD_MODES + ("new_episodes",),
                    help="tapedeck_proxy's record mode (default: $TAPEDECK_RECORD, else none)")
    group.addoption("--tapedeck-upstream", default=None,
                    help="tapedeck_proxy's upstream (default: $TAPEDECK_UPSTREAM, else https://api.openai.com)")
    parser.addini("tapedeck_args", "options added to every `tapedeck session`", default="")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "tapedeck(filter=None, surface=None, capabilities=None): narrow the scenarios a "
        "tapedeck_scenario test runs: an ID regular expression, a surface (images.generate, "
        "images.edit, responses, sse), and what this test's client can do",
    )


def pytest_unconfigure(config):
    session = getattr(config, "_tapedeck_session", None)
    if session is not None:
        session.close()


def executable(config):
    found = config.getoption("--tapedeck-bin") or os.environ.get("TAPEDECK") or shutil.which("tapedeck")
    if not found:
        raise pytest.UsageError(
            "pytest-tapedeck: no tapedeck executable: give --tapedeck-bin PATH or set TAPEDECK "
            "(a checkout builds one with `swift build`, at .build/debug/tapedeck)")
    # Relative to where pytest was started, as the user typed it.
    return os.path.join(str(config.invocation_params.dir), found) if os.sep in found else found


def session_for(config):
    """The `tapedeck session` of this pytest run, started at the first test that needs it."""
    session = getattr(config, "_tapedeck_session", None)
    if session is None:
        arguments = []
        for option, flag, _ in SELECTION:
            value = config.getoption(option)
            if value is not None:
                arguments += [flag, str(value)]
        if config.getoption("--tapedeck-no-wire"):
            arguments.append("--no-wire")
        arguments += shlex.split(config.getini("tapedeck_args"))
        session = TapedeckSession([executable(config), "session", *arguments], cwd=str(config.rootpath))
        config._tapedeck_session = session
    return session


class TapedeckSession:
    """A running `tapedeck session` and its line-by-line conversation."""

    def __init__(self, command, cwd):
        self.command = command
        try:
            self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=subprocess.PIPE, text=True, cwd=cwd)
        except OSError as error:
            raise pytest.UsageError(f"pytest-tapedeck: cannot start {shlex.join(command)}: {error}") from error
        self.lines = queue.Queue()
        self.errors = []
        threading.Thread(target=self._read, args=(self.process.stdout, self.lines), daemon=True).start()
        threading.Thread(target=self._keep, args=(self.process.stderr,), daemon=True).start()
        hello = self._next(START_SECONDS)
        if hello.get("protocol") != SESSION_PROTOCOL:
            self.close()
            raise pytest.UsageError(
                f"pytest-tapedeck: {shlex.join(command)} did not start a session:\n{self.stderr()}")
        self.base_url = hello["base_url"]
        self.timeout = float(hello["timeout"])
        self._scenarios = None

    @staticmethod
    def _read(stream, lines):
        for line in stream:
            lines.put(line)
        lines.put(None)

    def _keep(self, stream):
        for line in stream:
            self.errors.append(line)

    def stderr(self):
        time.sleep(0.2)  # the last lines of a process that just ended
        return "".join(self.errors[-40:]) or "(nothing on standard error)"

    def _next(self, seconds):
        try:
            line = self.lines.get(timeout=seconds)
        except queue.Empty:
            raise TapedeckError(f"tapedeck session gave no answer in {seconds} s") from None
        if line is None:
            raise pytest.UsageError(
                f"pytest-tapedeck: {shlex.join(self.command)} ended (exit {self.process.wait()}):\n{self.stderr()}")
        return json.loads(line)

    def ask(self, message):
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()
        reply = self._next(REPLY_SECONDS)
        if reply.get("error"):
            raise TapedeckError(reply["error"])
        return reply

    def scenarios(self):
        if self._scenarios is None:
            self._scenarios = self.ask({"op": "list"})["scenarios"]
        return self._scenarios

    def close(self):
        """Ends the session (it writes --tapedeck-out's reports as it ends); bounded."""
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=STOP_SECONDS)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()


def pytest_generate_tests(metafunc):
    if "tapedeck_scenario" not in metafunc.fixturenames:
        return
    try:
        parametrize(metafunc)
    except (pytest.UsageError, TapedeckError) as error:
        # What to fix, without a traceback through pytest's collection.
        pytest.exit(str(error), returncode=pytest.ExitCode.USAGE_ERROR)


def parametrize(metafunc):
    import re

    marker = metafunc.definition.get_closest_marker("tapedeck")
    narrowing = marker.kwargs if marker else {}
    pattern = re.compile(narrowing["filter"]) if narrowing.get("filter") else None
    surface = narrowing.get("surface")
    capabilities = narrowing.get("capabilities")
    session = session_for(metafunc.config)
    chosen = [
        scenario["id"] for scenario in session.scenarios()
        if (pattern is None or pattern.search(scenario["id"]))
        and (surface is None or scenario["surface"] == surface)
        and (capabilities is None or set(scenario["capabilities"]) <= set(capabilities))
    ]
    if not chosen:
        # An empty selection is a mistake, never a green test.
        raise pytest.UsageError(
            f"pytest-tapedeck: {metafunc.definition.nodeid} selects none of the session's "
            f"{len(session.scenarios())} scenarios (marker {narrowing or 'none'}; "
            f"`tapedeck run --list` with the same options prints their IDs)")
    metafunc.parametrize("tapedeck_scenario", chosen, ids=chosen, indirect=True)


class TapedeckScenario(Scenario):
    """One scenario for your test: where to send (`base_url`, `url`, `api_key`), what to send
    (`request`, `body`, `surface`, `streams`, `files`), where to write what your client showed
    (`observations`), and `judge()`."""

    def __init__(self, session, job, rerun):
        super().__init__(job["id"], job["base_url"], job["api_key"], job["request"], job["output"], job["timeout"])
        self.session = session
        self.rerun = rerun
        # What a conformant client does here: succeeds, or reports an error (and why).
        self.success_required = bool(job.get("success_required"))
        self.error_required = job.get("error_required")
        self.observations = Observations(self.output)
        self.verdict = None

    @property
    def files(self):
        return list(self.request.get("files") or [])

    def judge(self):
        """Judges what the test observed; fails the test on a broken MUST. Once per scenario."""
        if self.verdict is None:
            self.observations.close()
            reply = self.session.ask({
                "op": "judge", "id": self.identifier,
                "reproduction": f"pytest {shlex.quote(self.rerun)}  (the scenario's base URL: {self.base_url})",
            })
            self.verdict = reply
        result = self.verdict["result"]
        if result["verdict"] in ("fail", "error"):
            pytest.fail(f"Tapedeck scenario {self.identifier}: {result['verdict']}\n{self.verdict['explanation']}", pytrace=False)
        return result


@pytest.fixture
def tapedeck_scenario(request):
    if not hasattr(request, "param"):
        raise pytest.UsageError("tapedeck_scenario is parametrized by pytest-tapedeck; request it as a test argument")
    session = session_for(request.config)
    reply = session.ask({"op": "begin", "id": request.param})
    if "job" not in reply:
        result = reply["result"]
        if result["verdict"] == "skipped":
            pytest.skip(result.get("reason") or "skipped")
        pytest.fail(reply["explanation"], pytrace=False)
    # The test's ID as typed from where pytest was started.
    rerun = os.path.relpath(str(request.node.path), str(request.config.invocation_params.dir)) + "::" + request.node.name
    scenario = TapedeckScenario(session, reply["job"], rerun)
    request.node._tapedeck_scenario = scenario
    yield scenario
    scenario.observations.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Judges a scenario test when its body returns, unless it called judge() itself. An
    exception other than a failed assertion or a pytest outcome is the client's error report
    (error.json, with the HTTP status it carries), judged like any other observation."""
    scenario = getattr(item, "_tapedeck_scenario", None)
    if scenario is None:
        return (yield)
    try:
        result = yield
    except (AssertionError, pytest.skip.Exception, pytest.fail.Exception, pytest.xfail.Exception, KeyboardInterrupt):
        raise
    except Exception as error:
        if scenario.verdict is not None:
            raise
        scenario.observations.error(f"{type(error).__name__}: {error}", http_status(error))
        result = None
    if scenario.verdict is None:
        scenario.judge()
    return result


@pytest.fixture
def tapedeck_proxy(request):
    """A `tapedeck proxy` for this test, recording into cassettes/<module>/<test>/ beside the
    test file; its base URL (ending in /v1) is the fixture's value."""
    mode = (request.config.getoption("--tapedeck-record-mode") or os.environ.get("TAPEDECK_RECORD") or "none").replace("_", "-")
    if mode not in RECORD_MODES:
        raise pytest.UsageError(f"pytest-tapedeck: record mode {mode!r}; modes: {', '.join(RECORD_MODES)}")
    upstream = request.config.getoption("--tapedeck-upstream") or os.environ.get("TAPEDECK_UPSTREAM") or "https://api.openai.com"
    module = request.node.path.stem
    folder = request.node.path.parent / "cassettes" / module / request.node.name
    command = [executable(request.config), "proxy", "--upstream", upstream, "--cassettes", str(folder),
               "--record-mode", mode, "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = queue.Queue()
    threading.Thread(target=TapedeckSession._read, args=(process.stdout, lines), daemon=True).start()
    try:
        first = lines.get(timeout=START_SECONDS)
    except queue.Empty:
        first = None
    if not first or not first.startswith("http://"):
        process.kill()
        process.wait()
        raise pytest.UsageError(f"pytest-tapedeck: {shlex.join(command)} printed {first!r} instead of its address")
    try:
        yield first.strip().rstrip("/") + "/v1"
    finally:
        # SIGTERM lets the streams in flight finish and be saved (--drain-timeout).
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_SECONDS + 10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
