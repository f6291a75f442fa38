"""Messages: create (the one path every sender uses), read, the ``V4Message`` shape, attachments.

:func:`create_message` is shared by ``POST /agent/v4/stream/{sid}/message/create``, blast, share and
the control API (``POST /_emulator/messages``), so a message injected for a test and one sent by a
bot are stored, converted and fanned out identically.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from ..errors import ApiError
from ..events import v4_stream, v4_user
from ..ids import new_attachment_id, new_message_id, normalize_id, now_ms
from ..messageml import ORIGINAL_FORMAT, MessageMLError, convert
from ..state import PodState
from ..store import Store, loads
from .rooms import room_attributes
from .streams import get_stream_or_400, member_stream
from .users import is_admin, require_user

SUPPRESSED_TEXT = (
    '<div data-format="PresentationML" data-version="2.0"><p><i>This message has been removed</i></p></div>'
)
#: ``GET /pod/v1/files/allowedTypes`` and the check on uploads.
ALLOWED_EXTENSIONS = (
    ".txt", ".csv", ".json", ".xml", ".pdf", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".doc", ".docx",
    ".xls", ".xlsx", ".ppt", ".pptx", ".zip", ".log", ".md", ".html", ".bin",
)  # fmt: skip
MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024


@dataclass(frozen=True)
class Attachment:
    """An uploaded file: ``attachment`` parts, or ``preview`` parts (thumbnails of the one before)."""

    name: str
    content: bytes
    content_type: str | None = None
    is_preview: bool = False


def _resolver(store: Store) -> Any:
    def resolve_user(uid: int | None, email: str | None) -> tuple[int, str] | None:
        row = store.get_user(uid) if uid is not None else store.get_user_by_email(email or "")
        if row is None:
            return None
        return row["user_id"], row.get("display_name") or row["username"]

    return resolve_user


def v4_message(
    source: Store | PodState,
    row: dict[str, Any],
    *,
    stream: dict[str, Any] | None = None,
    sender: dict[str, Any] | None = None,
    has_attachments: bool = True,
) -> dict[str, Any]:
    """``V4Message`` of a message row (``source`` is the store or the pod holding it);
    ``stream`` and ``sender`` are the rows when the caller holds them already, and
    ``has_attachments=False`` (a message just created without any) skips their lookup."""
    store: Store = source.store if isinstance(source, PodState) else source
    stream = stream or store.get_stream(row["stream_id"])
    sender = sender or store.get_user(row["user_id"])
    suppressed = bool(row["suppressed"])
    message: dict[str, Any] = {
        "messageId": row["message_id"],
        "timestamp": row["timestamp"],
        "message": SUPPRESSED_TEXT if suppressed else row["message"],
        "data": "{}" if suppressed else (row.get("data") or "{}"),
        "user": v4_user(sender) if sender else {"userId": row["user_id"]},
        "stream": v4_stream(stream) if stream else {"streamId": row["stream_id"]},
        "externalRecipients": False,
        "originalFormat": row.get("original_format") or ORIGINAL_FORMAT,
        "userAgent": "sympod",
    }
    if row.get("parent_message_id"):
        message["parentMessageId"] = row["parent_message_id"]
    extra_json = row.get("extra_json")
    if extra_json and extra_json != "{}":  # what nearly every message holds: nothing to decode
        extra = loads(extra_json, {})
        for key in ("replacing", "replacedBy", "initialTimestamp", "initialMessageId", "silent"):
            if key in extra:
                message[key] = extra[key]
    if not suppressed and has_attachments:
        attachments = _attachment_infos(store, row["message_id"])
        if attachments:
            message["attachments"] = attachments
    return message


def _attachment_infos(store: Store, message_id: str) -> list[dict[str, Any]]:
    infos: list[dict[str, Any]] = []
    for item in store.message_attachments(message_id):
        if item["is_preview"]:
            if infos:  # a preview describes the attachment sent just before it
                infos[-1]["images"].append({"id": item["attachment_id"], "dimension": "600"})
            continue
        infos.append({"id": item["attachment_id"], "name": item["name"], "size": item["size"], "images": []})
    return infos


def _check_can_post(store: Store, stream: dict[str, Any], sender: dict[str, Any]) -> None:
    if not stream["active"]:
        raise ApiError(403, f"Stream {stream['stream_id']} is deactivated: messages cannot be sent to it")
    if stream["stream_type"] == "ROOM" and room_attributes(stream)["readOnly"]:
        member = store.member_row(stream["stream_id"], sender["user_id"])
        if not member or not member["owner"]:
            raise ApiError(403, f"Room {stream['stream_id']} is read-only: only its owners can post")


def _check_attachments(attachments: Sequence[Attachment]) -> None:
    for attachment in attachments:
        if not attachment.name:
            raise ApiError(400, "An attachment has no file name")
        extension = "." + attachment.name.rsplit(".", 1)[-1].lower() if "." in attachment.name else ""
        if not attachment.is_preview and extension not in ALLOWED_EXTENSIONS:
            raise ApiError(
                400, f"Attachment '{attachment.name}': file type '{extension or '(none)'}' is not allowed "
                "(see GET /pod/v1/files/allowedTypes)",
            )  # fmt: skip
        if len(attachment.content) > MAX_ATTACHMENT_BYTES:
            raise ApiError(400, f"Attachment '{attachment.name}' exceeds {MAX_ATTACHMENT_BYTES} bytes")


def create_message(
    pod: PodState,
    sender: int | dict[str, Any],
    stream_id: str,
    message_ml: str,
    data: str | None = None,
    attachments: Sequence[Attachment] = (),
    *,
    event_type: str = "MESSAGESENT",
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Validate, convert, store and fan out one message; returns its ``V4Message``.

    ``sender`` is a user id or a user row (the control API and chat page hold rows, routes ids).

    Errors: 400 unknown stream, invalid MessageML/data or attachment; 403 sender not a member, room
    deactivated or read-only.
    """
    store = pod.store
    sender_row = require_user(store, sender if isinstance(sender, int) else int(sender["user_id"]))
    stream = member_stream(store, stream_id, sender_row)
    _check_can_post(store, stream, sender_row)
    if not isinstance(message_ml, str) or not message_ml.strip():
        raise ApiError(400, "Field 'message' is required and must not be empty")
    _check_attachments(attachments)
    try:
        converted = convert(message_ml, data, _resolver(store))
    except MessageMLError as exc:
        raise ApiError(400, str(exc)) from None
    timestamp = now_ms()
    message_id = new_message_id(timestamp)
    # a message alone is one atomic insert_message; attachments join it in one block
    with store.transaction() if attachments else nullcontext():
        row = store.insert_message(
            message_id,
            stream["stream_id"],
            sender_row["user_id"],
            timestamp=timestamp,
            message=converted.presentation_ml,
            message_ml=message_ml,
            data=converted.data_json,
            extra=extra,
        )
        for attachment in attachments:
            store.insert_attachment(
                new_attachment_id(),
                message_id,
                stream["stream_id"],
                name=attachment.name,
                content=attachment.content,
                content_type=attachment.content_type,
                is_preview=attachment.is_preview,
            )
    message = v4_message(store, row, stream=stream, sender=sender_row, has_attachments=bool(attachments))
    payload: dict[str, Any] = {"message": message}
    if event_type == "SHAREDPOST":
        payload["sharedMessage"] = message
    pod.publish_event(
        event_type,
        payload,
        sender_row["user_id"],
        store.stream_member_ids(stream["stream_id"]),
        message_id=message_id,
    )
    return message


def list_stream_messages(
    store: Store,
    caller: dict[str, Any],
    stream_id: str,
    *,
    since: int,
    until: int | None,
    skip: int,
    limit: int,
) -> list[dict[str, Any]]:
    """``GET /agent/v4/stream/{sid}/message``: oldest first, suppressed messages left out."""
    stream = member_stream(store, stream_id, caller)
    rows = store.query(
        "SELECT * FROM messages WHERE stream_id = ? AND suppressed = 0 AND timestamp >= ?"
        + (" AND timestamp < ?" if until is not None else "")
        + " ORDER BY timestamp, seq LIMIT ? OFFSET ?",
        [stream["stream_id"], since, *([until] if until is not None else []), limit, skip],
    )
    return [v4_message(store, row, stream=stream) for row in rows]


def get_readable_message(store: Store, caller: dict[str, Any], message_id: str) -> dict[str, Any]:
    """The message row if the caller is a member of its stream (400 unknown id, 403 not a member)."""
    row = store.get_message(normalize_id(message_id))
    if row is None:
        raise ApiError(400, f"Message {message_id} does not exist")
    member_stream(store, row["stream_id"], caller)
    return row


def entity_values(data: str | None) -> dict[str, set[str]]:
    """Hashtag, cashtag and mention values of an EntityJSON string (for search)."""
    found: dict[str, set[str]] = {"hashtag": set(), "cashtag": set(), "mention": set()}
    try:
        entities = json.loads(data or "{}")
    except json.JSONDecodeError:
        return found
    if not isinstance(entities, dict):
        return found
    kinds = {
        "org.symphonyoss.taxonomy.hashtag": "hashtag",
        "org.symphonyoss.fin.security.id.ticker": "cashtag",
        "com.symphony.user.userId": "mention",
    }
    for entity in entities.values():
        ids = entity.get("id") if isinstance(entity, dict) else None
        for item in ids if isinstance(ids, list) else []:
            if isinstance(item, dict) and item.get("type") in kinds:
                found[kinds[item["type"]]].add(str(item.get("value")).lower())
    return found


def suppress(pod: PodState, caller: dict[str, Any], message_id: str) -> dict[str, Any]:
    """``POST /pod/v1/admin/messagesuppression/{id}/suppress``: the sender or an admin may suppress."""
    store = pod.store
    row = store.get_message(normalize_id(message_id))
    if row is None:
        raise ApiError(400, f"Message {message_id} does not exist")
    if row["user_id"] != caller["user_id"] and not is_admin(caller):
        raise ApiError(403, f"User {caller['user_id']} may only suppress their own messages (or be an admin)")
    when = now_ms()
    if not row["suppressed"]:
        store.execute("UPDATE messages SET suppressed = 1 WHERE message_id = ?", (row["message_id"],))
        stream = get_stream_or_400(store, row["stream_id"])
        pod.publish_event(
            "MESSAGESUPPRESSED",
            {"messageId": row["message_id"], "stream": v4_stream(stream)},
            caller["user_id"],
            store.stream_member_ids(stream["stream_id"]),
            message_id=row["message_id"],
        )
    return {"messageId": row["message_id"], "suppressed": True, "suppressionDate": when}


def message_status(store: Store, caller: dict[str, Any], message_id: str) -> dict[str, Any]:
    """``GET /pod/v1/message/{id}/status``: every other member counts as "sent" (nobody reads here)."""
    row = store.get_message(normalize_id(message_id))
    if row is None:
        raise ApiError(404, f"Message {message_id} does not exist")
    member_stream(store, row["stream_id"], caller)

    def status_user(user: dict[str, Any], timestamp: int) -> dict[str, Any]:
        return {
            "userId": str(user["user_id"]),
            "firstName": user.get("first_name") or "",
            "lastName": user.get("last_name") or "",
            "displayName": user.get("display_name") or user["username"],
            "email": user.get("email") or "",
            "userName": user["username"],
            "timestamp": str(timestamp),
        }

    members = store.get_users(store.stream_member_ids(row["stream_id"]))
    author = members.get(row["user_id"]) or store.get_user(row["user_id"])
    return {
        "author": status_user(author, row["timestamp"]) if author else {"userId": str(row["user_id"])},
        "read": [],
        "delivered": [],
        "sent": [
            status_user(user, row["timestamp"]) for uid, user in members.items() if uid != row["user_id"]
        ],
    }


def list_stream_attachments(
    store: Store,
    caller: dict[str, Any],
    stream_id: str,
    *,
    since: int | None,
    to: int | None,
    limit: int,
    ascending: bool,
) -> list[dict[str, Any]]:
    """``GET /pod/v1/streams/{sid}/attachments`` → ``[StreamAttachmentItem]``."""
    stream = member_stream(store, stream_id, caller)
    rows = store.query(
        "SELECT a.attachment_id, a.message_id, a.name, a.size, a.content_type, a.is_preview, m.timestamp, "
        "m.user_id FROM attachments a JOIN messages m USING (message_id) "
        "WHERE a.stream_id = ? AND m.suppressed = 0 "
        "ORDER BY m.timestamp, a.rowid",
        (stream["stream_id"],),
    )
    items: list[dict[str, Any]] = []
    for row in rows:
        if (since is not None and row["timestamp"] < since) or (to is not None and row["timestamp"] >= to):
            continue
        if row["is_preview"]:
            if items and items[-1]["messageId"] == row["message_id"]:
                items[-1]["previews"].append({"fileId": row["attachment_id"], "width": 600})
            continue
        items.append({
            "messageId": row["message_id"], "ingestionDate": row["timestamp"], "userId": row["user_id"],
            "fileId": row["attachment_id"], "name": row["name"], "size": row["size"],
            "content-type": row["content_type"] or "application/octet-stream", "previews": [],
        })  # fmt: skip
    if not ascending:
        items.reverse()
    return items[:limit]


def attachment_content(
    store: Store, caller: dict[str, Any], stream_id: str, message_id: str, file_id: str
) -> bytes:
    """The raw bytes of an attachment the caller may read (400 naming what does not match)."""
    stream = member_stream(store, stream_id, caller)
    row = store.get_attachment(file_id)
    if (
        row is None
        or row["message_id"] != normalize_id(message_id)
        or row["stream_id"] != stream["stream_id"]
    ):
        raise ApiError(
            400, f"Attachment {file_id} of message {message_id} does not exist in stream {stream_id}"
        )
    content: bytes = row["content"]
    return content
