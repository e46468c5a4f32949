"""The official openai Python SDK, unchanged, against `tapedeck serve --synthesize`.

For every chunking mode, each surface yields the right typed events in order and images that
decode to the asked format and size.
"""
import base64
import io

import openai
import pytest
from PIL import Image

CHUNKINGS = ["whole", "bytes", "fixed:7", "random", "adversarial"]


def client(server, scenario):
    return openai.OpenAI(base_url=server.base_url(scenario), api_key="sk-tapedeck-test", max_retries=0, timeout=60)


def decode(b64, expected_format, expected_size):
    image = Image.open(io.BytesIO(base64.b64decode(b64)))
    image.load()
    assert image.format == {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}[expected_format]
    assert image.size == expected_size
    return image


@pytest.mark.parametrize("chunking", CHUNKINGS)
def test_images_generate_stream(synthesizing_server, chunking):
    stream = client(synthesizing_server, f"chunking={chunking},seed=3").images.generate(
        model="gpt-image-1", prompt="a sea otter", stream=True, partial_images=2, size="1024x1024", output_format="png",
    )
    events = list(stream)
    assert [event.type for event in events] == [
        "image_generation.partial_image", "image_generation.partial_image", "image_generation.completed",
    ]
    assert [event.partial_image_index for event in events[:2]] == [0, 1]
    for event in events:
        decode(event.b64_json, "png", (1024, 1024))
    usage = events[-1].usage
    assert usage.total_tokens == usage.input_tokens + usage.output_tokens


@pytest.mark.parametrize("chunking", CHUNKINGS)
def test_images_edit_stream_with_uploaded_png(synthesizing_server, chunking):
    upload = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 120, 80)).save(upload, format="PNG")
    upload.name = "otter.png"
    upload.seek(0)
    stream = client(synthesizing_server, f"chunking={chunking},seed=5").images.edit(
        model="gpt-image-1", image=upload, prompt="add a hat", stream=True, partial_images=1,
        size="1536x1024", output_format="jpeg",
    )
    events = list(stream)
    assert [event.type for event in events] == ["image_edit.partial_image", "image_edit.completed"]
    for event in events:
        decode(event.b64_json, "jpeg", (1536, 1024))


@pytest.mark.parametrize("chunking", CHUNKINGS)
def test_responses_stream_with_image_generation_tool(synthesizing_server, chunking):
    stream = client(synthesizing_server, f"chunking={chunking},seed=9").responses.create(
        model="gpt-5", input="draw a lighthouse", stream=True,
        tools=[{"type": "image_generation", "partial_images": 2, "output_format": "webp", "size": "1024x1536"}],
    )
    events = list(stream)
    types = [event.type for event in events]
    assert types[0] == "response.created"
    assert types[-1] == "response.completed"
    partials = [event for event in events if event.type == "response.image_generation_call.partial_image"]
    assert [event.partial_image_index for event in partials] == [0, 1]
    for event in partials:
        decode(event.partial_image_b64, "webp", (1024, 1536))
    done = [event for event in events if event.type == "response.output_item.done" and event.item.type == "image_generation_call"][-1]
    assert done.item.status == "completed"
    decode(done.item.result, "webp", (1024, 1536))


def test_responses_stream_in_the_live_shape(synthesizing_server):
    """What api.openai.com really sends: the SDK takes it, and the image is where a client must look."""
    stream = client(synthesizing_server, "shape=live").responses.create(
        model="gpt-5", input="draw a lighthouse", stream=True, tools=[{"type": "image_generation", "output_format": "png", "size": "1024x1024"}],
    )
    events = list(stream)
    types = [event.type for event in events]
    assert "response.image_generation_call.completed" not in types
    assert types[-1] == "response.completed"
    partials = [event for event in events if event.type == "response.image_generation_call.partial_image"]
    done = [event for event in events if event.type == "response.output_item.done" and event.item.type == "image_generation_call"][-1]
    assert done.item.status == "generating"
    assert [event.partial_image_b64 for event in partials] == [done.item.result], "one preview, equal to the final image"
    decode(done.item.result, "png", (1024, 1024))
    final = events[-1].response
    assert final.output[0].status == "generating" and final.output[0].result == done.item.result


def test_responses_without_stream_is_one_response(synthesizing_server):
    response = client(synthesizing_server, None).responses.create(
        model="gpt-5", input="draw a lighthouse", tools=[{"type": "image_generation", "output_format": "jpeg", "size": "1536x1024"}],
    )
    assert response.status == "completed"
    calls = [item for item in response.output if item.type == "image_generation_call"]
    decode(calls[0].result, "jpeg", (1536, 1024))


def test_full_size_images_reach_the_sdk(synthesizing_server):
    """A 1024x1024 PNG at its real size: one data line of about 4 MB."""
    stream = client(synthesizing_server, "images=full-size,chunking=random,seed=3").images.generate(
        model="gpt-image-1", prompt="an otter", stream=True, partial_images=1, size="1024x1024", output_format="png",
    )
    events = list(stream)
    assert [event.type for event in events] == ["image_generation.partial_image", "image_generation.completed"]
    assert len(events[-1].b64_json) > 4_000_000
    decode(events[-1].b64_json, "png", (1024, 1024))


def test_transparent_background_has_alpha(synthesizing_server):
    stream = client(synthesizing_server, None).images.generate(
        model="gpt-image-1", prompt="a sticker", stream=True, partial_images=0, background="transparent", output_format="png",
    )
    (event,) = list(stream)
    image = decode(event.b64_json, "png", (1024, 1024))
    assert image.mode == "RGBA"


def test_non_streaming_body(synthesizing_server):
    result = client(synthesizing_server, None).images.generate(model="gpt-image-1", prompt="an otter", n=2, size="1024x1024")
    assert len(result.data) == 2
    for image in result.data:
        decode(image.b64_json, "png", (1024, 1024))


def test_invalid_request_is_an_openai_error(synthesizing_server):
    with pytest.raises(openai.BadRequestError) as raised:
        client(synthesizing_server, None).images.generate(model="gpt-image-1", prompt="x", stream=True, partial_images=5)
    assert "partial_images" in str(raised.value)


def test_injected_http_error_is_raised_with_retry_after(synthesizing_server):
    with pytest.raises(openai.RateLimitError) as raised:
        client(synthesizing_server, "fault=status:429:retry-after=2").images.generate(model="gpt-image-1", prompt="x", stream=True)
    assert raised.value.response.headers.get("retry-after") == "2"


def test_nested_error_event_raises_in_the_sdk(synthesizing_server):
    stream = client(synthesizing_server, "fault=error-event:nested@2").responses.create(
        model="gpt-5", input="x", stream=True, tools=[{"type": "image_generation", "partial_images": 1}],
    )
    with pytest.raises(openai.APIError):
        for _ in stream:
            pass
