"""Message create (every multipart shape the SDKs send), history, search, attachments, suppression,
blast, import and share; every response validated against the spec."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from .spec_validation import World, make_world

PRESENTATION_PREFIX = '<div data-format="PresentationML" data-version="2.0" class="wysiwyg">'


@pytest.fixture
def world(pod: Any) -> World:
    return make_world(pod)


@pytest.fixture
def im(world: World) -> str:
    return str(world.bot.call("POST", "/pod/v1/im/create", json_body=[world.alice_user["userId"]]).json["id"])


def _send(world: World, sid: str, fields: dict[str, Any], expect: int = 200) -> Any:
    return world.bot.call("POST", f"/agent/v4/stream/{sid}/message/create", expect, fields=fields)


def test_legacy_file_part_message_is_converted_stored_and_fanned_out(world: World, im: str) -> None:
    feed = world.feed(world.alice)
    alice_id = world.alice_user["userId"]
    # L: files={'message': ...} → a part with filename="message" and no Content-Type
    message = _send(
        world, im, {"message": ("message", f'<messageML>Hi <mention uid="{alice_id}"/></messageML>'.encode())}
    ).json
    assert message["message"] == (
        PRESENTATION_PREFIX + '<p>Hi <span class="entity" data-entity-id="0">@Alice Archer</span></p></div>'
    )
    mention_ids = json.loads(message["data"])["0"]["id"]
    assert mention_ids == [{"type": "com.symphony.user.userId", "value": str(alice_id)}]
    assert message["stream"] == {"streamId": im, "streamType": "IM", "external": False, "crossPod": False}
    assert message["user"]["userId"] == world.bot_user["userId"]
    assert message["originalFormat"] == "com.symphony.messageml.v2"
    assert len(message["messageId"]) == 34 and "=" not in message["messageId"]
    events = world.events(world.alice, feed)
    assert [event["type"] for event in events] == ["MESSAGESENT"]
    assert events[0]["payload"]["messageSent"]["message"]["messageId"] == message["messageId"]
    assert events[0]["initiator"]["user"]["userId"] == world.bot_user["userId"]
    fetched = world.alice.call("GET", f"/agent/v1/message/{message['messageId']}").json
    assert fetched["message"] == message["message"]


def test_plain_fields_data_and_several_attachments(world: World, im: str) -> None:
    data = json.dumps({"order": {"type": "com.example.order", "version": "1.0", "qty": 3}})
    sent = _send(world, im, {
        "message": "<messageML>Report <hash tag=\"q3\"/></messageML>",
        "data": data,
        "attachment": ("report.csv", b"a,b\n1,2\n", "text/csv"),
        "preview": ("report.png", b"\x89PNG fake", "image/png"),
    }).json  # fmt: skip
    entities = json.loads(sent["data"])
    assert entities["order"]["qty"] == 3 and entities["0"]["type"] == "org.symphonyoss.taxonomy"
    [attachment] = sent["attachments"]
    assert attachment["name"] == "report.csv" and attachment["size"] == 8
    assert len(attachment["images"]) == 1
    content = world.bot.call(
        "GET", f"/agent/v1/stream/{im}/attachment?messageId={sent['messageId']}&fileId={attachment['id']}"
    )
    assert base64.b64decode(content.body) == b"a,b\n1,2\n"
    listed = world.alice.call("GET", f"/pod/v1/streams/{im}/attachments?sortDir=DESC&limit=10").json
    assert [(item["fileId"], item["name"], len(item["previews"])) for item in listed] == [
        (attachment["id"], "report.csv", 1)
    ]
    world.bot.call("GET", f"/agent/v1/stream/{im}/attachment?messageId={sent['messageId']}&fileId=nope", 400)
    world.bot.call("GET", f"/agent/v1/stream/{im}/attachment?messageId={sent['messageId']}", 400)


def test_json_body_is_accepted_as_a_convenience(world: World, im: str) -> None:
    sent = world.bot.call(
        "POST", f"/agent/v4/stream/{im}/message/create", json_body={"message": "plain & simple"}
    )
    assert sent.json["message"] == PRESENTATION_PREFIX + "<p>plain &amp; simple</p></div>"


BAD_CREATE_INPUTS = [
    (
        {"message": "<messageML><b>unclosed</messageML>"},
        400,
        "Invalid MessageML: mismatched tag at line 1",
    ),
    (
        {"message": '<messageML><form id="f"><text-field name="t"/></form></messageML>'},
        400,
        "action button",
    ),
    ({"message": "<messageML>x</messageML>", "data": "{oops"}, 400, "Invalid data: not valid JSON"),
    ({"data": "{}"}, 400, "Field 'message' is required"),
    (
        {"message": "x", "attachment": ("virus.exe", b"MZ", "application/x-msdownload")},
        400,
        "'.exe' is not allowed",
    ),
]


def test_create_rejects_bad_input(world: World, im: str) -> None:
    for fields, status, fragment in BAD_CREATE_INPUTS:
        assert fragment in _send(world, im, fields, status).json["message"], fields


def test_create_membership_and_stream_checks(world: World, im: str) -> None:
    room = world.alice.call("POST", "/pod/v3/room/create", json_body={"name": "Alice only"}).json
    room_id = room["roomSystemInfo"]["id"]
    assert "not a member" in _send(world, room_id, {"message": "hi"}, 403).json["message"]
    assert (
        "does not exist"
        in _send(world, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", {"message": "hi"}, 400).json["message"]
    )
    world.bot.call("POST", f"/agent/v4/stream/{im}/message/create", 400, body=b"message=x",
                   headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    read_only = world.bot.call(
        "POST", "/pod/v3/room/create", json_body={"name": "News", "readOnly": True}
    ).json
    read_only_id = read_only["roomSystemInfo"]["id"]
    world.bot.call(
        "POST", f"/pod/v1/room/{read_only_id}/membership/add", json_body={"id": world.alice_user["userId"]}
    )
    world.alice.call("POST", f"/agent/v4/stream/{read_only_id}/message/create", 403, fields={"message": "hi"})
    world.bot.call("POST", f"/pod/v1/room/{read_only_id}/setActive?active=false")
    assert "deactivated" in _send(world, read_only_id, {"message": "hi"}, 403).json["message"]


def test_history_get_status_and_suppression(world: World, im: str) -> None:
    first = _send(world, im, {"message": "one"}).json
    second = _send(world, im, {"message": "two"}).json
    history = world.alice.call("GET", f"/agent/v4/stream/{im}/message?since=0").json
    assert [item["messageId"] for item in history] == [first["messageId"], second["messageId"]]
    page = world.alice.call("GET", f"/agent/v4/stream/{im}/message?since=0&skip=1&limit=1").json
    assert [item["messageId"] for item in page] == [second["messageId"]]
    world.alice.call("GET", f"/agent/v4/stream/{im}/message", 400)  # since is required
    world.alice.call("GET", f"/agent/v4/stream/{im}/message?since=0&limit=501", 400)

    status = world.bot.call("GET", f"/pod/v1/message/{first['messageId']}/status").json
    assert status["author"]["userId"] == str(world.bot_user["userId"])
    assert [user["userId"] for user in status["sent"]] == [str(world.alice_user["userId"])]
    world.bot.call("GET", "/pod/v1/message/unknown/status", 404)

    feed = world.feed(world.alice)
    world.alice.call("POST", f"/pod/v1/admin/messagesuppression/{first['messageId']}/suppress", 403)
    suppressed = world.bot.call(
        "POST", f"/pod/v1/admin/messagesuppression/{first['messageId']}/suppress"
    ).json
    assert suppressed["suppressed"] is True and suppressed["messageId"] == first["messageId"]
    assert world.event_types(world.alice, feed) == ["MESSAGESUPPRESSED"]
    history = world.alice.call("GET", f"/agent/v4/stream/{im}/message?since=0").json
    assert [item["messageId"] for item in history] == [second["messageId"]]
    assert "removed" in world.alice.call("GET", f"/agent/v1/message/{first['messageId']}").json["message"]


def test_update_keeps_the_lineage_and_only_the_sender_may_update(world: World, im: str) -> None:
    original = _send(world, im, {"message": "v1"}).json
    feed = world.feed(world.alice)
    second = world.bot.call(
        "POST", f"/agent/v4/stream/{im}/message/{original['messageId']}/update", fields={"message": "v2"}
    ).json
    assert second["replacing"] == original["messageId"] and second["silent"] is True
    third = world.bot.call(
        "POST", f"/agent/v4/stream/{im}/message/{second['messageId']}/update",
        fields={"message": "v3", "silent": "false"},
    ).json  # fmt: skip
    assert third["initialMessageId"] == original["messageId"]
    assert third["initialTimestamp"] == original["timestamp"] and third["silent"] is False
    assert (
        world.alice.call("GET", f"/agent/v1/message/{original['messageId']}").json["replacedBy"]
        == second["messageId"]
    )
    assert world.event_types(world.alice, feed) == ["MESSAGESENT", "MESSAGESENT"]
    stale = world.bot.call(
        "POST",
        f"/agent/v4/stream/{im}/message/{original['messageId']}/update",
        400,
        fields={"message": "v2b"},
    )
    assert "already replaced" in stale.json["message"]
    world.alice.call(
        "POST", f"/agent/v4/stream/{im}/message/{third['messageId']}/update", 403, fields={"message": "x"}
    )
    world.bot.call(
        "POST", f"/agent/v4/stream/{im}/message/{third['messageId']}/update", 400,
        fields={"message": "x", "silent": "maybe"},
    )  # fmt: skip


def test_message_search_get_and_post(world: World, im: str) -> None:
    _send(world, im, {"message": '<messageML>rates up <hash tag="rates"/> <cash tag="EURUSD"/></messageML>'})
    _send(world, im, {"message": "nothing here"})
    by_hashtag = world.bot.call("POST", "/agent/v1/message/search", json_body={"hashtag": "rates"}).json
    assert len(by_hashtag) == 1 and "#rates" in by_hashtag[0]["message"]
    by_text = world.bot.call("GET", f"/agent/v1/message/search?query=text:nothing AND streamId:{im}").json
    assert len(by_text) == 1
    ascending = world.bot.call(
        "POST", "/agent/v1/message/search?sortDir=ASC", json_body={"streamId": im}
    ).json
    assert "rates up" in ascending[0]["message"]
    by_cashtag = world.alice.call("POST", "/agent/v1/message/search", json_body={"cashtag": "EURUSD"}).json
    assert len(by_cashtag) == 1
    assert (
        "requires 'streamId'"
        in world.bot.call("POST", "/agent/v1/message/search", 400, json_body={"text": "x"}).json["message"]
    )
    world.bot.call("POST", "/agent/v1/message/search", 400, json_body={"author": "me"})
    signal = world.bot.call(
        "POST",
        "/agent/v1/signals/create",
        json_body={"name": "fx", "query": "CASHTAG:EURUSD OR HASHTAG:none"},
    ).json
    by_signal = world.bot.call("POST", "/agent/v1/message/search", json_body={"signal": signal["id"]}).json
    assert len(by_signal) == 1 and "$EURUSD" in by_signal[0]["message"]
    world.bot.call("POST", "/agent/v1/message/search", 400, json_body={"signal": "unknown"})
    for author, expected in ((world.bot_user["userId"], 1), (world.alice_user["userId"], 0)):
        query = f"CASHTAG:EURUSD AND AUTHOR:{author}"
        created = world.bot.call(
            "POST", "/agent/v1/signals/create", json_body={"name": "a", "query": query}
        ).json
        found = world.bot.call("POST", "/agent/v1/message/search", json_body={"signal": created["id"]}).json
        assert len(found) == expected, query
    world.bot.call("GET", "/agent/v1/message/search?query=color:red", 400)
    world.bot.call("GET", "/agent/v1/message/search", 400)


def test_blast_share_and_import(world: World, im: str) -> None:
    room_id = world.bot.call("POST", "/pod/v3/room/create", json_body={"name": "Blast"}).json[
        "roomSystemInfo"
    ]["id"]
    foreign = world.alice.call("POST", "/pod/v3/room/create", json_body={"name": "Not bot"}).json
    foreign_id = foreign["roomSystemInfo"]["id"]
    result = world.bot.call(
        "POST",
        "/agent/v4/message/blast",
        fields={"sids": f"{im},{room_id},{foreign_id}", "message": "hello all"},
    ).json
    assert {message["stream"]["streamId"] for message in result["messages"]} == {im, room_id}
    assert result["errors"][foreign_id]["code"] == 403
    world.bot.call("POST", "/agent/v4/message/blast", 400, fields={"message": "no sids"})

    feed = world.feed(world.alice)
    article = {"title": "Rates rise", "author": "Ann", "publisher": "Daily", "appId": "news",
               "articleUrl": "https://example.com/a"}  # fmt: skip
    shared = world.bot.call("POST", f"/agent/v3/stream/{im}/share",
                            json_body={"type": "com.symphony.sharing.article",
                                       "content": article}).json  # fmt: skip
    assert 'href="https://example.com/a"' in shared["message"] and shared["streamId"] == im
    assert world.event_types(world.alice, feed) == ["SHAREDPOST"]
    world.bot.call("POST", f"/agent/v3/stream/{im}/share", 400, json_body={"content": {"title": "x"}})

    item = {"message": "<messageML>old</messageML>", "intendedMessageTimestamp": 1_500_000_000_000,
            "intendedMessageFromUserId": world.alice_user["userId"], "originatingSystemId": "legacy",
            "originalMessageId": "m1", "streamId": im}  # fmt: skip
    world.bot.call("POST", "/agent/v4/message/import", 403, json_body=[item])
    world.bot.call(
        "POST", f"/pod/v1/room/{room_id}/membership/add", json_body={"id": world.admin_user["userId"]}
    )
    imported = world.admin.call(
        "POST", "/agent/v4/message/import", json_body=[item, {**item, "streamId": "bad"}]
    ).json
    assert imported[0]["originalMessageId"] == "m1" and "messageId" in imported[0]
    assert "does not exist" in imported[1]["diagnostic"]
    history = world.bot.call("GET", f"/agent/v4/stream/{im}/message?since=0&limit=1").json
    assert history[0]["timestamp"] == 1_500_000_000_000


def test_allowed_types(world: World) -> None:
    assert ".pdf" in world.bot.call("GET", "/pod/v1/files/allowedTypes").json
