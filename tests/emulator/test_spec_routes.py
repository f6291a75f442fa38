"""Spec fidelity: one tour calls every pod/agent route the routes modules serve, and every response
(success and error) is validated against the spec's response schema for its status code.

The test fails if a route module serves an operation the tour does not reach, so a new route needs
a line here; the count printed at the end is the figure quoted in docs/emulator-routes.md.
"""

from __future__ import annotations

import base64
import re
import uuid
from typing import Any

import pytest

from sympod.routes import route_modules

from .podclient import PodClient
from .spec_validation import ValidatingClient, default_validator, make_world

# modules owned by other parts of the emulator (datafeeds, auth, control API, chat page)
_OTHER_MODULES = {"agent_datafeed", "login", "control", "chat"}


def served_operations() -> dict[tuple[str, str], str]:
    """(METHOD, spec template) of every route the pod/agent route modules serve → route path."""
    validator = default_validator()
    served: dict[tuple[str, str], str] = {}
    for module in route_modules():
        name = module.__name__.rsplit(".", 1)[-1]
        if name in _OTHER_MODULES or not name.startswith(("pod_", "agent_")):
            continue
        for route in getattr(module, "routes", ()):
            for method in sorted(set(route.methods or ()) - {"HEAD"}):
                variants = [route.path]
                if "{action}" in route.path:  # one route serves several spec operations
                    actions = ["add", "remove"]
                    if "membership" in route.path:
                        actions += ["promoteOwner", "demoteOwner"]
                    variants = [route.path.replace("{action}", action) for action in actions]
                for variant in variants:
                    sample = re.sub(r"\{[^}]+\}", "1", variant)
                    found = validator.find_operation(method, sample)
                    if found is None:  # e.g. L's GET on the presence feed delete: not in the spec
                        continue
                    served[(found[0].method, found[0].template)] = variant
    return served


@pytest.fixture
def tour_coverage(pod: Any) -> tuple[dict[tuple[str, str], int], Any]:
    return {}, pod


def test_every_served_route_is_exercised_and_matches_the_spec(tour_coverage: Any) -> None:
    coverage, emulator = tour_coverage
    world = make_world(emulator)
    bot, alice, admin = (
        ValidatingClient(c.client, coverage=coverage) for c in (world.bot, world.alice, world.admin)
    )
    anonymous = ValidatingClient(PodClient(emulator), coverage=coverage)
    alice_id, bob_id, bot_id = world.alice_user["userId"], world.bob_user["userId"], world.bot_user["userId"]

    # users
    bot.call("GET", "/pod/v2/user?username=alice&local=False")
    bot.call("GET", "/pod/v2/user?username=ghost", 204)
    bot.call("GET", "/pod/v2/user", 400)
    bot.call("GET", f"/pod/v3/users?uid={alice_id},1")
    bot.call("GET", "/pod/v3/users?uid=x", 400)
    bot.call("POST", "/pod/v1/user/search", json_body={"query": "alice", "filters": {"company": ""}})
    bot.call("POST", "/pod/v1/user/search", 400, json_body={"filters": {}})
    anonymous.call("GET", "/pod/v2/user?username=alice", 401)
    alice.call("POST", f"/pod/v1/user/{bot_id}/follow", json_body={"followers": [alice_id]})
    bot.call("GET", f"/pod/v1/user/{bot_id}/followers?limit=10")
    bot.call("GET", f"/pod/v1/user/{alice_id}/following")
    alice.call("POST", f"/pod/v1/user/{bot_id}/unfollow", json_body={"followers": [alice_id]})
    alice.call("POST", f"/pod/v1/user/{bot_id}/unfollow", 403, json_body={"followers": [bob_id]})
    bot.call("POST", "/pod/v1/user/manifest/own", json_body={"manifest": "{}"})
    bot.call("GET", "/pod/v1/user/manifest/own")

    # presence
    bot.call("GET", "/pod/v2/user/presence/")
    bot.call("POST", "/pod/v2/user/presence", json_body={"category": "AWAY"})
    bot.call("POST", "/pod/v2/user/presence", 400, json_body={"category": 1})
    bot.call("GET", f"/pod/v3/user/{alice_id}/presence")
    bot.call("GET", "/pod/v3/user/1/presence", 404)
    bot.call("POST", "/pod/v3/user/presence", json_body={"category": "BUSY", "userId": bot_id})
    bot.call("POST", "/pod/v3/user/presence", 403, json_body={"category": "BUSY", "userId": alice_id})
    bot.call("GET", "/pod/v2/users/presence?limit=10")
    bot.call("POST", "/pod/v1/user/presence/register", json_body=[alice_id])
    feed_id = bot.call("POST", "/pod/v1/presence/feed/create").json["id"]
    bot.call("GET", f"/pod/v1/presence/feed/{feed_id}/read")
    bot.call("POST", f"/pod/v1/presence/feed/{feed_id}/delete")
    bot.call("POST", f"/pod/v1/presence/feed/{feed_id}/delete", 400)

    # IMs and streams
    im = bot.call("POST", "/pod/v1/im/create", json_body=[alice_id]).json["id"]
    bot.call("POST", "/pod/v1/im/create", 400, json_body=[1])
    bot.call("GET", f"/pod/v1/im/{im}/info")
    bot.call("GET", f"/pod/v2/streams/{im}/info")
    bot.call("GET", "/pod/v2/streams/AAAA/info", 400)
    bot.call("POST", "/pod/v1/streams/list", json_body={"streamTypes": [{"type": "IM"}, {"type": "ROOM"}]})
    bot.call("POST", "/pod/v1/admin/im/create", 403, json_body=[alice_id, bob_id])
    mim = admin.call("POST", "/pod/v1/admin/im/create", json_body=[alice_id, bob_id, bot_id]).json["id"]
    admin.call("POST", "/pod/v1/admin/streams/list", json_body={"streamTypes": [{"type": "MIM"}]})
    admin.call("POST", "/pod/v2/admin/streams/list?skip=0&limit=10", json_body={})
    admin.call("GET", f"/pod/v1/admin/stream/{mim}/membership/list")
    bot.call("GET", f"/pod/v1/admin/stream/{mim}/membership/list", 403)

    # rooms
    room = bot.call(
        "POST", "/pod/v3/room/create", json_body={"name": "Tour", "keywords": [{"key": "a", "value": "b"}]}
    )
    room_id = room.json["roomSystemInfo"]["id"]
    bot.call("POST", "/pod/v3/room/create", 400, json_body={})
    alice.call("GET", f"/pod/v3/room/{room_id}/info", 403)
    bot.call("GET", f"/pod/v3/room/{room_id}/info")
    bot.call("POST", f"/pod/v3/room/{room_id}/update", json_body={"description": "updated"})
    for action in ("add", "promoteOwner", "demoteOwner"):
        bot.call("POST", f"/pod/v1/room/{room_id}/membership/{action}", json_body={"id": alice_id})
    bot.call("POST", f"/pod/v1/room/{room_id}/membership/add", 400, json_body={"id": 5})
    bot.call("GET", f"/pod/v2/room/{room_id}/membership/list")
    bot.call("POST", "/pod/v3/room/search", json_body={"query": "tour"})
    bot.call("POST", f"/pod/v1/room/{room_id}/setActive?active=false")
    bot.call("POST", f"/pod/v1/room/{room_id}/setActive?active=True")
    bot.call("POST", f"/pod/v1/admin/room/{room_id}/setActive?active=false", 403)
    admin.call("POST", f"/pod/v1/admin/room/{room_id}/setActive?active=false")
    admin.call("POST", f"/pod/v1/admin/room/{room_id}/setActive?active=true")
    admin.call("POST", f"/pod/v1/admin/user/{alice_id}/streams/list", json_body={})
    alice.call("POST", f"/pod/v1/room/{room_id}/membership/remove", json_body={"id": alice_id})

    # messages
    sent = bot.call("POST", f"/agent/v4/stream/{im}/message/create", fields={
        "message": ("message", b'<messageML>tour <hash tag="tour"/></messageML>'),
        "attachment": ("notes.txt", b"hello", "text/plain"),
    }).json  # fmt: skip
    message_id, file_id = sent["messageId"], sent["attachments"][0]["id"]
    bot.call(
        "POST",
        f"/agent/v4/stream/{im}/message/create",
        400,
        fields={"message": "<messageML><x/></messageML>"},
    )
    bot.call("POST", f"/agent/v4/stream/{room_id}/message/create", fields={"message": "room"})
    alice.call("POST", f"/agent/v4/stream/{mim}/message/create", fields={"message": "mim"})
    updated = bot.call("POST", f"/agent/v4/stream/{im}/message/{message_id}/update",
                       fields={"message": "tour v2", "silent": "false"}).json  # fmt: skip
    alice.call(
        "POST", f"/agent/v4/stream/{im}/message/{updated['messageId']}/update", 403, fields={"message": "x"}
    )
    bot.call("POST", f"/pod/v1/im/{im}/update", json_body={"pinnedMessageId": updated["messageId"]})
    bot.call("POST", f"/pod/v1/im/{im}/update", 400, json_body={})
    bot.call("GET", f"/agent/v4/stream/{im}/message?since=0")
    bot.call("GET", f"/agent/v4/stream/{im}/message", 400)
    bot.call("GET", f"/agent/v1/message/{message_id}")
    bot.call("GET", "/agent/v1/message/unknown", 400)
    bot.call("GET", f"/agent/v1/message/search?query=hashtag:tour AND streamId:{im}")
    bot.call("POST", "/agent/v1/message/search", json_body={"hashtag": "tour"})
    bot.call("POST", "/agent/v1/message/search", 400, json_body={})
    content = bot.call(
        "GET", f"/agent/v1/stream/{im}/attachment?messageId={message_id}&fileId={file_id}"
    ).body
    assert base64.b64decode(content) == b"hello"
    bot.call("GET", f"/agent/v1/stream/{im}/attachment?messageId={message_id}&fileId=x", 400)
    bot.call("GET", f"/pod/v1/streams/{im}/attachments")
    bot.call("GET", f"/pod/v1/message/{message_id}/status")
    bot.call("GET", "/pod/v1/message/unknown/status", 404)
    bot.call("GET", "/pod/v1/files/allowedTypes")
    bot.call("POST", "/agent/v4/message/blast", fields={"sids": f"{im},{room_id}", "message": "blast"})
    article = {"title": "T", "author": "A", "publisher": "P", "appId": "app"}
    bot.call("POST", f"/agent/v3/stream/{im}/share", json_body={"content": article})
    item = {"message": "old", "intendedMessageTimestamp": 1, "intendedMessageFromUserId": alice_id,
            "originatingSystemId": "x", "streamId": im}  # fmt: skip
    bot.call("POST", "/agent/v4/message/import", 403, json_body=[item])
    admin.call("POST", "/agent/v4/message/import", json_body=[item])
    bot.call("GET", f"/pod/v1/admin/messages/{message_id}/receipts", 403)
    receipts = admin.call("GET", f"/pod/v1/admin/messages/{message_id}/receipts").json
    assert (
        receipts["deliveryReceiptCount"] == 1
        and receipts["MessageReceiptDetail"][0]["user"]["id"] == alice_id
    )
    admin.call("GET", "/pod/v1/admin/messages/unknown/receipts", 404)
    admin.call("GET", f"/pod/v1/admin/messages/{message_id}/metadata/relationships")
    ids = admin.call("GET", f"/pod/v2/admin/streams/{im}/messageIds?since=0&limit=2").json
    assert ids["numberReturned"] == 2 and ids["nextStartNumber"] == 2
    assert message_id in admin.call("GET", f"/pod/v2/admin/streams/{im}/messageIds").json["Data"]
    admin.call("GET", f"/pod/v2/admin/streams/{im}/messageIds?limit=0", 400)
    bot.call("POST", f"/pod/v1/admin/messagesuppression/{message_id}/suppress")
    alice.call("POST", f"/pod/v1/admin/messagesuppression/{message_id}/suppress", 403)

    # connections
    bot.call("POST", "/pod/v1/connection/create", json_body={"userId": alice_id})
    alice.call("POST", "/pod/v1/connection/reject", json_body={"userId": bot_id})
    bot.call("POST", "/pod/v1/connection/create", json_body={"userId": alice_id})
    alice.call("POST", "/pod/v1/connection/accept", json_body={"userId": bot_id})
    bot.call("GET", f"/pod/v1/connection/user/{alice_id}/info")
    bot.call("GET", f"/pod/v1/connection/user/{bob_id}/info", 404)
    bot.call("GET", "/pod/v1/connection/list?status=ALL")
    bot.call("POST", f"/pod/v1/connection/user/{alice_id}/remove")

    # signals
    signal_id = bot.call(
        "POST", "/agent/v1/signals/create", json_body={"name": "S", "query": "HASHTAG:tour"}
    ).json["id"]
    bot.call("GET", "/agent/v1/signals/list")
    bot.call("GET", f"/agent/v1/signals/{signal_id}/get")
    bot.call("POST", f"/agent/v1/signals/{signal_id}/update", json_body={"name": "S2"})
    bot.call("POST", f"/agent/v1/signals/{signal_id}/subscribe?pushed=false", json_body=[alice_id])
    bot.call("GET", f"/agent/v1/signals/{signal_id}/subscribers")
    bot.call("POST", f"/agent/v1/signals/{signal_id}/unsubscribe", json_body=[alice_id])
    bot.call("POST", f"/agent/v1/signals/{signal_id}/delete")
    bot.call("GET", f"/agent/v1/signals/{signal_id}/get", 400)

    # health and system
    anonymous.call("GET", "/agent/v3/health")
    anonymous.call("GET", "/agent/v3/health/extended")
    bot.call("GET", "/agent/v2/HealthCheck")
    bot.call("GET", "/agent/v1/info")
    anonymous.call("GET", "/pod/v1/podcert")

    # admin users
    bot.call("GET", "/pod/v2/admin/user/list", 403)
    created = admin.call("POST", "/pod/v2/admin/user/create", json_body={
        "userAttributes": {"userName": "tour", "emailAddress": "tour@example.com"}}).json  # fmt: skip
    uid = created["userSystemInfo"]["id"]
    admin.call("GET", f"/pod/v2/admin/user/{uid}")
    admin.call("GET", "/pod/v2/admin/user/list")
    admin.call("POST", f"/pod/v2/admin/user/{uid}/update", json_body={"displayName": "Tour"})
    admin.call("POST", "/pod/v1/admin/user/find", json_body={"status": "ENABLED"})
    admin.call("GET", f"/pod/v1/admin/user/{uid}/avatar")
    admin.call(
        "POST",
        f"/pod/v1/admin/user/{uid}/avatar/update",
        json_body={"image": base64.b64encode(b"x").decode()},
    )
    admin.call("GET", f"/pod/v1/admin/user/{uid}/status")
    admin.call("POST", f"/pod/v1/admin/user/{uid}/status/update", json_body={"status": "ENABLED"})
    admin.call("PUT", f"/pod/v1/admin/user/{uid}/suspension/update",
               json_body={"suspended": True, "suspensionReason": "leave"})  # fmt: skip
    admin.call("PUT", f"/pod/v1/admin/user/{uid}/suspension/update", 400, json_body={})
    admin.call("GET", f"/pod/v1/admin/user/{uid}/features")
    firehose = [{"entitlment": "canUseFirehose", "enabled": True}]
    admin.call("POST", f"/pod/v1/admin/user/{uid}/features/update", json_body=firehose)
    admin.call("POST", f"/pod/v1/admin/user/{uid}/roles/add", json_body={"id": "L2_SUPPORT"})
    admin.call("POST", f"/pod/v1/admin/user/{uid}/roles/remove", json_body={"id": "L2_SUPPORT"})
    admin.call("GET", "/pod/v1/admin/system/features/list")
    admin.call("GET", "/pod/v1/admin/system/roles/list")

    # governance
    admin.call(
        "POST",
        f"/pod/v1/admin/user/{alice_id}/delegates/update",
        json_body={"userId": bob_id, "action": "ADD"},
    )
    admin.call("GET", f"/pod/v1/admin/user/{alice_id}/delegates")
    disclaimer_id = admin.call("GET", "/pod/v1/admin/disclaimer/list").json[0]["id"]
    admin.call("GET", f"/pod/v1/admin/disclaimer/{disclaimer_id}")
    admin.call("GET", "/pod/v1/admin/disclaimer/unknown", 400)
    admin.call("POST", f"/pod/v1/admin/user/{alice_id}/disclaimer/update", json_body={"id": disclaimer_id})
    admin.call("GET", f"/pod/v1/admin/disclaimer/{disclaimer_id}/users")
    admin.call("GET", f"/pod/v1/admin/user/{alice_id}/disclaimer")
    admin.call("DELETE", f"/pod/v1/admin/user/{alice_id}/disclaimer")
    admin.call("GET", f"/pod/v1/admin/room/{room_id}/membership/list")
    admin.call("POST", f"/pod/v1/admin/room/{room_id}/membership/add", json_body={"id": bob_id})
    admin.call("POST", f"/pod/v1/admin/room/{room_id}/membership/remove", json_body={"id": bob_id})
    admin.call("POST", "/pod/v1/admin/messages", json_body={"messageIds": [message_id]})
    admin.call("POST", "/pod/v1/admin/messages", 404, json_body={"messageIds": ["unknown"]})
    anonymous.call("GET", "/pod/v1/languages")
    bot.call("GET", "/pod/v2/system/protocols")
    bot.call("POST", "/agent/v1/util/echo", json_body={"message": "tour"})
    session_id = admin.call("GET", f"/pod/v1/users/{alice_id}/sessions").json["sessions"][0]["sessionId"]
    admin.call("POST", f"/pod/v1/users/{alice_id}/sessions/{session_id}/logout")
    admin.call("POST", f"/pod/v1/users/{alice_id}/sessions/logout")

    # applications
    app_id = f"tour-{uuid.uuid4().hex[:8]}"  # apps outlive resets (meta table): unique per run
    app = {"applicationInfo": {"appId": app_id, "name": "Tour", "appUrl": "https://tour.example.com"}}
    admin.call("POST", "/pod/v1/admin/app/create", json_body=app)
    admin.call("GET", f"/pod/v1/admin/app/{app_id}/get")
    admin.call("POST", f"/pod/v1/admin/app/{app_id}/update", json_body=app)
    pod_level = admin.call("GET", "/pod/v1/admin/app/entitlement/list").json
    admin.call("POST", "/pod/v1/admin/app/entitlement/list", json_body=pod_level)
    admin.call("GET", f"/pod/v1/admin/user/{alice_id}/app/entitlement/list")
    admin.call("POST", f"/pod/v1/admin/user/{alice_id}/app/entitlement/list",
               json_body=[{"appId": app_id, "listed": True, "install": True}])  # fmt: skip
    admin.call("PATCH", f"/pod/v1/admin/user/{alice_id}/app/entitlement/list",
               json_body=[{"appId": app_id, "install": "FALSE"}])  # fmt: skip
    admin.call("POST", f"/pod/v1/admin/app/{app_id}/delete")
    admin.call("POST", f"/pod/v1/admin/app/{app_id}/delete", 400)

    served = served_operations()
    missing = sorted(set(served) - set(coverage))
    assert not missing, f"served but not exercised by the tour: {missing}"
    validated_responses = sum(coverage.values())
    print(f"\nspec fidelity: {len(served)} operations served, {len(set(served) & set(coverage))} exercised, "
          f"{validated_responses} responses validated")  # fmt: skip
    assert len(served) >= 118  # a floor: raise it when routes are added
