"""Unit tests of the emulator's I/O-free core: ids, store queues and transactions, events, faults."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from sympod.events import PAYLOAD_KEYS, build_event, v4_stream, v4_user
from sympod.faults import FaultRegistry
from sympod.ids import (
    new_feed_id,
    new_message_id,
    new_stream_id,
    normalize_id,
    to_standard_base64,
)
from sympod.routes import agent_datafeed
from sympod.store import Store, feeds


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "pod.db", group_commit=True)


def test_ids_have_the_shapes_sdks_expect() -> None:
    stream_id, message_id = new_stream_id(), new_message_id()
    assert re.fullmatch(r"[A-Za-z0-9_-]{34}", stream_id) and re.fullmatch(r"[A-Za-z0-9_-]{34}", message_id)
    assert re.fullmatch(r"[0-9a-f]{32}_f", new_feed_id(2))
    assert not new_feed_id(1).endswith("_f")
    standard = to_standard_base64(stream_id)
    assert standard.endswith("=") or len(standard) % 4 == 0
    assert normalize_id(standard) == stream_id  # both alphabets and padding map to one id
    assert normalize_id(" tzwvAZIdDMG3ZPRxv+xsgH///qr+JJkWdA== ") == "tzwvAZIdDMG3ZPRxv-xsgH___qr-JJkWdA"


def test_users_get_int64_ids_in_order_and_lookups(store: Store) -> None:
    bot = store.create_user("bot", bot=True)
    alice = store.create_user("Alice", email="alice@example.com")
    assert alice["user_id"] == bot["user_id"] + 1 and bot["account_type"] == "SYSTEM"
    assert store.find_user("alice")["user_id"] == alice["user_id"]  # usernames are case-insensitive
    assert store.find_user(str(alice["user_id"]))["username"] == "Alice"
    assert store.get_user(2**70) is None  # out of int64: no OverflowError
    with pytest.raises(sqlite3.IntegrityError):
        store.create_user("ALICE")
    with pytest.raises(ValueError, match="unknown user columns"):
        store.create_user("x", shoe_size=42)


def test_v2_lease_ack_and_redelivery(store: Store) -> None:
    user = store.create_user("bot", bot=True)
    feed = store.create_datafeed(user["user_id"], 2)["feed_id"]
    for number in range(3):
        event = build_event("MESSAGESENT", {"message": {"messageId": f"m{number}"}}, user)
        store.enqueue_event(event, user["user_id"], [feed])
    first = store.lease_events_v2(feed, "ack-1", limit=2, lease_ms=60_000)
    second = store.lease_events_v2(feed, "ack-2", limit=10, lease_ms=0)  # expires at once
    assert [e["messageId"] for e in first] == ["m0", "m1"]
    assert [e["messageId"] for e in second] == ["m2"]
    # ack-2's lease ran out: m2 is offered again, m0/m1 are still leased to ack-1
    assert [e["messageId"] for e in store.lease_events_v2(feed, "ack-3", 10, 60_000)] == ["m2"]
    assert store.ack_events_v2(feed, "ack-1") == 2
    assert store.ack_events_v2(feed, "unknown") == 0
    assert store.queued_event_count(feed) == 1
    assert store.delete_datafeed(feed) and store.queued_event_count(feed) == 0


def test_v1_take_removes_what_it_returns(store: Store) -> None:
    user = store.create_user("bot", bot=True)
    feed = store.create_datafeed(user["user_id"], 1)["feed_id"]
    for number in range(3):
        store.enqueue_event(
            build_event("MESSAGESENT", {"message": {"messageId": f"m{number}"}}, user),
            user["user_id"],
            [feed],
        )
    assert [e["messageId"] for e in store.take_events_v1(feed, 2)] == ["m0", "m1"]
    assert [e["messageId"] for e in store.take_events_v1(feed, 2)] == ["m2"]
    assert store.take_events_v1(feed, 2) == []


def test_group_commit_savepoints_roll_back_one_block_only(tmp_path: Path) -> None:
    store = Store(tmp_path / "pod.db", group_commit=True)
    store.create_user("kept")
    with pytest.raises(RuntimeError), store.transaction():
        store.create_user("rolled-back")
        raise RuntimeError("handler failed")
    assert store.has_uncommitted
    store.commit()
    assert not store.has_uncommitted
    store.close()
    reopened = Store(tmp_path / "pod.db")
    assert [u["username"] for u in reopened.list_users()] == ["kept"]


def test_commit_refuses_to_split_a_transaction_block(store: Store) -> None:
    with store.transaction():
        store.create_user("half")
        assert store.in_transaction_block
        with pytest.raises(RuntimeError, match="half of it"):
            store.commit()
    store.commit()
    assert not store.has_uncommitted


def test_uncommitted_group_writes_are_lost_without_commit(tmp_path: Path) -> None:
    store = Store(tmp_path / "pod.db", group_commit=True)
    store.create_user("committed")
    store.commit()
    store.create_user("pending")
    # another connection (a restarted server) sees only committed data
    other = sqlite3.connect(tmp_path / "pod.db")
    assert [row[0] for row in other.execute("SELECT username FROM users")] == ["committed"]


def test_reset_keeps_the_listed_users_and_their_sessions(store: Store) -> None:
    bot = store.create_user("bot", bot=True)
    alice = store.create_user("alice")
    store.add_session("t-bot", "session", bot["user_id"], 2**40)
    store.add_session("t-alice", "session", alice["user_id"], 2**40)
    store.create_stream(
        "s1", "IM", creator_id=alice["user_id"], member_ids=[bot["user_id"], alice["user_id"]]
    )
    store.reset([bot["user_id"]])
    assert [u["username"] for u in store.list_users()] == ["bot"]
    assert store.get_session("t-bot") and not store.get_session("t-alice")
    assert store.get_stream("s1") is None


def test_events_shapes() -> None:
    user = {
        "user_id": 7,
        "username": "alice",
        "display_name": "Alice",
        "email": None,
        "first_name": "A",
        "last_name": None,
    }
    assert v4_user(user) == {
        "userId": 7,
        "firstName": "A",
        "lastName": "",
        "displayName": "Alice",
        "email": "",
        "username": "alice",
    }
    stream = {"stream_id": "s", "stream_type": "ROOM", "name": "Ops"}
    assert v4_stream(stream)["roomName"] == "Ops"
    event = build_event("SYMPHONYELEMENTSACTION", {"formMessageId": "m9", "formId": "f"}, user)
    assert event["messageId"] == "m9" and event["payload"] == {
        "symphonyElementsAction": {"formMessageId": "m9", "formId": "f"}
    }
    assert event["initiator"]["user"]["userId"] == 7
    assert set(PAYLOAD_KEYS) >= {"MESSAGESENT", "ROOMCREATED", "CONNECTIONACCEPTED", "SHAREDPOST"}
    with pytest.raises(ValueError, match="unknown event type"):
        build_event("NOPE", {}, user)


def test_fault_rules_match_consume_and_persist(store: Store) -> None:
    registry = FaultRegistry(store)
    rule = registry.add(r"^/pod/", method="get", status=503, times=2)
    assert rule.method == "GET"
    assert registry.match("POST", "/pod/v1/x") is None
    assert registry.match("GET", "/_emulator/health") is None  # never the control API
    assert registry.match("GET", "/pod/v1/x") is rule
    assert FaultRegistry(store).list()[0].times_left == 1  # a restart sees what is left
    assert registry.match("GET", "/pod/v1/x") is rule
    assert registry.match("GET", "/pod/v1/x") is None
    for bad, message in (
        ({"path_regex": "("}, "regular expression"),
        ({"path_regex": "x"}, "at least one"),
        ({"path_regex": "x", "status": 700}, "'status'"),
    ):
        with pytest.raises(ValueError, match=message):
            registry.add(**bad)


def test_work_dir_from_before_retry_after_gets_the_column(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as old:
        old.execute(
            "CREATE TABLE faults (fault_id INTEGER PRIMARY KEY AUTOINCREMENT, path_regex TEXT NOT NULL, "
            "method TEXT, status INTEGER, delay_ms INTEGER, drop_connection INTEGER NOT NULL DEFAULT 0, "
            "times_left INTEGER)"
        )
        old.execute("INSERT INTO faults(path_regex, status) VALUES('kept', 500)")
    store = Store(path)
    registry = FaultRegistry(store)
    registry.add("limited", status=429, retry_after_s=3)
    assert [(rule.path.pattern, rule.retry_after_s) for rule in FaultRegistry(store).list()] == [
        ("kept", None),
        ("limited", 3),
    ]


def _rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    """What another connection sees of the pod database: committed writes only."""
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


def test_reads_change_the_queues_at_once_and_sqlite_when_written_out(tmp_path: Path) -> None:
    store = Store(tmp_path / "pod.db", group_commit=True)
    feed_id = store.create_datafeed(1, 2)["feed_id"]
    for index in range(3):
        store.enqueue_event({"id": f"e{index}", "type": "MESSAGESENT", "timestamp": index}, 1, [feed_id])
    store.commit()
    assert len(store.lease_events_v2_json(feed_id, "ack1", 2, lease_ms=60_000)) == 2
    assert store.ack_events_v2(feed_id, "ack1") == 2
    store.touch_datafeed(feed_id)
    store.commit()
    # nothing written yet, but the acked events are gone for readers
    assert _rows(tmp_path / "pod.db", "SELECT COUNT(*), MAX(last_read_at) FROM feed_events, datafeeds") == [
        (3, None)
    ]
    assert [json.loads(text)["id"] for text in store.lease_events_v2_json(feed_id, "ack2", 5, 60_000)] == [
        "e2"
    ]
    assert store.has_deferred_writes
    store.apply_deferred_writes()
    store.commit()
    assert not store.has_deferred_writes
    assert _rows(tmp_path / "pod.db", "SELECT event_id FROM feed_events") == [("e2",)]
    assert _rows(tmp_path / "pod.db", "SELECT last_read_at IS NOT NULL FROM datafeeds") == [(1,)]


def test_counts_listings_and_close_see_the_deferred_writes(tmp_path: Path) -> None:
    store = Store(tmp_path / "pod.db", group_commit=True)
    feed_id = store.create_datafeed(1, 2)["feed_id"]
    v1_feed = store.create_datafeed(1, 1)["feed_id"]
    for index in range(3):
        store.enqueue_event(
            {"id": f"e{index}", "type": "MESSAGESENT", "timestamp": index}, 1, [feed_id, v1_feed]
        )
    store.lease_events_v2_json(feed_id, "ack1", 2, lease_ms=60_000)
    store.ack_events_v2(feed_id, "ack1")
    store.take_events_v1_json(v1_feed, 1)
    store.touch_datafeed(feed_id)
    assert store.queued_event_count(feed_id) == 1 and store.queued_event_count(v1_feed) == 2
    store.touch_datafeed(v1_feed)
    assert all(feed["last_read_at"] for feed in store.list_datafeeds(1))
    store.lease_events_v2_json(feed_id, "ack2", 1, lease_ms=60_000)
    store.ack_events_v2(feed_id, "ack2")
    store.close()  # a clean shutdown writes every ack out: nothing acked comes back
    reopened = Store(tmp_path / "pod.db", group_commit=True)
    assert reopened.lease_events_v2_json(feed_id, "ack3", 10, lease_ms=60_000) == []
    assert [json.loads(text)["id"] for text in reopened.take_events_v1_json(v1_feed, 10)] == ["e1", "e2"]


@pytest.mark.parametrize("count", [0, 1, 2, 5])
def test_a_read_body_is_the_events_as_one_json_array(count: int) -> None:
    events = [json.dumps({"id": f"e{index}", "text": "é"}).encode() for index in range(count)]
    body = agent_datafeed._json_array(events, b'{"events":', b',"ackId":"a"}')
    assert json.loads(body) == {"events": [json.loads(event) for event in events], "ackId": "a"}
    assert json.loads(agent_datafeed._json_array(events)) == [json.loads(event) for event in events]


def test_v2_lease_skips_events_leased_to_another_reader(store: Store) -> None:
    feed_id = store.create_datafeed(1, 2)["feed_id"]
    for index in range(4):
        store.enqueue_event({"id": f"e{index}", "type": "MESSAGESENT", "timestamp": index}, 1, [feed_id])
    expiring = store.lease_events_v2_json(feed_id, "ack0", 1, lease_ms=60_000)
    holding = store.lease_events_v2_json(feed_id, "ackA", 1, lease_ms=60_000)
    assert [json.loads(text)["id"] for text in expiring + holding] == ["e0", "e1"]
    store._feed_queues[feed_id].leases["ack0"].until = 0
    # e0's lease ran out while e1's holds: the next read takes e0 and e2, leaving e1 with ackA
    second = store.lease_events_v2_json(feed_id, "ackB", 2, lease_ms=60_000)
    assert [json.loads(text)["id"] for text in second] == ["e0", "e2"]
    assert store.ack_events_v2(feed_id, "ack0") == 0  # its events were handed out again
    assert store.ack_events_v2(feed_id, "ackB") == 2
    assert store.ack_events_v2(feed_id, "ackA") == 1  # e1 stayed under ackA
    assert [event["id"] for event in store.lease_events_v2(feed_id, "ackC", 10, lease_ms=60_000)] == ["e3"]


def test_feed_queue_loads_in_windows_and_keeps_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feeds, "QUEUE_WINDOW", 3)
    store = Store(tmp_path / "pod.db")
    feed_id = store.create_datafeed(1, 2)["feed_id"]
    for index in range(5):
        store.enqueue_event({"id": f"e{index}", "type": "MESSAGESENT", "timestamp": index}, 1, [feed_id])
    first = store.lease_events_v2(feed_id, "a", 2, lease_ms=60_000)  # loads e0..e2
    for index in range(5, 8):  # queued while the loaded window does not reach the end of the feed
        store.enqueue_event({"id": f"e{index}", "type": "MESSAGESENT", "timestamp": index}, 1, [feed_id])
    rest = store.lease_events_v2(feed_id, "b", 100, lease_ms=60_000)
    assert [event["id"] for event in first + rest] == [f"e{index}" for index in range(8)]
    assert store.ack_events_v2(feed_id, "a") == 2 and store.ack_events_v2(feed_id, "b") == 6
    assert store.queued_event_count(feed_id) == 0


def test_unacked_events_survive_a_restart_and_are_redelivered(tmp_path: Path) -> None:
    store = Store(tmp_path / "pod.db")
    v2 = store.create_datafeed(1, 2)["feed_id"]
    v1 = store.create_datafeed(1, 1)["feed_id"]
    for index in range(3):
        store.enqueue_event({"id": f"e{index}", "type": "MESSAGESENT", "timestamp": index}, 1, [v2, v1])
    store.lease_events_v2(v2, "leased", 10, lease_ms=60_000)  # handed out, never acked
    assert [event["id"] for event in store.take_events_v1(v1, 1)] == ["e0"]
    store.close()
    reopened = Store(tmp_path / "pod.db")  # leases are not persisted: the events come back at once
    assert [event["id"] for event in reopened.lease_events_v2(v2, "again", 10, 60_000)] == ["e0", "e1", "e2"]
    assert reopened.ack_events_v2(v2, "leased") == 0
    assert [event["id"] for event in reopened.take_events_v1(v1, 10)] == ["e1", "e2"]
    assert reopened.take_events_v1(v1, 10) == []


def test_reset_and_feed_deletion_drop_queued_events(store: Store) -> None:
    feed_id = store.create_datafeed(1, 2)["feed_id"]
    store.enqueue_event({"id": "e0", "type": "MESSAGESENT", "timestamp": 0}, 1, [feed_id])
    store.lease_events_v2(feed_id, "a", 10, lease_ms=0)
    store.reset(keep_user_ids=[])
    assert store.lease_events_v2(feed_id, "b", 10, lease_ms=0) == []
    again = store.create_datafeed(1, 2)["feed_id"]
    store.enqueue_event({"id": "e1", "type": "MESSAGESENT", "timestamp": 1}, 1, [again])
    assert store.delete_datafeed(again)
    assert store.lease_events_v2(again, "c", 10, lease_ms=0) == []
