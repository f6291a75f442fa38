"""Streams (IMs, rooms), their members, messages and attachments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..ids import now_ms
from .base import StoreBase, dumps

_INSERTED_MESSAGE_COLUMNS = (
    "message_id",
    "stream_id",
    "user_id",
    "timestamp",
    "message",
    "message_ml",
    "data",
    "original_format",
    "parent_message_id",
    "extra_json",
)

_INSERT_MESSAGE = (
    f"INSERT INTO messages({', '.join(_INSERTED_MESSAGE_COLUMNS)}) "
    f"VALUES({', '.join('?' for _ in _INSERTED_MESSAGE_COLUMNS)})"
)
_UPDATABLE_STREAM_COLUMNS = frozenset({"name", "description", "active", "attributes_json", "last_message_at"})


class ConversationStore(StoreBase):
    """Streams with their members, messages and attachments."""

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
        self._stream_cache.pop(stream_id, None)
        self._member_cache.pop(stream_id, None)
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
        cached = self._stream_cache.get(stream_id)
        if cached is not None:
            return dict(cached)  # a copy: callers may modify what they get
        row = self.query_one("SELECT * FROM streams WHERE stream_id = ?", (stream_id,))
        if row is not None:
            self._stream_cache[stream_id] = dict(row)
        return row

    def get_stream_by_im_key(self, im_key: str) -> dict[str, Any] | None:
        return self.query_one("SELECT * FROM streams WHERE im_key = ?", (im_key,))

    def update_stream(self, stream_id: str, **columns: Any) -> bool:
        """Set columns of a stream row (``attributes_json`` as text); False if no such stream (or
        nothing to set).

        The one way to change a stream: it keeps the stream cache current."""
        unknown = set(columns) - _UPDATABLE_STREAM_COLUMNS
        if unknown:
            raise ValueError(f"cannot update stream columns: {sorted(unknown)}")
        if not columns:
            return False
        assignments = ", ".join(f"{name} = ?" for name in columns)
        self._stream_cache.pop(stream_id, None)
        return (
            self.execute(
                f"UPDATE streams SET {assignments} WHERE stream_id = ?", (*columns.values(), stream_id)
            )
            > 0
        )

    def _members(self, stream_id: str) -> dict[int, dict[str, Any]]:
        """The cached member rows of a stream by user id, in join order (never modify them)."""
        members = self._member_cache.get(stream_id)
        if members is None:
            rows = self.query(
                "SELECT * FROM stream_members WHERE stream_id = ? ORDER BY joined_at, user_id", (stream_id,)
            )
            members = {row["user_id"]: row for row in rows}
            if members:  # empty (an unknown id, a room everyone left) is not worth an entry
                self._member_cache[stream_id] = members
        return members

    def stream_members(self, stream_id: str) -> list[dict[str, Any]]:
        """Member rows (stream_id, user_id, owner, joined_at) in join order."""
        return [dict(row) for row in self._members(stream_id).values()]

    def stream_member_ids(self, stream_id: str) -> list[int]:
        return list(self._members(stream_id))

    def member_row(self, stream_id: str, user_id: int) -> dict[str, Any] | None:
        """The member row of ``user_id`` in the stream (with its ``owner`` flag), None if not a member."""
        row = self._members(stream_id).get(user_id)
        return None if row is None else dict(row)

    def is_member(self, stream_id: str, user_id: int) -> bool:
        return user_id in self._members(stream_id)

    def add_member(self, stream_id: str, user_id: int, *, owner: bool = False) -> bool:
        """Add a member; returns False if it already was one."""
        self._member_cache.pop(stream_id, None)
        return (
            self.execute(
                "INSERT OR IGNORE INTO stream_members(stream_id, user_id, owner, joined_at) "
                "VALUES(?, ?, ?, ?)",
                (stream_id, user_id, int(owner), now_ms()),
            )
            > 0
        )

    def remove_member(self, stream_id: str, user_id: int) -> bool:
        self._member_cache.pop(stream_id, None)
        return (
            self.execute(
                "DELETE FROM stream_members WHERE stream_id = ? AND user_id = ?", (stream_id, user_id)
            )
            > 0
        )

    def set_owner(self, stream_id: str, user_id: int, owner: bool) -> bool:
        self._member_cache.pop(stream_id, None)
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
        # the row as SELECT * would read it back (one query less per message)
        row: dict[str, Any] = {
            "seq": None,
            "message_id": message_id,
            "stream_id": stream_id,
            "user_id": user_id,
            "timestamp": timestamp,
            "message": message,
            "message_ml": message_ml,
            "data": data,
            "original_format": original_format,
            "parent_message_id": parent_message_id,
            "suppressed": 0,
            "extra_json": dumps(extra) if extra else "{}",
        }
        values = [row[column] for column in _INSERTED_MESSAGE_COLUMNS]
        cached = self._stream_cache.get(stream_id)
        if cached is not None and cached["last_message_at"] == timestamp:
            # The stream row holds this time already (a burst: most messages of a busy stream share
            # their millisecond with the one before), so its UPDATE would change nothing; and one
            # statement alone is atomic, without the savepoint a block costs.
            self._open()
            row["seq"] = self._conn.execute(_INSERT_MESSAGE, values).lastrowid
            return row
        with self.transaction():
            self._open()
            row["seq"] = self._conn.execute(_INSERT_MESSAGE, values).lastrowid
            self.execute("UPDATE streams SET last_message_at = ? WHERE stream_id = ?", (timestamp, stream_id))
        if cached is not None:  # kept current rather than dropped: the next message needs it again
            cached["last_message_at"] = timestamp
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
