"""The control API: users, messages as a user, stream history, Elements, faults, sessions, reset."""

from __future__ import annotations

import time

import pytest
import urllib3

from sympod import Emulator, EmulatorError
from sympod.tls import generate_rsa_keypair

from .podclient import PodClient


def test_health_and_info(pod: Emulator) -> None:
    assert pod.health() == {"status": "ok"}
    info = PodClient(pod).request("GET", "/_emulator/info").json
    assert info["url"] == pod.url and info["bot"]["username"] == "bot"


def test_create_user_with_and_without_keys(pod: Emulator) -> None:
    alice = pod.create_user("alice", display_name="Alice A", email="alice@example.com")
    assert alice["userId"] > pod.bot["userId"]
    assert alice["displayName"] == "Alice A" and alice["bot"] is False
    assert "privateKey" not in alice and alice["publicKey"] is None
    helper = pod.create_user("helper", bot=True)
    assert helper["accountType"] == "SYSTEM" and "PRIVATE KEY" in helper["privateKey"]
    assert "privateKey" not in pod.get_user("helper")  # the private key is returned once only
    _, public = generate_rsa_keypair()
    carol = pod.create_user("carol", public_key=public.decode())
    assert "PUBLIC KEY" in carol["publicKey"]
    assert pod.get_user(carol["userId"])["username"] == "carol"


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({}, 400, "'username'"),
        ({"username": 5}, 400, "'username' must be string"),
        ({"username": "has space"}, 400, "without spaces"),
        ({"username": "12345"}, 400, "digits"),
        ({"username": "x", "bot": "yes"}, 400, "'bot'"),
        ({"username": "x", "email": "nope"}, 400, "'email'"),
        (
            {"username": "x", "publicKey": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"},
            400,
            "'publicKey'",
        ),
        ({"username": "x", "roles": [1]}, 400, "'roles'"),
        ({"username": "bot"}, 409, "already exists"),
    ],
)
def test_create_user_rejects_bad_input(pod: Emulator, body: dict, status: int, fragment: str) -> None:
    reply = PodClient(pod).request("POST", "/_emulator/users", json_body=body)
    assert reply.status == status
    assert fragment in reply.error()["message"]


def test_messages_as_a_user_create_and_reuse_the_im(pod: Emulator) -> None:
    pod.create_user("alice")
    first = pod.send_message("alice", "hello", to="bot")
    second = pod.send_message("alice", "<messageML>again <i>you</i></messageML>", to=pod.bot["userId"])
    assert first["stream"]["streamId"] == second["stream"]["streamId"]
    assert first["stream"]["streamType"] == "IM"
    assert "<i>you</i>" in second["message"]
    history = pod.stream_messages(first["stream"]["streamId"])
    assert [m["messageId"] for m in history] == [first["messageId"], second["messageId"]]
    # the bot answers into the same stream
    reply = pod.send_message("bot", "hi alice", stream_id=first["stream"]["streamId"])
    assert reply["user"]["username"] == "bot"


def test_message_errors(pod: Emulator) -> None:
    pod.create_user("alice")
    pod.create_user("bob")
    im = pod.send_message("alice", "hello", to="bot")["stream"]["streamId"]
    cases = [
        ({"from": "nobody", "message": "x", "to": "bot"}, 404, "'from'"),
        ({"from": "alice", "message": "x"}, 400, "exactly one of"),
        ({"from": "alice", "message": "x", "to": "bot", "streamId": im}, 400, "exactly one of"),
        ({"from": "alice", "message": "x", "streamId": "unknown"}, 404, "'streamId'"),
        ({"from": "bob", "message": "x", "streamId": im}, 403, "not a member"),
        ({"from": "alice", "message": "", "to": "bot"}, 400, "'message'"),
        ({"from": "alice", "message": "<messageML><b>unclosed</messageML>", "to": "bot"}, 400, ""),
    ]
    client = PodClient(pod)
    for body, status, fragment in cases:
        reply = client.request("POST", "/_emulator/messages", json_body=body)
        assert reply.status == status, (body, reply.body)
        assert fragment in reply.error()["message"]


def test_elements_errors(pod: Emulator) -> None:
    pod.create_user("alice")
    pod.create_user("bob")
    im = pod.send_message("alice", "hello", to="bot")["stream"]["streamId"]
    form = pod.send_message(
        "bot",
        '<messageML><form id="f1"><button name="ok" type="action">OK</button></form></messageML>',
        stream_id=im,
    )
    with pytest.raises(EmulatorError) as no_action:
        pod.submit_form("alice", form["messageId"], "f1", {"x": "1"})
    assert no_action.value.status == 400 and "'action'" in no_action.value.message
    with pytest.raises(EmulatorError) as wrong_form:
        pod.submit_form("alice", form["messageId"], "nope", {"action": "ok"})
    assert wrong_form.value.status == 400
    with pytest.raises(EmulatorError) as outsider:
        pod.submit_form("bob", form["messageId"], "f1", {"action": "ok"})
    assert outsider.value.status == 403
    with pytest.raises(EmulatorError) as nested:
        pod.submit_form("alice", form["messageId"], "f1", {"action": "ok", "x": {"a": 1}})
    assert nested.value.status == 400 and "formValues['x']" in nested.value.message
    event = pod.submit_form("alice", form["messageId"], "f1", {"action": "ok", "tags": ["a", "b"]})
    assert event["payload"]["symphonyElementsAction"]["formValues"]["tags"] == ["a", "b"]


def test_fault_with_status_and_times(pod: Emulator) -> None:
    client = PodClient(pod).login_bot(pod)
    pod.add_fault(r"^/pod/v2/sessioninfo$", method="GET", status=503, times=2)
    statuses = [client.request("GET", "/pod/v2/sessioninfo").status for _ in range(3)]
    assert statuses == [503, 503, 200]
    reply_fault = pod.add_fault("sessioninfo", status=429)
    limited = client.request("GET", "/pod/v2/sessioninfo")
    assert limited.status == 429 and f"#{reply_fault['id']}" in limited.error()["message"]
    assert client.request("GET", "/_emulator/health").status == 200  # the control API is never faulted
    pod.clear_faults()
    assert client.request("GET", "/pod/v2/sessioninfo").status == 200


@pytest.mark.parametrize("status", [429, 503])
def test_fault_sends_retry_after(pod: Emulator, status: int) -> None:
    client = PodClient(pod).login_bot(pod)
    rule = pod.add_fault("sessioninfo", status=status, retry_after=7, times=1)
    assert rule["retryAfter"] == 7
    limited = client.request("GET", "/pod/v2/sessioninfo")
    assert limited.status == status and limited.headers["retry-after"] == "7"
    pod.add_fault("sessioninfo", status=status, times=1)
    assert "retry-after" not in client.request("GET", "/pod/v2/sessioninfo").headers


def test_fault_delay_and_drop(pod: Emulator) -> None:
    client = PodClient(pod).login_bot(pod)
    pod.add_fault("sessioninfo", delay_ms=300, times=1)
    started = time.monotonic()
    assert client.request("GET", "/pod/v2/sessioninfo").status == 200
    assert time.monotonic() - started >= 0.3
    pod.add_fault("sessioninfo", drop=True, times=1)
    with pytest.raises(urllib3.exceptions.ProtocolError):
        client.request("GET", "/pod/v2/sessioninfo")
    assert client.request("GET", "/pod/v2/sessioninfo").status == 200


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"path": "(", "status": 500}, "regular expression"),
        ({"path": "x"}, "at least one of"),
        ({"path": "x", "status": 99}, "'status'"),
        ({"path": "x", "status": 500, "times": 0}, "'times'"),
        ({"path": "x", "delayMs": -1}, "'delayMs'"),
        ({"status": 500}, "'path'"),
        ({"path": "x", "status": 500, "retryAfter": 5}, "'retryAfter' needs 'status' 429 or 503"),
        ({"path": "x", "status": 429, "retryAfter": -1}, "'retryAfter'"),
        ({"path": "x", "status": 429, "retryAfter": "soon"}, "'retryAfter'"),
    ],
)
def test_fault_rules_are_validated(pod: Emulator, body: dict, fragment: str) -> None:
    reply = PodClient(pod).request("POST", "/_emulator/faults", json_body=body)
    assert reply.status == 400 and fragment in reply.error()["message"]


def test_reset_keeps_only_the_bot(pod: Emulator) -> None:
    client = PodClient(pod).login_bot(pod)
    pod.create_user("alice")
    pod.send_message("alice", "hi", to="bot")
    pod.add_fault("sessioninfo", status=500)
    pod.reset()
    users = client.request("GET", "/_emulator/users").json
    assert [u["username"] for u in users] == ["bot"]
    assert client.request("GET", "/pod/v2/sessioninfo").status == 200  # faults gone, bot session kept


def test_reset_forgets_presence_feeds_and_extension_apps(pod: Emulator) -> None:
    client = PodClient(pod).login_bot(pod)
    feed_id = client.request("POST", "/pod/v1/presence/feed/create").json["id"]
    assert client.request("GET", f"/pod/v1/presence/feed/{feed_id}/read").status == 200
    admin_body = {"username": "appadmin", "bot": True, "roles": ["ADMINISTRATOR"]}
    admin_user = client.request("POST", "/_emulator/users", json_body=admin_body).json
    admin = PodClient(pod).login("appadmin", admin_user["privateKey"])
    app = {"applicationInfo": {"appId": "resetapp", "name": "Reset app", "appUrl": "https://a.example"}}
    assert admin.request("POST", "/pod/v1/admin/app/create", json_body=app).status == 200
    pod.reset()
    gone = client.request("GET", f"/pod/v1/presence/feed/{feed_id}/read")
    assert gone.status == 400 and feed_id in gone.error()["message"]
    admin = PodClient(pod).request("POST", "/_emulator/users", json_body=admin_body).json
    app_after = (
        PodClient(pod).login("appadmin", admin["privateKey"]).request("GET", "/pod/v1/admin/app/resetapp/get")
    )
    assert app_after.status == 400 and "'resetapp' does not exist" in app_after.error()["message"]


def test_reset_restores_the_bot_profile(pod: Emulator) -> None:
    client = PodClient(pod).login_bot(pod)
    changed = client.request("POST", "/pod/v1/user/manifest/own", json_body={"manifest": '{"commands": []}'})
    assert changed.status < 300, changed.body
    assert client.request("GET", "/pod/v1/user/manifest/own").json["manifest"] == '{"commands": []}'
    pod.reset()
    assert client.request("GET", "/pod/v1/user/manifest/own").json["manifest"] == "{}"
    assert pod.get_user("bot")["displayName"] == pod.bot["displayName"]
