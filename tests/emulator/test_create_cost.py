"""Guards on the work one message create does (the throughput hot path, docs/emulator.md)."""

from __future__ import annotations

from pathlib import Path

from sympod.domain.messages import create_message, v4_message
from sympod.domain.streams import create_im
from sympod.state import Settings
from sympod.workdir import open_pod


def test_a_create_without_attachments_reads_back_nothing_it_just_wrote(tmp_path: Path) -> None:
    pod = open_pod(Settings(workdir=tmp_path), tls=False).pod
    store = pod.store
    alice = store.create_user("alice")
    im = create_im(pod, alice, [pod.bot_user_id])
    store.create_datafeed(pod.bot_user_id, 2)
    statements: list[str] = []
    store._conn.set_trace_callback(statements.append)
    try:
        message = create_message(
            pod, alice["user_id"], im["stream_id"], "<messageML>hi <b>you</b></messageML>"
        )
    finally:
        store._conn.set_trace_callback(None)
    reads = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]
    assert not [sql for sql in reads if "FROM messages" in sql or "FROM attachments" in sql], reads
    # what the create answered is what a later read of the stored row gives
    stored = store.get_message(message["messageId"])
    assert stored is not None
    assert v4_message(store, stored) == message
    leased = store.lease_events_v2(store.feed_ids_for_users([pod.bot_user_id])[0], "ack", 10, 60_000)
    assert [event["payload"]["messageSent"]["message"] for event in leased] == [message]
