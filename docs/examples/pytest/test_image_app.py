"""The application's streaming code, run through Tapedeck's scenarios: each test below runs
once per scenario, and Tapedeck judges what the application showed its user.

    pip install ./clients/python openai
    pytest docs/examples/pytest --tapedeck-bin .build/debug/tapedeck
"""
import openai
import pytest

from image_app import generate_image


@pytest.mark.tapedeck(surface="images.generate", capabilities=["images.generate"])
def test_streams_previews_then_the_final_image(tapedeck_scenario):
    scenario = tapedeck_scenario
    client = openai.OpenAI(base_url=scenario.base_url, api_key=scenario.api_key, max_retries=0)
    seen = scenario.observations
    image_format = scenario.image_format()

    # An exception that leaves the test is the application telling its user it failed:
    # scenarios that break the stream expect one.
    final = generate_image(
        client, scenario.body,
        on_event=seen.event,
        on_preview=lambda image: seen.partial_image(image, image_format),
    )
    seen.final_image(final, image_format)
