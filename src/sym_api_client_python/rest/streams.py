"""Streams: IMs/MIMs, rooms (create, info, update, search, (de)activate, members), stream info and
lists, enterprise (admin) stream lists, sharing."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from typing import Any

from ..core.models.rest import (
    AdminStreamList,
    MemberInfo,
    RoomActivation,
    RoomAttributes,
    RoomDetail,
    RoomSearchResults,
    StreamAttributes,
    StreamId,
    StreamMemberList,
    SuccessResponse,
    V2Message,
)
from ._base import D, PageFn, Plan, Service, call, operation, paginated, to_json

STREAM_TYPES = ("IM", "MIM", "ROOM", "POST")


def _user_ids(user_ids: int | Sequence[int]) -> list[int]:
    ids = [user_ids] if isinstance(user_ids, int) else list(user_ids)
    if not ids:
        raise ValueError("at least one user id is needed")
    return [int(u) for u in ids]


def _room_body(attributes: RoomAttributes | Mapping[str, Any] | None, fields: Mapping[str, Any]) -> Any:
    body = to_json(attributes) if attributes is not None else {}
    if not isinstance(body, dict):
        raise TypeError(
            f"room attributes must be a RoomAttributes or a dict, got {type(attributes).__name__}"
        )
    body = dict(body)
    body.update(to_json(RoomAttributes(**fields)) if fields else {})
    return body


def _stream_filter(stream_types: Sequence[str] | None, include_inactive: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"includeInactiveStreams": include_inactive}
    if stream_types:
        unknown = [t for t in stream_types if t not in STREAM_TYPES]
        if unknown:
            raise ValueError(f"unknown stream type(s) {unknown}; expected some of {STREAM_TYPES}")
        body["streamTypes"] = [{"type": t} for t in stream_types]
    return body


class StreamsService(Service[D]):
    """``bot.streams``: conversations of every kind."""

    service_name = "streams"

    @operation
    def create_im(self, user_ids: int | Sequence[int]) -> Plan[StreamId]:
        """The IM with one user, or the MIM with several (returns the existing one if any)."""
        return (yield from call("streams.create_im", json=_user_ids(user_ids)))

    @operation
    def create_im_admin(self, user_ids: Sequence[int]) -> Plan[StreamId]:
        """An IM/MIM between other users, without the caller (admin)."""
        return (yield from call("streams.create_im_admin", json=_user_ids(user_ids)))

    @operation
    def create_room(
        self, attributes: RoomAttributes | Mapping[str, Any] | None = None, **fields: Any
    ) -> Plan[RoomDetail]:
        """Create a room from a :class:`RoomAttributes`/dict and/or keyword fields (``name=...``)."""
        body = _room_body(attributes, fields)
        if not body.get("name"):
            raise ValueError("a room needs a name")
        return (yield from call("streams.create_room", json=body))

    @operation
    def get_room_info(self, room_id: str) -> Plan[RoomDetail]:
        return (yield from call("streams.get_room_info", {"id": room_id}))

    @operation
    def update_room(
        self, room_id: str, attributes: RoomAttributes | Mapping[str, Any] | None = None, **fields: Any
    ) -> Plan[RoomDetail]:
        """Change room attributes; only the given ones are sent."""
        return (yield from call("streams.update_room", {"id": room_id}, json=_room_body(attributes, fields)))

    @operation
    def set_room_active(self, room_id: str, active: bool) -> Plan[RoomActivation]:
        """Activate or deactivate a room (``active`` is sent as ``true``/``false``)."""
        return (yield from call("streams.set_room_active", {"id": room_id}, params={"active": bool(active)}))

    @operation
    def search_rooms(
        self,
        query: str | Mapping[str, Any],
        *,
        skip: int = 0,
        limit: int = 50,
        include_non_discoverable: bool | None = None,
        **criteria: Any,
    ) -> Plan[RoomSearchResults]:
        """Search rooms; ``query`` is the text or a full ``V2RoomSearchCriteria`` dict, other
        criteria (labels, active, private, creator, owner, member, sortOrder) as keywords."""
        body = {"query": query} if isinstance(query, str) else dict(query)
        body.update(criteria)
        params = {"skip": skip, "limit": limit, "includeNonDiscoverable": include_non_discoverable}
        return (yield from call("streams.search_rooms", params=params, json=body))

    @paginated
    def iter_rooms(self, query: str | Mapping[str, Any], **criteria: Any) -> PageFn[RoomDetail]:
        """Every room matching a search, page by page."""
        body = {"query": query} if isinstance(query, str) else dict(query)
        body.update(criteria)

        def page(skip: int, limit: int) -> Plan[builtins.list[RoomDetail]]:
            results = yield from call(
                "streams.search_rooms", params={"skip": skip, "limit": limit}, json=body
            )
            return results.rooms if results else []

        return page

    @operation
    def list_room_members(self, room_id: str) -> Plan[builtins.list[MemberInfo]]:
        return (yield from call("streams.list_room_members", {"id": room_id}))

    @operation
    def add_member(self, room_id: str, user_id: int) -> Plan[SuccessResponse]:
        return (yield from call("streams.add_member", {"id": room_id}, json={"id": int(user_id)}))

    @operation
    def remove_member(self, room_id: str, user_id: int) -> Plan[SuccessResponse]:
        return (yield from call("streams.remove_member", {"id": room_id}, json={"id": int(user_id)}))

    @operation
    def promote_owner(self, room_id: str, user_id: int) -> Plan[SuccessResponse]:
        return (yield from call("streams.promote_owner", {"id": room_id}, json={"id": int(user_id)}))

    @operation
    def demote_owner(self, room_id: str, user_id: int) -> Plan[SuccessResponse]:
        return (yield from call("streams.demote_owner", {"id": room_id}, json={"id": int(user_id)}))

    @operation
    def get_info(self, stream_id: str) -> Plan[StreamAttributes]:
        """Type, members and attributes of any stream (IM, MIM, room, wall)."""
        return (yield from call("streams.get_info", {"sid": stream_id}))

    @operation
    def list(
        self,
        stream_types: Sequence[str] | None = None,
        *,
        include_inactive: bool = False,
        skip: int = 0,
        limit: int = 50,
    ) -> Plan[builtins.list[StreamAttributes]]:
        """Streams the caller is a member of, optionally filtered by type (IM, MIM, ROOM, POST)."""
        body = _stream_filter(stream_types, include_inactive)
        return (yield from call("streams.list", params={"skip": skip, "limit": limit}, json=body))

    @paginated
    def iter_streams(
        self, stream_types: Sequence[str] | None = None, *, include_inactive: bool = False
    ) -> PageFn[StreamAttributes]:
        """Every stream of the caller, page by page."""
        body = _stream_filter(stream_types, include_inactive)

        def page(skip: int, limit: int) -> Plan[builtins.list[StreamAttributes]]:
            return call("streams.list", params={"skip": skip, "limit": limit}, json=body)

        return page

    @operation
    def list_enterprise(
        self, filter: Mapping[str, Any] | None = None, *, skip: int = 0, limit: int = 50
    ) -> Plan[AdminStreamList]:
        """Every stream of the company (admin): filter keys streamTypes, scope, origin, privacy,
        status, startDate, endDate."""
        body = dict(filter or {})
        return (yield from call("streams.list_enterprise", params={"skip": skip, "limit": limit}, json=body))

    @operation
    def list_members(self, stream_id: str, *, skip: int = 0, limit: int = 100) -> Plan[StreamMemberList]:
        """Members of any stream (admin)."""
        params = {"skip": skip, "limit": limit}
        return (yield from call("streams.list_members", {"id": stream_id}, params=params))

    @paginated
    def iter_members(self, stream_id: str) -> PageFn[Any]:
        """Every member of a stream (admin), page by page."""

        def page(skip: int, limit: int) -> Plan[builtins.list[Any]]:
            params = {"skip": skip, "limit": limit}
            result = yield from call("streams.list_members", {"id": stream_id}, params=params)
            return result.members if result else []

        return page

    @operation
    def share(
        self, stream_id: str, content: Mapping[str, Any], *, type: str = "com.symphony.sharing.article"
    ) -> Plan[V2Message]:
        """Share third-party content (an article: title, author, publisher, appId, articleUrl...)
        into a stream; the API answers with the older ``V2Message`` shape."""
        body = {"type": type, "content": dict(content)}
        return (yield from call("streams.share", {"sid": stream_id}, json=body))
