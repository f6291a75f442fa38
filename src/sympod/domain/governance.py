"""Admin governance: delegates, disclaimers, user sessions, admin message details.

State lives in the user rows' ``extra_json`` (delegates, assigned disclaimer) and the sessions table;
the pod's disclaimers are a fixed catalogue (an emulated pod has no disclaimer editor).
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..errors import ApiError
from ..state import PodState
from ..store import Store, dumps, loads
from .message_ops import receipts
from .users import require_user

DISCLAIMERS: list[dict[str, Any]] = [
    {
        "id": "571d2052e4b042aaf06d2e7a",
        "name": "Enterprise Disclaimer",
        "content": "Messages are recorded for compliance.",
        "frequencyInHours": 24,
        "isDefault": True,
        "isActive": True,
        "createdDate": 1_461_526_610_846,
        "modifiedDate": 1_461_526_610_846,
        "format": "TEXT",
    },
    {
        "id": "571d20dae4b042aaf06d2e7c",
        "name": "Trading Disclaimer",
        "content": "Nothing here is investment advice.",
        "frequencyInHours": 168,
        "isDefault": False,
        "isActive": True,
        "createdDate": 1_461_526_746_875,
        "modifiedDate": 1_461_526_746_875,
        "format": "TEXT",
    },
]


def _extra(user: dict[str, Any]) -> dict[str, Any]:
    extra = loads(user.get("extra_json"), {})
    return extra if isinstance(extra, dict) else {}


# ---------------------------------------------------------------------------------------------- delegates
def delegates(store: Store, user_id: int) -> list[int]:
    return [int(uid) for uid in _extra(require_user(store, user_id)).get("delegates", [])]


def update_delegates(store: Store, user_id: int, body: dict[str, Any]) -> str:
    """``DelegateAction {userId, action: ADD|REMOVE}``."""
    user = require_user(store, user_id)
    delegate, action = body.get("userId"), body.get("action")
    if isinstance(delegate, bool) or not isinstance(delegate, int):
        raise ApiError(400, "Field 'userId' is required and must be an integer user id")
    if action not in ("ADD", "REMOVE"):
        raise ApiError(400, f"Field 'action' must be ADD or REMOVE, got {action!r}")
    if delegate == user_id:
        raise ApiError(400, f"User {user_id} cannot be their own delegate")
    require_user(store, delegate)
    extra = _extra(user)
    current = [int(uid) for uid in extra.get("delegates", [])]
    if action == "ADD" and delegate not in current:
        current.append(delegate)
    elif action == "REMOVE":
        current = [uid for uid in current if uid != delegate]
    extra["delegates"] = current
    store.update_user(user_id, extra_json=dumps(extra))
    return f"Delegate {delegate} {'added to' if action == 'ADD' else 'removed from'} user {user_id}"


# ---------------------------------------------------------------------------------------------- disclaimers
def disclaimer(disclaimer_id: str) -> dict[str, Any]:
    for item in DISCLAIMERS:
        if item["id"] == disclaimer_id:
            return item
    raise ApiError(400, f"Disclaimer {disclaimer_id} does not exist")


def disclaimer_users(store: Store, disclaimer_id: str) -> list[int]:
    disclaimer(disclaimer_id)
    return [row["user_id"] for row in store.list_users() if _extra(row).get("disclaimerId") == disclaimer_id]


def user_disclaimer(store: Store, user_id: int) -> dict[str, Any] | None:
    assigned = _extra(require_user(store, user_id)).get("disclaimerId")
    return disclaimer(assigned) if assigned else None


def assign_disclaimer(store: Store, user_id: int, disclaimer_id: str | None) -> str:
    user = require_user(store, user_id)
    extra = _extra(user)
    if disclaimer_id is None:
        extra.pop("disclaimerId", None)
    else:
        disclaimer(disclaimer_id)
        extra["disclaimerId"] = disclaimer_id
    store.update_user(user_id, extra_json=dumps(extra))
    return f"Disclaimer of user {user_id} {'removed' if disclaimer_id is None else 'updated'}"


# ---------------------------------------------------------------------------------------------- sessions
def _session_id(token: str) -> str:
    """A stable public id for a session: never the token itself, which is a credential."""
    return hashlib.sha256(token.encode()).hexdigest()[:32]


def user_sessions(store: Store, user_id: int) -> dict[str, Any]:
    """``V1UserSessions`` of a user's live session tokens (key-manager tokens are not sessions)."""
    require_user(store, user_id)
    rows = store.query(
        "SELECT token, created_at, expires_at FROM sessions WHERE user_id = ? AND kind = 'session' "
        "ORDER BY created_at",
        (user_id,),
    )
    return {
        "sessions": [
            {
                "sessionId": _session_id(row["token"]),
                "userId": user_id,
                "clientIp": "127.0.0.1",
                "userAgent": "sympod client",
                "creationTime": row["created_at"],
                "expirationDelay": row["expires_at"],
            }
            for row in rows
        ]
    }


def end_sessions(pod: PodState, user_id: int, session_id: str | None = None) -> int:
    """Revoke one session (by public id) or all tokens of a user; their next call gets a 401."""
    rows = pod.store.query("SELECT token FROM sessions WHERE user_id = ?", (user_id,))
    tokens = [row["token"] for row in rows if session_id is None or _session_id(row["token"]) == session_id]
    if session_id is not None and not tokens:
        raise ApiError(400, f"User {user_id} has no session {session_id}")
    for token in tokens:
        pod.store.execute("DELETE FROM sessions WHERE token = ?", (token,))
        pod.sessions.forget(token)
    return len(tokens)


# ---------------------------------------------------------------------------------------------- messages
def message_details(store: Store, body: dict[str, Any]) -> list[dict[str, Any]]:
    """``POST /pod/v1/admin/messages {messageIds}`` → ``MessageDetails`` (receipt summaries)."""
    ids = body.get("messageIds")
    if not isinstance(ids, list) or not ids or not all(isinstance(item, str) for item in ids):
        raise ApiError(400, "Field 'messageIds' must be a non-empty array of message ids")
    keys = ("creator", "stream", "creationDate", "deliveryReceiptCount", "readReceiptCount",
            "emailNotificationCount", "downloadReceiptCounts")  # fmt: skip
    details = []
    for message_id in ids:
        summary = receipts(store, message_id)
        details.append({"messageId": message_id, **{key: summary[key] for key in keys}})
    return details
