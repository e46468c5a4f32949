"""The official openai Python SDK, unchanged, used the way its documentation shows.

Command mode: `python clients/python/openai_sdk.py` with the TAPEDECK_* variables set.
Service mode: the same with TAPEDECK_SERVICE=1. See clients/README.md.
"""
import base64
import contextlib
import inspect
import os
import sys

import httpx2
import openai
from openai._streaming import SSEDecoder

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tapedeck_client  # noqa: E402

CAPABILITIES = ["images.generate", "images.edit", "responses", "json", "sse"]


def keyword_arguments(method, body):
    """The body's fields as the method's keyword arguments; the ones it has no name for go in
    `extra_body`, as the SDK's documentation says to send undocumented parameters."""
    known = inspect.signature(method).parameters
    arguments = {key: value for key, value in body.items() if key in known}
    extra = {key: value for key, value in body.items() if key not in known}
    if extra:
        arguments["extra_body"] = extra
    return arguments


def upload_arguments(files, opened):
    """The edit's files as the SDK takes them: `image=[open(…)]` for `image[]`, else one file.
    `opened` closes them once the request is sent."""
    arguments = {}
    for upload in files:
        handle = opened.enter_context(open(upload["path"], "rb"))
        if upload["field"] == "image[]":
            arguments.setdefault("image", []).append(handle)
        else:
            arguments[upload["field"]] = handle
    return arguments


def call(client, scenario, opened):
    """The SDK call for the scenario's surface, streaming or not, as a user would write it."""
    body = scenario.body
    body.pop("stream", None)
    stream = {"stream": True} if scenario.streams else {}
    if scenario.surface == "images.generate":
        method = client.images.generate
        return method(**keyword_arguments(method, body), **stream)
    if scenario.surface == "images.edit":
        method = client.images.edit
        uploads = upload_arguments(scenario.request.get("files") or [], opened)
        return method(**uploads, **keyword_arguments(method, body), **stream)
    if scenario.surface == "responses":
        method = client.responses.create
        return method(**keyword_arguments(method, body), **stream)
    raise ValueError(f"unknown surface {scenario.surface!r}")


def record_stream(stream, scenario, observations):
    for event in stream:
        observations.event(event.to_dict() if isinstance(event, openai.BaseModel) else event)
        field = tapedeck_client.IMAGE_PARTIALS.get(event.type)
        if field and getattr(event, field, None):
            image_format = getattr(event, "output_format", None) or scenario.image_format()
            observations.partial_image(base64.b64decode(getattr(event, field)), image_format)
        elif event.type in tapedeck_client.IMAGE_FINALS:
            observations.final_image(base64.b64decode(event.b64_json), event.output_format or scenario.image_format())
        elif event.type == "response.output_item.done" and event.item.type == "image_generation_call" and event.item.result:
            image_format = getattr(event.item, "output_format", None) or scenario.image_format()
            observations.final_image(base64.b64decode(event.item.result), image_format)


def record_body(result, scenario, observations):
    if isinstance(result, openai.types.ImagesResponse):
        for image in result.data or []:
            if image.b64_json is not None:
                observations.final_image(base64.b64decode(image.b64_json), result.output_format or scenario.image_format())
            elif image.url is not None:
                observations.final_url(image.url)
        return
    for item in result.output:
        if item.type == "image_generation_call" and item.result:
            image_format = getattr(item, "output_format", None) or scenario.image_format()
            observations.final_image(base64.b64decode(item.result), image_format)


def record_plain_stream(scenario, observations):
    """The `sse` surface through the SDK's own event-stream decoder over its HTTP library."""
    with httpx2.Client() as http, http.stream("GET", scenario.url) as response:
        for event in SSEDecoder().iter_bytes(response.iter_bytes()):
            observations.plain_event(event.event or "message", event.data, event.id or "")


def perform(scenario, observations):
    if scenario.surface == "sse":
        return record_plain_stream(scenario, observations)
    # Closing the client and the uploads after each scenario keeps a long service-mode suite
    # from running out of sockets and file descriptors.
    with openai.OpenAI(base_url=scenario.base_url, api_key=scenario.api_key) as client:
        with contextlib.ExitStack() as opened:
            result = call(client, scenario, opened)
        if scenario.streams:
            record_stream(result, scenario, observations)
        else:
            record_body(result, scenario, observations)


if __name__ == "__main__":
    tapedeck_client.main(perform, "openai-python", openai.__version__, CAPABILITIES)
