"""Admin user routes, signals and health/info over HTTPS; every response validated against the spec."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import pytest

from .spec_validation import World, make_world


@pytest.fixture
def world(pod: Any) -> World:
    return make_world(pod)


ADMIN_GETS = [
    "/pod/v2/admin/user/list",
    "/pod/v1/admin/system/features/list",
    "/pod/v1/admin/system/roles/list",
]


def test_admin_routes_are_forbidden_to_the_bot(world: World) -> None:
    for path in ADMIN_GETS:
        reply = world.bot.call("GET", path, 403)
        assert "not entitled" in reply.json["message"] and "SUPER_ADMINISTRATOR" in reply.json["message"]


def test_admin_user_lifecycle(world: World) -> None:
    created = world.admin.call("POST", "/pod/v2/admin/user/create", json_body={
        "userAttributes": {"userName": "carol", "emailAddress": "carol@example.com", "displayName": "Carol C",
                           "accountType": "NORMAL", "department": "FX", "division": "Markets"},
        "roles": ["INDIVIDUAL"],
    }).json  # fmt: skip
    uid = created["userSystemInfo"]["id"]
    assert (
        created["userAttributes"]["userName"] == "carol"
        and created["userAttributes"]["division"] == "Markets"
    )
    assert created["userSystemInfo"]["status"] == "ENABLED"
    world.admin.call("POST", "/pod/v2/admin/user/create", 400,
                     json_body={"userAttributes": {"userName": "carol",
                                                   "emailAddress": "c2@example.com"}})  # fmt: skip
    world.admin.call(
        "POST", "/pod/v2/admin/user/create", 400, json_body={"userAttributes": {"userName": "dave"}}
    )
    world.admin.call(
        "POST",
        "/pod/v2/admin/user/create",
        400,
        json_body={"userAttributes": {"userName": "eve", "emailAddress": "e@x.y"}, "roles": ["KING"]},
    )

    updated = world.admin.call("POST", f"/pod/v2/admin/user/{uid}/update", json_body={"title": "Trader"}).json
    assert updated["userAttributes"]["title"] == "Trader"
    assert world.admin.call("GET", f"/pod/v2/admin/user/{uid}").json["userAttributes"]["title"] == "Trader"
    world.admin.call("GET", "/pod/v2/admin/user/1", 400)  # the spec declares no 404 here
    world.admin.call("GET", "/pod/v2/admin/user/abc", 400)
    listed = world.admin.call("GET", "/pod/v2/admin/user/list?skip=0&limit=100").json
    assert uid in [item["userSystemInfo"]["id"] for item in listed]

    world.admin.call("POST", f"/pod/v1/admin/user/{uid}/roles/add", json_body={"id": "L1_SUPPORT"})
    found = world.admin.call("POST", "/pod/v1/admin/user/find", json_body={"role": "L1_SUPPORT"}).json
    assert [item["userSystemInfo"]["id"] for item in found] == [uid]
    world.admin.call("POST", f"/pod/v1/admin/user/{uid}/roles/remove", json_body={"id": "L1_SUPPORT"})
    assert world.admin.call("POST", "/pod/v1/admin/user/find", json_body={"role": "L1_SUPPORT"}).json == []
    world.admin.call("POST", f"/pod/v1/admin/user/{uid}/roles/add", 400, json_body={"id": "KING"})

    features = world.admin.call("GET", f"/pod/v1/admin/user/{uid}/features").json
    assert {"entitlment": "canCreatePublicRoom", "enabled": True} in features
    world.admin.call("POST", f"/pod/v1/admin/user/{uid}/features/update",
                     json_body=[{"entitlment": "canCreatePublicRoom", "enabled": False}])  # fmt: skip
    features = world.admin.call("GET", f"/pod/v1/admin/user/{uid}/features").json
    assert {"entitlment": "canCreatePublicRoom", "enabled": False} in features
    world.admin.call(
        "POST", f"/pod/v1/admin/user/{uid}/features/update", 400, json_body=[{"entitlment": "x"}]
    )

    image = base64.b64encode(b"\x89PNG tiny").decode()
    world.admin.call("POST", f"/pod/v1/admin/user/{uid}/avatar/update", json_body={"image": image})
    assert world.admin.call("GET", f"/pod/v1/admin/user/{uid}/avatar").json[0]["url"].endswith(image)
    world.admin.call("POST", f"/pod/v1/admin/user/{uid}/avatar/update", 400, json_body={"image": "%%%"})

    world.admin.call("POST", f"/pod/v1/admin/user/{uid}/status/update", json_body={"status": "DISABLED"})
    assert world.admin.call("GET", f"/pod/v1/admin/user/{uid}/status").json["status"] == "DISABLED"
    assert world.bot.call("GET", f"/pod/v3/users?uid={uid}&active=true").json["users"] == []
    world.admin.call("POST", f"/pod/v1/admin/user/{uid}/status/update", 400, json_body={"status": "GONE"})
    assert "SUPER_ADMINISTRATOR" in [
        role["id"] for role in world.admin.call("GET", "/pod/v1/admin/system/roles/list").json
    ]
    assert "canCreatePublicRoom" in world.admin.call("GET", "/pod/v1/admin/system/features/list").json


def _app(entitlements: list[dict[str, Any]], app_id: str) -> list[dict[str, Any]]:
    return [item for item in entitlements if item["appId"] == app_id]


def test_application_admin_and_entitlements(world: World) -> None:
    alice_id = world.alice_user["userId"]
    app_id = f"news-{uuid.uuid4().hex[:8]}"  # apps outlive resets (meta table): unique per run
    info = {"appId": app_id, "name": "News", "appUrl": "https://news.example.com", "domain": "example.com"}
    app = {"applicationInfo": info, "description": "daily"}
    assert world.admin.call("POST", "/pod/v1/admin/app/create", json_body=app).json["description"] == "daily"
    world.admin.call("POST", "/pod/v1/admin/app/create", 400, json_body=app)  # already exists
    world.bot.call("POST", "/pod/v1/admin/app/create", 403, json_body=app)
    bad = {"applicationInfo": {"appId": "x", "name": "X", "appUrl": "http://insecure"}}
    assert (
        "https://" in world.admin.call("POST", "/pod/v1/admin/app/create", 400, json_body=bad).json["message"]
    )
    updated = world.admin.call("POST", f"/pod/v1/admin/app/{app_id}/update",
                               json_body={**app, "description": "hourly"}).json  # fmt: skip
    assert updated["description"] == "hourly"
    assert (
        world.admin.call("GET", f"/pod/v1/admin/app/{app_id}/get").json["applicationInfo"]["name"] == "News"
    )

    # apps live in the pod's meta table, which a reset keeps: look at this test's app only
    [pod_level] = _app(world.admin.call("GET", "/pod/v1/admin/app/entitlement/list").json, app_id)
    assert pod_level == {"appId": app_id, "appName": "News", "enable": True, "listed": True, "install": False}
    world.admin.call("POST", "/pod/v1/admin/app/entitlement/list",
                     json_body=[{**pod_level, "install": True}])  # fmt: skip
    [mine] = _app(world.admin.call("GET", f"/pod/v1/admin/user/{alice_id}/app/entitlement/list").json, app_id)
    assert mine["install"] is True and mine["listed"] is True
    world.admin.call("POST", f"/pod/v1/admin/user/{alice_id}/app/entitlement/list",
                     json_body=[{"appId": app_id, "listed": False, "install": False}])  # fmt: skip
    patch = [{"appId": app_id, "install": "REMOVE", "listed": "KEEP"}]
    patched = world.admin.call(
        "PATCH", f"/pod/v1/admin/user/{alice_id}/app/entitlement/list", json_body=patch
    ).json
    assert _app(patched, app_id) == [{"appId": app_id, "appName": "News", "listed": False, "install": True}]
    world.admin.call("PATCH", f"/pod/v1/admin/user/{alice_id}/app/entitlement/list", 400,
                     json_body=[{"appId": app_id, "install": "MAYBE"}])  # fmt: skip
    world.admin.call("POST", "/pod/v1/admin/app/entitlement/list", 400, json_body=[{"appId": "ghost"}])
    world.admin.call("POST", f"/pod/v1/admin/app/{app_id}/delete")
    world.admin.call("GET", f"/pod/v1/admin/app/{app_id}/get", 400)


def test_signals(world: World) -> None:
    created = world.bot.call(
        "POST", "/agent/v1/signals/create", json_body={"name": "FX", "query": "HASHTAG:fx OR CASHTAG:EURUSD"}
    ).json
    signal_id = created["id"]
    assert created["name"] == "FX" and created["visibleOnProfile"] is False
    assert (
        world.bot.call("GET", f"/agent/v1/signals/{signal_id}/get").json["query"]
        == "HASHTAG:fx OR CASHTAG:EURUSD"
    )
    assert [item["id"] for item in world.bot.call("GET", "/agent/v1/signals/list?skip=0&limit=10").json] == [
        signal_id
    ]
    world.alice.call("GET", f"/agent/v1/signals/{signal_id}/get", 403)
    assert world.alice.call("GET", "/agent/v1/signals/list").json == []

    updated = world.bot.call(
        "POST", f"/agent/v1/signals/{signal_id}/update", json_body={"companyWide": True}
    ).json
    assert updated["companyWide"] is True and updated["name"] == "FX"
    subscribed = world.bot.call(
        "POST", f"/agent/v1/signals/{signal_id}/subscribe?pushed=true",
        json_body=[world.alice_user["userId"], 999],
    ).json  # fmt: skip
    assert subscribed["successfulSubscription"] == 1 and subscribed["failedSubscription"] == 1
    subscribers = world.alice.call("GET", f"/agent/v1/signals/{signal_id}/subscribers").json
    assert subscribers["total"] == 2 and not subscribers["hasMore"]
    assert {item["userId"]: item["owner"] for item in subscribers["data"]} == {
        world.bot_user["userId"]: True, world.alice_user["userId"]: False,
    }  # fmt: skip
    world.alice.call(
        "POST", f"/agent/v1/signals/{signal_id}/unsubscribe", json_body=[world.alice_user["userId"]]
    )
    world.alice.call("POST", f"/agent/v1/signals/{signal_id}/update", 403, json_body={"name": "mine"})
    world.alice.call("POST", f"/agent/v1/signals/{signal_id}/delete", 403)

    for body, fragment in [
        ({"name": "x"}, "'query' is required"),
        ({"name": "x", "query": "COLOR:red"}, "Invalid signal query clause"),
        ({"name": "x", "query": "HASHTAG:a AND"}, "ends with an operator"),
        ({"name": "x", "query": "AUTHOR:bob"}, "numeric user id"),
        ({"name": "x", "query": "HASHTAG:a", "companyWide": "yes"}, "'companyWide' must be a boolean"),
    ]:
        assert (
            fragment
            in world.bot.call("POST", "/agent/v1/signals/create", 400, json_body=body).json["message"]
        )
    assert world.bot.call("POST", f"/agent/v1/signals/{signal_id}/delete").json["message"] == "Signal deleted"
    world.bot.call("GET", f"/agent/v1/signals/{signal_id}/get", 400)


def test_health_info_and_podcert(world: World) -> None:
    assert world.bot.call("GET", "/agent/v3/health").json["status"] == "UP"
    extended = world.bot.call("GET", "/agent/v3/health/extended").json
    assert extended["services"]["pod"]["status"] == "UP"
    legacy = world.bot.call("GET", "/agent/v2/HealthCheck?showFirehoseErrors=False").json
    assert legacy["podConnectivity"] is True and legacy["keyManagerConnectivity"] is True
    info = world.bot.call("GET", "/agent/v1/info").json
    assert info["version"].startswith("Agent-25.8.")
    certificate = world.bot.call("GET", "/pod/v1/podcert").json["certificate"]
    assert certificate.startswith("-----BEGIN CERTIFICATE-----")


def test_governance_delegates_disclaimers_sessions_and_admin_rooms(world: World) -> None:
    alice_id, bob_id = world.alice_user["userId"], world.bob_user["userId"]
    world.admin.call("POST", f"/pod/v1/admin/user/{alice_id}/delegates/update",
                     json_body={"userId": bob_id, "action": "ADD"})  # fmt: skip
    assert world.admin.call("GET", f"/pod/v1/admin/user/{alice_id}/delegates").json == [bob_id]
    world.admin.call("POST", f"/pod/v1/admin/user/{alice_id}/delegates/update",
                     json_body={"userId": bob_id, "action": "REMOVE"})  # fmt: skip
    assert world.admin.call("GET", f"/pod/v1/admin/user/{alice_id}/delegates").json == []
    world.admin.call("POST", f"/pod/v1/admin/user/{alice_id}/delegates/update", 400,
                     json_body={"userId": bob_id, "action": "SWAP"})  # fmt: skip

    disclaimers = world.admin.call("GET", "/pod/v1/admin/disclaimer/list").json
    first = disclaimers[0]["id"]
    assert world.admin.call("GET", f"/pod/v1/admin/disclaimer/{first}").json["name"] == disclaimers[0]["name"]
    world.admin.call("GET", f"/pod/v1/admin/user/{alice_id}/disclaimer", 204)
    world.admin.call("POST", f"/pod/v1/admin/user/{alice_id}/disclaimer/update", json_body={"id": first})
    assert world.admin.call("GET", f"/pod/v1/admin/user/{alice_id}/disclaimer").json["id"] == first
    assert world.admin.call("GET", f"/pod/v1/admin/disclaimer/{first}/users").json == [alice_id]
    world.admin.call("DELETE", f"/pod/v1/admin/user/{alice_id}/disclaimer")
    world.admin.call("GET", f"/pod/v1/admin/user/{alice_id}/disclaimer", 204)
    world.admin.call(
        "POST", f"/pod/v1/admin/user/{alice_id}/disclaimer/update", 400, json_body={"id": "nope"}
    )
    world.bot.call("GET", "/pod/v1/admin/disclaimer/list", 403)

    sessions = world.alice.call("GET", f"/pod/v1/users/{alice_id}/sessions").json["sessions"]
    assert len(sessions) == 1 and world.alice.session_token not in str(sessions)  # ids, never tokens
    world.alice.call("GET", f"/pod/v1/users/{bob_id}/sessions", 403)
    world.admin.call("POST", f"/pod/v1/users/{alice_id}/sessions/{sessions[0]['sessionId']}/logout")
    world.alice.call("GET", "/pod/v2/user/presence", 401)  # the ended session is refused at once
    world.admin.call("POST", f"/pod/v1/users/{alice_id}/sessions/unknown/logout", 400)
    world.admin.call("POST", f"/pod/v1/users/{alice_id}/sessions/logout")

    room_id = world.bot.call("POST", "/pod/v3/room/create", json_body={"name": "Adm"}).json["roomSystemInfo"][
        "id"
    ]
    world.admin.call("POST", f"/pod/v1/admin/room/{room_id}/membership/add", json_body={"id": bob_id})
    members = world.admin.call(
        "GET", f"/pod/v1/admin/room/{room_id}/membership/list?includePastMembers=true"
    ).json
    assert {member["id"] for member in members} == {world.bot_user["userId"], bob_id}
    world.admin.call("POST", f"/pod/v1/admin/room/{room_id}/membership/remove", json_body={"id": bob_id})
    world.bot.call("POST", f"/pod/v1/admin/room/{room_id}/membership/add", 403, json_body={"id": bob_id})

    im = world.bot.call("POST", "/pod/v1/im/create", json_body=[bob_id]).json["id"]
    sent = world.bot.call("POST", f"/agent/v4/stream/{im}/message/create", fields={"message": "x"}).json
    details = world.admin.call(
        "POST", "/pod/v1/admin/messages", json_body={"messageIds": [sent["messageId"]]}
    ).json
    assert details[0]["messageId"] == sent["messageId"] and details[0]["deliveryReceiptCount"] == 1
    world.admin.call("POST", "/pod/v1/admin/messages", 400, json_body={"messageIds": []})
    assert "en-US" in world.bot.call("GET", "/pod/v1/languages").json["languages"]
    assert "https" in world.bot.call("GET", "/pod/v2/system/protocols").json
    assert world.bot.call("POST", "/agent/v1/util/echo", json_body={"message": "ping"}).json == {
        "message": "ping"
    }


def test_entitlement_updates_name_the_bad_item(world: World) -> None:
    """The pod, user-set and user-patch updates check each item's appId the same way."""
    alice_id = world.alice_user["userId"]
    updates = [
        ("POST", "/pod/v1/admin/app/entitlement/list"),
        ("POST", f"/pod/v1/admin/user/{alice_id}/app/entitlement/list"),
        ("PATCH", f"/pod/v1/admin/user/{alice_id}/app/entitlement/list"),
    ]
    for method, path in updates:
        no_id = world.admin.call(method, path, 400, json_body=[{"listed": True}]).json["message"]
        assert no_id == "[0] must be an object with a string 'appId'", (method, path)
        ghost = world.admin.call(method, path, 400, json_body=[{"appId": "ghost"}]).json["message"]
        assert ghost == "Application 'ghost' does not exist", (method, path)


def test_unknown_add_remove_actions_are_404s_naming_the_action(world: World) -> None:
    uid = world.alice_user["userId"]
    # not in the spec (no such operation), so sent without the spec validation of World.call
    role = world.admin.client.request("POST", f"/pod/v1/admin/user/{uid}/roles/grant", json_body={"id": "x"})
    assert (role.status, role.json["message"]) == (404, "Unknown role action 'grant'")
    room = world.admin.call("POST", "/pod/v3/room/create", json_body={"name": "Acts", "description": "d"})
    room_id = room.json["roomSystemInfo"]["id"]
    membership = world.admin.client.request(
        "POST", f"/pod/v1/admin/room/{room_id}/membership/invite", json_body={"id": uid}
    )
    expected = (404, "Unknown admin membership action 'invite'")
    assert (membership.status, membership.json["message"]) == expected
