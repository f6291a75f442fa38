"""Connections between users (``/pod/v1/connection/*``), seen from the caller's side."""

from __future__ import annotations

from typing import Any

from ..errors import ApiError
from ..events import v4_user
from ..ids import now_ms
from ..state import PodState
from ..store import Store
from .users import require_user

STATUSES = ("PENDING_INCOMING", "PENDING_OUTGOING", "ACCEPTED", "REJECTED")


def _row(store: Store, a: int, b: int) -> dict[str, Any] | None:
    """The connection between two users, whichever of them asked."""
    return store.query_one(
        "SELECT * FROM connections "
        "WHERE (user_id = ? AND other_user_id = ?) OR (user_id = ? AND other_user_id = ?)",
        (a, b, b, a),
    )


def user_connection(row: dict[str, Any], caller_id: int) -> dict[str, Any]:
    """``UserConnection`` as the caller sees it: ``userId`` is the other user."""
    outgoing = row["user_id"] == caller_id
    status = row["status"]
    if status == "PENDING":
        status = "PENDING_OUTGOING" if outgoing else "PENDING_INCOMING"
    return {
        "userId": row["other_user_id"] if outgoing else row["user_id"],
        "status": status,
        "firstRequestedAt": row["first_requested_at"],
        "updatedAt": row["updated_at"],
        "requestCounter": row["request_counter"],
    }


def create(pod: PodState, caller: dict[str, Any], user_id: int) -> dict[str, Any]:
    """Request a connection; asking again after a rejection re-opens it (the counter grows)."""
    store = pod.store
    if user_id == caller["user_id"]:
        raise ApiError(400, "A user cannot connect to themselves")
    target = require_user(store, user_id)
    now = now_ms()
    row = _row(store, caller["user_id"], user_id)
    if row is not None and row["status"] in ("ACCEPTED", "PENDING"):
        return user_connection(row, caller["user_id"])
    if row is None:
        store.execute(
            "INSERT INTO connections(user_id, other_user_id, status, first_requested_at, updated_at) "
            "VALUES(?, ?, 'PENDING', ?, ?)",
            (caller["user_id"], user_id, now, now),
        )
    else:  # rejected before: the caller asks (again), whoever asked the first time
        store.execute(
            "UPDATE connections SET user_id = ?, other_user_id = ?, status = 'PENDING', updated_at = ?, "
            "request_counter = request_counter + 1 WHERE user_id = ? AND other_user_id = ?",
            (caller["user_id"], user_id, now, row["user_id"], row["other_user_id"]),
        )
    pod.publish_event("CONNECTIONREQUESTED", {"toUser": v4_user(target)}, caller["user_id"], [user_id])
    created = _row(store, caller["user_id"], user_id)
    assert created is not None
    return user_connection(created, caller["user_id"])


def _answer(pod: PodState, caller: dict[str, Any], user_id: int, accept: bool) -> dict[str, Any]:
    store = pod.store
    requester = require_user(store, user_id)
    row = store.query_one(
        "SELECT * FROM connections WHERE user_id = ? AND other_user_id = ? AND status = 'PENDING'",
        (user_id, caller["user_id"]),
    )
    if row is None:
        raise ApiError(400, f"There is no pending connection request from user {user_id}")
    store.execute(
        "UPDATE connections SET status = ?, updated_at = ? WHERE user_id = ? AND other_user_id = ?",
        ("ACCEPTED" if accept else "REJECTED", now_ms(), user_id, caller["user_id"]),
    )
    if accept:
        pod.publish_event(
            "CONNECTIONACCEPTED", {"fromUser": v4_user(requester)}, caller["user_id"], [user_id]
        )
    updated = _row(store, caller["user_id"], user_id)
    assert updated is not None
    return user_connection(updated, caller["user_id"])


def accept(pod: PodState, caller: dict[str, Any], user_id: int) -> dict[str, Any]:
    return _answer(pod, caller, user_id, True)


def reject(pod: PodState, caller: dict[str, Any], user_id: int) -> dict[str, Any]:
    return _answer(pod, caller, user_id, False)


def info(store: Store, caller: dict[str, Any], user_id: int) -> dict[str, Any]:
    row = _row(store, caller["user_id"], user_id)
    if row is None:
        raise ApiError(404, f"No connection between user {caller['user_id']} and user {user_id}")
    return user_connection(row, caller["user_id"])


def list_connections(
    store: Store,
    caller: dict[str, Any],
    status: str,
    user_ids: list[int] | None,
) -> list[dict[str, Any]]:
    if status not in ("ALL", *STATUSES):
        raise ApiError(
            400, f"Query parameter 'status' must be one of ALL, {', '.join(STATUSES)}, got {status!r}"
        )
    rows = store.query(
        "SELECT * FROM connections WHERE user_id = ? OR other_user_id = ? ORDER BY first_requested_at",
        (caller["user_id"], caller["user_id"]),
    )
    result = [user_connection(row, caller["user_id"]) for row in rows]
    return [
        item for item in result
        if (status == "ALL" or item["status"] == status) and (not user_ids or item["userId"] in user_ids)
    ]  # fmt: skip


def remove(store: Store, caller: dict[str, Any], user_id: int) -> None:
    row = _row(store, caller["user_id"], user_id)
    if row is None or row["status"] != "ACCEPTED":
        raise ApiError(400, f"User {caller['user_id']} is not connected to user {user_id}")
    store.execute(
        "DELETE FROM connections WHERE user_id = ? AND other_user_id = ?",
        (row["user_id"], row["other_user_id"]),
    )
