"""Signals (``/agent/v1/signals/*``): saved queries over hashtags, cashtags and authors."""

from __future__ import annotations

import re
import uuid
from typing import Any

from ..errors import ApiError
from ..ids import now_ms
from ..store import Store
from .users import is_admin

_CLAUSE = re.compile(r"^(HASHTAG|CASHTAG|AUTHOR):\S+$", re.IGNORECASE)
MAX_NAME_LENGTH = 100


def _validate_query(query: str) -> None:
    """``HASHTAG:x AND (CASHTAG:y OR AUTHOR:123)``-style queries; 400 naming the bad clause."""
    tokens = query.replace("(", " ").replace(")", " ").split()
    if not tokens:
        raise ApiError(400, "Field 'query' must not be empty")
    expect_clause = True
    for token in tokens:
        if expect_clause:
            if not _CLAUSE.match(token):
                raise ApiError(
                    400, f"Invalid signal query clause {token!r}: expected HASHTAG:, CASHTAG: or AUTHOR:"
                )
            if token.upper().startswith("AUTHOR:") and not token.split(":", 1)[1].isdigit():
                raise ApiError(400, f"Invalid signal query clause {token!r}: AUTHOR takes a numeric user id")
        elif token.upper() not in ("AND", "OR"):
            raise ApiError(400, f"Invalid signal query: expected AND or OR, got {token!r}")
        expect_clause = not expect_clause
    if expect_clause:
        raise ApiError(400, "Invalid signal query: it ends with an operator")


def parse_signal(body: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    """Validate a ``BaseSignal`` body. On update, absent fields keep their value."""
    parsed: dict[str, Any] = {}
    for name in ("name", "query"):
        value = body.get(name)
        if value is None and partial:
            continue
        if not isinstance(value, str) or not value.strip():
            raise ApiError(400, f"Field '{name}' is required and must be a non-empty string")
        parsed[name] = value.strip()
    if "name" in parsed and len(parsed["name"]) > MAX_NAME_LENGTH:
        raise ApiError(400, f"Field 'name' is longer than {MAX_NAME_LENGTH} characters")
    if "query" in parsed:
        _validate_query(parsed["query"])
    for name in ("visibleOnProfile", "companyWide"):
        if body.get(name) is not None:
            if not isinstance(body[name], bool):
                raise ApiError(400, f"Field '{name}' must be a boolean")
            parsed[name] = body[name]
    return parsed


def signal_json(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["signal_id"],
        "name": row["name"],
        "query": row["query"],
        "visibleOnProfile": bool(row["visible_on_profile"]),
        "companyWide": bool(row["company_wide"]),
        "timestamp": row["created_at"],
    }


def _get(store: Store, signal_id: str) -> dict[str, Any]:
    row = store.query_one("SELECT * FROM signals WHERE signal_id = ?", (signal_id,))
    if row is None:
        raise ApiError(400, f"Signal {signal_id} does not exist")
    return row


def _visible(store: Store, row: dict[str, Any], caller: dict[str, Any]) -> bool:
    if row["owner_id"] == caller["user_id"] or row["company_wide"]:
        return True
    return (
        store.query_one(
            "SELECT 1 AS found FROM signal_subscribers WHERE signal_id = ? AND user_id = ?",
            (row["signal_id"], caller["user_id"]),
        )
        is not None
    )


def get_visible(store: Store, caller: dict[str, Any], signal_id: str) -> dict[str, Any]:
    row = _get(store, signal_id)
    if not _visible(store, row, caller):
        raise ApiError(403, f"Signal {signal_id} is not visible to user {caller['user_id']}")
    return row


def _owned(store: Store, caller: dict[str, Any], signal_id: str) -> dict[str, Any]:
    row = _get(store, signal_id)
    if row["owner_id"] != caller["user_id"] and not is_admin(caller):
        raise ApiError(403, f"Only the owner of signal {signal_id} may change it")
    return row


def list_signals(store: Store, caller: dict[str, Any], *, skip: int, limit: int) -> list[dict[str, Any]]:
    rows = [row for row in store.query("SELECT * FROM signals ORDER BY created_at, signal_id")
            if _visible(store, row, caller)]  # fmt: skip
    return [signal_json(row) for row in rows[skip : skip + limit]]


def create(store: Store, caller: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    parsed = parse_signal(body, partial=False)
    signal_id = uuid.uuid4().hex[:24]
    now = now_ms()
    with store.transaction():
        store.execute(
            "INSERT INTO signals"
            "(signal_id, owner_id, name, query, visible_on_profile, company_wide, created_at) "
            "VALUES(?, ?, ?, ?, ?, ?, ?)",
            (signal_id, caller["user_id"], parsed["name"], parsed["query"],
             int(parsed.get("visibleOnProfile", False)), int(parsed.get("companyWide", False)), now),
        )  # fmt: skip
        store.execute(
            "INSERT INTO signal_subscribers(signal_id, user_id, pushed, owner, subscribed_at) "
            "VALUES(?, ?, 0, 1, ?)",
            (signal_id, caller["user_id"], now),
        )
    return signal_json(_get(store, signal_id))


def update(store: Store, caller: dict[str, Any], signal_id: str, body: dict[str, Any]) -> dict[str, Any]:
    row = _owned(store, caller, signal_id)
    parsed = parse_signal(body, partial=True)
    store.execute(
        "UPDATE signals SET name = ?, query = ?, visible_on_profile = ?, company_wide = ? "
        "WHERE signal_id = ?",
        (parsed.get("name", row["name"]), parsed.get("query", row["query"]),
         int(parsed.get("visibleOnProfile", bool(row["visible_on_profile"]))),
         int(parsed.get("companyWide", bool(row["company_wide"]))), signal_id),
    )  # fmt: skip
    return signal_json(_get(store, signal_id))


def delete(store: Store, caller: dict[str, Any], signal_id: str) -> None:
    _owned(store, caller, signal_id)
    with store.transaction():
        store.execute("DELETE FROM signal_subscribers WHERE signal_id = ?", (signal_id,))
        store.execute("DELETE FROM signals WHERE signal_id = ?", (signal_id,))


def change_subscriptions(
    store: Store,
    caller: dict[str, Any],
    signal_id: str,
    user_ids: list[int],
    *,
    subscribe: bool,
    pushed: bool,
) -> dict[str, Any]:
    """Subscribe/unsubscribe users → ``ChannelSubscriptionResponse`` with a per-user error list.

    Anyone may (un)subscribe themselves to a visible signal; only the owner (or an admin) others.
    """
    row = get_visible(store, caller, signal_id)
    may_manage_others = row["owner_id"] == caller["user_id"] or is_admin(caller)
    errors: list[dict[str, Any]] = []
    done = 0
    for user_id in user_ids:
        if user_id != caller["user_id"] and not may_manage_others:
            errors.append(
                {"userId": user_id, "code": "403", "message": "Only the signal owner may add others"}
            )
        elif store.get_user(user_id) is None:
            errors.append(
                {"userId": user_id, "code": "400", "message": f"The user with id {user_id} does not exist"}
            )
        elif subscribe:
            store.execute(
                "INSERT INTO signal_subscribers(signal_id, user_id, pushed, owner, subscribed_at) "
                "VALUES(?, ?, ?, ?, ?) "
                "ON CONFLICT(signal_id, user_id) DO UPDATE SET pushed = excluded.pushed",
                (signal_id, user_id, int(pushed), int(user_id == row["owner_id"]), now_ms()),
            )
            done += 1
        elif user_id == row["owner_id"]:
            errors.append({"userId": user_id, "code": "400", "message": "The owner cannot unsubscribe"})
        else:
            store.execute(
                "DELETE FROM signal_subscribers WHERE signal_id = ? AND user_id = ?", (signal_id, user_id)
            )
            done += 1
    return {
        "requestedSubscription": len(user_ids),
        "successfulSubscription": done,
        "failedSubscription": len(errors),
        "subscriptionErrors": errors,
    }


def subscribers(
    store: Store, caller: dict[str, Any], signal_id: str, *, skip: int, limit: int
) -> dict[str, Any]:
    get_visible(store, caller, signal_id)
    rows = store.query(
        "SELECT s.*, u.display_name, u.username FROM signal_subscribers s JOIN users u USING (user_id) "
        "WHERE s.signal_id = ? ORDER BY s.subscribed_at, s.user_id",
        (signal_id,),
    )
    page = rows[skip : skip + limit]
    return {
        "offset": skip,
        "hasMore": skip + len(page) < len(rows),
        "total": len(rows),
        "data": [
            {
                "subscriptionId": f"{signal_id}:{row['user_id']}",
                "pushed": bool(row["pushed"]),
                "owner": bool(row["owner"]),
                "subscriberName": row["display_name"] or row["username"],
                "userId": row["user_id"],
                "timestamp": row["subscribed_at"],
            }
            for row in page
        ],
    }
