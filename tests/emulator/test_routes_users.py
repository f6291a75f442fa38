"""User lookups, presence and connections over HTTPS; every response validated against the spec."""

from __future__ import annotations

from typing import Any

import pytest

from .spec_validation import World, make_world


@pytest.fixture
def world(pod: Any) -> World:
    return make_world(pod)


def test_v2_user_lookup_by_each_key_and_204(world: World) -> None:
    alice_id = world.alice_user["userId"]
    by_name = world.bot.call("GET", "/pod/v2/user?username=alice").json
    assert by_name["id"] == alice_id and by_name["displayName"] == "Alice Archer"
    assert by_name["emailAddress"] == "alice@example.com" and by_name["accountType"] == "NORMAL"
    assert world.bot.call("GET", "/pod/v2/user?email=ALICE@example.com&local=False").json["id"] == alice_id
    assert world.bot.call("GET", f"/pod/v2/user?uid={alice_id}&local=True").json["username"] == "alice"
    assert world.bot.call("GET", "/pod/v2/user?username=nobody", 204).body == b""
    assert "Exactly one" in world.bot.call("GET", "/pod/v2/user", 400).json["message"]
    world.bot.call("GET", "/pod/v2/user?uid=abc", 400)
    world.bot.call("GET", "/pod/v2/user?username=alice&local=perhaps", 400)
    bot = world.bot.call("GET", f"/pod/v2/user?uid={world.bot_user['userId']}").json
    assert bot["accountType"] == "SYSTEM"


def test_v3_users_lists_with_errors(world: World) -> None:
    ids = f"{world.alice_user['userId']},{world.bob_user['userId']},123"
    result = world.bot.call("GET", f"/pod/v3/users?uid={ids}&local=false").json
    assert [user["username"] for user in result["users"]] == ["alice", "bob"]
    assert result["errors"] == [{"error": "invalid.format", "id": "123"}]
    by_email = world.bot.call("GET", "/pod/v3/users?email=bob@example.com,alice@example.com").json
    assert [user["username"] for user in by_email["users"]] == ["bob", "alice"]
    by_name = world.bot.call("GET", "/pod/v3/users?username=alice&active=true").json
    assert len(by_name["users"]) == 1
    world.bot.call("GET", "/pod/v3/users?uid=1&email=a@b.c", 400)
    world.bot.call("GET", "/pod/v3/users?uid=" + ",".join(str(n) for n in range(101)), 400)


def test_user_search(world: World) -> None:
    found = world.bot.call("POST", "/pod/v1/user/search?local=False", json_body={"query": "ARCH"}).json
    assert found["count"] == 1 and found["users"][0]["username"] == "alice"
    systems = world.bot.call(
        "POST", "/pod/v1/user/search?skip=0&limit=1",
        json_body={"query": "o", "filters": {"accountTypes": ["SYSTEM"]}},
    ).json  # fmt: skip
    assert systems["limit"] == 1 and len(systems["users"]) == 1 and systems["count"] == 2  # bot and admin
    world.bot.call("POST", "/pod/v1/user/search", 400, json_body={"filters": {}})
    world.bot.call("POST", "/pod/v1/user/search", 400, json_body={"query": ""})
    world.bot.call("POST", "/pod/v1/user/search?limit=0", 400, json_body={"query": "a"})


def test_followers_with_cursor_paging_and_manifest(world: World) -> None:
    # alice and the admin are fresh in every test; the bot survives resets, so it only follows here
    alice_id, bob_id, bot_id = world.alice_user["userId"], world.bob_user["userId"], world.bot_user["userId"]
    world.bot.call("POST", f"/pod/v1/user/{alice_id}/follow", json_body={"followers": [bot_id]})
    reply = world.bot.call("POST", f"/pod/v1/user/{alice_id}/follow", 403, json_body={"followers": [bob_id]})
    assert "only (un)follow for themselves" in reply.json["message"]
    world.admin.call("POST", f"/pod/v1/user/{alice_id}/follow", json_body={"followers": [bob_id, bot_id]})
    first = world.bot.call("GET", f"/pod/v1/user/{alice_id}/followers?limit=1").json
    assert first["count"] == 2 and first["followers"] == [bot_id]
    after = first["pagination"]["cursors"]["after"]
    second = world.bot.call("GET", f"/pod/v1/user/{alice_id}/followers?limit=1&after={after}").json
    assert second["followers"] == [bob_id] and "after" not in second["pagination"]["cursors"]
    assert alice_id in world.bot.call("GET", f"/pod/v1/user/{bot_id}/following").json["following"]
    world.bot.call("POST", f"/pod/v1/user/{alice_id}/unfollow", json_body={"followers": [bot_id]})
    assert world.bot.call("GET", f"/pod/v1/user/{alice_id}/followers").json["followers"] == [bob_id]
    world.bot.call("GET", f"/pod/v1/user/{alice_id}/followers?after=%%%", 400)
    world.alice.call("POST", f"/pod/v1/user/{alice_id}/follow", 400, json_body={"followers": [alice_id]})
    world.bot.call("POST", f"/pod/v1/user/{alice_id}/follow", 400, json_body={})

    assert world.admin.call("GET", "/pod/v1/user/manifest/own").json == {"manifest": "{}"}
    manifest = '{"commands": [{"name": "help"}]}'
    world.admin.call("POST", "/pod/v1/user/manifest/own", json_body={"manifest": manifest})
    assert world.admin.call("GET", "/pod/v1/user/manifest/own").json == {"manifest": manifest}
    bad = world.admin.call("POST", "/pod/v1/user/manifest/own", 400, json_body={"manifest": "{oops"})
    assert "not valid JSON" in bad.json["message"]


def test_unauthenticated_calls_get_401(world: World) -> None:
    reply = world.bot.call("GET", "/pod/v2/user?username=alice", 401, headers={"sessionToken": "forged"})
    assert "sessionToken" in reply.json["message"]


def test_presence(world: World) -> None:
    own = world.bot.call("GET", "/pod/v2/user/presence/").json  # L's trailing slash
    assert own["category"] == "AVAILABLE" and own["userId"] == world.bot_user["userId"]
    changed = world.bot.call("POST", "/pod/v2/user/presence", json_body={"category": "busy"}).json
    assert changed["category"] == "BUSY"
    soft = world.bot.call("POST", "/pod/v2/user/presence?soft=true", json_body={"category": "AWAY"}).json
    assert soft["category"] == "BUSY"  # soft does not override BUSY
    assert (
        world.alice.call("GET", f"/pod/v3/user/{world.bot_user['userId']}/presence?local=true").json[
            "category"
        ]
        == "BUSY"
    )
    world.alice.call("GET", "/pod/v3/user/42/presence", 404)
    world.bot.call("POST", "/pod/v2/user/presence", 400, json_body={"category": "SLEEPING"})
    reply = world.alice.call("POST", "/pod/v3/user/presence", 403,
                             json_body={"category": "AWAY", "userId": world.bob_user["userId"]})  # fmt: skip
    assert "their own presence" in reply.json["message"]
    world.admin.call(
        "POST", "/pod/v3/user/presence", json_body={"category": "AWAY", "userId": world.bob_user["userId"]}
    )

    everyone = world.bot.call("GET", "/pod/v2/users/presence?limit=2").json
    assert len(everyone) == 2
    after = world.bot.call("GET", f"/pod/v2/users/presence?lastUserId={everyone[-1]['userId']}").json
    assert all(item["userId"] > everyone[-1]["userId"] for item in after)
    world.bot.call("GET", "/pod/v2/users/presence?limit=5001", 400)

    world.bot.call("POST", "/pod/v1/user/presence/register", json_body=[world.alice_user["userId"]])
    legacy_body = {"userIds": [world.alice_user["userId"]]}
    world.bot.call("POST", "/pod/v1/user/presence/register", json_body=legacy_body)
    world.bot.call("POST", "/pod/v1/user/presence/register", 400, json_body={"ids": []})
    world.bot.call("POST", "/pod/v1/user/presence/register", 400, json_body=["x"])

    feed_id = world.bot.call("POST", "/pod/v1/presence/feed/create").json["id"]
    world.alice.call("POST", "/pod/v2/user/presence", json_body={"category": "IN_A_MEETING"})
    changes = world.bot.call("GET", f"/pod/v1/presence/feed/{feed_id}/read").json
    assert {"category": "IN_A_MEETING", "userId": world.alice_user["userId"]}.items() <= changes[-1].items()
    assert world.bot.call("GET", f"/pod/v1/presence/feed/{feed_id}/read").json == []
    world.alice.call("GET", f"/pod/v1/presence/feed/{feed_id}/read", 400)  # not alice's feed
    assert world.bot.call("POST", f"/pod/v1/presence/feed/{feed_id}/delete").json == {"id": feed_id}
    world.bot.call("GET", f"/pod/v1/presence/feed/{feed_id}/read", 400)


def test_connections_flow_and_events(world: World) -> None:
    alice_feed, bot_feed = world.feed(world.alice), world.feed(world.bot)
    alice_id, bot_id = world.alice_user["userId"], world.bot_user["userId"]
    requested = world.bot.call("POST", "/pod/v1/connection/create", json_body={"userId": alice_id}).json
    assert requested["status"] == "PENDING_OUTGOING" and requested["userId"] == alice_id
    incoming = world.alice.call("GET", f"/pod/v1/connection/user/{bot_id}/info").json
    assert incoming["status"] == "PENDING_INCOMING" and incoming["userId"] == bot_id
    assert world.event_types(world.alice, alice_feed) == ["CONNECTIONREQUESTED"]

    world.bot.call(
        "POST", "/pod/v1/connection/accept", 400, json_body={"userId": alice_id}
    )  # not for the asker
    accepted = world.alice.call("POST", "/pod/v1/connection/accept", json_body={"userId": bot_id}).json
    assert accepted["status"] == "ACCEPTED"
    # the initiator's own feeds get its events too (SDKs filter those out themselves)
    events = world.events(world.bot, bot_feed)
    assert [event["type"] for event in events] == ["CONNECTIONREQUESTED", "CONNECTIONACCEPTED"]
    assert events[1]["payload"]["connectionAccepted"]["fromUser"]["userId"] == bot_id

    listed = world.bot.call("GET", "/pod/v1/connection/list?status=ACCEPTED").json
    assert [item["userId"] for item in listed] == [alice_id]
    assert (
        world.bot.call("GET", f"/pod/v1/connection/list?status=pending_incoming&userIds={alice_id}").json
        == []
    )
    world.bot.call("GET", "/pod/v1/connection/list?status=FRIENDS", 400)
    removed = world.bot.call("POST", f"/pod/v1/connection/user/{alice_id}/remove").json
    assert removed["message"].startswith("Connection with user")
    world.bot.call("GET", f"/pod/v1/connection/user/{alice_id}/info", 404)
    world.bot.call("POST", f"/pod/v1/connection/user/{alice_id}/remove", 400)

    world.bot.call("POST", "/pod/v1/connection/create", json_body={"userId": world.bob_user["userId"]})
    # bob never logs in here, so reject on his behalf is impossible: alice rejects a fresh request instead
    world.alice.call("POST", "/pod/v1/connection/create", json_body={"userId": bot_id})
    rejected = world.bot.call("POST", "/pod/v1/connection/reject", json_body={"userId": alice_id}).json
    assert rejected["status"] == "REJECTED"
    again = world.alice.call("POST", "/pod/v1/connection/create", json_body={"userId": bot_id}).json
    assert again["status"] == "PENDING_OUTGOING" and again["requestCounter"] == 2
    world.bot.call("POST", "/pod/v1/connection/create", 400, json_body={"userId": bot_id})
    world.bot.call("POST", "/pod/v1/connection/create", 400, json_body={"userId": 5})
    world.bot.call("POST", "/pod/v1/connection/create", 400, json_body={})
