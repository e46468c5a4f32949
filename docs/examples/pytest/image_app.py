"""The code under test: how an application streams an image with the openai SDK, shows the
previews, and returns the final image. Nothing here knows about Tapedeck.

Each check below is one that Tapedeck's scenarios showed the SDK does not make for you
(docs/client-findings.md, findings 1, 2 and 5).
"""
import base64
import io

from PIL import Image


class ImageFailed(Exception):
    """The generation failed; the message says why, for the user."""


def generate_image(client, body, on_event=lambda payload: None, on_preview=lambda image: None):
    """Streams `client.images.generate(**body)`; returns the final image's bytes."""
    final = None
    for event in client.images.generate(**body):
        payload = event.to_dict()
        on_event(payload)
        if payload.get("type") == "error":
            # An error event arrives as an ordinary event (finding 5).
            raise ImageFailed(f"the server reported an error: {payload.get('error') or payload.get('message')}")
        if event.type == "image_generation.partial_image":
            on_preview(base64.b64decode(event.b64_json))
        elif event.type == "image_generation.completed":
            final = base64.b64decode(event.b64_json)
    if final is None:
        # A stream cut before its final event ends the loop without a word (finding 2).
        raise ImageFailed("the stream ended before image_generation.completed")
    try:
        # The SDK hands over a truncated image as it came (finding 1).
        Image.open(io.BytesIO(final)).load()
    except Exception as error:
        raise ImageFailed(f"the final image is broken: {error}") from error
    return final
