"""Presence: per-user status, bulk listing and presence feeds (changes since the last read)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from ..errors import ApiError
from ..ids import now_ms
from ..store import Store
from .users import is_admin, require_user

CATEGORIES = (
    "UNDEFINED", "AVAILABLE", "BUSY", "DO_NOT_DISTURB", "ON_THE_PHONE", "BE_RIGHT_BACK", "IN_A_MEETING",
    "AWAY", "OUT_OF_OFFICE", "OFF_WORK", "OFFLINE",
)  # fmt: skip
#: Emulated users are "online" until they say otherwise.
DEFAULT_CATEGORY = "AVAILABLE"
#: With ``soft=true`` a new status does not override these (a meeting outranks "available").
_SOFT_PROTECTED = frozenset({"BUSY", "DO_NOT_DISTURB", "ON_THE_PHONE", "IN_A_MEETING", "OUT_OF_OFFICE"})
_FEED_PREFIX = "presence_feed:"


def presence_of(store: Store, user: dict[str, Any]) -> dict[str, Any]:
    """``V2Presence {category, userId, timestamp}``."""
    row = store.query_one("SELECT * FROM presence WHERE user_id = ?", (user["user_id"],))
    if row is None:
        return {"category": DEFAULT_CATEGORY, "userId": user["user_id"], "timestamp": user["created_at"]}
    return {"category": row["category"], "userId": user["user_id"], "timestamp": row["timestamp"]}


def parse_category(body: dict[str, Any]) -> str:
    category = body.get("category")
    if not isinstance(category, str) or category.upper() not in CATEGORIES:
        raise ApiError(400, f"Field 'category' must be one of {', '.join(CATEGORIES)}, got {category!r}")
    return category.upper()


def set_presence(
    store: Store,
    caller: dict[str, Any],
    user_id: int,
    category: str,
    *,
    soft: bool,
) -> dict[str, Any]:
    """Set a user's presence: one's own, or anyone's for an admin."""
    if user_id != caller["user_id"] and not is_admin(caller):
        raise ApiError(403, f"User {caller['user_id']} may only set their own presence")
    user = require_user(store, user_id)
    current = presence_of(store, user)
    if soft and current["category"] in _SOFT_PROTECTED:
        return current
    store.execute(
        "INSERT INTO presence(user_id, category, timestamp) VALUES(?, ?, ?) "
        "ON CONFLICT(user_id) DO UPDATE SET category = excluded.category, timestamp = excluded.timestamp",
        (user_id, category, now_ms()),
    )
    return presence_of(store, user)


def all_presence(store: Store, last_user_id: int | None, limit: int) -> list[dict[str, Any]]:
    """``GET /pod/v2/users/presence``: by ascending user id, after ``last_user_id``."""
    rows = store.query(
        "SELECT * FROM users WHERE active = 1 AND user_id > ? ORDER BY user_id LIMIT ?",
        (last_user_id or 0, limit),
    )
    return [presence_of(store, row) for row in rows]


def create_feed(store: Store, caller: dict[str, Any]) -> str:
    feed_id = uuid.uuid4().hex
    store.set_meta(_FEED_PREFIX + feed_id, json.dumps({"userId": caller["user_id"], "since": now_ms()}))
    return feed_id


def _feed(store: Store, caller: dict[str, Any], feed_id: str) -> dict[str, Any]:
    raw = store.get_meta(_FEED_PREFIX + feed_id)
    feed = json.loads(raw) if raw else None
    if not feed or feed.get("userId") != caller["user_id"]:
        raise ApiError(400, f"Presence feed {feed_id} does not exist")
    return dict(feed)


def read_feed(store: Store, caller: dict[str, Any], feed_id: str) -> list[dict[str, Any]]:
    """Presence changes since the previous read of this feed."""
    feed = _feed(store, caller, feed_id)
    now = now_ms()
    rows = store.query(
        "SELECT user_id, category, timestamp FROM presence WHERE timestamp >= ? ORDER BY timestamp",
        (feed["since"],),
    )
    store.set_meta(_FEED_PREFIX + feed_id, json.dumps({"userId": caller["user_id"], "since": now + 1}))
    return [
        {"category": row["category"], "userId": row["user_id"], "timestamp": row["timestamp"]} for row in rows
    ]


def delete_feed(store: Store, caller: dict[str, Any], feed_id: str) -> None:
    _feed(store, caller, feed_id)
    store.execute("DELETE FROM meta WHERE key = ?", (_FEED_PREFIX + feed_id,))
