"""SQLite persistence of the whole pod: one file ``pod.db`` in the work dir.

Design:
- One ``sqlite3`` connection, used only by the server's event-loop thread (route handlers run
  there), in WAL mode with ``synchronous=NORMAL``: a committed write survives the process being
  SIGKILLed (it is in the WAL); only an OS crash may lose the last transactions.
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

from .ids import FIRST_USER_ID, new_feed_id, now_ms

SCHEMA_VERSION = 1
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
    user_id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    email TEXT COLLATE NOCASE,
    display_name TEXT NOT NULL,
    first_name TEXT,
    last_name TEXT,
    title TEXT,
    company TEXT,
    department TEXT,
    location TEXT,
    account_type TEXT NOT NULL DEFAULT 'NORMAL',   -- NORMAL | SYSTEM (bots) | SDL
    active INTEGER NOT NULL DEFAULT 1,
    public_key TEXT,                               -- PEM of the RSA key used for /login RS512 JWTs
    cert_subject TEXT,                             -- client-certificate common name for mTLS auth
    roles_json TEXT NOT NULL DEFAULT '[]',
    features_json TEXT NOT NULL DEFAULT '{}',
    avatar_url TEXT,
    created_at INTEGER NOT NULL,
    extra_json TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS users_email ON users(email);
CREATE INDEX IF NOT EXISTS users_cert_subject ON users(cert_subject);
CREATE TABLE IF NOT EXISTS sessions (
    token TEXT PRIMARY KEY,
    kind TEXT NOT NULL,                            -- session | keymanager
    user_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL                    -- epoch ms
);
CREATE TABLE IF NOT EXISTS streams (
    stream_id TEXT PRIMARY KEY,
    stream_type TEXT NOT NULL,                     -- IM | MIM | ROOM | POST
    name TEXT,
    description TEXT,
    creator_id INTEGER,
    created_at INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    im_key TEXT UNIQUE,                            -- sorted member ids of an IM/MIM (idempotent create)
    attributes_json TEXT NOT NULL DEFAULT '{}',    -- room attributes (public, readOnly, keywords...)
    last_message_at INTEGER
);
CREATE TABLE IF NOT EXISTS stream_members (
    stream_id TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    owner INTEGER NOT NULL DEFAULT 0,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (stream_id, user_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS stream_members_user ON stream_members(user_id);
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL UNIQUE,
    stream_id TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    message TEXT NOT NULL,                         -- PresentationML
    message_ml TEXT,                               -- what the sender sent (MessageML)
    data TEXT,                                     -- EntityJSON string
    original_format TEXT NOT NULL DEFAULT 'com.symphony.messageml.v2',
    parent_message_id TEXT,
    suppressed INTEGER NOT NULL DEFAULT 0,
    extra_json TEXT NOT NULL DEFAULT '{}'          -- anything else of the V4Message (replacing, silent...)
);
CREATE INDEX IF NOT EXISTS messages_stream_time ON messages(stream_id, timestamp);
CREATE TABLE IF NOT EXISTS attachments (
    attachment_id TEXT PRIMARY KEY,
    message_id TEXT NOT NULL,
    stream_id TEXT NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT,
    size INTEGER NOT NULL,
    is_preview INTEGER NOT NULL DEFAULT 0,
    content BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS attachments_message ON attachments(message_id);
CREATE INDEX IF NOT EXISTS attachments_stream ON attachments(stream_id);
CREATE TABLE IF NOT EXISTS datafeeds (
    feed_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,                      -- 1 | 2
    user_id INTEGER NOT NULL,
    tag TEXT,
    created_at INTEGER NOT NULL,
    last_read_at INTEGER
);
CREATE INDEX IF NOT EXISTS datafeeds_user ON datafeeds(user_id);
CREATE TABLE IF NOT EXISTS events (
    event_id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    timestamp INTEGER NOT NULL,
    initiator_id INTEGER,
    event_json TEXT NOT NULL                       -- the complete V4Event
);
CREATE TABLE IF NOT EXISTS feed_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    feed_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    ack_id TEXT,                                   -- v2: the ackId of the read that delivered it
    lease_until INTEGER                            -- v2: redelivered after this (epoch ms) unless acked
);
CREATE INDEX IF NOT EXISTS feed_events_feed ON feed_events(feed_id, seq);
CREATE INDEX IF NOT EXISTS feed_events_ack ON feed_events(ack_id);
CREATE TABLE IF NOT EXISTS connections (
    user_id INTEGER NOT NULL,                      -- the requester
    other_user_id INTEGER NOT NULL,                -- the requested user
    status TEXT NOT NULL,                          -- PENDING | ACCEPTED | REJECTED
    first_requested_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    request_counter INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (user_id, other_user_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS signals (
    signal_id TEXT PRIMARY KEY,
    owner_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    query TEXT NOT NULL,
    visible_on_profile INTEGER NOT NULL DEFAULT 0,
    company_wide INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS signal_subscribers (
    signal_id TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    pushed INTEGER NOT NULL DEFAULT 0,
    owner INTEGER NOT NULL DEFAULT 0,
    subscribed_at INTEGER NOT NULL,
    PRIMARY KEY (signal_id, user_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS presence (
    user_id INTEGER PRIMARY KEY,
    category TEXT NOT NULL,
    timestamp INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS faults (
    fault_id INTEGER PRIMARY KEY AUTOINCREMENT,
    path_regex TEXT NOT NULL,
    method TEXT,
    status INTEGER,
    delay_ms INTEGER,
    drop_connection INTEGER NOT NULL DEFAULT 0,
    times_left INTEGER                             -- NULL = forever
);
"""

# tables emptied by reset(); users/sessions/meta are handled separately (the bot survives)
_RESET_TABLES = (
    "streams",
    "stream_members",
    "messages",
    "attachments",
    "datafeeds",
    "events",
    "feed_events",
    "connections",
    "signals",
    "signal_subscribers",
    "presence",
    "faults",
)

USER_COLUMNS = (
    "user_id",
    "username",
    "email",
    "display_name",
    "first_name",
    "last_name",
    "title",
    "company",
    "department",
    "location",
    "account_type",
    "active",
    "public_key",
    "cert_subject",
    "roles_json",
    "features_json",
    "avatar_url",
    "created_at",
    "extra_json",
)


def loads(text: str | None, default: Any = None) -> Any:
    """Decode a JSON column (``None`` gives ``default``)."""
    if text is None:
        return default
    return json.loads(text)


def dumps(value: Any) -> str:
    """Encode a value for a JSON column (compact)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _dict_factory(cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> dict[str, Any]:
    return dict(zip([column[0] for column in cursor.description], row, strict=True))


class Store:
    """The pod's state. Not thread-safe by design: use it from the server's loop thread only."""

    def __init__(self, path: str | Path, *, group_commit: bool = False) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # check_same_thread=False: the work dir is prepared on the caller's thread before the
        # server thread takes the connection over; after that only the loop thread uses it.
        self._conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
        self._conn.row_factory = _dict_factory
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA foreign_keys=OFF")
        self._conn.execute("PRAGMA busy_timeout=5000")
        self._conn.executescript(SCHEMA)
        self._tx_depth = 0
        self._tx_lock = threading.RLock()
        self.group_commit = group_commit
        self._committed_changes = self._conn.total_changes
        # Read caches of rows every message needs (its sender, the members' feeds). Every Store
        # method writing them invalidates; a rollback clears them (a row read inside the rolled-back
        # block may not exist any more). Hence: write these tables through Store methods only.
        self._user_cache: dict[int, dict[str, Any]] = {}
        self._feed_cache: dict[int, list[str]] = {}
        if self.get_meta("schema_version") is None:
            self.set_meta("schema_version", str(SCHEMA_VERSION))
        self.commit()

    # ------------------------------------------------------------------ generic access
    def close(self) -> None:
        self.commit()
        self._conn.close()

    @property
    def has_uncommitted(self) -> bool:
        """Whether writes are waiting for :meth:`commit` (group-commit mode only)."""
        return self._conn.total_changes != self._committed_changes

    def commit(self) -> None:
        """Make every write so far durable (group-commit mode; a no-op in autocommit mode)."""
        if self._conn.in_transaction and not self._tx_depth:
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

    # ------------------------------------------------------------------ users
    def create_user(
        self,
        username: str,
        *,
        display_name: str | None = None,
        email: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        bot: bool = False,
        public_key: str | None = None,
        cert_subject: str | None = None,
        **extra_columns: Any,
    ) -> dict[str, Any]:
        """Insert a user and return its row; the caller checks uniqueness (a duplicate raises
        ``sqlite3.IntegrityError``). ``extra_columns`` may set title, company, department..."""
        unknown = set(extra_columns) - set(USER_COLUMNS)
        if unknown:
            raise ValueError(f"unknown user columns: {sorted(unknown)}")
        with self.transaction():
            row = self.query_one("SELECT MAX(user_id) AS last FROM users")
            last = row["last"] if row and row["last"] is not None else FIRST_USER_ID - 1
            user_id = max(last + 1, FIRST_USER_ID)
            values: dict[str, Any] = {
                "user_id": user_id,
                "username": username,
                "display_name": display_name or username,
                "email": email,
                "first_name": first_name,
                "last_name": last_name,
                "account_type": "SYSTEM" if bot else "NORMAL",
                "public_key": public_key,
                "cert_subject": cert_subject,
                "created_at": now_ms(),
                **extra_columns,
            }
            columns = ", ".join(values)
            marks = ", ".join("?" for _ in values)
            self.execute(f"INSERT INTO users({columns}) VALUES({marks})", tuple(values.values()))
        created = self.get_user(user_id)
        assert created is not None
        return created

    def get_user(self, user_id: int) -> dict[str, Any] | None:
        cached = self._user_cache.get(user_id)
        if cached is not None:
            return dict(cached)  # a copy: callers may modify what they get
        if not INT64_MIN <= user_id <= INT64_MAX:
            return None  # cannot exist, and SQLite would raise OverflowError
        row = self.query_one("SELECT * FROM users WHERE user_id = ?", (user_id,))
        if row is not None:
            self._user_cache[user_id] = dict(row)
        return row

    def get_user_by_username(self, username: str) -> dict[str, Any] | None:
        return self.query_one("SELECT * FROM users WHERE username = ?", (username,))

    def get_user_by_email(self, email: str) -> dict[str, Any] | None:
        return self.query_one("SELECT * FROM users WHERE email = ?", (email,))

    def get_user_by_cert_subject(self, subject: str) -> dict[str, Any] | None:
        return self.query_one("SELECT * FROM users WHERE cert_subject = ?", (subject,))

    def find_user(self, ref: str | int) -> dict[str, Any] | None:
        """A user by id (int or digit string) or by username."""
        if isinstance(ref, int) and not isinstance(ref, bool):
            return self.get_user(ref)
        text = str(ref).strip()
        if text.isdigit():
            found = self.get_user(int(text))
            if found is not None:
                return found
        return self.get_user_by_username(text)

    def get_users(self, user_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        ids = [uid for uid in dict.fromkeys(user_ids) if INT64_MIN <= uid <= INT64_MAX]
        if not ids:
            return {}
        marks = ",".join("?" for _ in ids)
        rows = self.query(f"SELECT * FROM users WHERE user_id IN ({marks})", ids)
        return {row["user_id"]: row for row in rows}

    def list_users(self) -> list[dict[str, Any]]:
        return self.query("SELECT * FROM users ORDER BY user_id")

    def update_user(self, user_id: int, **columns: Any) -> None:
        unknown = set(columns) - set(USER_COLUMNS)
        if unknown or "user_id" in columns:
            raise ValueError(f"cannot update user columns: {sorted(unknown | ({'user_id'} & set(columns)))}")
        if not columns:
            return
        assignments = ", ".join(f"{name} = ?" for name in columns)
        self._user_cache.pop(user_id, None)
        self.execute(f"UPDATE users SET {assignments} WHERE user_id = ?", (*columns.values(), user_id))

    # ------------------------------------------------------------------ sessions
    def add_session(self, token: str, kind: str, user_id: int, expires_at: int) -> None:
        self.execute(
            "INSERT OR REPLACE INTO sessions(token, kind, user_id, created_at, expires_at) "
            "VALUES(?, ?, ?, ?, ?)",
            (token, kind, user_id, now_ms(), expires_at),
        )

    def get_session(self, token: str) -> dict[str, Any] | None:
        return self.query_one("SELECT * FROM sessions WHERE token = ?", (token,))

    def delete_sessions(self, user_id: int | None = None) -> None:
        """Invalidate every token (or those of one user)."""
        if user_id is None:
            self.execute("DELETE FROM sessions")
        else:
            self.execute("DELETE FROM sessions WHERE user_id = ?", (user_id,))

    def delete_expired_sessions(self) -> None:
        self.execute("DELETE FROM sessions WHERE expires_at < ?", (now_ms(),))

    # ------------------------------------------------------------------ streams
    def create_stream(
        self,
        stream_id: str,
        stream_type: str,
        *,
        creator_id: int | None,
        member_ids: Sequence[int],
        owner_ids: Sequence[int] = (),
        name: str | None = None,
        description: str | None = None,
        attributes: dict[str, Any] | None = None,
        im_key: str | None = None,
    ) -> dict[str, Any]:
        now = now_ms()
        owners = set(owner_ids)
        with self.transaction():
            self.execute(
                "INSERT INTO streams(stream_id, stream_type, name, description, creator_id, created_at, "
                "im_key, attributes_json) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
                (stream_id, stream_type, name, description, creator_id, now, im_key, dumps(attributes or {})),
            )
            self.executemany(
                "INSERT OR IGNORE INTO stream_members(stream_id, user_id, owner, joined_at) "
                "VALUES(?, ?, ?, ?)",
                [(stream_id, uid, int(uid in owners), now) for uid in dict.fromkeys(member_ids)],
            )
        created = self.get_stream(stream_id)
        assert created is not None
        return created

    def get_stream(self, stream_id: str) -> dict[str, Any] | None:
        return self.query_one("SELECT * FROM streams WHERE stream_id = ?", (stream_id,))

    def get_stream_by_im_key(self, im_key: str) -> dict[str, Any] | None:
        return self.query_one("SELECT * FROM streams WHERE im_key = ?", (im_key,))

    def stream_members(self, stream_id: str) -> list[dict[str, Any]]:
        """Member rows (stream_id, user_id, owner, joined_at) in join order."""
        return self.query(
            "SELECT * FROM stream_members WHERE stream_id = ? ORDER BY joined_at, user_id", (stream_id,)
        )

    def stream_member_ids(self, stream_id: str) -> list[int]:
        return [row["user_id"] for row in self.stream_members(stream_id)]

    def is_member(self, stream_id: str, user_id: int) -> bool:
        return (
            self.query_one(
                "SELECT 1 AS found FROM stream_members WHERE stream_id = ? AND user_id = ?",
                (stream_id, user_id),
            )
            is not None
        )

    def add_member(self, stream_id: str, user_id: int, *, owner: bool = False) -> bool:
        """Add a member; returns False if it already was one."""
        return (
            self.execute(
                "INSERT OR IGNORE INTO stream_members(stream_id, user_id, owner, joined_at) "
                "VALUES(?, ?, ?, ?)",
                (stream_id, user_id, int(owner), now_ms()),
            )
            > 0
        )

    def remove_member(self, stream_id: str, user_id: int) -> bool:
        return (
            self.execute(
                "DELETE FROM stream_members WHERE stream_id = ? AND user_id = ?", (stream_id, user_id)
            )
            > 0
        )

    def set_owner(self, stream_id: str, user_id: int, owner: bool) -> bool:
        return (
            self.execute(
                "UPDATE stream_members SET owner = ? WHERE stream_id = ? AND user_id = ?",
                (int(owner), stream_id, user_id),
            )
            > 0
        )

    def user_stream_ids(self, user_id: int) -> list[str]:
        return [
            row["stream_id"]
            for row in self.query("SELECT stream_id FROM stream_members WHERE user_id = ?", (user_id,))
        ]

    # ------------------------------------------------------------------ messages
    def insert_message(
        self,
        message_id: str,
        stream_id: str,
        user_id: int,
        *,
        message: str,
        timestamp: int | None = None,
        message_ml: str | None = None,
        data: str | None = None,
        original_format: str = "com.symphony.messageml.v2",
        parent_message_id: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        timestamp = timestamp if timestamp is not None else now_ms()
        with self.transaction():
            self.execute(
                "INSERT INTO messages(message_id, stream_id, user_id, timestamp, message, message_ml, data, "
                "original_format, parent_message_id, extra_json) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    message_id,
                    stream_id,
                    user_id,
                    timestamp,
                    message,
                    message_ml,
                    data,
                    original_format,
                    parent_message_id,
                    dumps(extra or {}),
                ),
            )
            self.execute("UPDATE streams SET last_message_at = ? WHERE stream_id = ?", (timestamp, stream_id))
        row = self.get_message(message_id)
        assert row is not None
        return row

    def get_message(self, message_id: str) -> dict[str, Any] | None:
        return self.query_one("SELECT * FROM messages WHERE message_id = ?", (message_id,))

    def stream_messages(
        self,
        stream_id: str,
        *,
        since: int = 0,
        until: int | None = None,
        skip: int = 0,
        limit: int = 50,
    ) -> list[dict[str, Any]]:
        """Messages of a stream with ``since <= timestamp (< until)``, oldest first."""
        sql = "SELECT * FROM messages WHERE stream_id = ? AND timestamp >= ?"
        params: list[Any] = [stream_id, since]
        if until is not None:
            sql += " AND timestamp < ?"
            params.append(until)
        sql += " ORDER BY timestamp, seq LIMIT ? OFFSET ?"
        params += [limit, skip]
        return self.query(sql, params)

    def insert_attachment(
        self,
        attachment_id: str,
        message_id: str,
        stream_id: str,
        *,
        name: str,
        content: bytes,
        content_type: str | None = None,
        is_preview: bool = False,
    ) -> None:
        self.execute(
            "INSERT INTO attachments(attachment_id, message_id, stream_id, name, content_type, size, "
            "is_preview, content, created_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                attachment_id,
                message_id,
                stream_id,
                name,
                content_type,
                len(content),
                int(is_preview),
                content,
                now_ms(),
            ),
        )

    def message_attachments(self, message_id: str) -> list[dict[str, Any]]:
        """Attachment rows without their content."""
        return self.query(
            "SELECT attachment_id, message_id, stream_id, name, content_type, size, is_preview, "
            "created_at FROM attachments WHERE message_id = ? ORDER BY rowid",
            (message_id,),
        )

    def get_attachment(self, attachment_id: str) -> dict[str, Any] | None:
        return self.query_one("SELECT * FROM attachments WHERE attachment_id = ?", (attachment_id,))

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
        return [json.loads(row["event_json"]) for row in rows]

    def lease_events_v2(self, feed_id: str, ack_id: str, limit: int, lease_ms: int) -> list[dict[str, Any]]:
        """Hand out up to ``limit`` events not currently leased, under ``ack_id`` until
        now + ``lease_ms``; unacked events become available again after that (redelivery)."""
        now = now_ms()
        with self.transaction():
            rows = self.query(
                "SELECT f.seq, e.event_json FROM feed_events f JOIN events e USING (event_id) "
                "WHERE f.feed_id = ? AND (f.lease_until IS NULL OR f.lease_until <= ?) "
                "ORDER BY f.seq LIMIT ?",
                (feed_id, now, limit),
            )
            if rows:
                self.executemany(
                    "UPDATE feed_events SET ack_id = ?, lease_until = ? WHERE seq = ?",
                    [(ack_id, now + lease_ms, row["seq"]) for row in rows],
                )
        return [json.loads(row["event_json"]) for row in rows]

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
    ) -> int:
        self._open()
        cursor = self._conn.execute(
            "INSERT INTO faults(path_regex, method, status, delay_ms, drop_connection, times_left) "
            "VALUES(?, ?, ?, ?, ?, ?)",
            (path_regex, method, status, delay_ms, int(drop), times),
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

    # ------------------------------------------------------------------ reset
    def reset(self, keep_user_ids: Iterable[int]) -> None:
        """Empty every table, keeping the listed users (the bot) and their sessions."""
        keep = list(keep_user_ids)
        marks = ",".join("?" for _ in keep) or "NULL"
        self._forget_cached()
        with self.transaction():
            for table in _RESET_TABLES:
                self.execute(f"DELETE FROM {table}")
            self.execute(f"DELETE FROM users WHERE user_id NOT IN ({marks})", keep)
            self.execute(f"DELETE FROM sessions WHERE user_id NOT IN ({marks})", keep)
