"""IMs, rooms, membership and stream lists over HTTPS; every response validated against the spec."""

from __future__ import annotations

from typing import Any

import pytest

from .spec_validation import World, make_world


@pytest.fixture
def world(pod: Any) -> World:
    return make_world(pod)


def test_im_create_is_idempotent_and_includes_the_caller(world: World) -> None:
    feed = world.feed(world.alice)
    first = world.bot.call("POST", "/pod/v1/im/create", json_body=[world.alice_user["userId"]]).json["id"]
    again = world.bot.call("POST", "/pod/v1/im/create", json_body=[world.alice_user["userId"]]).json["id"]
    assert first == again and len(first) == 34 and "=" not in first
    events = world.events(world.alice, feed)
    assert [event["type"] for event in events] == ["INSTANTMESSAGECREATED"]
    stream = events[0]["payload"]["instantMessageCreated"]["stream"]
    assert stream["streamId"] == first and stream["streamType"] == "IM"
    assert {member["userId"] for member in stream["members"]} == {
        world.bot_user["userId"],
        world.alice_user["userId"],
    }
    info = world.bot.call("GET", f"/pod/v1/im/{first}/info").json
    assert info["IMSystemInfo"] == {
        "id": first,
        "creationDate": info["IMSystemInfo"]["creationDate"],
        "active": True,
    }
    stream_info = world.alice.call("GET", f"/pod/v2/streams/{first}/info").json
    assert stream_info["streamType"] == {"type": "IM"}
    assert sorted(stream_info["streamAttributes"]["members"]) == sorted(
        [world.bot_user["userId"], world.alice_user["userId"]]
    )


def test_im_with_two_others_is_a_mim_and_standard_base64_ids_are_accepted(world: World) -> None:
    sid = world.bot.call(
        "POST", "/pod/v1/im/create", json_body=[world.alice_user["userId"], world.bob_user["userId"]]
    ).json["id"]
    padded = sid + "=" * (-len(sid) % 4)
    assert world.bot.call("GET", f"/pod/v2/streams/{padded}/info").json["streamType"] == {"type": "MIM"}
    # in bodies the standard alphabet works too ('/' cannot travel in a path segment)
    standard = sid.replace("-", "+").replace("_", "/") + "=" * (-len(sid) % 4)
    world.bot.call("POST", "/agent/v1/message/search", json_body={"streamId": standard, "text": "x"})


BAD_IM_BODIES = [
    ({"not": "a list"}, "must be a JSON array"),
    (["abc"], "[0] must be an integer user id"),
    ([], "at least one other user"),
    ([999], "The user with id 999 does not exist"),
]


def test_im_create_rejects_bad_bodies(world: World) -> None:
    for body, message in BAD_IM_BODIES:  # one world for all cases: setting it up is the slow part
        reply = world.bot.call("POST", "/pod/v1/im/create", 400, json_body=body)
        assert message in reply.json["message"], (body, reply.json)


def test_admin_im_create_needs_an_admin_and_excludes_the_caller(world: World) -> None:
    members = [world.alice_user["userId"], world.bob_user["userId"]]
    assert (
        "not entitled"
        in world.bot.call("POST", "/pod/v1/admin/im/create", 403, json_body=members).json["message"]
    )
    alice_feed = world.feed(world.alice)
    sid = world.admin.call("POST", "/pod/v1/admin/im/create", json_body=members).json["id"]
    [created] = world.events(world.alice, alice_feed)
    assert created["type"] == "INSTANTMESSAGECREATED"
    assert created["initiator"]["user"]["userId"] == world.admin_user["userId"]  # L reads it unguarded
    listed = world.admin.call("GET", f"/pod/v1/admin/stream/{sid}/membership/list").json
    assert {item["user"]["userId"] for item in listed["members"]} == set(members)
    assert listed["count"] == 2


def test_room_lifecycle_with_events(world: World) -> None:
    bot_feed, alice_feed = world.feed(world.bot), world.feed(world.alice)
    created = world.bot.call(
        "POST", "/pod/v3/room/create",
        json_body={"name": "Trading desk", "description": "desk",
                   "keywords": [{"key": "region", "value": "EMEA"}],
                   "membersCanInvite": False, "discoverable": True},
    ).json  # fmt: skip
    room_id = created["roomSystemInfo"]["id"]
    assert created["roomAttributes"]["name"] == "Trading desk"
    assert created["roomSystemInfo"]["createdByUserId"] == world.bot_user["userId"]
    assert world.event_types(world.bot, bot_feed) == ["ROOMCREATED"]

    alice_id = world.alice_user["userId"]
    added = world.bot.call("POST", f"/pod/v1/room/{room_id}/membership/add", json_body={"id": alice_id}).json
    assert added == {"format": "TEXT", "message": "Member added."}
    joined = world.events(world.alice, alice_feed)
    assert [event["type"] for event in joined] == ["USERJOINEDROOM"]
    assert joined[0]["payload"]["userJoinedRoom"]["affectedUser"]["userId"] == alice_id
    assert joined[0]["initiator"]["user"]["userId"] == world.bot_user["userId"]

    # alice is a plain member and the room does not let members invite
    reply = world.alice.call(
        "POST", f"/pod/v1/room/{room_id}/membership/add", 403, json_body={"id": world.bob_user["userId"]}
    )
    assert "Only owners" in reply.json["message"]
    world.alice.call("POST", f"/pod/v3/room/{room_id}/update", 403, json_body={"name": "mine"})

    world.bot.call("POST", f"/pod/v1/room/{room_id}/membership/promoteOwner", json_body={"id": alice_id})
    members = world.bot.call("GET", f"/pod/v2/room/{room_id}/membership/list").json
    assert {member["id"]: member["owner"] for member in members} == {
        world.bot_user["userId"]: True,
        alice_id: True,
    }
    world.alice.call("POST", f"/pod/v1/room/{room_id}/membership/demoteOwner", json_body={"id": alice_id})

    updated = world.bot.call("POST", f"/pod/v3/room/{room_id}/update", json_body={"description": "new"}).json
    assert updated["roomAttributes"]["description"] == "new"
    assert updated["roomAttributes"]["name"] == "Trading desk"
    reply = world.bot.call("POST", f"/pod/v3/room/{room_id}/update", 400, json_body={"public": True})
    assert "'public' cannot be changed" in reply.json["message"]

    detail = world.bot.call("POST", f"/pod/v1/room/{room_id}/setActive?active=False").json  # L's spelling
    assert detail["roomSystemInfo"]["active"] is False
    world.bot.call("POST", f"/pod/v1/room/{room_id}/setActive?active=true")
    world.bot.call("POST", f"/pod/v1/room/{room_id}/membership/remove", json_body={"id": alice_id})
    assert world.event_types(world.alice, alice_feed) == [
        "ROOMMEMBERPROMOTEDTOOWNER", "ROOMMEMBERDEMOTEDFROMOWNER", "ROOMUPDATED", "ROOMDEACTIVATED",
        "ROOMREACTIVATED", "USERLEFTROOM",
    ]  # fmt: skip


def test_room_access_rules(world: World) -> None:
    private = world.bot.call("POST", "/pod/v3/room/create", json_body={"name": "Secret"}).json
    room_id = private["roomSystemInfo"]["id"]
    assert "not a member" in world.alice.call("GET", f"/pod/v3/room/{room_id}/info", 403).json["message"]
    world.alice.call("GET", f"/pod/v2/room/{room_id}/membership/list", 403)
    world.alice.call("GET", f"/pod/v2/streams/{room_id}/info", 403)
    reply = world.bot.call("GET", "/pod/v3/room/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/info", 400)
    assert "does not exist" in reply.json["message"]
    world.bot.call("POST", f"/pod/v1/room/{room_id}/setActive", 400)  # 'active' is required
    world.bot.call("POST", f"/pod/v1/room/{room_id}/setActive?active=maybe", 400)
    reply = world.bot.call("POST", f"/pod/v1/room/{room_id}/membership/demoteOwner",
                           400, json_body={"id": world.bot_user["userId"]})  # fmt: skip
    assert "last owner" in reply.json["message"]
    world.bot.call("POST", f"/pod/v1/room/{room_id}/membership/add", 400, json_body={"id": "x"})
    world.bot.call("POST", "/pod/v3/room/create", 400, json_body={"description": "no name"})
    world.bot.call("POST", "/pod/v3/room/create", 400, json_body={"name": "x", "public": "yes"})
    world.bot.call(
        "POST", "/pod/v3/room/create", 400, body=b"{broken", headers={"Content-Type": "application/json"}
    )


def test_room_search_and_stream_lists(world: World) -> None:
    public_room = world.alice.call(
        "POST", "/pod/v3/room/create", json_body={"name": "Public rates", "public": True}
    ).json["roomSystemInfo"]["id"]
    world.alice.call("POST", "/pod/v3/room/create", json_body={"name": "Private rates"})
    mine = world.bot.call("POST", "/pod/v3/room/create", json_body={"name": "Bot rates"}).json[
        "roomSystemInfo"
    ]["id"]
    found = world.bot.call("POST", "/pod/v3/room/search", json_body={"query": "rates"}).json
    assert {room["roomSystemInfo"]["id"] for room in found["rooms"]} == {public_room, mine}
    assert found["count"] == 2
    owned = world.bot.call(
        "POST", "/pod/v3/room/search?skip=0&limit=10",
        json_body={"query": "", "owner": {"id": world.alice_user["userId"]}},
    ).json  # fmt: skip
    assert [room["roomSystemInfo"]["id"] for room in owned["rooms"]] == [public_room]
    world.bot.call("POST", "/pod/v3/room/search", 400, json_body={"labels": ["x"]})

    im = world.bot.call("POST", "/pod/v1/im/create", json_body=[world.alice_user["userId"]]).json["id"]
    listed = world.bot.call("POST", "/pod/v1/streams/list", json_body={"streamTypes": [{"type": "IM"}]}).json
    assert [item["id"] for item in listed] == [im]
    everything = world.bot.call("POST", "/pod/v1/streams/list?skip=0&limit=50", json_body={}).json
    assert {item["id"] for item in everything} == {im, mine}
    world.bot.call("POST", "/pod/v1/streams/list", 400, json_body={"streamTypes": [{"type": "CHAT"}]})

    world.bot.call("POST", "/pod/v2/admin/streams/list", 403, json_body={})
    admin_list = world.admin.call(
        "POST", "/pod/v2/admin/streams/list", json_body={"streamTypes": [{"type": "ROOM"}]}
    )
    assert admin_list.json["count"] == 3
    v1_list = world.admin.call("POST", "/pod/v1/admin/streams/list", json_body={"status": "ACTIVE"}).json
    assert v1_list["count"] == 4
