"""Datafeeds, their event queues (v1 take, v2 lease/ack/redelivery) and fault rules."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from ..ids import new_feed_id, now_ms
from .base import INT64_MAX, INT64_MIN, StoreBase, dumps


class FeedStore(StoreBase):
    """Datafeeds and their event queues (v1: take; v2: lease, ack, redeliver), fault rules."""

    # ------------------------------------------------------------------ datafeeds and events
    def create_datafeed(self, user_id: int, version: int, *, tag: str | None = None) -> dict[str, Any]:
        feed_id = new_feed_id(version)
        self._feed_cache.pop(user_id, None)
        self.execute(
            "INSERT INTO datafeeds(feed_id, version, user_id, tag, created_at) VALUES(?, ?, ?, ?, ?)",
            (feed_id, version, user_id, tag, now_ms()),
        )
        row = self.get_datafeed(feed_id)
        assert row is not None
        return row

    def get_datafeed(self, feed_id: str) -> dict[str, Any] | None:
        return self.query_one("SELECT * FROM datafeeds WHERE feed_id = ?", (feed_id,))

    def list_datafeeds(
        self, user_id: int, *, version: int | None = None, tag: str | None = None
    ) -> list[dict[str, Any]]:
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
        with self.transaction():
            self.execute("DELETE FROM feed_events WHERE feed_id = ?", (feed_id,))
            return self.execute("DELETE FROM datafeeds WHERE feed_id = ?", (feed_id,)) > 0

    def touch_datafeed(self, feed_id: str) -> None:
        self.execute("UPDATE datafeeds SET last_read_at = ? WHERE feed_id = ?", (now_ms(), feed_id))

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
        with self.transaction():
            self.execute(
                "INSERT INTO events(event_id, type, timestamp, initiator_id, event_json) "
                "VALUES(?, ?, ?, ?, ?)",
                (event["id"], event["type"], event["timestamp"], initiator_id, dumps(event)),
            )
            self.executemany(
                "INSERT INTO feed_events(feed_id, event_id) VALUES(?, ?)",
                [(feed_id, event["id"]) for feed_id in feed_ids],
            )

    def take_events_v1(self, feed_id: str, limit: int) -> list[dict[str, Any]]:
        """Remove and return up to ``limit`` queued events (v1 feeds have no ack)."""
        return [json.loads(text) for text in self.take_events_v1_json(feed_id, limit)]

    def take_events_v1_json(self, feed_id: str, limit: int) -> list[str]:
        """:meth:`take_events_v1` as the stored JSON texts (a read answers them without decoding)."""
        with self.transaction():
            rows = self.query(
                "SELECT f.seq, e.event_json FROM feed_events f JOIN events e USING (event_id) "
                "WHERE f.feed_id = ? ORDER BY f.seq LIMIT ?",
                (feed_id, limit),
            )
            if rows:
                self.execute(
                    "DELETE FROM feed_events WHERE feed_id = ? AND seq <= ?", (feed_id, rows[-1]["seq"])
                )
        return [row["event_json"] for row in rows]

    def lease_events_v2(self, feed_id: str, ack_id: str, limit: int, lease_ms: int) -> list[dict[str, Any]]:
        """Hand out up to ``limit`` events not currently leased, under ``ack_id`` until
        now + ``lease_ms``; unacked events become available again after that (redelivery)."""
        return [json.loads(text) for text in self.lease_events_v2_json(feed_id, ack_id, limit, lease_ms)]

    def lease_events_v2_json(self, feed_id: str, ack_id: str, limit: int, lease_ms: int) -> list[str]:
        """:meth:`lease_events_v2` as the stored JSON texts (a read answers them without decoding)."""
        now = now_ms()
        with self.transaction():
            # plain tuples: no per-row dict for what may be hundreds of events
            self._open()
            cursor = self._conn.cursor()
            cursor.row_factory = None
            rows: list[tuple[int, str]] = cursor.execute(
                "SELECT f.seq, e.event_json FROM feed_events f JOIN events e USING (event_id) "
                "WHERE f.feed_id = ? AND (f.lease_until IS NULL OR f.lease_until <= ?) "
                "ORDER BY f.seq LIMIT ?",
                (feed_id, now, limit),
            ).fetchall()
            if rows:
                # The rows picked are exactly the leasable ones between the first and last seq
                # (ordered by seq, limited): one UPDATE over that range instead of one per event.
                self.execute(
                    "UPDATE feed_events SET ack_id = ?, lease_until = ? WHERE feed_id = ? "
                    "AND seq BETWEEN ? AND ? AND (lease_until IS NULL OR lease_until <= ?)",
                    (ack_id, now + lease_ms, feed_id, rows[0][0], rows[-1][0], now),
                )
        return [text for _, text in rows]

    def ack_events_v2(self, feed_id: str, ack_id: str) -> int:
        """Drop the events delivered under ``ack_id``; returns how many (unknown ids ack nothing)."""
        if not ack_id:
            return 0
        return self.execute("DELETE FROM feed_events WHERE feed_id = ? AND ack_id = ?", (feed_id, ack_id))

    def next_lease_expiry(self, feed_id: str) -> int | None:
        """When the earliest leased event of a feed becomes redeliverable (epoch ms), if any."""
        row = self.query_one(
            "SELECT MIN(lease_until) AS soonest FROM feed_events "
            "WHERE feed_id = ? AND lease_until IS NOT NULL",
            (feed_id,),
        )
        return None if row is None else row["soonest"]

    def queued_event_count(self, feed_id: str) -> int:
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
