"""Streams in general and IMs: lookup with membership checks, IM creation, stream info and lists."""

from __future__ import annotations

from typing import Any

from ..errors import ApiError
from ..events import v4_stream
from ..ids import new_stream_id, normalize_id
from ..state import PodState
from ..store import Store, dumps, loads
from .users import require_user

STREAM_TYPES = ("IM", "MIM", "ROOM", "POST")


def get_stream_or_400(store: Store, stream_id: str) -> dict[str, Any]:
    """The stream row for an id in either base64 alphabet; 400 when unknown (the spec's wording:
    pods answer a bad stream id with 400, not 404)."""
    if not stream_id or not stream_id.strip():
        raise ApiError(400, "Missing stream id")
    stream = store.get_stream(normalize_id(stream_id))
    if stream is None:
        raise ApiError(400, f"Stream {stream_id} does not exist")
    return stream


def require_member(store: Store, stream: dict[str, Any], user: dict[str, Any]) -> None:
    if not store.is_member(stream["stream_id"], user["user_id"]):
        raise ApiError(
            403, f"User {user['user_id']} is not a member of stream {stream['stream_id']}: access denied"
        )


def member_stream(store: Store, stream_id: str, user: dict[str, Any]) -> dict[str, Any]:
    """A stream the caller belongs to: 400 if unknown, 403 if not a member."""
    stream = get_stream_or_400(store, stream_id)
    require_member(store, stream, user)
    return stream


def im_key(member_ids: list[int]) -> str:
    """The identity of an IM/MIM: its sorted member set (creating it twice returns the same stream)."""
    return ",".join(str(uid) for uid in sorted(set(member_ids)))


def parse_user_id_list(body: Any, *, name: str = "body") -> list[int]:
    """A JSON array of int64 user ids (the IM create body); 400 naming the bad element."""
    if not isinstance(body, list):
        raise ApiError(400, f"The {name} must be a JSON array of user ids")
    ids: list[int] = []
    for index, value in enumerate(body):
        if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().isdigit():
            raise ApiError(400, f"{name}[{index}] must be an integer user id, got {value!r}")
        ids.append(int(value))
    return ids


def create_im(
    pod: PodState, caller: dict[str, Any], user_ids: list[int], *, include_caller: bool = True
) -> dict[str, Any]:
    """Create (or return the existing) IM/MIM between ``caller`` and ``user_ids``.

    ``include_caller=False`` is the admin variant: exactly the given users. Emits INSTANTMESSAGECREATED
    to every member when the stream is new, with the caller as initiator in both variants (the legacy
    SDK reads ``initiator.user.userId`` of every event unguarded).
    """
    store = pod.store
    members = list(dict.fromkeys(user_ids))
    if include_caller and caller["user_id"] not in members:
        members.insert(0, caller["user_id"])
    for uid in members:
        user = require_user(store, uid)
        if not user["active"]:
            raise ApiError(400, f"The user with id {uid} is deactivated")
    if len(members) < 2:
        raise ApiError(400, "An IM needs at least one other user than the caller")
    if len(members) > 15:
        raise ApiError(400, f"An IM or MIM has at most 15 members, got {len(members)}")
    key = im_key(members)
    existing = store.get_stream_by_im_key(key)
    if existing is not None:
        return existing
    stream_type = "IM" if len(members) == 2 else "MIM"
    creator = caller["user_id"]
    stream = store.create_stream(
        new_stream_id(),
        stream_type,
        creator_id=creator,
        member_ids=members,
        im_key=key,
    )
    member_rows = [row for uid in members if (row := store.get_user(uid)) is not None]
    pod.publish_event(
        "INSTANTMESSAGECREATED",
        {"stream": v4_stream(stream, members=member_rows)},
        creator,
        members,
    )
    return stream


def im_detail(store: Store, stream: dict[str, Any]) -> dict[str, Any]:
    """``V1IMDetail`` of an IM/MIM."""
    if stream["stream_type"] not in ("IM", "MIM"):
        raise ApiError(400, f"Stream {stream['stream_id']} is a {stream['stream_type']}, not an IM")
    attributes = loads(stream["attributes_json"], {})
    im_attributes = (
        {"pinnedMessageId": attributes["pinnedMessageId"]} if attributes.get("pinnedMessageId") else {}
    )
    return {
        "V1IMAttributes": im_attributes,
        "IMSystemInfo": {
            "id": stream["stream_id"],
            "creationDate": stream["created_at"],
            "active": bool(stream["active"]),
        },
    }


def update_im(store: Store, caller: dict[str, Any], im_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """``POST /pod/v1/im/{id}/update``: (un)pin a message of the IM (an empty id unpins)."""
    stream = member_stream(store, im_id, caller)
    if stream["stream_type"] not in ("IM", "MIM"):
        raise ApiError(400, f"Stream {im_id} is a {stream['stream_type']}, not an IM")
    pinned = body.get("pinnedMessageId")
    if not isinstance(pinned, str):
        raise ApiError(400, "Field 'pinnedMessageId' is required and must be a string (empty to unpin)")
    attributes = loads(stream["attributes_json"], {})
    if pinned:
        message = store.get_message(normalize_id(pinned))
        if message is None or message["stream_id"] != stream["stream_id"]:
            raise ApiError(400, f"Message {pinned} does not exist in IM {im_id}")
        attributes["pinnedMessageId"] = message["message_id"]
    else:
        attributes.pop("pinnedMessageId", None)
    store.update_stream(stream["stream_id"], attributes_json=dumps(attributes))
    updated = store.get_stream(stream["stream_id"])
    assert updated is not None
    return im_detail(store, updated)


def stream_attributes(store: Store, stream: dict[str, Any], *, v2: bool) -> dict[str, Any]:
    """``StreamAttributes`` (v1 list) or ``V2StreamAttributes`` (v2 info) of a stream."""
    result: dict[str, Any] = {
        "id": stream["stream_id"],
        "crossPod": False,
        "active": bool(stream["active"]),
        "streamType": {"type": stream["stream_type"]},
    }
    if stream["stream_type"] == "ROOM":
        result["roomAttributes"] = {"name": stream.get("name") or ""}
    else:
        result["streamAttributes"] = {"members": store.stream_member_ids(stream["stream_id"])}
    if v2:
        result["origin"] = "INTERNAL"
        if stream.get("last_message_at"):
            result["lastMessageDate"] = stream["last_message_at"]
    return result


def parse_stream_types(value: Any, *, name: str = "streamTypes") -> set[str] | None:
    """``[{"type": "IM"}, ...]`` → ``{"IM"}``; None (all types) when absent or empty."""
    if value is None:
        return None
    if not isinstance(value, list):
        raise ApiError(400, f"Field '{name}' must be an array of {{\"type\": ...}} objects")
    types: set[str] = set()
    for index, item in enumerate(value):
        stream_type = item.get("type") if isinstance(item, dict) else item
        if stream_type not in STREAM_TYPES:
            raise ApiError(
                400, f"{name}[{index}].type must be one of {', '.join(STREAM_TYPES)}, got {stream_type!r}"
            )
        types.add(stream_type)
    return types or None


def list_user_streams(
    store: Store,
    user: dict[str, Any],
    stream_filter: dict[str, Any],
    *,
    skip: int,
    limit: int,
) -> list[dict[str, Any]]:
    """``POST /pod/v1/streams/list``: the caller's streams, most recent activity first."""
    types = parse_stream_types(stream_filter.get("streamTypes"))
    include_inactive = stream_filter.get("includeInactiveStreams", False)
    if not isinstance(include_inactive, bool):
        raise ApiError(400, "Field 'includeInactiveStreams' must be a boolean")
    rows = []
    for stream_id in store.user_stream_ids(user["user_id"]):
        stream = store.get_stream(stream_id)
        if stream is None or (types and stream["stream_type"] not in types):
            continue
        if not stream["active"] and not include_inactive:
            continue
        rows.append(stream)
    rows.sort(key=lambda row: row.get("last_message_at") or row["created_at"], reverse=True)
    return [stream_attributes(store, row, v2=False) for row in rows[skip : skip + limit]]


def _admin_stream_info(store: Store, stream: dict[str, Any]) -> dict[str, Any]:
    attributes = loads(stream["attributes_json"], {})
    members = store.stream_member_ids(stream["stream_id"])
    info_attributes: dict[str, Any] = {
        "members": members,
        "membersCount": len(members),
        "createdDate": stream["created_at"],
        "lastModifiedDate": stream.get("last_message_at") or stream["created_at"],
        "originCompany": "Emulated Pod",
        "originCompanyId": 1,
    }
    if stream.get("creator_id") is not None:
        info_attributes["createdByUserId"] = stream["creator_id"]
    if stream.get("last_message_at"):
        info_attributes["lastMessageDate"] = stream["last_message_at"]
    if stream["stream_type"] == "ROOM":
        info_attributes["roomName"] = stream.get("name") or ""
        info_attributes["roomDescription"] = stream.get("description") or ""
    return {
        "id": stream["stream_id"],
        "isExternal": False,
        "isActive": bool(stream["active"]),
        "isPublic": bool(attributes.get("public", False)),
        "type": stream["stream_type"],
        "crossPod": False,
        "origin": "INTERNAL",
        "attributes": info_attributes,
    }


def admin_list_streams(
    store: Store, admin_filter: dict[str, Any], *, skip: int, limit: int
) -> dict[str, Any]:
    """``POST /pod/v{1,2}/admin/streams/list``: every stream of the pod matching the filter."""
    types = parse_stream_types(admin_filter.get("streamTypes"))
    status = admin_filter.get("status")
    if status not in (None, "ACTIVE", "INACTIVE"):
        raise ApiError(400, f"Field 'status' must be ACTIVE or INACTIVE, got {status!r}")
    privacy = admin_filter.get("privacy")
    if privacy not in (None, "PUBLIC", "PRIVATE"):
        raise ApiError(400, f"Field 'privacy' must be PUBLIC or PRIVATE, got {privacy!r}")
    start, end = admin_filter.get("startDate"), admin_filter.get("endDate")
    for name, value in (("startDate", start), ("endDate", end)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ApiError(400, f"Field '{name}' must be epoch milliseconds (integer)")
    matches = []
    for stream in store.query("SELECT * FROM streams ORDER BY created_at, stream_id"):
        if types and stream["stream_type"] not in types:
            continue
        if status is not None and bool(stream["active"]) != (status == "ACTIVE"):
            continue
        is_public = bool(loads(stream["attributes_json"], {}).get("public", False))
        if privacy is not None and is_public != (privacy == "PUBLIC"):
            continue
        if (start is not None and stream["created_at"] < start) or (
            end is not None and stream["created_at"] > end
        ):
            continue
        matches.append(stream)
    return {
        "count": len(matches),
        "skip": skip,
        "limit": limit,
        "filter": admin_filter,
        "streams": [_admin_stream_info(store, row) for row in matches[skip : skip + limit]],
    }


def admin_stream_members(store: Store, stream: dict[str, Any], *, skip: int, limit: int) -> dict[str, Any]:
    """``GET /pod/v1/admin/stream/{id}/membership/list`` → ``V2MembershipList``."""
    rows = store.stream_members(stream["stream_id"])
    users = store.get_users(row["user_id"] for row in rows)
    members = []
    for row in rows[skip : skip + limit]:
        user = users.get(row["user_id"])
        if user is None:
            continue
        detail: dict[str, Any] = {
            "userId": user["user_id"],
            "displayName": user.get("display_name") or user["username"],
            "company": "Emulated Pod",
            "companyId": 1,
            "isExternal": False,
        }
        for column, key in (("email", "email"), ("first_name", "firstName"), ("last_name", "lastName")):
            if user.get(column):
                detail[key] = user[column]
        members.append({
            "user": detail,
            "isOwner": bool(row["owner"]),
            "isCreator": row["user_id"] == stream.get("creator_id"),
            "joinDate": row["joined_at"],
        })  # fmt: skip
    return {"count": len(rows), "skip": skip, "limit": limit, "members": members}
