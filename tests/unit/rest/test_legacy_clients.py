"""Legacy clients over a scripted requester: 1.x names/arguments, requests from the endpoint
table, 1.x result shapes, and the 1.x bugs fixed."""

from __future__ import annotations

import io
from typing import Any

import pytest

from sym_api_client_python.clients.api_client import APIClient
from sym_api_client_python.clients.sym_bot_client import SymBotClient
from sym_api_client_python.core.errors import ForbiddenError
from sym_api_client_python.core.http import Component, Response

from .fakes import AsyncFakeRequester, FakeRequester, json_response


def bot_with(fake: FakeRequester, async_fake: AsyncFakeRequester | None = None) -> SymBotClient:
    bot = SymBotClient(auth=object(), config=None)
    bot._sync_client = fake
    bot._async_client = async_fake
    return bot


def test_accessors_cache_and_get_api_client_returns_it() -> None:
    bot = bot_with(FakeRequester())
    assert bot.get_message_client() is bot.get_message_client()
    assert isinstance(bot.get_api_client(), APIClient)
    assert bot.get_presence_client().bot_client is bot
    assert bot.get_sym_config() is bot.get_sym_agent_config()


def test_query_booleans_are_true_false_and_results_are_raw_json() -> None:
    fake = FakeRequester({"id": 1, "unknownField": "kept"})
    user = bot_with(fake).get_user_client().get_user_from_email("a@b.c", local=False)
    assert user == {"id": 1, "unknownField": "kept"}
    assert fake.last.params == {"email": "a@b.c", "local": False}
    assert fake.last.path == "/pod/v2/user"


def test_send_msg_turns_every_key_into_a_part() -> None:
    fake = FakeRequester({"messageId": "m"})
    out = (
        bot_with(fake)
        .get_message_client()
        .send_msg("s1", {"message": "<messageML>x</messageML>", "data": {"a": 1}})
    )
    assert out == {"messageId": "m"}
    names = [(p.name, p.content) for p in fake.last.multipart or ()]
    assert names == [("message", "<messageML>x</messageML>"), ("data", '{"a":1}')]


async def test_async_attachment_send_keeps_the_message() -> None:
    async_fake = AsyncFakeRequester({"messageId": "m"})
    client = bot_with(FakeRequester(), async_fake).get_message_client()
    await client.send_msg_with_attachment_async(
        "s", "<messageML>see file</messageML>", "r.pdf", io.BytesIO(b"%PDF")
    )
    parts = {p.name: p for p in async_fake.last.multipart or ()}
    assert parts["message"].content == "<messageML>see file</messageML>"
    assert parts["attachment"].filename == "r.pdf" and parts["attachment"].content_type == "application/pdf"


def test_list_msg_receipts_works() -> None:
    fake = FakeRequester({"items": []})
    assert bot_with(fake).get_message_client().list_msg_receipts("m+1") == {"items": []}
    assert fake.last.path == "/pod/v1/admin/messages/m-1/receipts"


def test_list_connections_honours_kwargs() -> None:
    fake = FakeRequester([])
    bot_with(fake).get_connections_client().list_connections("ACCEPTED", userIds="1,2")
    assert fake.last.params == {"status": "ACCEPTED", "userIds": "1,2"}


def test_presence_feed_delete_is_a_post() -> None:
    fake = FakeRequester({"id": "f"})
    bot_with(fake).get_presence_client().delete_presence_feed("f")
    assert (fake.last.method, fake.last.path) == ("POST", "/pod/v1/presence/feed/f/delete")


def test_ensure_all_services_up_does_not_mutate_caller_list() -> None:
    health = {"podConnectivity": True, "keyManagerConnectivity": False, "firehoseConnectivity": False}
    fake = FakeRequester(health)
    fields = ["podConnectivity", "keyManagerConnectivity"]
    with pytest.raises(RuntimeError, match="keyManagerConnectivity, firehoseConnectivity"):
        bot_with(fake).get_health_check_client().ensure_all_services_up(True, fields)
    assert fields == ["podConnectivity", "keyManagerConnectivity"]
    assert fake.last.params == {"showFirehoseErrors": True}


def test_execute_rest_call_routes_and_returns_legacy_shapes() -> None:
    fake = FakeRequester(Response(204), json_response({"ok": 1}, 201), Response(200, {}, b"plain"))
    bot = bot_with(fake)
    assert bot.execute_rest_call("GET", "/pod/v1/connection/list", params={"status": "ALL"}) == []
    assert fake.last.component is Component.POD
    assert bot.execute_rest_call("POST", "/agent/v5/datafeeds", json={}) == {"ok": 1}
    assert fake.last.component is Component.AGENT
    files: dict[str, Any] = {"message": "<messageML>x</messageML>"}
    assert bot.execute_rest_call("POST", "/agent/v4/stream/s/message/create", files=files) == "plain"
    assert fake.last.multipart[0].name == "message"  # type: ignore[index]
    with pytest.raises(ValueError, match="cannot route"):
        bot.execute_rest_call("GET", "relative/path")
    with pytest.raises(TypeError, match="unsupported keyword"):
        bot.execute_rest_call("GET", "/pod/v2/sessioninfo", verify=False)


async def test_execute_rest_call_async_accepts_201() -> None:
    async_fake = AsyncFakeRequester(json_response({"id": "df"}, 201))
    assert await bot_with(FakeRequester(), async_fake).execute_rest_call_async(
        "POST", "/agent/v5/datafeeds"
    ) == {"id": "df"}


def test_errors_map_to_legacy_exception_classes() -> None:
    fake = FakeRequester(json_response({"code": 403, "message": "no entitlement"}, 403))
    with pytest.raises(ForbiddenError, match="no entitlement"):
        bot_with(fake).get_stream_client().get_room_info("r")
    with pytest.raises(ForbiddenError):
        APIClient(bot_with(FakeRequester())).handle_error(Response(405, {}, b""))


def test_get_user_streams_all_types_and_room_booleans() -> None:
    fake = FakeRequester([], {"roomSystemInfo": {"active": False}})
    bot = bot_with(fake)
    bot.get_stream_client().get_user_streams()
    assert fake.requests[0].json == {
        "streamTypes": [{"type": "IM"}, {"type": "MIM"}, {"type": "ROOM"}, {"type": "POST"}],
        "includeInactiveStreams": True,
    }
    bot.get_stream_client().deactivate_room("r")
    assert fake.last.params == {"active": False}


def test_modern_services_share_the_bot_clients() -> None:
    fake = FakeRequester({"id": 3, "username": "bot"})
    bot = bot_with(fake, AsyncFakeRequester())
    services = bot.get_services()
    assert services is bot.get_services() and services.session.get().id == 3
    assert bot.get_async_services() is bot.get_async_services()


def test_execute_rest_call_accepts_json_text_as_data() -> None:
    fake = FakeRequester({"ok": True})
    assert bot_with(fake).execute_rest_call("POST", "/pod/v1/im/create", data="[1, 2]") == {"ok": True}
    assert fake.last.json == [1, 2]
    with pytest.raises(TypeError, match="must be JSON"):
        bot_with(fake).execute_rest_call("POST", "/pod/v1/im/create", data="not json")


def test_execute_rest_call_to_login_hosts_is_unauthenticated() -> None:
    fake = FakeRequester({"token": "t"})
    bot_with(fake).execute_rest_call("POST", "/login/pubkey/authenticate", json={"token": "jwt"})
    assert not fake.last.authenticated and fake.last.component is Component.SESSION_AUTH
