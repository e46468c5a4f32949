import os
import sys

import pytest

# The application module sits beside its tests.
sys.path.insert(0, os.path.dirname(__file__))

# What the openai SDK itself gets wrong, and no application code can fix: expected to fail,
# strictly, so the day a new SDK version fixes it the test says so (docs/client-findings.md).
KNOWN_SDK_FINDINGS = {
    "fault=ping@": "finding 6: a data-less `event: ping` crashes the openai SDK's stream",
}


@pytest.fixture(autouse=True)
def known_sdk_findings(request):
    if "tapedeck_scenario" not in request.fixturenames:
        return
    scenario = request.getfixturevalue("tapedeck_scenario")
    for marker, reason in KNOWN_SDK_FINDINGS.items():
        # Where the stream is broken anyway, the crash is the error a user must see.
        if marker in scenario.identifier and scenario.success_required:
            request.applymarker(pytest.mark.xfail(reason=reason, strict=True))
