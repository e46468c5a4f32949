"""Seconds per scenario for each adapter in command mode and in service mode.

    .venv/bin/python Tests/clients/measure_modes.py [--rounds 3]

Starts `tapedeck serve --cassettes Cassettes`, runs the same scenarios one after another
through each adapter both ways, checks each result against the cassette, and prints a table.
Command mode pays the interpreter start and the library import on every scenario; service
mode pays them once.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenario_kit  # noqa: E402
from conftest import CassetteServer  # noqa: E402
from test_adapters import ADAPTERS, STREAMED, mismatches, prepare  # noqa: E402


def measure(adapter, server_url, scenarios):
    command, _ = ADAPTERS[adapter]
    started = time.monotonic()
    for cassette, scenario in scenarios:
        url, request_path, output = prepare(server_url, cassette, scenario)
        status, log = scenario_kit.run_command(command, url, request_path, output, timeout=120)
        assert not mismatches(cassette, scenario, status, output, log), (adapter, cassette)
    command_seconds = (time.monotonic() - started) / len(scenarios)
    started = time.monotonic()
    service = scenario_kit.Service(command)
    for cassette, scenario in scenarios:
        url, request_path, output = prepare(server_url, cassette, scenario)
        status = service.run(url, request_path, output, timeout=120)
        assert not mismatches(cassette, scenario, status, output), (adapter, cassette)
    service.close()
    service_seconds = (time.monotonic() - started) / len(scenarios)
    return command_seconds, service_seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3, help="times each streamed cassette is run")
    arguments = parser.parse_args()
    scenarios = [(cassette, "chunking=whole") for cassette in STREAMED] * arguments.rounds
    server = CassetteServer()
    try:
        print(f"{len(scenarios)} scenarios per mode ({', '.join(STREAMED)}), load average {os.getloadavg()[0]:.1f}")
        print(f"{'adapter':<22}{'command s/scenario':>20}{'service s/scenario':>20}{'ratio':>8}")
        for adapter in ADAPTERS:
            command_seconds, service_seconds = measure(adapter, server.url, scenarios)
            print(f"{adapter:<22}{command_seconds:>20.3f}{service_seconds:>20.3f}{command_seconds / service_seconds:>8.1f}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
