"""SQLite persistence of the whole pod (one file ``pod.db`` in the work dir): connection and transactions.

Design:
- One ``sqlite3`` connection, used only by the server's event-loop thread (route handlers run
  there), in WAL mode with ``synchronous=OFF``: a committed write survives the process being
  SIGKILLed (it is in the WAL, written at COMMIT); an OS crash or power loss may lose or damage
  the work dir's state, which an emulator can afford. What it buys: no fsync, in particular none
  in the WAL checkpoints that COMMITs run every ~1,000 pages, which held a datafeed read up for
  3-6 ms every few dozen reads (docs/decisions.md, "Emulator: SQLite without fsync").
- :meth:`Store.transaction` blocks make multi-statement writes atomic.
- Group commit (the server's mode): writes accumulate in one open transaction and
  :meth:`Store.commit` ends it. The app commits before sending any response while writes are
  pending, so every answer a client sees is durable, and the requests finishing in the same
  event-loop iteration share one commit (a COMMIT costs more than the inserts of a message).
- Rows come back as plain ``dict``s with the column names below. JSON columns (``*_json``) hold
  text; :func:`loads` decodes them.
- The schema covers every table the emulator needs; route modules may add their own queries
  with :meth:`Store.query` / :meth:`Store.execute` instead of growing this class.

Tables (see ``SCHEMA``): meta, users, sessions, streams, stream_members, messages, attachments,
datafeeds, events, feed_events, connections, signals, signal_subscribers, presence, faults.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .. import jsonfast
from .schema import ADDED_COLUMNS, SCHEMA, SCHEMA_VERSION

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def loads(text: str | None, default: Any = None) -> Any:
    """Decode a JSON column (``None`` gives ``default``)."""
    if text is None:
        return default
    return json.loads(text)


def dumps(value: Any) -> str:
    """Encode a value for a JSON column (compact; msgspec, see :mod:`sympod.jsonfast`)."""
    return jsonfast.dumps(value)


def _dict_factory(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> dict[str, Any]:
    return dict(zip([column[0] for column in cursor.description], row, strict=True))


class StoreBase:
    """Connection, transactions and generic queries. Not thread-safe by design: use it from the
    server's loop thread only."""

    def __init__(self, path: str | Path, *, group_commit: bool = False) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # check_same_thread=False: the work dir is prepared on the caller's thread before the
        # server thread takes the connection over; after that only the loop thread uses it.
        self._conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
        self._conn.row_factory = _dict_factory
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=OFF")
        self._conn.execute("PRAGMA foreign_keys=OFF")
        self._conn.execute("PRAGMA busy_timeout=5000")
        self._conn.executescript(SCHEMA)
        self._add_missing_columns()
        self._tx_depth = 0
        self._tx_lock = threading.RLock()
        self.group_commit = group_commit
        self._committed_changes = self._conn.total_changes
        # Read caches of rows every message needs (its sender, the members' feeds). Every Store
        # method writing them invalidates; a rollback clears them (a row read inside the rolled-back
        # block may not exist any more). Hence: write these tables through Store methods only.
        self._user_cache: dict[int, dict[str, Any]] = {}
        self._feed_cache: dict[int, list[str]] = {}
        # Streams and their members (user id -> member row, in join order), by stream id: every
        # message create checks both. Same rule: ConversationStore's writers keep them current.
        self._stream_cache: dict[str, dict[str, Any]] = {}
        self._member_cache: dict[str, dict[int, dict[str, Any]]] = {}
        if self.get_meta("schema_version") is None:
            self.set_meta("schema_version", str(SCHEMA_VERSION))
        self.commit()

    def _add_missing_columns(self) -> None:
        for table, column, declaration in ADDED_COLUMNS:
            present = {row["name"] for row in self._conn.execute(f"PRAGMA table_info({table})")}
            if column not in present:
                self._conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")

    # ------------------------------------------------------------------ generic access
    def close(self) -> None:
        self.commit()
        self._conn.close()

    @property
    def has_uncommitted(self) -> bool:
        """Whether writes are waiting for :meth:`commit` (group-commit mode only)."""
        return self._conn.total_changes != self._committed_changes

    @property
    def in_transaction_block(self) -> bool:
        """Whether a :meth:`transaction` block is open (a commit now would split it)."""
        return self._tx_depth > 0

    def commit(self) -> None:
        """Make every write so far durable (group-commit mode; a no-op in autocommit mode)."""
        if self._tx_depth:
            raise RuntimeError("commit() inside a transaction block would make half of it durable")
        if self._conn.in_transaction:
            self._conn.execute("COMMIT")
        self._committed_changes = self._conn.total_changes

    def _open(self) -> None:
        # group-commit mode: statements run inside one long transaction that commit() ends
        if self.group_commit and not self._conn.in_transaction:
            self._conn.execute("BEGIN IMMEDIATE")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes atomically (all or nothing); nests (inner blocks join the outer one).

        In group-commit mode the block is a SAVEPOINT inside the long transaction: an exception
        rolls back this block only, and the writes become durable at the next :meth:`commit`.
        """
        with self._tx_lock:
            if self._tx_depth:
                self._tx_depth += 1
                try:
                    yield
                finally:
                    self._tx_depth -= 1
                return
            if self.group_commit:
                self._open()
                begin, rollback, end = "SAVEPOINT tx", "ROLLBACK TO tx", "RELEASE tx"
            else:
                begin, rollback, end = "BEGIN IMMEDIATE", "ROLLBACK", "COMMIT"
            self._conn.execute(begin)
            self._tx_depth = 1
            try:
                yield
            except BaseException:
                self._tx_depth = 0
                self._forget_cached()
                self._conn.execute(rollback)
                if self.group_commit:
                    self._conn.execute(end)
                raise
            self._tx_depth = 0
            self._conn.execute(end)

    def _forget_cached(self) -> None:
        self._user_cache.clear()
        self._feed_cache.clear()
        self._stream_cache.clear()
        self._member_cache.clear()

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        self._open()
        return self._conn.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> dict[str, Any] | None:
        self._open()
        row: dict[str, Any] | None = self._conn.execute(sql, params).fetchone()
        return row

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        """Run one write statement; returns the number of changed rows."""
        self._open()
        return self._conn.execute(sql, params).rowcount

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._open()
        self._conn.executemany(sql, rows)

    def get_meta(self, key: str) -> str | None:
        row = self.query_one("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else str(row["value"])

    def set_meta(self, key: str, value: str) -> None:
        self.execute(
            "INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
