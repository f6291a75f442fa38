"""Services against a scripted requester: the requests they build and the models they return,
through both the sync and the async facade (same plans)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from sym_api_client_python.core.errors import BadRequestError, NotFoundError, UnexpectedResponseError
from sym_api_client_python.core.http import Component, Response
from sym_api_client_python.core.models.events import V4Message
from sym_api_client_python.core.models.rest import RoomDetail, UserList
from sym_api_client_python.rest import AsyncServices, SyncServices

from .fakes import AsyncFakeRequester, FakeRequester, json_response

MESSAGE = {"messageId": "m1", "message": "<div>hi</div>", "stream": {"streamId": "s1"}, "newField": 1}


def test_send_builds_multipart_with_data_attachments_and_previews(tmp_path: Path) -> None:
    report = tmp_path / "report.csv"
    report.write_bytes(b"a,b\n1,2\n")
    fake = FakeRequester(MESSAGE)
    message = SyncServices(fake).messages.send(
        "ab+c/d==",
        "hello",
        data={"k": {"type": "x"}},
        attachments=[report, ("img.png", b"\x89PNG"), b"raw"],
        previews=[("img-preview.png", b"p", "image/png")],
    )
    assert isinstance(message, V4Message) and message.message_id == "m1"
    request = fake.last
    assert (request.method, request.component, request.path) == (
        "POST",
        Component.AGENT,
        "/agent/v4/stream/ab-c_d/message/create",
    )
    assert not request.idempotent
    parts = {(p.name, p.filename): p for p in request.multipart or ()}
    assert parts[("message", None)].content == "<messageML>hello</messageML>"
    assert parts[("data", None)].content == '{"k":{"type":"x"}}'
    assert parts[("attachment", "report.csv")].content == b"a,b\n1,2\n"
    assert parts[("attachment", "report.csv")].content_type == "text/csv"
    assert parts[("attachment", "img.png")].content_type == "image/png"
    assert parts[("attachment", "attachment")].content == b"raw"
    assert parts[("preview", "img-preview.png")].content_type == "image/png"


def test_send_rejects_bad_attachments(tmp_path: Path) -> None:
    services = SyncServices(FakeRequester())
    with pytest.raises(FileNotFoundError, match="attachment file not found"):
        services.messages.send("s", "x", attachments=[tmp_path / "missing.txt"])
    with pytest.raises(TypeError, match="unsupported attachment type int"):
        services.messages.send("s", "x", attachments=[3])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="message must be a MessageML string"):
        services.messages.send("s", {"message": "x"})  # type: ignore[arg-type]


def test_messageml_is_not_wrapped_twice() -> None:
    fake = FakeRequester(MESSAGE)
    SyncServices(fake).messages.send("s", "<messageML><b>x</b></messageML>")
    assert fake.last.multipart[0].content == "<messageML><b>x</b></messageML>"  # type: ignore[index]


async def test_async_facade_runs_the_same_plans() -> None:
    fake = AsyncFakeRequester(MESSAGE, [MESSAGE, MESSAGE])
    services = AsyncServices(fake)
    sent = await services.messages.send("s1", "hi")
    listed = await services.messages.list("s1", since=5, limit=2)
    assert sent.message_id == "m1" and [m.message_id for m in listed] == ["m1", "m1"]
    assert fake.last.params == {"since": 5, "until": None, "skip": 0, "limit": 2}


def test_pagination_walks_pages_until_a_short_one() -> None:
    page = [{"id": f"s{i}"} for i in range(2)]
    fake = FakeRequester(page, page, [{"id": "last"}])
    ids = [s.id for s in SyncServices(fake).streams.iter_streams(["ROOM"], chunk_size=2)]
    assert ids == ["s0", "s1", "s0", "s1", "last"]
    assert [r.params["skip"] for r in fake.requests] == [0, 2, 4]  # type: ignore[index]
    assert fake.last.json == {"includeInactiveStreams": False, "streamTypes": [{"type": "ROOM"}]}


def test_pagination_stops_at_max_items() -> None:
    fake = FakeRequester([{"id": "a"}, {"id": "b"}], [{"id": "c"}])
    ids = [s.id for s in SyncServices(fake).streams.iter_streams(chunk_size=2, max_items=3)]
    assert ids == ["a", "b", "c"] and fake.last.params["limit"] == 1  # type: ignore[index]


async def test_async_pagination_of_room_search() -> None:
    room = {"roomAttributes": {"name": "r"}, "roomSystemInfo": {"id": "r1", "active": True}}
    fake = AsyncFakeRequester({"count": 3, "rooms": [room, room]}, {"count": 3, "rooms": [room]})
    rooms = [r async for r in AsyncServices(fake).streams.iter_rooms("r", chunk_size=2)]
    assert len(rooms) == 3 and all(isinstance(r, RoomDetail) for r in rooms)
    assert rooms[0].room_system_info.id == "r1"  # type: ignore[union-attr]


def test_user_lookups_are_batched_by_100() -> None:
    fake = FakeRequester({"users": [{"id": 1}]}, {"users": [{"id": 2}], "errors": [{"error": "invalid"}]})
    result = SyncServices(fake).users.list_by_ids(list(range(150)), local=True)
    assert isinstance(result, UserList) and [u.id for u in result.users] == [1, 2] and len(result.errors) == 1
    assert len(fake.requests[0].params["uid"].split(",")) == 100  # type: ignore[index]
    assert fake.requests[1].params["local"] is True  # type: ignore[index]
    assert result.raw["errors"] == [{"error": "invalid"}]


def test_user_get_needs_exactly_one_key() -> None:
    services = SyncServices(FakeRequester())
    with pytest.raises(ValueError, match="exactly one of"):
        services.users.get(user_id=1, email="a@b")


def test_raw_keeps_unknown_fields_and_models_ignore_them() -> None:
    fake = FakeRequester({"id": 7, "username": "bot", "futureField": [1]})
    user = SyncServices(fake).session.get()
    assert user.id == 7 and user.raw["futureField"] == [1]


def test_204_gives_none_or_empty_list() -> None:
    fake = FakeRequester(Response(204), Response(204))
    services = SyncServices(fake)
    assert services.users.get(email="x@y") is None
    assert services.messages.list("s") == []


def test_error_status_maps_to_the_error_hierarchy() -> None:
    fake = FakeRequester(json_response({"code": 400, "message": "bad MessageML"}, 400))
    with pytest.raises(BadRequestError, match="bad MessageML"):
        SyncServices(fake).messages.send("s", "x")
    fake.queue(json_response({"message": "no such user"}, 404))
    with pytest.raises(NotFoundError):
        SyncServices(fake).connections.get(1)


def test_mismatched_body_names_the_field() -> None:
    fake = FakeRequester({"id": "not-an-int"})
    with pytest.raises(UnexpectedResponseError, match=r"UserV2.*\$\.id"):
        SyncServices(fake).session.get()


def test_attachment_download_decodes_base64() -> None:
    payload = base64.b64encode(b"\x00binary\xff")
    fake = FakeRequester(Response(200, {"content-type": "application/octet-stream"}, payload))
    content = SyncServices(fake).messages.get_attachment("s+1", "m/1==", "f1")
    assert content == b"\x00binary\xff"
    assert fake.last.params == {"messageId": "m_1", "fileId": "f1"}


def test_room_operations_and_booleans() -> None:
    room = {"roomAttributes": {"name": "n"}, "roomSystemInfo": {"id": "r", "active": False}}
    fake = FakeRequester(room, {"roomSystemInfo": {"active": False}}, {"format": "TEXT", "message": "ok"})
    services = SyncServices(fake)
    created = services.streams.create_room(name="n", description="d", discoverable=True)
    assert created.room_attributes.name == "n"  # type: ignore[union-attr]
    assert fake.last.json == {"name": "n", "description": "d", "discoverable": True}
    services.streams.set_room_active("r", False)
    assert fake.last.params == {"active": False} and fake.last.path == "/pod/v1/room/r/setActive"
    services.streams.add_member("r", 5)
    assert fake.last.json == {"id": 5}
    with pytest.raises(ValueError, match="needs a name"):
        services.streams.create_room(description="x")


def test_generic_methods_cover_the_rest_of_the_table() -> None:
    fake = FakeRequester([{"id": 1}], {"ok": True})
    services = SyncServices(fake)
    assert services.admin.list_ib_group_members("g1", skip=0, limit=5) == [{"id": 1}]
    assert fake.last.path == "/pod/v1/admin/group/g1/membership/list" and fake.last.params == {
        "skip": 0,
        "limit": 5,
    }
    assert services.call("users.list_followers", 42, limit=3) == {"ok": True}
    assert fake.last.path == "/pod/v1/user/42/followers"
    with pytest.raises(TypeError, match="takes 1 path argument"):
        services.admin.list_ib_group_members()
    with pytest.raises(ValueError, match="unknown query parameter"):
        services.admin.list_ib_group_members("g", nope=1)


def test_signals_presence_connections_health() -> None:
    fake = FakeRequester(
        {"id": "sig", "name": "n", "query": "HASHTAG:x"},
        {"requestedSubscription": 2, "successfulSubscription": 2},
        {"category": "BUSY", "userId": 3},
        {"id": "feed-1"},
        [{"userId": 4, "status": "ACCEPTED"}],
        {"status": "UP", "version": "2.0"},
    )
    services = SyncServices(fake)
    assert services.signals.create(name="n", query="HASHTAG:x").id == "sig"
    assert services.signals.subscribe("sig", [1, 2], pushed=True).successful_subscription == 2
    assert fake.last.params == {"pushed": True} and fake.last.json == [1, 2]
    assert services.presence.set("busy").category == "BUSY"
    assert fake.last.json == {"category": "BUSY"}
    assert services.presence.create_feed() == "feed-1"
    assert services.connections.list("ACCEPTED")[0].user_id == 4
    assert services.health.check().status == "UP"
    with pytest.raises(ValueError, match="unknown presence category"):
        services.presence.set("sleeping")
    with pytest.raises(ValueError, match="unknown connection status"):
        services.connections.list("FRIENDS")


def test_admin_avatar_is_base64_encoded() -> None:
    fake = FakeRequester({"format": "TEXT", "message": "OK"})
    SyncServices(fake).admin.update_avatar(9, b"\x01\x02")
    assert fake.last.json == {"image": base64.b64encode(b"\x01\x02").decode()}
    assert fake.last.path == "/pod/v1/admin/user/9/avatar/update"


def test_unknown_operation_suggests_close_names() -> None:
    with pytest.raises(AttributeError, match="no operation 'creat_room'; did you mean create_room"):
        SyncServices(FakeRequester()).streams.creat_room()
