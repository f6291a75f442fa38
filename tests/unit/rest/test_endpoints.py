from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sym_api_client_python.core.endpoints import (
    ENDPOINTS,
    BodyKind,
    Endpoint,
    component_for_path,
    endpoint,
    to_url_safe_id,
)
from sym_api_client_python.core.http import Component
from sym_api_client_python.core.models.rest import resolve_model


def test_table_has_every_service_and_no_duplicate_routes() -> None:
    services = {e.service for e in ENDPOINTS.values()}
    assert {
        "messages",
        "streams",
        "users",
        "connections",
        "signals",
        "presence",
        "admin",
        "health",
        "session",
    } <= services
    routes = [(e.method, e.path) for e in ENDPOINTS.values()]
    assert len(routes) == len(set(routes))
    assert len(ENDPOINTS) > 211  # more than the BDK 3.0.0's generated operations


def test_every_response_model_resolves() -> None:
    for entry in ENDPOINTS.values():
        if entry.response:
            resolve_model(entry.response)


def test_components_follow_prefixes() -> None:
    assert endpoint("messages.send").component is Component.AGENT
    assert endpoint("streams.create_room").component is Component.POD
    assert endpoint("session.login").component is Component.SESSION_AUTH
    assert endpoint("session.login_key_manager").component is Component.KEY_AUTH
    with pytest.raises(ValueError, match="known API prefix"):
        component_for_path("/nowhere/v1/x")


def test_ids_are_normalised_and_quoted_in_paths() -> None:
    room = endpoint("streams.get_room_info")
    assert room.format_path({"id": "ab+c/d=="}) == "/pod/v3/room/ab-c_d/info"
    signal = endpoint("signals.get")  # not a stream id: quoted, not rewritten
    assert signal.format_path({"id": "a/b"}) == "/agent/v1/signals/a%2Fb/get"
    by_name = endpoint("users.get_by_username_v1")
    assert by_name.format_path({"userName": "jo+hn"}) == "/pod/v1/user/name/jo%2Bhn/get"
    assert to_url_safe_id("x+y/z==") == "x-y_z"


def test_request_builder_rejects_bad_input() -> None:
    entry = endpoint("streams.search_rooms")
    with pytest.raises(ValueError, match=r"unknown query parameter.*bogus.*allowed: skip, limit"):
        entry.request(params={"bogus": 1})
    with pytest.raises(ValueError, match="missing path parameter"):
        endpoint("streams.get_room_info").request({})
    with pytest.raises(ValueError, match="takes no request body"):
        endpoint("session.get").request(json={"a": 1})
    request = entry.request(params={"skip": 0, "limit": 10}, json={"query": "x"})
    assert request.method == "POST" and request.path == "/pod/v3/room/search"


def test_unknown_endpoint_names_list_alternatives() -> None:
    with pytest.raises(KeyError, match=r"signals has: .*signals\.create"):
        endpoint("signals.creat")


def test_endpoint_metadata() -> None:
    send = endpoint("messages.send")
    assert send.body is BodyKind.MULTIPART and not send.idempotent and send.path_params == ("sid",)
    assert endpoint("messages.list_v1").deprecated
    assert Endpoint("x.y", "GET", "/pod/v1/{a}/b/{c}").path_params == ("a", "c")


@given(raw=st.binary(min_size=1, max_size=40))
def test_both_base64_alphabets_give_the_same_path(raw: bytes) -> None:
    standard = base64.b64encode(raw).decode()
    url_safe = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    entry = endpoint("streams.get_info")
    assert entry.format_path({"sid": standard}) == entry.format_path({"sid": url_safe})
    assert to_url_safe_id(to_url_safe_id(standard)) == url_safe


@given(value=st.text(min_size=1, max_size=30))
def test_path_values_never_escape_their_segment(value: str) -> None:
    path = endpoint("signals.get").format_path({"id": value})
    assert path.startswith("/agent/v1/signals/") and path.endswith("/get")
    assert path.count("/") == 5
