"""The work a message create does once its stream is known: no reads at all, and message ids that
keep the unique id index's inserts together (time-ordered prefix) without changing their shape."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import pytest

from sympod.domain.messages import create_message
from sympod.domain.streams import create_im
from sympod.state import Settings
from sympod.workdir import open_pod


@pytest.fixture
def local_pod(tmp_path: Path) -> Any:
    pod = open_pod(Settings(workdir=tmp_path), tls=False).pod
    yield pod
    pod.store.close()


def test_a_create_into_a_known_stream_reads_nothing(local_pod: Any) -> None:
    pod = local_pod
    store = pod.store
    alice = store.create_user("alice")
    im = create_im(pod, alice, [pod.bot_user_id])
    store.create_datafeed(pod.bot_user_id, 2)
    create_message(pod, alice["user_id"], im["stream_id"], "<messageML>first</messageML>")
    statements: list[str] = []
    store._conn.set_trace_callback(statements.append)
    try:
        create_message(pod, alice["user_id"], im["stream_id"], "<messageML>second <b>one</b></messageML>")
    finally:
        store._conn.set_trace_callback(None)
    reads = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]
    assert reads == []


def test_message_ids_keep_their_shape_and_start_with_their_time(local_pod: Any) -> None:
    pod = local_pod
    store = pod.store
    alice = store.create_user("alice")
    sid = create_im(pod, alice, [pod.bot_user_id])["stream_id"]
    messages = [create_message(pod, alice["user_id"], sid, f"m{index}") for index in range(50)]
    ids = [message["messageId"] for message in messages]
    assert len(set(ids)) == len(ids)
    for message in messages:
        message_id = message["messageId"]
        assert re.fullmatch(r"[A-Za-z0-9_-]{34}", message_id)
        raw = base64.urlsafe_b64decode(message_id + "==")
        assert len(raw) == 25
        assert int.from_bytes(raw[:6], "big") == message["timestamp"]
        assert store.get_message(message_id)["timestamp"] == message["timestamp"]


def _message_write(statements: list[str]) -> list[str]:
    """The statements a create ran to store its message: the INSERT, what came just before it
    (a savepoint or not) and any UPDATE of the stream."""
    at = next(index for index, sql in enumerate(statements) if sql.startswith("INSERT INTO messages"))
    before = [statements[at - 1].split()[0]] if at and statements[at - 1].startswith("SAVEPOINT") else []
    updates = [sql.split()[0] for sql in statements if sql.startswith("UPDATE streams")]
    return [*before, "INSERT", *updates]


def test_messages_of_the_same_millisecond_are_one_insert_each(
    local_pod: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pod = local_pod
    store = pod.store
    alice = store.create_user("alice")
    sid = create_im(pod, alice, [pod.bot_user_id])["stream_id"]
    moment = 1_800_000_000_000
    monkeypatch.setattr("sympod.domain.messages.now_ms", lambda: moment)
    for text, expected in (("one", ["SAVEPOINT", "INSERT", "UPDATE"]), ("two", ["INSERT"])):
        statements: list[str] = []
        store._conn.set_trace_callback(statements.append)
        try:
            message = create_message(pod, alice["user_id"], sid, text)
        finally:
            store._conn.set_trace_callback(None)
        assert _message_write(statements) == expected
        assert message["timestamp"] == moment
    stored = store.query_one("SELECT last_message_at FROM streams WHERE stream_id = ?", (sid,))
    assert stored == {"last_message_at": moment}
    monkeypatch.setattr("sympod.domain.messages.now_ms", lambda: moment + 1)
    create_message(pod, alice["user_id"], sid, "three")
    stored = store.query_one("SELECT last_message_at FROM streams WHERE stream_id = ?", (sid,))
    assert stored == {"last_message_at": moment + 1}
