"""Every legacy client method of the 1.x inventory against the emulator, with 1.x-style results
(dicts, lists, text) and the 1.x bugs fixed."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.e2e_support import legacy_bot, peer

from sym_api_client_python.clients.api_client import APIClient
from sym_api_client_python.clients.sym_bot_client import SymBotClient
from sym_api_client_python.core.errors import ApiError


@pytest.fixture
def bot(pod: Any, bot_config_file: Path) -> Iterator[SymBotClient]:
    client = legacy_bot(bot_config_file)
    try:
        yield client
    finally:
        client.close()


def test_facade_accessors(bot: SymBotClient) -> None:
    info = bot.get_bot_user_info()
    assert info["username"] == "bot" and bot.get_bot_user_info() is info
    assert isinstance(bot.get_api_client(), APIClient)
    assert bot.get_sym_config() is bot.get_sym_agent_config() and bot.get_sym_auth() is bot.auth
    assert bot.get_pod_session() is bot.get_sync_api_client()
    bot.reauth_client()
    assert bot.get_user_client().get_session_user()["id"] == info["id"]


def test_message_client(pod: Any, bot: SymBotClient, tmp_path: Path) -> None:
    alice = pod.create_user("alice", display_name="Alice", email="alice@example.com")
    im = bot.get_stream_client().create_im([alice["userId"]])["id"]
    messages = bot.get_message_client()
    sent = messages.send_msg(
        im, {"message": "<messageML>hi <b>there</b></messageML>", "data": json.dumps({"k": 1})}
    )
    assert sent["messageId"] and json.loads(sent["data"]) == {"k": 1}
    attachment = tmp_path / "notes.txt"
    attachment.write_bytes(b"legacy attachment")
    with_file = messages.send_msg_with_attachment(
        im, "<messageML>file</messageML>", "notes.txt", str(attachment)
    )
    assert "file" in with_file["message"]
    file_id = with_file["attachments"][0]["id"]
    body = messages.get_msg_attachment(im, with_file["messageId"], file_id)
    assert body == "bGVnYWN5IGF0dGFjaG1lbnQ="  # base64 text, as 1.x returned it
    history = messages.get_msg_from_stream(im, 0, limit=10)
    assert [m["messageId"] for m in history][-2:] == [sent["messageId"], with_file["messageId"]]
    assert messages.get_msg_status(sent["messageId"])["author"]
    assert isinstance(messages.get_supported_attachment_types(), list)
    assert messages.list_stream_attachments(im)[0]["name"] == "notes.txt"
    assert isinstance(messages.get_msg_search(f"text:hi AND streamId:{im}", limit=5), (list, dict))
    assert isinstance(messages.post_msg_search({"text": "hi", "streamId": im}, limit=5), (list, dict))


async def test_async_message_methods(pod: Any, bot: SymBotClient) -> None:
    bob = pod.create_user("bob")
    im = bot.get_stream_client().create_im([bob["userId"]])["id"]
    messages = bot.get_message_client()
    sent = await messages.send_msg_async(im, {"message": "<messageML>async</messageML>"})
    with_file = await messages.send_msg_with_attachment_async(
        im, "<messageML>kept message</messageML>", "a.bin", io.BytesIO(b"\x00\x01")
    )
    assert "kept message" in with_file["message"] and with_file["attachments"][0]["name"] == "a.bin"
    history = await messages.get_msg_from_stream_async(im, 0)
    assert {sent["messageId"], with_file["messageId"]} <= {m["messageId"] for m in history}
    created = await bot.execute_rest_call_async("POST", "/agent/v5/datafeeds", json={})
    assert created["id"]  # 201 is a success on the async path too
    await bot.close_async_sessions()


def test_stream_client(pod: Any, bot: SymBotClient) -> None:
    carol, dave = pod.create_user("carol"), pod.create_user("dave")
    streams = bot.get_stream_client()
    room = streams.create_room(
        {"name": "Legacy room", "description": "d", "discoverable": True, "public": True}
    )
    room_id = room["roomSystemInfo"]["id"]
    assert streams.get_room_info(room_id)["roomAttributes"]["name"] == "Legacy room"
    assert streams.update_room(room_id, description="d2")["roomAttributes"]["description"] == "d2"
    streams.add_member_to_room(room_id, carol["userId"])
    streams.add_member_to_room(room_id, dave["userId"])
    streams.promote_user_to_owner(room_id, carol["userId"])
    owners = {m["id"] for m in streams.get_room_members(room_id) if m.get("owner")}
    assert carol["userId"] in owners
    streams.demote_user_from_owner(room_id, carol["userId"])
    streams.remove_member_from_room(room_id, dave["userId"])
    assert dave["userId"] not in {m["id"] for m in streams.get_room_members(room_id)}
    assert streams.deactivate_room(room_id)["roomSystemInfo"]["active"] is False
    assert streams.activate_room(room_id)["roomSystemInfo"]["active"] is True
    found = streams.search_rooms("Legacy", skip=0, limit=10)
    assert room_id in [r["roomSystemInfo"]["id"] for r in found["rooms"]]
    assert room_id in [s["id"] for s in streams.get_user_streams(stream_types=["ROOM"])]
    assert room_id in [s["id"] for s in streams.get_user_streams()]
    assert streams.stream_info_v2(room_id)["streamType"]["type"] == "ROOM"
    shared = streams.share_room(
        room_id, {"title": "t", "author": "a", "publisher": "p", "appId": "app", "articleUrl": "https://e.x"}
    )
    assert shared["streamId"] == room_id


def test_user_client(pod: Any, bot: SymBotClient) -> None:
    erin = pod.create_user("erin", email="erin@example.com")
    users = bot.get_user_client()
    assert users.get_user_from_user_name("erin")["id"] == erin["userId"]
    assert users.get_user_from_email("erin@example.com")["id"] == erin["userId"]
    assert users.get_user_from_id(erin["userId"], local=True)["username"] == "erin"
    assert users.get_users_from_id_list([erin["userId"]])["users"][0]["username"] == "erin"
    assert users.get_users_from_email_list(["erin@example.com"])["users"][0]["id"] == erin["userId"]
    assert erin["userId"] in [u["id"] for u in users.search_users("erin")["users"]]
    assert users.get_session_user()["username"] == "bot"


def test_connections_presence_signals_health(
    pod: Any, bot: SymBotClient, bot_config_file: Path, tmp_path: Path
) -> None:
    frank = pod.create_user("frank")
    connections = bot.get_connections_client()
    assert connections.create_connection(frank["userId"])["userId"] == frank["userId"]
    assert connections.get_connection(frank["userId"])["status"] == "PENDING_OUTGOING"
    assert frank["userId"] in [c["userId"] for c in connections.list_connections("ALL")]
    me = bot.get_bot_user_info()["id"]
    with (
        peer(pod, bot_config_file, "gus", tmp_path) as gus,
        peer(pod, bot_config_file, "hal", tmp_path) as hal,
    ):
        gus.connections.create(me)
        hal.connections.create(me)
        incoming = connections.list_connections("PENDING_INCOMING")
        assert {c["userId"] for c in incoming} >= {gus.session.get().id, hal.session.get().id}
        assert connections.accept_connection(gus.session.get().id)["status"] == "ACCEPTED"
        assert connections.reject_connection(hal.session.get().id)["status"] == "REJECTED"
        connections.remove_connection(gus.session.get().id)
        with pytest.raises(ApiError):  # removed: nothing left to remove
            connections.remove_connection(gus.session.get().id)

    presence = bot.get_presence_client()
    assert presence.set_presence("AWAY")["category"] == "AWAY"
    assert presence.get_presence()["category"] == "AWAY"
    assert presence.get_user_status(frank["userId"])["userId"] == frank["userId"]
    assert isinstance(presence.get_all_presence(0, 100), list)
    presence.external_presence_interest([frank["userId"]])
    feed_id = presence.create_presence_feed()["id"]
    assert isinstance(presence.read_presence_feed(feed_id), list)
    assert presence.delete_presence_feed(feed_id)["id"] == feed_id

    signals = bot.get_signals_client()
    signal = signals.create_signal({"name": "s", "query": "HASHTAG:s", "visibleOnProfile": False})
    assert signals.get_signal(signal["id"])["name"] == "s"
    assert signals.update_signal(signal["id"], {"name": "s2", "query": "HASHTAG:s"})["name"] == "s2"
    assert signal["id"] in [s["id"] for s in signals.list_signals()]
    signals.subscribe_signal([frank["userId"]], signal["id"], pushed=True)
    assert frank["userId"] in [s["userId"] for s in signals.get_subscribers(signal["id"])["data"]]
    signals.unsubscribe_signal([frank["userId"]], signal["id"])
    signals.delete_signal(signal["id"])

    health = bot.get_health_check_client()
    assert health.get_health_check()["podConnectivity"] is True
    fields = ["podConnectivity"]
    health.ensure_all_services_up(fields_to_check=fields)
    assert fields == ["podConnectivity"]


def test_execute_rest_call_and_errors(pod: Any, bot: SymBotClient) -> None:
    assert bot.execute_rest_call("GET", "/pod/v2/sessioninfo")["username"] == "bot"
    pod_url = bot.get_sync_api_client().config.pod.base_url
    assert bot.execute_rest_call("GET", pod_url + "/pod/v2/sessioninfo")["username"] == "bot"
    with pytest.raises(ApiError) as caught:
        bot.get_stream_client().get_room_info("doesnotexist")
    assert caught.value.status in (400, 403, 404)
    pod.expire_sessions()  # a 401 is retried after one re-login and its result returned
    assert bot.get_user_client().get_session_user()["username"] == "bot"


def test_remaining_facade_methods(pod: Any, bot: SymBotClient) -> None:
    from sym_api_client_python.clients.datafeed_client import DataFeedClient

    assert isinstance(bot.get_datafeed_client(), DataFeedClient)
    service = bot.get_datafeed_event_service()
    assert service is bot.get_datafeed_event_service()
    assert bot.get_async_datafeed_event_service() is bot.get_async_datafeed_event_service()
    assert bot.get_async_pod_session() is bot.get_async_agent_session()
    lena = pod.create_user("lena")
    im = bot.get_stream_client().create_im([lena["userId"]])["id"]
    form = bot.get_api_client().make_mulitpart_form({"message": "<messageML>via form</messageML>"})
    sent = bot.execute_rest_call("POST", f"/agent/v4/stream/{im}/message/create", data=form["data"])
    assert "via form" in sent["message"]
