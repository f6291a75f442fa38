"""Rooms: create, update, (de)activate, search, membership, with the events a pod emits for each."""

from __future__ import annotations

from typing import Any

from ..errors import ApiError
from ..events import v4_stream, v4_user
from ..ids import new_stream_id
from ..state import PodState
from ..store import Store, dumps, loads
from .streams import get_stream_or_400
from .users import require_user

#: Boolean room attributes of ``V3RoomAttributes`` and their defaults on create.
BOOLEAN_ATTRIBUTES: dict[str, bool] = {
    "membersCanInvite": True,
    "discoverable": False,
    "public": False,
    "readOnly": False,
    "copyProtected": False,
    "crossPod": False,
    "viewHistory": False,
    "multiLateralRoom": False,
    "scheduledMeeting": False,
}
#: Attributes a pod refuses to change after creation.
IMMUTABLE_ATTRIBUTES = ("public", "crossPod", "multiLateralRoom")
MAX_NAME_LENGTH = 512


def _parse_keywords(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list):
        raise ApiError(400, "Field 'keywords' must be an array of {key, value} objects")
    keywords = []
    for index, item in enumerate(value):
        if not (
            isinstance(item, dict) and isinstance(item.get("key"), str) and isinstance(item.get("value"), str)
        ):
            raise ApiError(400, f"keywords[{index}] must be an object with string 'key' and 'value'")
        keywords.append({"key": item["key"], "value": item["value"]})
    return keywords


def parse_room_attributes(body: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """Validate a ``V3RoomAttributes`` body; returns only the fields given (plus defaults on create)."""
    parsed: dict[str, Any] = dict(BOOLEAN_ATTRIBUTES) if creating else {}
    name = body.get("name")
    if creating and (not isinstance(name, str) or not name.strip()):
        raise ApiError(400, "Field 'name' is required and must be a non-empty string")
    if name is not None:
        if not isinstance(name, str) or not name.strip():
            raise ApiError(400, "Field 'name' must be a non-empty string")
        if len(name) > MAX_NAME_LENGTH:
            raise ApiError(400, f"Field 'name' is longer than {MAX_NAME_LENGTH} characters")
        parsed["name"] = name.strip()
    description = body.get("description")
    if description is not None:
        if not isinstance(description, str):
            raise ApiError(400, "Field 'description' must be a string")
        parsed["description"] = description
    if body.get("keywords") is not None:
        parsed["keywords"] = _parse_keywords(body["keywords"])
    for key in BOOLEAN_ATTRIBUTES:
        if body.get(key) is not None:
            if not isinstance(body[key], bool):
                raise ApiError(400, f"Field '{key}' must be a boolean")
            parsed[key] = body[key]
    if body.get("pinnedMessageId") is not None:
        if not isinstance(body["pinnedMessageId"], str):
            raise ApiError(400, "Field 'pinnedMessageId' must be a string")
        parsed["pinnedMessageId"] = body["pinnedMessageId"]
    if creating and parsed["public"] and not parsed["discoverable"]:
        parsed["discoverable"] = True  # a public room is always findable
    return parsed


def room_attributes(stream: dict[str, Any]) -> dict[str, Any]:
    """``V3RoomAttributes`` of a room row."""
    stored = loads(stream["attributes_json"], {})
    attributes: dict[str, Any] = {
        "name": stream.get("name") or "",
        "description": stream.get("description") or "",
        "keywords": stored.get("keywords", []),
    }
    for key, default in BOOLEAN_ATTRIBUTES.items():
        attributes[key] = bool(stored.get(key, default))
    if stored.get("pinnedMessageId"):
        attributes["pinnedMessageId"] = stored["pinnedMessageId"]
    return attributes


def room_detail(stream: dict[str, Any]) -> dict[str, Any]:
    """``V3RoomDetail {roomAttributes, roomSystemInfo}``."""
    system_info: dict[str, Any] = {
        "id": stream["stream_id"],
        "creationDate": stream["created_at"],
        "active": bool(stream["active"]),
    }
    if stream.get("creator_id") is not None:
        system_info["createdByUserId"] = stream["creator_id"]
    return {"roomAttributes": room_attributes(stream), "roomSystemInfo": system_info}


def room_properties(store: Store, stream: dict[str, Any]) -> dict[str, Any]:
    """``V4RoomProperties`` carried by ROOMCREATED / ROOMUPDATED events."""
    attributes = room_attributes(stream)
    properties: dict[str, Any] = {
        "name": attributes["name"],
        "description": attributes["description"],
        "createdDate": stream["created_at"],
        "external": False,
        "crossPod": attributes["crossPod"],
        "public": attributes["public"],
        "copyProtected": attributes["copyProtected"],
        "readOnly": attributes["readOnly"],
        "discoverable": attributes["discoverable"],
        "membersCanInvite": attributes["membersCanInvite"],
        "keywords": attributes["keywords"],
        "canViewHistory": attributes["viewHistory"],
    }
    creator = store.get_user(stream["creator_id"]) if stream.get("creator_id") is not None else None
    if creator is not None:
        properties["creatorUser"] = v4_user(creator)
    return properties


def get_room_or_400(store: Store, room_id: str) -> dict[str, Any]:
    stream = get_stream_or_400(store, room_id)
    if stream["stream_type"] != "ROOM":
        raise ApiError(400, f"Stream {room_id} is a {stream['stream_type']}, not a room")
    return stream


def _member_row(store: Store, room: dict[str, Any], user_id: int) -> dict[str, Any] | None:
    return store.member_row(room["stream_id"], user_id)


def require_owner(store: Store, room: dict[str, Any], user: dict[str, Any]) -> None:
    row = _member_row(store, room, user["user_id"])
    if row is None or not row["owner"]:
        raise ApiError(403, f"User {user['user_id']} is not an owner of room {room['stream_id']}")


def visible_room(store: Store, room_id: str, user: dict[str, Any]) -> dict[str, Any]:
    """A room the caller may see: members always, anyone for public or discoverable rooms."""
    room = get_room_or_400(store, room_id)
    attributes = room_attributes(room)
    if not (
        attributes["public"]
        or attributes["discoverable"]
        or store.is_member(room["stream_id"], user["user_id"])
    ):
        raise ApiError(
            403, f"User {user['user_id']} is not a member of room {room['stream_id']}: access denied"
        )
    return room


def create_room(pod: PodState, caller: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    attributes = parse_room_attributes(body, creating=True)
    name = attributes.pop("name")
    description = attributes.pop("description", "")
    room = pod.store.create_stream(
        new_stream_id(),
        "ROOM",
        creator_id=caller["user_id"],
        member_ids=[caller["user_id"]],
        owner_ids=[caller["user_id"]],
        name=name,
        description=description,
        attributes=attributes,
    )
    pod.publish_event(
        "ROOMCREATED",
        {"stream": v4_stream(room), "roomProperties": room_properties(pod.store, room)},
        caller["user_id"],
        [caller["user_id"]],
    )
    return room


def update_room(pod: PodState, caller: dict[str, Any], room_id: str, body: dict[str, Any]) -> dict[str, Any]:
    store = pod.store
    room = get_room_or_400(store, room_id)
    require_owner(store, room, caller)
    changes = parse_room_attributes(body, creating=False)
    current = room_attributes(room)
    for key in IMMUTABLE_ATTRIBUTES:
        if key in changes and changes[key] != current[key]:
            raise ApiError(400, f"Room attribute '{key}' cannot be changed after creation")
    stored = loads(room["attributes_json"], {})
    name = changes.pop("name", room.get("name"))
    description = changes.pop("description", room.get("description"))
    stored.update(changes)
    store.update_stream(room["stream_id"], name=name, description=description, attributes_json=dumps(stored))
    updated = get_room_or_400(store, room["stream_id"])
    pod.publish_event(
        "ROOMUPDATED",
        {"stream": v4_stream(updated), "newRoomProperties": room_properties(store, updated)},
        caller["user_id"],
        store.stream_member_ids(room["stream_id"]),
    )
    return updated


def set_active(
    pod: PodState, caller: dict[str, Any], room_id: str, active: bool, *, as_admin: bool = False
) -> dict[str, Any]:
    """``POST /pod/v1/room/{id}/setActive`` → ``RoomDetail``; emits ROOM(DE|RE)ACTIVATED on change.

    Owners only, unless ``as_admin`` (the ``/pod/v1/admin/room/{id}/setActive`` variant, whose caller
    the route has checked to be an admin)."""
    store = pod.store
    room = get_room_or_400(store, room_id)
    if not as_admin:
        require_owner(store, room, caller)
    if bool(room["active"]) != active:
        store.update_stream(room["stream_id"], active=int(active))
        room = get_room_or_400(store, room["stream_id"])
        pod.publish_event(
            "ROOMREACTIVATED" if active else "ROOMDEACTIVATED",
            {"stream": v4_stream(room)},
            caller["user_id"],
            store.stream_member_ids(room["stream_id"]),
        )
    detail = room_detail(room)
    attributes = detail["roomAttributes"]
    return {
        "roomAttributes": {
            key: attributes[key] for key in ("name", "description", "membersCanInvite", "discoverable")
        },
        "roomSystemInfo": detail["roomSystemInfo"],
        "immutableRoomAttributes": {
            "public": attributes["public"],
            "readOnly": attributes["readOnly"],
            "copyProtected": attributes["copyProtected"],
        },
    }


def _optional_user_id(criteria: dict[str, Any], name: str) -> int | None:
    value = criteria.get(name)
    if value is None:
        return None
    if (
        not isinstance(value, dict)
        or isinstance(value.get("id"), bool)
        or not isinstance(value.get("id"), int)
    ):
        raise ApiError(400, f"Field '{name}' must be an object {{\"id\": <user id>}}")
    return int(value["id"])


def search_rooms(
    store: Store,
    caller: dict[str, Any],
    criteria: dict[str, Any],
    *,
    skip: int,
    limit: int,
) -> dict[str, Any]:
    """``POST /pod/v3/room/search`` → ``V3RoomSearchResults`` over the rooms the caller may see."""
    query = criteria.get("query")
    if not isinstance(query, str):
        raise ApiError(400, "Field 'query' is required and must be a string")
    labels = criteria.get("labels") or []
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        raise ApiError(400, "Field 'labels' must be an array of strings")
    active, private = criteria.get("active"), criteria.get("private")
    for name, value in (("active", active), ("private", private)):
        if value is not None and not isinstance(value, bool):
            raise ApiError(400, f"Field '{name}' must be a boolean")
    owner_id, creator_id, member_id = (
        _optional_user_id(criteria, name) for name in ("owner", "creator", "member")
    )
    needle = query.strip().lower()
    matches = []
    for room in store.query(
        "SELECT * FROM streams WHERE stream_type = 'ROOM' ORDER BY created_at, stream_id"
    ):
        attributes = room_attributes(room)
        members = {row["user_id"]: bool(row["owner"]) for row in store.stream_members(room["stream_id"])}
        if not (attributes["discoverable"] or attributes["public"] or caller["user_id"] in members):
            continue
        keywords = " ".join(f"{item['key']} {item['value']}" for item in attributes["keywords"])
        haystack = f"{attributes['name']} {attributes['description']} {keywords}".lower()
        if needle and needle not in haystack:
            continue
        if labels and not any(label.lower() in keywords.lower() for label in labels):
            continue
        if active is not None and bool(room["active"]) != active:
            continue
        if private is not None and attributes["public"] == private:
            continue
        if owner_id is not None and not members.get(owner_id, False):
            continue
        if creator_id is not None and room.get("creator_id") != creator_id:
            continue
        if member_id is not None and member_id not in members:
            continue
        matches.append(room)
    return {
        "count": len(matches),
        "skip": skip,
        "limit": limit,
        "query": criteria,
        "rooms": [room_detail(room) for room in matches[skip : skip + limit]],
        "facetedMatchCount": [],
    }


def list_members(store: Store, room_id: str, caller: dict[str, Any]) -> list[dict[str, Any]]:
    """``GET /pod/v2/room/{id}/membership/list`` → ``[MemberInfo]`` (members only)."""
    room = get_room_or_400(store, room_id)
    if not store.is_member(room["stream_id"], caller["user_id"]):
        raise ApiError(
            403, f"User {caller['user_id']} is not a member of room {room['stream_id']}: access denied"
        )
    return [
        {"id": row["user_id"], "owner": bool(row["owner"]), "joinDate": row["joined_at"]}
        for row in store.stream_members(room["stream_id"])
    ]


def change_membership(
    pod: PodState, caller: dict[str, Any], room_id: str, action: str, user_id: int, *, as_admin: bool = False
) -> str:
    """add / remove / promoteOwner / demoteOwner; returns the ``SuccessResponse`` message.

    Rights, as on a real pod: owners may do everything; members may add when ``membersCanInvite``;
    anyone may remove themselves; ``as_admin`` (the ``/pod/v1/admin/room/...`` routes, whose caller is
    checked to be an admin) acts like an owner without being a member. Each change emits the matching
    event to the room's members.
    """
    store = pod.store
    room = get_room_or_400(store, room_id)
    target = require_user(store, user_id)
    caller_row = _member_row(store, room, caller["user_id"])
    caller_is_owner = as_admin or bool(caller_row and caller_row["owner"])
    if caller_row is None and not as_admin and not (action == "remove" and user_id == caller["user_id"]):
        raise ApiError(
            403, f"User {caller['user_id']} is not a member of room {room['stream_id']}: access denied"
        )
    if not room["active"]:
        raise ApiError(400, f"Room {room['stream_id']} is deactivated")
    target_row = _member_row(store, room, user_id)
    stream = v4_stream(room)
    affected = v4_user(target)
    members = store.stream_member_ids(room["stream_id"])
    if action == "add":
        if not caller_is_owner and not room_attributes(room)["membersCanInvite"]:
            raise ApiError(403, f"Only owners of room {room['stream_id']} may add members")
        if not target["active"]:
            raise ApiError(400, f"The user with id {user_id} is deactivated")
        if target_row is not None:
            return "Member already part of the room."
        store.add_member(room["stream_id"], user_id)
        pod.publish_event("USERJOINEDROOM", {"stream": stream, "affectedUser": affected}, caller["user_id"],
                          [*members, user_id])  # fmt: skip
        return "Member added."
    if action == "remove":
        if not caller_is_owner and user_id != caller["user_id"]:
            raise ApiError(403, f"Only owners of room {room['stream_id']} may remove other members")
        if target_row is None:
            return "Member already removed from the room."
        store.remove_member(room["stream_id"], user_id)
        pod.publish_event(
            "USERLEFTROOM", {"stream": stream, "affectedUser": affected}, caller["user_id"], members
        )
        return "Member removed."
    if not caller_is_owner:
        raise ApiError(403, f"Only owners of room {room['stream_id']} may change ownership")
    if target_row is None:
        raise ApiError(400, f"User {user_id} is not a member of room {room['stream_id']}")
    promote = action == "promoteOwner"
    if bool(target_row["owner"]) == promote:
        return "Member already an owner." if promote else "Member already a participant."
    if not promote and sum(1 for row in store.stream_members(room["stream_id"]) if row["owner"]) == 1:
        raise ApiError(
            400, f"User {user_id} is the last owner of room {room['stream_id']} and cannot be demoted"
        )
    store.set_owner(room["stream_id"], user_id, promote)
    event_type = "ROOMMEMBERPROMOTEDTOOWNER" if promote else "ROOMMEMBERDEMOTEDFROMOWNER"
    pod.publish_event(event_type, {"stream": stream, "affectedUser": affected}, caller["user_id"], members)
    return "Member promoted to owner." if promote else "Member demoted to participant."
