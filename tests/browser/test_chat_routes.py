"""The chat page's HTTP surface: page assets, users/streams listing, IM/room creation, sending as a
user (through the pod's real message-create path), live updates over server-sent events."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from typing import Any

import pytest

from sym_api_client_python.testing import ControlApiError, SymphonyPod
from sympod.routes.chat import text_to_messageml

pytestmark = pytest.mark.emulator_only


def test_text_to_messageml_makes_entities_and_escapes() -> None:
    users = {"jane": {"user_id": 42}}
    markup = text_to_messageml("hi @jane and @nobody #deal $AAPL <b>&\nline two", users.get)
    assert markup == (
        '<messageML><p>hi <mention uid="42"/> and @nobody <hash tag="deal"/> <cash tag="AAPL"/> '
        "&lt;b&gt;&amp;</p><p>line two</p></messageML>"
    )
    # an e-mail address or a price is not an entity
    assert "<mention" not in text_to_messageml("mail jane@acme.com", users.get)


def test_page_and_assets_are_served_with_a_strict_policy(symphony_pod: SymphonyPod) -> None:
    with urllib.request.urlopen(symphony_pod.url + "/", context=symphony_pod._ssl_context) as response:
        assert b"sympod chat" in response.read()
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    for asset in ("app.js", "style.css"):
        with urllib.request.urlopen(
            f"{symphony_pod.url}/_emulator/web/{asset}", context=symphony_pod._ssl_context
        ) as response:
            assert response.status == 200
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(
            f"{symphony_pod.url}/_emulator/web/../store.py", context=symphony_pod._ssl_context
        )
    assert error.value.code == 404


def test_send_as_user_goes_through_message_create(symphony_pod: SymphonyPod) -> None:
    jane = symphony_pod.create_user("jane", display_name="Jane Doe")
    stream = symphony_pod.control("POST", "/_emulator/chat/im", {"user": "jane", "with": ["bot"]})
    assert stream["type"] == "IM" and stream["name"] == symphony_pod.bot["displayName"]
    sent = symphony_pod.control(
        "POST",
        "/_emulator/chat/messages",
        {"user": jane["userId"], "streamId": stream["streamId"], "text": "ping @bot $TSLA"},
    )
    assert sent["user"]["userId"] == jane["userId"]
    assert 'class="entity"' in sent["message"]
    entity_types = {entity["type"] for entity in json.loads(sent["data"]).values()}
    assert entity_types == {"com.symphony.user.mention", "org.symphonyoss.fin.security"}
    history = symphony_pod.emulator.stream_messages(stream["streamId"])
    assert [message["messageId"] for message in history] == [sent["messageId"]]
    listed = symphony_pod.control("GET", "/_emulator/chat/streams?user=jane")
    assert [item["streamId"] for item in listed] == [stream["streamId"]]


def test_room_creation_adds_members(symphony_pod: SymphonyPod) -> None:
    symphony_pod.create_user("owner")
    symphony_pod.create_user("guest")
    room = symphony_pod.control(
        "POST", "/_emulator/chat/rooms", {"user": "owner", "name": "Deals", "members": ["guest", "bot"]}
    )
    assert room["type"] == "ROOM" and room["name"] == "Deals"
    assert {member["username"] for member in room["members"]} == {"owner", "guest", "bot"}


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/_emulator/chat/messages", {"user": "ghost", "streamId": "x", "text": "hi"}, "No user 'ghost'"),
        ("/_emulator/chat/messages", {"user": "bot", "text": "hi"}, "streamId"),
        ("/_emulator/chat/im", {"user": "bot", "with": []}, "at least one other user"),
        ("/_emulator/chat/rooms", {"user": "bot", "name": "  "}, "'name' must not be empty"),
    ],
)
def test_bad_input_gets_a_clear_4xx(
    symphony_pod: SymphonyPod, path: str, body: dict[str, Any], message: str
) -> None:
    with pytest.raises(ControlApiError, match=r"HTTP 4\d\d") as error:
        symphony_pod.control("POST", path, body)
    assert message in str(error.value)


def test_event_stream_pushes_new_messages_and_streams(symphony_pod: SymphonyPod) -> None:
    symphony_pod.create_user("watcher")
    stream = urllib.request.urlopen(
        f"{symphony_pod.url}/_emulator/events/stream?user=watcher",
        timeout=10,
        context=symphony_pod._ssl_context,
    )
    assert stream.headers["Content-Type"].startswith("text/event-stream")
    assert stream.readline() == b": connected\n"

    def bot_writes() -> None:
        symphony_pod.emulator.send_message(symphony_pod.bot["userId"], "hello watcher", to="watcher")

    threading.Timer(0.2, bot_writes).start()
    events: dict[str, Any] = {}
    current = None

    def read_until(kind: str) -> None:
        nonlocal current
        while kind not in events:
            line = stream.readline().decode().rstrip("\n")
            if line.startswith("event: "):
                current = line[len("event: ") :]
            elif line.startswith("data: ") and current:
                events[current] = json.loads(line[len("data: ") :])

    read_until("message")
    symphony_pod.create_user("newcomer")  # the page's user list refreshes
    read_until("user")
    stream.close()
    assert "stream" in events  # the IM the bot opened appeared in the watcher's list
    assert "hello watcher" in events["message"]["message"]
    assert events["message"]["stream"]["streamId"] == events["stream"]["streamId"]
