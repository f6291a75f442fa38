"""The store's stream and member cache (read by every message create) never serves a stale answer:
each change of a stream or of its members is seen by the very next message create."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sympod.domain.messages import create_message
from sympod.domain.streams import create_im
from sympod.errors import ApiError
from sympod.state import Settings
from sympod.store import Store
from sympod.workdir import open_pod

from .spec_validation import World, make_world


@pytest.fixture
def world(pod: Any) -> World:
    return make_world(pod)


def _post(world: World, client: Any, sid: str, expect: int) -> Any:
    return client.call(
        "POST",
        f"/agent/v4/stream/{sid}/message/create",
        expect,
        fields={"message": "<messageML>hi</messageML>"},
    )


def _room(world: World, **attributes: Any) -> str:
    body = {"name": f"cache room {attributes}", "description": "d", **attributes}
    return str(world.bot.call("POST", "/pod/v3/room/create", json_body=body).json["roomSystemInfo"]["id"])


def _membership(world: World, room: str, action: str, user_id: int) -> None:
    world.bot.call("POST", f"/pod/v1/room/{room}/membership/{action}", json_body={"id": user_id})


def test_membership_changes_are_seen_by_the_next_create(world: World) -> None:
    room = _room(world)
    alice_id = world.alice_user["userId"]
    _post(world, world.alice, room, 403)  # not a member yet (and now cached as such)
    _membership(world, room, "add", alice_id)
    _post(world, world.alice, room, 200)
    _membership(world, room, "remove", alice_id)
    error = _post(world, world.alice, room, 403).error()
    assert "not a member" in error["message"]
    _membership(world, room, "add", alice_id)
    _post(world, world.alice, room, 200)
    # leaving by oneself goes through the same path
    world.alice.call("POST", f"/pod/v1/room/{room}/membership/remove", json_body={"id": alice_id})
    _post(world, world.alice, room, 403)


def test_owner_changes_and_read_only_are_seen_by_the_next_create(world: World) -> None:
    room = _room(world)
    alice_id = world.alice_user["userId"]
    _membership(world, room, "add", alice_id)
    _post(world, world.alice, room, 200)
    world.bot.call("POST", f"/pod/v3/room/{room}/update", json_body={"readOnly": True})
    assert "read-only" in _post(world, world.alice, room, 403).error()["message"]
    _membership(world, room, "promoteOwner", alice_id)
    _post(world, world.alice, room, 200)
    _membership(world, room, "demoteOwner", alice_id)
    _post(world, world.alice, room, 403)
    world.bot.call("POST", f"/pod/v3/room/{room}/update", json_body={"readOnly": False})
    _post(world, world.alice, room, 200)


def test_deactivation_is_seen_by_the_next_create(world: World) -> None:
    room = _room(world)
    _post(world, world.bot, room, 200)
    world.bot.call("POST", f"/pod/v1/room/{room}/setActive?active=false")
    assert "deactivated" in _post(world, world.bot, room, 403).error()["message"]
    world.bot.call("POST", f"/pod/v1/room/{room}/setActive?active=true")
    _post(world, world.bot, room, 200)
    # the admin variant too
    world.admin.call("POST", f"/pod/v1/admin/room/{room}/setActive?active=false")
    _post(world, world.bot, room, 403)


def test_room_and_im_updates_are_seen_by_the_next_read(world: World) -> None:
    room = _room(world)
    _post(world, world.bot, room, 200)  # caches the stream
    world.bot.call("POST", f"/pod/v3/room/{room}/update", json_body={"name": "renamed", "description": "new"})
    info = world.bot.call("GET", f"/pod/v3/room/{room}/info").json
    assert (info["roomAttributes"]["name"], info["roomAttributes"]["description"]) == ("renamed", "new")
    im = str(world.bot.call("POST", "/pod/v1/im/create", json_body=[world.alice_user["userId"]]).json["id"])
    message_id = _post(world, world.bot, im, 200).json["messageId"]
    world.bot.call("POST", f"/pod/v1/im/{im}/update", json_body={"pinnedMessageId": message_id})
    assert world.bot.call("GET", f"/pod/v1/im/{im}/info").json["V1IMAttributes"] == {
        "pinnedMessageId": message_id
    }


# ------------------------------------------------------------------------------------------ store level
def _stream(store: Store, stream_id: str) -> dict[str, Any]:
    stream = store.get_stream(stream_id)
    assert stream is not None
    return stream


@pytest.fixture
def store_pod(tmp_path: Path) -> Any:
    pod = open_pod(Settings(workdir=tmp_path), tls=False).pod
    pod.store.group_commit = True
    return pod


def test_last_message_time_is_kept_current_in_the_cache_and_the_database(store_pod: Any) -> None:
    store: Store = store_pod.store
    alice = store.create_user("alice")
    im = create_im(store_pod, alice, [store_pod.bot_user_id])
    first = create_message(store_pod, alice["user_id"], im["stream_id"], "one")
    second = create_message(store_pod, alice["user_id"], im["stream_id"], "two")
    assert _stream(store, im["stream_id"])["last_message_at"] == second["timestamp"] >= first["timestamp"]
    row = store.query_one("SELECT last_message_at FROM streams WHERE stream_id = ?", (im["stream_id"],))
    assert row == {"last_message_at": second["timestamp"]}


def test_a_rolled_back_block_leaves_no_cached_change(store_pod: Any) -> None:
    store: Store = store_pod.store
    alice, bob = store.create_user("alice"), store.create_user("bob")
    im = create_im(store_pod, alice, [store_pod.bot_user_id])
    sid = im["stream_id"]
    with pytest.raises(RuntimeError), store.transaction():
        store.add_member(sid, bob["user_id"])
        store.update_stream(sid, active=0)
        assert store.is_member(sid, bob["user_id"]) and not _stream(store, sid)["active"]
        raise RuntimeError("roll back")
    assert not store.is_member(sid, bob["user_id"])
    assert _stream(store, sid)["active"] == 1
    with pytest.raises(ApiError) as refused:
        create_message(store_pod, bob["user_id"], sid, "hi")
    assert refused.value.status == 403


def test_cached_rows_are_handed_out_as_copies(store_pod: Any) -> None:
    store: Store = store_pod.store
    alice = store.create_user("alice")
    sid = create_im(store_pod, alice, [store_pod.bot_user_id])["stream_id"]
    _stream(store, sid)["active"] = 0
    store.stream_members(sid)[0]["owner"] = 1
    member = store.member_row(sid, alice["user_id"])
    assert member is not None
    member["owner"] = 1
    store.stream_member_ids(sid).clear()
    assert _stream(store, sid)["active"] == 1
    assert [row["owner"] for row in store.stream_members(sid)] == [0, 0]
    assert sorted(store.stream_member_ids(sid)) == sorted([alice["user_id"], store_pod.bot_user_id])


def test_update_stream_refuses_unknown_columns(store_pod: Any) -> None:
    with pytest.raises(ValueError, match="stream_type"):
        store_pod.store.update_stream("any", stream_type="ROOM")
