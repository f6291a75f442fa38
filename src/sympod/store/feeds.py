"""Datafeeds, their event queues (v1 take, v2 lease/ack/redelivery) and fault rules."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..ids import new_feed_id, now_ms
from .base import INT64_MAX, INT64_MIN, StoreBase, dumps

# most queued events of one feed held in memory at once (about 1 KB each; more are loaded from
# the table as reads drain it): a live feed never reaches it, a large backlog is paged
QUEUE_WINDOW = 20_000


@dataclass
class Lease:
    """Events handed to one v2 read, until they are acked or ``until`` (epoch ms) passes."""

    until: int
    items: list[tuple[int, bytes]]  # (feed_events.seq, event JSON)


@dataclass
class FeedQueue:
    """One feed's queued events in memory: ``ready`` to hand out (in seq order), ``leases`` by ackId.

    ``ready`` mirrors the feed's rows with ``seq <= loaded_upto`` that are not leased; when
    ``complete`` it mirrors every row, and new events are appended as they are queued.
    """

    # (seq, event JSON as UTF-8): encoded once when queued, so a read only joins bytes
    ready: deque[tuple[int, bytes]] = field(default_factory=deque)
    leases: dict[str, Lease] = field(default_factory=dict)
    loaded_upto: int = 0
    complete: bool = False

    def reclaim_expired(self, now: int) -> None:
        """Put the events of leases that ran out back in line, in feed order (redelivery)."""
        expired = [ack_id for ack_id, lease in self.leases.items() if lease.until <= now]
        if expired:
            returned = [item for ack_id in expired for item in self.leases.pop(ack_id).items]
            self.ready = deque(sorted([*returned, *self.ready]))

    def holds_nothing_before(self, seq: int) -> bool:
        """Whether every event this queue still holds (ready or leased) comes after ``seq``.
        Each lease's items and ``ready`` are in seq order, so their first items tell."""
        if self.ready and self.ready[0][0] < seq:
            return False
        return all(lease.items[0][0] > seq for lease in self.leases.values())

    def next_expiry(self) -> int | None:
        return min((lease.until for lease in self.leases.values()), default=None)


class FeedStore(StoreBase):
    """Datafeeds and their event queues (v1: take; v2: lease, ack, redeliver), fault rules."""

    def __init__(self, path: str | Path, *, group_commit: bool = False) -> None:
        self._feed_queues: dict[str, FeedQueue] = {}
        # Rows handed out for good (v2 acked, v1 taken) that are still in feed_events: the feed's
        # highest seq whose rows up to it are all gone, and single seqs acked out of order. The
        # queues above already forgot them; apply_deferred_writes() removes the rows, off the
        # read's path (see PodState.after_feed_read).
        self._gone_upto: dict[str, int] = {}
        self._gone_seqs: list[int] = []
        # acked leases, kept so that freeing their 500 event texts happens there too
        self._retired: list[Lease] = []
        # datafeeds.last_read_at of the feeds read since the last write-out (epoch ms)
        self._last_reads: dict[str, int] = {}
        super().__init__(path, group_commit=group_commit)

    # ------------------------------------------------------------------ datafeeds and events
    def create_datafeed(self, user_id: int, version: int, *, tag: str | None = None) -> dict[str, Any]:
        feed_id = new_feed_id(version)
        self._feed_cache.pop(user_id, None)
        self.execute(
            "INSERT INTO datafeeds(feed_id, version, user_id, tag, created_at) VALUES(?, ?, ?, ?, ?)",
            (feed_id, version, user_id, tag, now_ms()),
        )
        self._feed_queues[feed_id] = FeedQueue(complete=True)  # a new feed holds nothing yet
        row = self.get_datafeed(feed_id)
        assert row is not None
        return row

    def get_datafeed(self, feed_id: str) -> dict[str, Any] | None:
        return self.query_one("SELECT * FROM datafeeds WHERE feed_id = ?", (feed_id,))

    def list_datafeeds(
        self, user_id: int, *, version: int | None = None, tag: str | None = None
    ) -> list[dict[str, Any]]:
        self.apply_deferred_writes()  # callers look at last_read_at
        sql = "SELECT * FROM datafeeds WHERE user_id = ?"
        params: list[Any] = [user_id]
        if version is not None:
            sql += " AND version = ?"
            params.append(version)
        if tag is not None:
            sql += " AND tag = ?"
            params.append(tag)
        return self.query(sql + " ORDER BY created_at, rowid", params)

    def delete_datafeed(self, feed_id: str) -> bool:
        self._feed_cache.clear()
        self._feed_queues.pop(feed_id, None)
        self._gone_upto.pop(feed_id, None)  # its rows all go below
        self._last_reads.pop(feed_id, None)
        with self.transaction():
            self.execute("DELETE FROM feed_events WHERE feed_id = ?", (feed_id,))
            return self.execute("DELETE FROM datafeeds WHERE feed_id = ?", (feed_id,)) > 0

    def _forget_feed_memory(self) -> None:
        """Drop the in-memory queues and the deferred writes of every feed (their rows are being
        deleted, e.g. by a reset)."""
        self._feed_queues.clear()
        self._gone_upto.clear()
        self._gone_seqs.clear()
        self._last_reads.clear()
        self._retired.clear()

    def touch_datafeed(self, feed_id: str) -> None:
        """Note that the feed was read now (written out with the deferred writes)."""
        self._last_reads[feed_id] = now_ms()

    def feed_ids_for_users(self, user_ids: Iterable[int]) -> list[str]:
        """Every datafeed (v1 and v2) of these users: where their events go."""
        feed_ids: list[str] = []
        for user_id in dict.fromkeys(user_ids):
            cached = self._feed_cache.get(user_id)
            if cached is None:
                if not INT64_MIN <= user_id <= INT64_MAX:
                    continue
                rows = self.query(
                    "SELECT feed_id FROM datafeeds WHERE user_id = ? ORDER BY rowid", (user_id,)
                )
                cached = self._feed_cache[user_id] = [row["feed_id"] for row in rows]
            feed_ids.extend(cached)
        return feed_ids

    def enqueue_event(self, event: dict[str, Any], initiator_id: int | None, feed_ids: Sequence[str]) -> None:
        """Store a V4Event and queue it on each feed, atomically."""
        text = dumps(event)
        queued: list[tuple[str, int]] = []
        with self.transaction():
            self.execute(
                "INSERT INTO events(event_id, type, timestamp, initiator_id, event_json) "
                "VALUES(?, ?, ?, ?, ?)",
                (event["id"], event["type"], event["timestamp"], initiator_id, text),
            )
            for feed_id in feed_ids:
                cursor = self._conn.execute(
                    "INSERT INTO feed_events(feed_id, event_id) VALUES(?, ?)", (feed_id, event["id"])
                )
                queued.append((feed_id, int(cursor.lastrowid or 0)))
        encoded = text.encode()
        for feed_id, seq in queued:  # only once the rows exist: a failed insert queues nothing
            queue = self._feed_queues.get(feed_id)
            if queue is None or not queue.complete:
                continue  # loaded from the table when reads get that far
            if len(queue.ready) >= QUEUE_WINDOW:
                queue.complete = False  # a feed nobody drains: stop holding its backlog in memory
            else:
                queue.ready.append((seq, encoded))
                queue.loaded_upto = seq

    def take_events_v1(self, feed_id: str, limit: int) -> list[dict[str, Any]]:
        """Remove and return up to ``limit`` queued events (v1 feeds have no ack)."""
        return [json.loads(text) for text in self.take_events_v1_json(feed_id, limit)]

    def take_events_v1_json(self, feed_id: str, limit: int) -> list[bytes]:
        """:meth:`take_events_v1` as the stored JSON texts (a read answers them without decoding)."""
        queue = self._feed_queue(feed_id)
        items = self._take_ready(queue, feed_id, limit)
        if items:
            # v1 feeds lease nothing: what was taken is exactly the feed's oldest rows
            self._gone_upto[feed_id] = items[-1][0]
        return [text for _, text in items]

    def lease_events_v2(self, feed_id: str, ack_id: str, limit: int, lease_ms: int) -> list[dict[str, Any]]:
        """Hand out up to ``limit`` events not currently leased, under ``ack_id`` until
        now + ``lease_ms``; unacked events become available again after that (redelivery)."""
        return [json.loads(text) for text in self.lease_events_v2_json(feed_id, ack_id, limit, lease_ms)]

    def lease_events_v2_json(self, feed_id: str, ack_id: str, limit: int, lease_ms: int) -> list[bytes]:
        """:meth:`lease_events_v2` as the stored JSON texts (a read answers them without decoding)."""
        now = now_ms()
        queue = self._feed_queue(feed_id)
        queue.reclaim_expired(now)
        items = self._take_ready(queue, feed_id, limit)
        if items:
            queue.leases[ack_id] = Lease(now + lease_ms, items)
        return [text for _, text in items]

    def ack_events_v2(self, feed_id: str, ack_id: str) -> int:
        """Drop the events delivered under ``ack_id``; returns how many (unknown ids ack nothing,
        nor does an ``ack_id`` whose events were already handed out again after their lease ran out)."""
        queue = self._feed_queues.get(feed_id)
        if queue is None or not ack_id:
            return 0
        lease = queue.leases.pop(ack_id, None)
        if lease is None:
            return 0
        last = lease.items[-1][0]
        if queue.holds_nothing_before(last):
            # the usual case (one reader, in order): the feed's rows up to ``last`` are exactly this
            # batch (and any batch acked before it), and one range DELETE costs a third of
            # deleting them one by one
            self._gone_upto[feed_id] = max(last, self._gone_upto.get(feed_id, 0))
        else:
            self._gone_seqs.extend(seq for seq, _ in lease.items)
        self._retired.append(lease)
        return len(lease.items)

    @property
    def has_deferred_writes(self) -> bool:
        """Whether reads left work for :meth:`apply_deferred_writes`."""
        return bool(self._gone_upto or self._gone_seqs or self._last_reads or self._retired)

    def apply_deferred_writes(self) -> None:
        """Write out what datafeed reads did in memory only: delete the rows of the events acked
        (or v1-taken) so far, and record when each feed was last read.

        A read changes the in-memory queues at once, so no read hands those events out again; the
        SQL is run here, after the read was answered, because these writes and their COMMIT were
        over a third of a read's time in the server. A crash in between would deliver those events
        again after the restart: at-least-once, like Symphony's datafeed (the SDKs dedupe).
        """
        upto, seqs, last_reads = self._gone_upto, self._gone_seqs, self._last_reads
        self._retired.clear()
        if not upto and not seqs and not last_reads:
            return
        self._gone_upto, self._gone_seqs, self._last_reads = {}, [], {}
        for feed_id, last in upto.items():
            self.execute("DELETE FROM feed_events WHERE feed_id = ? AND seq <= ?", (feed_id, last))
        if seqs:
            self.executemany("DELETE FROM feed_events WHERE seq = ?", [(seq,) for seq in seqs])
        if last_reads:
            self.executemany(
                "UPDATE datafeeds SET last_read_at = ? WHERE feed_id = ?",
                [(at, feed_id) for feed_id, at in last_reads.items()],
            )

    def close(self) -> None:
        self.apply_deferred_writes()  # a clean shutdown redelivers nothing acked
        super().close()

    def next_lease_expiry(self, feed_id: str) -> int | None:
        """When the earliest leased event of a feed becomes redeliverable (epoch ms), if any."""
        queue = self._feed_queues.get(feed_id)
        return None if queue is None else queue.next_expiry()

    # The queue of a feed lives in memory, loaded from SQLite on first use in windows of
    # QUEUE_WINDOW rows: a read then costs no SELECT and no per-event UPDATE, only the DELETE of
    # what its ack confirms. Leases are memory-only: after a restart every unacked event is
    # redeliverable at once (at-least-once delivery, which the SDKs dedupe).
    def _feed_queue(self, feed_id: str) -> FeedQueue:
        queue = self._feed_queues.get(feed_id)
        if queue is None:
            queue = self._feed_queues[feed_id] = FeedQueue()
            self._load_window(queue, feed_id)
        return queue

    def _load_window(self, queue: FeedQueue, feed_id: str) -> None:
        self._open()
        cursor = self._conn.cursor()
        cursor.row_factory = None  # plain tuples: no per-row dict for thousands of events
        rows: list[tuple[int, str]] = cursor.execute(
            "SELECT f.seq, e.event_json FROM feed_events f JOIN events e USING (event_id) "
            "WHERE f.feed_id = ? AND f.seq > ? ORDER BY f.seq LIMIT ?",
            (feed_id, queue.loaded_upto, QUEUE_WINDOW),
        ).fetchall()
        queue.ready.extend([(seq, text.encode()) for seq, text in rows])
        if rows:
            queue.loaded_upto = rows[-1][0]
        queue.complete = len(rows) < QUEUE_WINDOW

    def _take_ready(self, queue: FeedQueue, feed_id: str, limit: int) -> list[tuple[int, bytes]]:
        items: list[tuple[int, bytes]] = []
        while len(items) < limit:
            ready = queue.ready
            if not ready:
                if queue.complete:
                    break
                self._load_window(queue, feed_id)
                continue
            take = ready.popleft
            items += [take() for _ in range(min(limit - len(items), len(ready)))]
        return items

    def queued_event_count(self, feed_id: str) -> int:
        self.apply_deferred_writes()
        row = self.query_one("SELECT COUNT(*) AS n FROM feed_events WHERE feed_id = ?", (feed_id,))
        return int(row["n"]) if row else 0

    # ------------------------------------------------------------------ faults
    def add_fault(
        self,
        path_regex: str,
        *,
        method: str | None,
        status: int | None,
        delay_ms: int | None,
        drop: bool,
        times: int | None,
        retry_after_s: int | None = None,
    ) -> int:
        self._open()
        cursor = self._conn.execute(
            "INSERT INTO faults(path_regex, method, status, delay_ms, drop_connection, times_left, "
            "retry_after_s) VALUES(?, ?, ?, ?, ?, ?, ?)",
            (path_regex, method, status, delay_ms, int(drop), times, retry_after_s),
        )
        return int(cursor.lastrowid or 0)

    def list_faults(self) -> list[dict[str, Any]]:
        return self.query("SELECT * FROM faults ORDER BY fault_id")

    def set_fault_times(self, fault_id: int, times_left: int) -> None:
        if times_left <= 0:
            self.execute("DELETE FROM faults WHERE fault_id = ?", (fault_id,))
        else:
            self.execute("UPDATE faults SET times_left = ? WHERE fault_id = ?", (times_left, fault_id))

    def clear_faults(self) -> None:
        self.execute("DELETE FROM faults")
