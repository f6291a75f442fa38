"""Message search, update, import, blast, article sharing and the admin message views (receipts,
relationships, message ids), built on :mod:`sympod.domain.messages`."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from ..errors import ApiError
from ..ids import new_message_id, normalize_id
from ..messageml import MessageMLError, convert, to_text
from ..state import PodState
from ..store import Store, dumps, loads
from .messages import Attachment, create_message, entity_values, v4_message
from .streams import STREAM_TYPES, get_stream_or_400, member_stream
from .users import require_admin

SEARCH_FIELDS = ("text", "streamId", "streamType", "author", "hashtag", "cashtag", "mention", "signal",
                 "fromDate", "toDate")  # fmt: skip
_INT_FIELDS = ("author", "mention", "fromDate", "toDate")


def parse_query_string(query: str) -> dict[str, Any]:
    """``text:hello AND streamId:abc`` (the GET search syntax) → a ``MessageSearchQuery`` dict."""
    result: dict[str, Any] = {}
    for clause in query.split(" AND "):
        clause = clause.strip()
        if not clause:
            continue
        name, separator, value = clause.partition(":")
        if not separator or name.strip() not in SEARCH_FIELDS:
            raise ApiError(
                400,
                f"Invalid search clause {clause!r}: "
                f"expected field:value with field in {', '.join(SEARCH_FIELDS)}",
            )
        result[name.strip()] = value.strip()
    return result


def _normalise_query(query: dict[str, Any]) -> dict[str, Any]:
    unknown = set(query) - set(SEARCH_FIELDS)
    if unknown:
        raise ApiError(400, f"Unknown search field(s): {', '.join(sorted(unknown))}")
    normalised: dict[str, Any] = {}
    for name, value in query.items():
        if value is None or value == "":
            continue
        if name in _INT_FIELDS:
            if isinstance(value, bool) or not str(value).strip().lstrip("-").isdigit():
                raise ApiError(400, f"Search field '{name}' must be an integer, got {value!r}")
            normalised[name] = int(value)
        elif not isinstance(value, str):
            raise ApiError(400, f"Search field '{name}' must be a string")
        else:
            normalised[name] = value
    if not normalised:
        raise ApiError(400, "The search query is empty: give at least one of " + ", ".join(SEARCH_FIELDS))
    if "text" in normalised and "streamId" not in normalised:
        raise ApiError(400, "A text search requires 'streamId'")
    if normalised.get("streamType") and normalised["streamType"] not in (*STREAM_TYPES, "CHAT"):
        raise ApiError(400, f"Search field 'streamType' must be one of {', '.join(STREAM_TYPES)}")
    return normalised


def search_messages(
    store: Store,
    caller: dict[str, Any],
    query: dict[str, Any],
    *,
    skip: int,
    limit: int,
    descending: bool,
) -> list[dict[str, Any]]:
    """``/agent/v1/message/search``: messages of the caller's streams matching every given field."""
    criteria = _normalise_query(query)
    if "streamId" in criteria:
        stream = get_stream_or_400(store, criteria["streamId"])
        if not store.is_member(stream["stream_id"], caller["user_id"]):
            raise ApiError(403, f"User {caller['user_id']} is not a member of stream {stream['stream_id']}")
        stream_ids = [stream["stream_id"]]
    else:
        stream_ids = store.user_stream_ids(caller["user_id"])
    if not stream_ids:
        return []
    signal_query = None
    if "signal" in criteria:
        signal = store.query_one("SELECT query FROM signals WHERE signal_id = ?", (criteria["signal"],))
        if signal is None:
            raise ApiError(400, f"Signal {criteria['signal']} does not exist")
        signal_query = str(signal["query"])
    marks = ",".join("?" for _ in stream_ids)
    rows = store.query(
        "SELECT m.*, s.stream_type FROM messages m JOIN streams s USING (stream_id) "
        f"WHERE m.stream_id IN ({marks}) "
        "AND m.suppressed = 0 ORDER BY m.timestamp, m.seq",
        stream_ids,
    )
    matches = []
    for row in rows:
        if "author" in criteria and row["user_id"] != criteria["author"]:
            continue
        if "fromDate" in criteria and row["timestamp"] < criteria["fromDate"]:
            continue
        if "toDate" in criteria and row["timestamp"] > criteria["toDate"]:
            continue
        stream_type = criteria.get("streamType")
        if (
            stream_type
            and row["stream_type"] != stream_type
            and not (stream_type == "CHAT" and row["stream_type"] in ("IM", "MIM"))
        ):
            continue
        if "text" in criteria and criteria["text"].lower() not in to_text(row["message"]).lower():
            continue
        entities = entity_values(row.get("data"))
        if any(
            name in criteria and str(criteria[name]).lower().lstrip("#$") not in entities[name]
            for name in ("hashtag", "cashtag", "mention")
        ):
            continue
        if signal_query is not None and not _matches_signal(signal_query, row, entities):
            continue
        matches.append(row)
    if descending:
        matches.reverse()
    return [v4_message(store, row) for row in matches[skip : skip + limit]]


def _matches_signal(query: str, row: dict[str, Any], entities: dict[str, set[str]]) -> bool:
    """Evaluate a signal query (``HASHTAG:x OR CASHTAG:y AND AUTHOR:1``) left to right on a message;
    the signals domain has validated its syntax when the signal was saved."""
    tokens = query.replace("(", " ").replace(")", " ").split()
    result: bool | None = None
    operator = "OR"
    for token in tokens:
        if token.upper() in ("AND", "OR"):
            operator = token.upper()
            continue
        field, _, value = token.partition(":")
        kind = field.upper()
        if kind == "AUTHOR":
            hit = value.isdigit() and int(value) == row["user_id"]
        else:
            hit = value.lower() in entities["hashtag" if kind == "HASHTAG" else "cashtag"]
        result = hit if result is None else (result and hit if operator == "AND" else result or hit)
    return bool(result)


def import_messages(pod: PodState, caller: dict[str, Any], items: list[Any]) -> list[dict[str, Any]]:
    """``POST /agent/v4/message/import`` (admin): store history as given, no datafeed events.

    Each item succeeds or fails on its own; a failure is reported in its ``diagnostic``.
    """
    require_admin(caller)
    store = pod.store
    required = ("message", "intendedMessageTimestamp", "intendedMessageFromUserId", "originatingSystemId",
                "streamId")  # fmt: skip
    results: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ApiError(400, f"Import item [{index}] must be an object")
        result: dict[str, Any] = {"originatingSystemId": str(item.get("originatingSystemId", ""))}
        if item.get("originalMessageId") is not None:
            result["originalMessageId"] = str(item["originalMessageId"])
        missing = [name for name in required if item.get(name) in (None, "")]
        try:
            if missing:
                raise ApiError(400, f"Missing required field(s): {', '.join(missing)}")
            sender_id, timestamp = item["intendedMessageFromUserId"], item["intendedMessageTimestamp"]
            if isinstance(sender_id, bool) or not isinstance(sender_id, int):
                raise ApiError(400, "'intendedMessageFromUserId' must be an integer")
            if isinstance(timestamp, bool) or not isinstance(timestamp, int):
                raise ApiError(400, "'intendedMessageTimestamp' must be an integer (epoch ms)")
            if store.get_user(sender_id) is None:
                raise ApiError(400, f"The user with id {sender_id} does not exist")
            stream = get_stream_or_400(store, str(item["streamId"]))
            converted = convert(str(item["message"]), item.get("data"))
        except ApiError as exc:
            result["diagnostic"] = exc.message
        except MessageMLError as exc:
            result["diagnostic"] = str(exc)
        else:
            message_id = new_message_id()
            store.insert_message(
                message_id,
                stream["stream_id"],
                sender_id,
                message=converted.presentation_ml,
                message_ml=str(item["message"]),
                data=converted.data_json,
                timestamp=timestamp,
                original_format="com.symphony.messageml.v2",
            )
            result["messageId"] = message_id
        results.append(result)
    return results


def blast(
    pod: PodState,
    caller: dict[str, Any],
    stream_ids: list[str],
    message_ml: str,
    data: str | None,
    attachments: Sequence[Attachment],
) -> dict[str, Any]:
    """``POST /agent/v4/message/blast``: one send per stream; failures are listed, not raised."""
    if not stream_ids:
        raise ApiError(400, "Field 'sids' is required: a comma-separated list of stream ids")
    if len(stream_ids) > 100:
        raise ApiError(400, f"At most 100 streams per blast, got {len(stream_ids)}")
    try:
        convert(message_ml, data)  # a bad message fails the whole blast, as on a real agent
    except MessageMLError as exc:
        raise ApiError(400, str(exc)) from None
    messages: list[dict[str, Any]] = []
    errors: dict[str, Any] = {}
    for stream_id in dict.fromkeys(normalize_id(sid) for sid in stream_ids):
        try:
            messages.append(create_message(pod, caller["user_id"], stream_id, message_ml, data, attachments))
        except ApiError as exc:
            errors[stream_id] = {"code": exc.status, "message": exc.message}
    return {"messages": messages, "errors": errors}


def share_article(
    pod: PodState, caller: dict[str, Any], stream_id: str, body: dict[str, Any]
) -> dict[str, Any]:
    """``POST /agent/v3/stream/{sid}/share``: posts the article as a message and emits SHAREDPOST."""
    content = body.get("content")
    share_type = body.get("type", "com.symphony.sharing.article")
    if share_type != "com.symphony.sharing.article":
        raise ApiError(400, f"Field 'type' must be 'com.symphony.sharing.article', got {share_type!r}")
    if not isinstance(content, dict):
        raise ApiError(400, "Field 'content' is required and must be a ShareArticle object")
    missing = [
        name for name in ("title", "author", "publisher", "appId") if not isinstance(content.get(name), str)
    ]
    if missing:
        raise ApiError(400, f"ShareArticle is missing required string field(s): {', '.join(missing)}")
    title = html.escape(content["title"])
    url = content.get("articleUrl")
    headline = (
        f'<a href="{html.escape(url, quote=True)}">{title}</a>'
        if isinstance(url, str) and url
        else f"<b>{title}</b>"
    )
    summary = html.escape(str(content.get("summary") or content.get("message") or ""))
    message_ml = (
        f"<messageML>{headline}<br/>{summary}<br/><i>{html.escape(content['publisher'])} - "
        f"{html.escape(content['author'])}</i></messageML>"
    )
    message = create_message(pod, caller["user_id"], stream_id, message_ml, None, (), event_type="SHAREDPOST",
                             extra={"sharedArticle": content})  # fmt: skip
    # the share endpoint still answers with the older V2Message shape (string timestamp)
    return {
        "id": message["messageId"],
        "timestamp": str(message["timestamp"]),
        "v2messageType": "V2Message",
        "streamId": message["stream"]["streamId"],
        "message": message["message"],
        "fromUserId": caller["user_id"],
        "attachments": [],
    }


def update_message(
    pod: PodState,
    caller: dict[str, Any],
    stream_id: str,
    message_id: str,
    message_ml: str,
    data: str | None,
    attachments: Sequence[Attachment],
    *,
    silent: bool,
) -> dict[str, Any]:
    """``POST /agent/v4/stream/{sid}/message/{mid}/update``: a new version that ``replacing`` the old one.

    Only the sender may update, and only the latest version; the update is fanned out as MESSAGESENT.
    """
    store = pod.store
    stream = member_stream(store, stream_id, caller)
    original = store.get_message(normalize_id(message_id))
    if original is None or original["stream_id"] != stream["stream_id"]:
        raise ApiError(400, f"Message {message_id} does not exist in stream {stream_id}")
    if original["user_id"] != caller["user_id"]:
        raise ApiError(403, f"Only the sender of message {message_id} may update it")
    if original["suppressed"]:
        raise ApiError(400, f"Message {message_id} has been suppressed and cannot be updated")
    previous = loads(original.get("extra_json"), {})
    if previous.get("replacedBy"):
        raise ApiError(
            400, f"Message {message_id} was already replaced by {previous['replacedBy']}: update that one"
        )
    lineage = {
        "replacing": original["message_id"],
        "initialMessageId": previous.get("initialMessageId", original["message_id"]),
        "initialTimestamp": previous.get("initialTimestamp", original["timestamp"]),
        "silent": silent,
    }
    updated = create_message(
        pod, caller["user_id"], stream["stream_id"], message_ml, data, attachments, extra=lineage
    )
    store.execute(
        "UPDATE messages SET extra_json = ? WHERE message_id = ?",
        (dumps({**previous, "replacedBy": updated["messageId"]}), original["message_id"]),
    )
    return updated


# ---------------------------------------------------------------------------------------------- admin views
def _admin_message(store: Store, message_id: str, *, status: int) -> dict[str, Any]:
    row = store.get_message(normalize_id(message_id))
    if row is None:
        raise ApiError(status, f"Message {message_id} does not exist")
    return row


def receipts(store: Store, message_id: str) -> dict[str, Any]:
    """``GET /pod/v1/admin/messages/{id}/receipts`` → ``MessageReceiptDetailResponse``.

    Every other member of the stream has the message delivered when it was sent; nobody reads or
    downloads in the emulator, so those counts stay 0.
    """
    row = _admin_message(store, message_id, status=404)
    stream = get_stream_or_400(store, row["stream_id"])
    creator = store.get_user(row["user_id"])
    members = store.get_users(store.stream_member_ids(stream["stream_id"]))
    details = []
    for user_id, user in members.items():
        if user_id == row["user_id"]:
            continue
        compact: dict[str, Any] = {"id": user_id, "username": user["username"]}
        for column, key in (
            ("first_name", "firstName"),
            ("last_name", "lastName"),
            ("email", "emailAddress"),
        ):
            if user.get(column):
                compact[key] = user[column]
        details.append(
            {"user": compact, "deliveryReceiptTimestamp": row["timestamp"], "downloadReceiptCounts": []}
        )
    stream_info: dict[str, Any] = {"id": stream["stream_id"], "streamType": stream["stream_type"]}
    if stream.get("name"):
        stream_info["name"] = stream["name"]
    return {
        "creator": {
            "id": row["user_id"],
            "name": (creator.get("display_name") or creator["username"]) if creator else str(row["user_id"]),
        },
        "stream": stream_info,
        "creationDate": row["timestamp"],
        "deliveryReceiptCount": len(details),
        "readReceiptCount": 0,
        "emailNotificationCount": 0,
        "downloadReceiptCounts": [],
        "MessageReceiptDetail": details,
        "pagination": {"cursors": {"before": ""}},
    }


def relationships(store: Store, message_id: str) -> dict[str, Any]:
    """``GET /pod/v1/admin/messages/{id}/metadata/relationships`` → ``MessageMetadataResponse``."""
    row = _admin_message(store, message_id, status=400)
    replies = store.query(
        "SELECT message_id FROM messages WHERE parent_message_id = ? ORDER BY timestamp, seq",
        (row["message_id"],),
    )
    result: dict[str, Any] = {
        "messageId": row["message_id"],
        "replies": [reply["message_id"] for reply in replies],
        "forwards": [],
        "formReplies": [],
    }
    if row.get("parent_message_id"):
        result["parent"] = {"messageId": row["parent_message_id"], "relationshipType": "REPLY"}
    return result


def stream_message_ids(
    store: Store, stream_id: str, *, since: int | None, to: int | None, limit: int, offset: int
) -> dict[str, Any]:
    """``GET /pod/v2/admin/streams/{sid}/messageIds`` → ``MessageIdsFromStream`` (oldest first)."""
    stream = get_stream_or_400(store, stream_id)
    rows = store.query(
        "SELECT message_id, timestamp FROM messages WHERE stream_id = ? ORDER BY timestamp, seq",
        (stream["stream_id"],),
    )
    matching = [
        row["message_id"] for row in rows
        if (since is None or row["timestamp"] >= since) and (to is None or row["timestamp"] < to)
    ]  # fmt: skip
    page = matching[offset : offset + limit]
    result: dict[str, Any] = {"Data": page, "TotalNumberFound": len(matching), "numberReturned": len(page)}
    if offset + len(page) < len(matching):
        result["nextStartNumber"] = offset + len(page)
    return result
