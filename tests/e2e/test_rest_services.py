"""Modern services (sync and async) against the emulator over HTTPS on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.e2e_support import peer

from sym_api_client_python.client import AsyncApiClient
from sym_api_client_python.core.errors import ApiError, BadRequestError
from sym_api_client_python.core.models.events import V4Message
from sym_api_client_python.core.models.rest import RoomDetail, StreamAttributes, UserV2
from sym_api_client_python.rest import AsyncServices, SyncServices


@pytest.fixture
async def aservices(pod: Any, bot_config_file: Path) -> AsyncIterator[AsyncServices]:
    client = AsyncApiClient.from_config(bot_config_file)
    try:
        yield AsyncServices(client)
    finally:
        await client.close()


def _user(pod: Any, name: str) -> dict[str, Any]:
    return pod.create_user(name, display_name=name.title(), email=f"{name}@example.com")  # type: ignore[no-any-return]


def test_session_users_and_search(pod: Any, services: SyncServices) -> None:
    me = services.session.get()
    assert isinstance(me, UserV2) and me.username == pod.bot["username"]
    assert services.users.session_info().id == me.id
    alice = _user(pod, "alice")
    by_id = services.users.get(user_id=alice["userId"])
    by_email = services.users.get(email="alice@example.com")
    by_name = services.users.get(username="alice")
    assert by_id and by_email and by_name and by_id.id == by_email.id == by_name.id == alice["userId"]
    listed = services.users.list_by_ids([alice["userId"], me.id])  # type: ignore[list-item]
    assert {u.id for u in listed.users} == {alice["userId"], me.id}
    assert [u.username for u in services.users.list_by_usernames(["alice"]).users] == ["alice"]
    assert services.users.list_by_emails(["alice@example.com"]).users[0].id == alice["userId"]
    found = services.users.search("alice")
    assert alice["userId"] in [u.id for u in found.users]
    assert alice["userId"] in [u.id for u in services.users.iter_search("alice", chunk_size=1)]


def test_im_send_read_attachment_round_trip(pod: Any, services: SyncServices, tmp_path: Path) -> None:
    bob = _user(pod, "bob")
    im = services.streams.create_im(bob["userId"])
    assert im.id
    payload = bytes(range(256)) * 40
    report = tmp_path / "report.bin"
    report.write_bytes(payload)
    sent = services.messages.send(
        im.id,
        "<messageML>Report for <b>bob</b></messageML>",
        data={"report": {"type": "org.example.report", "version": "1.0"}},
        attachments=[report, ("notes.txt", b"hello notes")],
    )
    assert isinstance(sent, V4Message) and sent.stream and sent.stream.stream_id == im.id
    assert json.loads(sent.data or "{}")["report"]["version"] == "1.0"
    names = {a["name"]: a for a in sent.attachments or []}
    assert set(names) == {"report.bin", "notes.txt"}
    downloaded = services.messages.get_attachment(im.id, sent.message_id or "", names["report.bin"]["id"])
    assert downloaded == payload
    fetched = services.messages.get(sent.message_id or "")
    assert fetched and fetched.message_id == sent.message_id
    history = services.messages.list(im.id, since=0)
    assert [m.message_id for m in history][-1] == sent.message_id
    assert services.messages.get_status(sent.message_id or "").author is not None
    assert {"report.bin", "notes.txt"} <= {a.name for a in services.messages.list_attachments(im.id)}
    assert services.messages.get_attachment_types()
    info = services.streams.get_info(im.id)
    assert isinstance(info, StreamAttributes) and info.stream_type and info.stream_type.type == "IM"


def test_message_pagination(pod: Any, services: SyncServices) -> None:
    carol = _user(pod, "carol")
    im = services.streams.create_im(carol["userId"]).id
    for i in range(7):
        pod.send_message("carol", f"message {i}", stream_id=im)
    texts = [m.message for m in services.messages.iter_messages(im, chunk_size=3)]
    assert len(texts) == 7 and "message 0" in (texts[0] or "") and "message 6" in (texts[-1] or "")
    assert len(list(services.messages.iter_messages(im, chunk_size=3, max_items=4))) == 4


def test_rooms_members_and_lists(pod: Any, services: SyncServices) -> None:
    dave, erin = _user(pod, "dave"), _user(pod, "erin")
    room = services.streams.create_room(
        name="Project X", description="launch", discoverable=True, public=True
    )
    assert isinstance(room, RoomDetail) and room.room_system_info and room.room_system_info.id
    room_id = room.room_system_info.id
    assert services.streams.get_room_info(room_id).room_attributes.name == "Project X"  # type: ignore[union-attr]
    updated = services.streams.update_room(room_id, description="launch v2")
    assert updated.room_attributes.description == "launch v2"  # type: ignore[union-attr]
    services.streams.add_member(room_id, dave["userId"])
    services.streams.add_member(room_id, erin["userId"])
    services.streams.promote_owner(room_id, dave["userId"])
    members = {m.id: m for m in services.streams.list_room_members(room_id)}
    assert members[dave["userId"]].owner and not members[erin["userId"]].owner
    services.streams.demote_owner(room_id, dave["userId"])
    services.streams.remove_member(room_id, erin["userId"])
    members = {m.id: m for m in services.streams.list_room_members(room_id)}
    assert not members[dave["userId"]].owner and erin["userId"] not in members
    results = services.streams.search_rooms("Project")
    assert room_id in [r.room_system_info.id for r in results.rooms if r.room_system_info]
    assert room_id in [
        r.room_system_info.id for r in services.streams.iter_rooms("Project") if r.room_system_info
    ]
    assert services.streams.set_room_active(room_id, False).room_system_info.active is False  # type: ignore[union-attr]
    services.streams.set_room_active(room_id, True)
    rooms = list(services.streams.iter_streams(["ROOM"], chunk_size=1))
    assert room_id in [s.id for s in rooms]
    assert all(s.stream_type and s.stream_type.type == "ROOM" for s in rooms)
    article = {
        "title": "News",
        "articleUrl": "https://example.com/n",
        "author": "A",
        "publisher": "P",
        "appId": "app",
    }
    shared = services.streams.share(room_id, article)
    assert shared.stream_id == room_id and shared.id
    blast = services.messages.blast([room_id, services.streams.create_im(dave["userId"]).id], "to all")
    assert len(blast.messages) == 2


def test_connections_signals_presence_health(
    pod: Any, services: SyncServices, bot_config_file: Path, tmp_path: Path
) -> None:
    frank = _user(pod, "frank")
    created = services.connections.create(frank["userId"])
    assert created.status in ("PENDING_OUTGOING", "ACCEPTED")
    assert services.connections.get(frank["userId"]).user_id == frank["userId"]
    assert frank["userId"] in [c.user_id for c in services.connections.list("ALL")]
    with pytest.raises(BadRequestError, match="not connected"):  # only accepted connections can be removed
        services.connections.remove(frank["userId"])
    me = services.session.get().id
    assert me is not None
    with peer(pod, bot_config_file, "ian", tmp_path) as ian, peer(pod, bot_config_file, "jo", tmp_path) as jo:
        ian_id, jo_id = ian.session.get().id, jo.session.get().id
        ian.connections.create(me)
        jo.connections.create(me)
        pending = services.connections.list("PENDING_INCOMING", user_ids=[ian_id, jo_id])  # type: ignore[list-item]
        assert {c.user_id for c in pending} == {ian_id, jo_id}
        assert services.connections.accept(ian_id).status == "ACCEPTED"  # type: ignore[arg-type]
        assert services.connections.reject(jo_id).status == "REJECTED"  # type: ignore[arg-type]
        assert ian.connections.get(me).status == "ACCEPTED"
        services.connections.remove(ian_id)  # type: ignore[arg-type]

    signal = services.signals.create(name="deals", query="HASHTAG:deal", visible_on_profile=False)
    assert signal.id and services.signals.get(signal.id).name == "deals"
    assert services.signals.update(signal.id, name="deals2", query="HASHTAG:deal").name == "deals2"
    assert services.signals.subscribe(signal.id, [frank["userId"]]).successful_subscription == 1
    assert frank["userId"] in [s.user_id for s in services.signals.iter_subscribers(signal.id)]
    services.signals.unsubscribe(signal.id, [frank["userId"]])
    assert signal.id in [s.id for s in services.signals.iter_signals()]
    services.signals.delete(signal.id)
    with pytest.raises(ApiError):
        services.signals.get(signal.id)

    assert services.presence.set("BUSY").category == "BUSY"
    assert services.presence.get().category == "BUSY"
    assert services.presence.get_user(frank["userId"]).user_id == frank["userId"]
    assert services.users.get_presence(frank["userId"]).user_id == frank["userId"]
    feed = services.presence.create_feed()
    assert isinstance(services.presence.read_feed(feed), list)
    assert services.presence.delete_feed(feed) == feed
    services.presence.register_interest([frank["userId"]])

    assert services.health.check().status == "UP"
    assert services.health.check_extended().status == "UP"
    assert services.health.get_agent_info().version
    assert services.health.check_v2().pod_connectivity is True


def test_bad_input_gets_the_server_message(pod: Any, services: SyncServices) -> None:
    gina = _user(pod, "gina")
    im = services.streams.create_im(gina["userId"]).id
    with pytest.raises(BadRequestError) as caught:
        services.messages.send(im, "<messageML><unknowntag/></messageML>")
    assert caught.value.status == 400 and caught.value.message


async def test_async_services_end_to_end(pod: Any, aservices: AsyncServices) -> None:
    hank = _user(pod, "hank")
    me = await aservices.session.get()
    im = await aservices.streams.create_im([hank["userId"]])
    sent = await aservices.messages.send(im.id, "hello", attachments=[("a.txt", b"async bytes")])
    attachment = (sent.attachments or [])[0]
    assert (
        await aservices.messages.get_attachment(im.id, sent.message_id or "", attachment["id"])
        == b"async bytes"
    )
    for i in range(5):
        pod.send_message("hank", f"m{i}", stream_id=im.id)
    seen = [m async for m in aservices.messages.iter_messages(im.id, chunk_size=2)]
    assert len(seen) == 6 and seen[0].user and seen[0].user.user_id == me.id
    room = await aservices.streams.create_room(name="Async room")
    room_id = room.room_system_info.id  # type: ignore[union-attr]
    await aservices.streams.add_member(room_id, hank["userId"])
    assert hank["userId"] in [m.id for m in await aservices.streams.list_room_members(room_id)]
    assert room_id in [s.id async for s in aservices.streams.iter_streams(["ROOM"])]
    assert (await aservices.users.get(user_id=hank["userId"])).username == "hank"  # type: ignore[union-attr]
    assert (await aservices.health.check()).status == "UP"
    assert (await aservices.call("session.get")).raw == (await aservices.session.get()).raw


def test_update_search_and_generic_table_methods(pod: Any, services: SyncServices) -> None:
    ivy = _user(pod, "ivy")
    im = services.streams.create_im(ivy["userId"]).id
    sent = services.messages.send(im, "first draft")
    updated = services.messages.update(im, sent.message_id or "", "<messageML>final text</messageML>")
    assert "final text" in (updated.message or "")
    found = services.messages.search({"text": "final", "streamId": im})
    assert any("final text" in (m.message or "") for m in found)
    assert any(
        "final" in (m.message or "") for m in services.messages.iter_search({"text": "final", "streamId": im})
    )
    by_query = services.messages.search_by_query(f"text:final AND streamId:{im}")
    assert any("final text" in (m.message or "") for m in by_query)
    # operations without a hand-written method are generic methods built from the table
    assert services.streams.get_im_info(im).im_system_info["id"] == im  # type: ignore[index]
    services.streams.update_im(im, body={"pinnedMessageId": sent.message_id})
    pinned = services.call("streams.get_im_info", im).v1_im_attributes["pinnedMessageId"]
    assert pinned == sent.message_id


def test_raw_datafeed_logins_and_pod_certificate(pod: Any, services: SyncServices) -> None:
    kai = _user(pod, "kai")
    im = services.streams.create_im(kai["userId"]).id
    feed = services.datafeed.create(body={})
    assert feed["id"] in [f["id"] for f in services.datafeed.list()]
    pod.send_message("kai", "event for the feed", stream_id=im)
    batch = services.datafeed.read(feed["id"], body={"ackId": ""})
    assert any(e["type"] == "MESSAGESENT" for e in batch["events"]) and batch["ackId"]
    services.datafeed.delete(feed["id"])
    assert feed["id"] not in [f["id"] for f in services.datafeed.list()]
    v1_feed = services.datafeed.create_v4()
    pod.send_message("kai", "event for the v1 feed", stream_id=im)
    assert any(e["type"] == "MESSAGESENT" for e in services.datafeed.read_v4(v1_feed["id"]))

    # the login operations are unauthenticated table entries: no token is attached to them
    client = services.requester
    jwt = client.login_flow.create_jwt()  # type: ignore[attr-defined]
    assert services.session.login(body={"token": jwt})["token"]
    assert services.session.login_key_manager(body={"token": client.login_flow.create_jwt()})["token"]  # type: ignore[attr-defined]
    assert services.health.get_pod_certificate()["certificate"].startswith("-----BEGIN CERTIFICATE-----")
