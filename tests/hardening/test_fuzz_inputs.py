"""Property-based fuzzing of every input the SDK reads from outside.

Config files, datafeed event payloads, entity JSON, form submissions and HTTP error bodies: whatever
arrives, the SDK either accepts it or raises a clear exception from ``core.errors`` (never a
``KeyError``/``TypeError``/``AttributeError`` from deep inside, never a crash of the caller).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sym_api_client_python.core.errors import (
    ApiError,
    ConfigError,
    DatafeedNotFoundError,
    ServerError,
    SymphonyError,
    UnexpectedResponseError,
)
from sym_api_client_python.core.http import Component, Request, Response, error_for_response

# 150 examples per property in the normal run (a few seconds); SYM_FUZZ_EXAMPLES=5000 for a campaign.
FUZZ = settings(
    max_examples=int(os.environ.get("SYM_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=20,
)
CONFIG_KEYS = [
    "sessionAuthHost", "sessionAuthPort", "keyAuthHost", "keyAuthPort", "podHost", "podPort", "agentHost",
    "agentPort", "botUsername", "botEmailAddress", "botPrivateKeyPath", "botPrivateKeyName", "botCertPath",
    "botCertName", "botCertPassword", "truststorePath", "proxyURL", "proxyUsername", "proxyPassword",
    "datafeedVersion", "datafeedIdFilePath", "reuseDatafeedID", "podProxyURL", "agentProxyURL",
    "authenticationType", "agentContextPath", "podContextPath",
]  # fmt: skip
config_like = st.dictionaries(st.sampled_from(CONFIG_KEYS) | st.text(max_size=10), json_values, max_size=12)


def _load(tmp_path: Path, name: str, content: str | bytes) -> None:
    from sym_api_client_python.core.config import load_config

    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
    try:
        load_config(path, env={})
    except ConfigError as exc:
        assert str(exc), "a ConfigError must say what is wrong"


@FUZZ
@given(document=config_like)
@example(document={"podHost": None, "podPort": "x" * 5})
@example(document={"botUsername": ["a"], "sessionAuthPort": -1, "proxyURL": 7})
def test_config_json_documents(tmp_path: Path, document: dict[str, Any]) -> None:
    _load(tmp_path, "config.json", json.dumps(document))


@FUZZ
@given(document=config_like)
def test_config_yaml_documents(tmp_path: Path, document: dict[str, Any]) -> None:
    import yaml

    _load(tmp_path, "config.yaml", yaml.safe_dump(document))


@FUZZ
@given(raw=st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "replace")))
@example(raw=b"")
@example(raw=b"[1, 2]")
@example(raw=b'{"podHost": ')
@example(raw=b"podHost: [unclosed")
@example(raw=b"\xff\xfe\x00garbage")
@example(raw=b"!!python/object/apply:os.system ['true']")
def test_config_arbitrary_bytes(tmp_path: Path, raw: bytes) -> None:
    for name in ("config.json", "config.yaml", "config.txt"):
        _load(tmp_path, name, raw)


def test_config_missing_file_names_the_path(tmp_path: Path) -> None:
    from sym_api_client_python.core.config import load_config

    with pytest.raises(ConfigError, match=r"nope\.json"):
        load_config(tmp_path / "nope.json", env={})


# ---------------------------------------------------------------------------- datafeed events
event_types = st.sampled_from(
    ["MESSAGESENT", "SYMPHONYELEMENTSACTION", "ROOMCREATED", "USERJOINEDROOM", "INSTANTMESSAGECREATED",
     "CONNECTIONREQUESTED", "MESSAGESUPPRESSED", "GENERICSYSTEMEVENT", "SHAREDPOST", "NOPE"]
)  # fmt: skip
events = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values,
        "messageId": json_values,
        "timestamp": json_values,
        "type": event_types | json_values,
        "initiator": st.fixed_dictionaries(
            {},
            optional={
                "user": json_values
                | st.fixed_dictionaries({}, optional={"userId": json_values, "displayName": json_values})
            },
        )
        | json_values,
        "payload": json_values
        | st.fixed_dictionaries(
            {},
            optional={
                "messageSent": json_values | st.fixed_dictionaries({}, optional={"message": json_values}),
                "symphonyElementsAction": json_values,
            },
        ),
    },
)


@FUZZ
@given(batch=st.lists(events | json_values, max_size=6), ack=json_values)
def test_event_batches_decode_and_dispatch(batch: list[Any], ack: Any) -> None:
    from sym_api_client_python.core.models.events import decode_v4_read, decode_v5_read
    from sym_api_client_python.datafeed.dispatcher import SyncDispatcher

    handled: list[Any] = []
    dispatcher = SyncDispatcher(handled.append, max_workers=1)
    for body in (json.dumps({"events": batch, "ackId": ack}).encode(), json.dumps(batch).encode()):
        try:
            decoded = decode_v5_read(body) if body.startswith(b"{") else (decode_v4_read(body), None)
        except SymphonyError:
            continue
        decoded_events = decoded[0]
        dispatcher.dispatch([e for e in decoded_events if e is not None])
        for event in decoded_events:
            if event is not None:  # every accessor a handler may use must work on any event
                _ = (event.stream_id, event.initiator_user_id, event.dedup_key, event.payload_part, event.raw)
    dispatcher.close()


@FUZZ
@given(raw=st.binary(max_size=200))
@example(raw=b'{"events": [1, "x", null, {}]}')
@example(raw=b'{"events": {}}')
@example(raw=b'[{"type": 5}]')
@example(raw=b"{truncated")
def test_event_bodies_of_any_bytes(raw: bytes) -> None:
    from sym_api_client_python.core.models.events import decode_v4_read, decode_v5_read

    for decode in (decode_v5_read, decode_v4_read):
        try:
            decode(raw)
        except SymphonyError as exc:
            assert str(exc)
        except (msgspec.DecodeError, ValueError) as exc:  # pragma: no cover - the assertion explains
            pytest.fail(f"{decode.__name__} leaked {type(exc).__name__} instead of an SDK error: {exc}")


# ---------------------------------------------------------------------------- messages and forms
@FUZZ
@given(data=json_values, markup=st.text(max_size=200))
@example(
    data={"0": {"id": "not-a-list"}}, markup='<div><span class="entity" data-entity-id="0">@x</span></div>'
)
@example(data={"0": {"id": [{"type": "com.symphony.user.userId", "value": "NaN"}]}}, markup="<div/>")
def test_message_parser_with_any_entities(data: Any, markup: str) -> None:
    from sym_api_client_python.messages.errors import MessageParseError
    from sym_api_client_python.messages.parser import parse_v4_message

    message = {"messageId": "m", "message": markup, "data": json.dumps(data), "stream": {"streamId": "s"}}
    try:
        parsed = parse_v4_message(message)
    except MessageParseError as exc:
        assert str(exc)
        return
    _ = (parsed.mention_ids, parsed.words)


@FUZZ
@given(action=json_values | st.fixed_dictionaries({}, optional={
    "formId": json_values, "formMessageId": json_values, "formValues": json_values,
    "stream": json_values | st.fixed_dictionaries({}, optional={"streamId": json_values}),
}))  # fmt: skip
def test_form_submissions(action: Any) -> None:
    from sym_api_client_python.messages.errors import MessageParseError
    from sym_api_client_python.messages.forms import FormSubmission

    event = {
        "id": "e1",
        "type": "SYMPHONYELEMENTSACTION",
        "initiator": {"user": {"userId": 1, "displayName": "U"}},
        "payload": {"symphonyElementsAction": action},
    }
    for candidate in (event, action):
        try:
            submission = FormSubmission.from_event(candidate)
        except MessageParseError as exc:
            assert str(exc)
            continue
        for name in ("action", "amount", "x"):
            submission.get(name)
            submission.get_list(name)
            try:
                submission.get_int(name)
                submission.get_str(name)
                submission.get_bool(name)
            except MessageParseError as exc:
                assert name in str(exc)


@FUZZ
@given(action=json_values)
def test_legacy_elements_parser(action: Any) -> None:
    from sym_api_client_python.processors.sym_elements_parser import SymElementsParser

    parser = SymElementsParser()
    event = {"payload": {"symphonyElementsAction": action}, "initiator": {"user": {"userId": 1}}}
    for getter in ("get_stream_id", "get_form_id", "get_form_values", "get_action", "get_form_message_id"):
        try:
            getattr(parser, getter)(event)
        except SymphonyError as exc:
            assert str(exc)


# ---------------------------------------------------------------------------- HTTP error bodies
HTML_500 = b"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"
error_bodies = (
    st.binary(max_size=400)
    | json_values.map(lambda v: json.dumps(v).encode())
    | st.builds(lambda c, m: json.dumps({"code": c, "message": m}).encode(), json_values, json_values)
    | st.just(HTML_500)
    | st.just(b"")
    | st.just(b'{"code": 400, "message": "trunc')
)


@FUZZ
@given(status=st.integers(100, 599), body=error_bodies, path=st.sampled_from(
    ["/pod/v1/x", "/agent/v5/datafeeds/abc/read", "/agent/v4/datafeed/abc/read"]))  # fmt: skip
@example(
    status=400,
    body=b'{"message": "Could not find a datafeed with the id: x"}',
    path="/agent/v4/datafeed/x/read",
)
def test_error_for_response_always_gives_an_api_error(status: int, body: bytes, path: str) -> None:
    request = Request("POST", Component.AGENT, path)
    response = Response(status, {"retry-after": "x"}, body, request_id="trace-1")
    error = error_for_response(request, response)
    assert isinstance(error, ApiError)
    assert error.status == status
    assert f"HTTP {status}" in str(error)
    assert "trace-1" in str(error)
    assert len(str(error)) < 2_000, "an error message must stay readable even for huge bodies"
    if status >= 500:
        assert isinstance(error, ServerError)
    if b"Could not find a datafeed" in body and status == 400:
        assert isinstance(error, DatafeedNotFoundError)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        HTML_500,
        b'{"a": [1, 2',
        b"\xff\xfe",
        b"null",
        b"x" * 5_000_000,
        b'{"k": "' + b"y" * 3_000_000 + b'"',
    ],
)
def test_response_json_fails_with_a_clear_error(body: bytes) -> None:
    response = Response(200, {}, body, request_id="r")
    try:
        response.json()
    except UnexpectedResponseError as exc:
        assert "not valid JSON" in str(exc)
        assert len(str(exc)) < 1_000, "the message quotes a bounded snippet of the body"
    error = error_for_response(Request("GET", Component.POD, "/pod/x"), Response(503, {}, body))
    assert isinstance(error, ServerError)
    assert len(str(error)) < 1_000
