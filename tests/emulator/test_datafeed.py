"""Datafeed v1 and v2: create/list/delete, long-poll wake-up, event shapes, ack and redelivery,
shared readers, fan-out and the error answers the SDKs rely on."""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sympod import Emulator
from sympod.workdir import DB_FILE

from .podclient import PodClient

V4_USER_KEYS = {"userId", "firstName", "lastName", "displayName", "email", "username"}


@pytest.fixture(scope="module")
def fast_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """Short long-poll and ack timeout so empty reads and redelivery are quick to observe."""
    with Emulator(
        workdir=tmp_path_factory.mktemp("feeds"), long_poll=0.4, ack_timeout=0.6, max_feeds_per_user=3
    ) as emulator:
        yield emulator


@pytest.fixture
def fast(fast_server: Emulator) -> Emulator:
    fast_server.reset()
    return fast_server


@pytest.fixture
def bot(fast: Emulator) -> PodClient:
    return PodClient(fast).login_bot(fast)


def _v2_feed(client: PodClient) -> str:
    reply = client.request("POST", "/agent/v5/datafeeds", json_body={})
    assert reply.status == 201, reply.body
    return reply.json["id"]


def _v2_read(client: PodClient, feed_id: str, ack_id: str = "") -> dict[str, Any]:
    reply = client.request("POST", f"/agent/v5/datafeeds/{feed_id}/read", json_body={"ackId": ack_id})
    assert reply.status == 200, reply.body
    return reply.json


def test_v1_create_read_and_empty_answer(fast: Emulator, bot: PodClient) -> None:
    created = bot.request("POST", "/agent/v4/datafeed/create")
    assert created.status == 200
    feed_id = created.json["id"]
    assert not feed_id.endswith("_f")  # BDK would take a *_f id for a v2 feed
    started = time.monotonic()
    empty = bot.request("GET", f"/agent/v4/datafeed/{feed_id}/read")
    assert empty.status == 204 and empty.body == b""
    assert 0.3 < time.monotonic() - started < 2.0  # it waited for the long-poll timeout
    fast.create_user("alice")
    sent = fast.send_message("alice", "<messageML>hello v1</messageML>", to="bot")
    events = bot.request("GET", f"/agent/v4/datafeed/{feed_id}/read")
    assert events.status == 200
    types = [event["type"] for event in events.json]
    assert types == ["INSTANTMESSAGECREATED", "MESSAGESENT"]
    assert events.json[1]["payload"]["messageSent"]["message"]["messageId"] == sent["messageId"]
    # v1 has no ack: what was read is gone
    assert bot.request("GET", f"/agent/v4/datafeed/{feed_id}/read").status == 204


def test_v1_unknown_feed_gets_the_legacy_recreate_message(bot: PodClient) -> None:
    reply = bot.request("GET", "/agent/v4/datafeed/doesnotexist/read")
    assert reply.status == 400
    assert "Could not find a datafeed with the id" in reply.error()["message"]


def test_v2_create_list_delete(bot: PodClient) -> None:
    feed_id = _v2_feed(bot)
    assert re.fullmatch(r"[0-9a-f]{32}_f", feed_id)
    assert re.fullmatch(r"^[^\s_]+_f(_[^\s_]+)?$", feed_id)  # BDK's filter
    listed = bot.request("GET", "/agent/v5/datafeeds").json
    assert [feed["id"] for feed in listed] == [feed_id]
    assert isinstance(listed[0]["createdAt"], int)
    # the legacy SDK creates with no body at all; a tag is optional
    no_body = bot.request("POST", "/agent/v5/datafeeds")
    assert no_body.status == 201
    tagged = bot.request("POST", "/agent/v5/datafeeds", json_body={"tag": "blue"})
    assert [f["id"] for f in bot.request("GET", "/agent/v5/datafeeds?tag=blue").json] == [tagged.json["id"]]
    too_many = bot.request("POST", "/agent/v5/datafeeds", json_body={})
    assert too_many.status == 403 and "Too many datafeeds" in too_many.error()["message"]
    assert bot.request("DELETE", f"/agent/v5/datafeeds/{feed_id}").status == 204
    assert bot.request("DELETE", f"/agent/v5/datafeeds/{feed_id}").status == 204  # already gone: still 204
    gone = bot.request("POST", f"/agent/v5/datafeeds/{feed_id}/read", json_body={"ackId": ""})
    assert gone.status == 400 and "Could not find a datafeed" in gone.error()["message"]


def test_v2_bad_bodies_are_400(bot: PodClient) -> None:
    feed_id = _v2_feed(bot)
    for body in (b"[1]", b"{oops", b'{"ackId": 7}'):
        reply = bot.request(
            "POST",
            f"/agent/v5/datafeeds/{feed_id}/read",
            body=body,
            headers={"Content-Type": "application/json"},
        )
        assert reply.status == 400, body
        reply.error()
    long_tag = bot.request("POST", "/agent/v5/datafeeds", json_body={"tag": "x" * 101})
    assert long_tag.status == 400 and "'tag'" in long_tag.error()["message"]


def test_v2_empty_read_is_200_with_an_ack_id(bot: PodClient) -> None:
    feed_id = _v2_feed(bot)
    result = _v2_read(bot, feed_id)
    assert result["events"] == [] and isinstance(result["ackId"], str) and result["ackId"]


def test_v2_event_shape_and_fan_out_to_every_member(fast: Emulator, bot: PodClient) -> None:
    alice_key = fast.create_user("alice", bot=True, email="alice@example.com")["privateKey"]
    alice = PodClient(fast).login("alice", alice_key)
    bot_feed, alice_feed = _v2_feed(bot), _v2_feed(alice)
    sent = fast.send_message("alice", "<messageML>hi <b>there</b></messageML>", to="bot")
    for client, feed_id in ((bot, bot_feed), (alice, alice_feed)):  # the sender gets its own event too
        events = _v2_read(client, feed_id)["events"]
        message_event = next(event for event in events if event["type"] == "MESSAGESENT")
        assert set(message_event) >= {"id", "messageId", "timestamp", "type", "initiator", "payload"}
        assert message_event["messageId"] == sent["messageId"]
        initiator = message_event["initiator"]["user"]
        assert set(initiator) >= V4_USER_KEYS
        assert initiator["userId"] == fast.get_user("alice")["userId"]
        assert initiator["email"] == "alice@example.com"
        message = message_event["payload"]["messageSent"]["message"]
        assert message["message"].startswith('<div data-format="PresentationML"')
        assert message["stream"]["streamType"] == "IM"


def test_v2_unacked_events_are_redelivered_and_acked_ones_are_not(fast: Emulator, bot: PodClient) -> None:
    feed_id = _v2_feed(bot)
    fast.create_user("alice")
    fast.send_message("alice", "one", to="bot")
    first = _v2_read(bot, feed_id)
    assert [e["type"] for e in first["events"]] == ["INSTANTMESSAGECREATED", "MESSAGESENT"]
    # reading again without acking: nothing until the lease (0.6 s) runs out, then the same events
    started = time.monotonic()
    again = _v2_read(bot, feed_id, "")
    if not again["events"]:  # the long-poll (0.4 s) may end before the lease does
        again = _v2_read(bot, feed_id, "")
    assert [e["id"] for e in again["events"]] == [e["id"] for e in first["events"]]
    assert time.monotonic() - started >= 0.5
    # acking the batch drops it for good
    after_ack = _v2_read(bot, feed_id, again["ackId"])
    assert after_ack["events"] == []
    time.sleep(0.7)
    assert _v2_read(bot, feed_id, after_ack["ackId"])["events"] == []


def test_v2_readers_of_one_feed_share_its_events(fast: Emulator, bot: PodClient) -> None:
    feed_id = _v2_feed(bot)
    second_reader = PodClient(fast).login_bot(fast)
    fast.create_user("alice")
    stream_id = fast.send_message("alice", "warm-up", to="bot")["stream"]["streamId"]
    warm_up = _v2_read(bot, feed_id)
    _v2_read(bot, feed_id, warm_up["ackId"])
    results: dict[str, list[str]] = {"a": [], "b": []}

    def read_until_idle(client: PodClient, name: str) -> None:
        ack = ""
        for _ in range(20):
            batch = _v2_read(client, feed_id, ack)
            ack = batch["ackId"]
            results[name] += [e["messageId"] for e in batch["events"]]
            if not batch["events"] and sum(map(len, results.values())) >= 10:
                _v2_read(client, feed_id, ack)  # ack the last batch
                return

    threads = [
        threading.Thread(target=read_until_idle, args=(c, n)) for c, n in ((bot, "a"), (second_reader, "b"))
    ]
    for thread in threads:
        thread.start()
    sent = [fast.send_message("alice", f"m{i}", stream_id=stream_id)["messageId"] for i in range(10)]
    for thread in threads:
        thread.join(timeout=20)
    delivered = results["a"] + results["b"]
    assert sorted(delivered) == sorted(sent)  # every event exactly once across both readers


def test_long_poll_is_woken_by_a_new_event(pod: Emulator) -> None:
    # the session pod's long-poll is 2 s: an answer well before that proves the wake-up
    bot = PodClient(pod).login_bot(pod)
    feed_id = _v2_feed(bot)
    pod.create_user("alice")
    stream_id = pod.send_message("alice", "open", to="bot")["stream"]["streamId"]
    warm_up = _v2_read(bot, feed_id)
    timer = threading.Timer(0.2, lambda: pod.send_message("alice", "wake up", stream_id=stream_id))
    started = time.monotonic()
    timer.start()
    events = _v2_read(bot, feed_id, warm_up["ackId"])["events"]
    elapsed = time.monotonic() - started
    timer.join()
    assert [e["type"] for e in events] == ["MESSAGESENT"]
    assert 0.15 < elapsed < 1.6  # not woken, it would answer at the 2 s long-poll deadline


def test_feeds_belong_to_their_user(fast: Emulator, bot: PodClient) -> None:
    feed_id = _v2_feed(bot)
    alice_key = fast.create_user("alice", bot=True)["privateKey"]
    alice = PodClient(fast).login("alice", alice_key)
    foreign = alice.request("POST", f"/agent/v5/datafeeds/{feed_id}/read", json_body={"ackId": ""})
    assert foreign.status == 400
    assert alice.request("GET", "/agent/v5/datafeeds").json == []


def test_elements_action_event(fast: Emulator, bot: PodClient) -> None:
    feed_id = _v2_feed(bot)
    fast.create_user("alice")
    form = (
        '<messageML><form id="order"><text-field name="qty"/>'
        '<button name="submit" type="action">Go</button></form></messageML>'
    )
    im = fast.send_message("alice", "hi", to="bot")["stream"]["streamId"]
    form_message = fast.send_message("bot", form, stream_id=im)
    _v2_read(bot, feed_id, _v2_read(bot, feed_id)["ackId"])
    fast.submit_form("alice", form_message["messageId"], "order", {"qty": 3, "action": "submit"})
    events = _v2_read(bot, feed_id)["events"]
    assert [e["type"] for e in events] == ["SYMPHONYELEMENTSACTION"]
    action = events[0]["payload"]["symphonyElementsAction"]
    assert action["formId"] == "order"
    assert action["formMessageId"] == form_message["messageId"]
    assert action["formValues"] == {"qty": "3", "action": "submit"}  # strings, as BDK 2.x needs
    assert action["stream"]["streamId"] == im
    assert action["actionStream"]["streamId"] == im
    # the legacy parser turns formStream (standard base64) back into the URL-safe id
    legacy = action["formStream"]["streamId"].rstrip("=").replace("/", "_").replace("+", "-")
    assert legacy == im
    assert events[0]["initiator"]["user"]["username"] == "alice"


def _committed_rows(emulator: Emulator, feed_id: str) -> int:
    """feed_events rows of a feed as another process would see them (committed writes only)."""
    with sqlite3.connect(emulator.workdir / DB_FILE) as connection:
        return int(
            connection.execute("SELECT COUNT(*) FROM feed_events WHERE feed_id = ?", (feed_id,)).fetchone()[0]
        )


def test_acked_events_leave_the_database_right_after_the_read(fast: Emulator, bot: PodClient) -> None:
    """An ack only changes the in-memory queue during the read; its DELETE runs just after the
    answer, and also while the acking read long-polls (here for 0.4 s) with nothing to return."""
    feed_id = _v2_feed(bot)
    fast.create_user("alice")
    for number in range(3):
        fast.send_message("alice", f"m{number}", to="bot")
    first = _v2_read(bot, feed_id)
    assert len(first["events"]) == 4 and _committed_rows(fast, feed_id) == 4
    outcome: dict[str, Any] = {}
    reader = threading.Thread(target=lambda: outcome.update(_v2_read(bot, feed_id, first["ackId"])))
    reader.start()
    deadline = time.monotonic() + 0.3  # before the long poll ends
    while _committed_rows(fast, feed_id) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _committed_rows(fast, feed_id) == 0
    reader.join()
    assert outcome["events"] == []


def test_reset_and_restart_keep_working_feeds_apart(tmp_path: Path) -> None:
    with Emulator(workdir=tmp_path, long_poll=0.3) as emulator:
        bot = PodClient(emulator).login_bot(emulator)
        feed_id = _v2_feed(bot)
        emulator.create_user("alice")
        emulator.send_message("alice", "kept across restarts", to="bot")
    with Emulator(workdir=tmp_path, long_poll=0.3) as emulator:
        bot = PodClient(emulator).login_bot(emulator)
        events = _v2_read(bot, feed_id)["events"]
        assert [e["type"] for e in events] == ["INSTANTMESSAGECREATED", "MESSAGESENT"]
        emulator.reset()
        assert bot.request("POST", f"/agent/v5/datafeeds/{feed_id}/read", json_body={}).status == 400


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the server's CPU time from /proc")
def test_idle_long_polls_cost_no_cpu(tmp_path: Path) -> None:
    """Waiting readers sleep on an event (no polling loop): 20 idle long-polls barely use CPU."""
    emulator = Emulator(workdir=tmp_path, mode="subprocess", long_poll=1.5, max_feeds_per_user=30)
    with emulator:
        assert emulator._process is not None
        stat = Path(f"/proc/{emulator._process.pid}/stat")

        def cpu_seconds() -> float:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

        logged_in = PodClient(emulator).login_bot(emulator)
        clients = [PodClient(emulator) for _ in range(20)]
        for client in clients:
            client.session_token, client.km_token = logged_in.session_token, logged_in.km_token
        feeds = [_v2_feed(client) for client in clients]
        before = cpu_seconds()
        readers = [
            threading.Thread(target=_v2_read, args=(c, f)) for c, f in zip(clients, feeds, strict=True)
        ]
        for reader in readers:
            reader.start()
        for reader in readers:
            reader.join(timeout=10)
        assert cpu_seconds() - before < 0.3  # 20 readers waiting 1.5 s each
