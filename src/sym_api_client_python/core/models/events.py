"""Typed real-time events (``V4Event`` and its payloads) decoded straight from a datafeed read.

Decoding is done by msgspec into ``Struct`` classes (about 2.7x faster than ``json`` into dicts,
see docs/decisions.md). Every model is lenient: unknown fields are ignored and almost every field
is optional, because one surprising event must never cost the rest of the batch. The exact JSON
the server sent stays available as ``event.raw`` (a dict, decoded on first access), which is what
the legacy listeners receive.
"""

from __future__ import annotations

import logging
from typing import Any

import msgspec

from ..errors import UnexpectedResponseError

logger = logging.getLogger(__name__)


class EventType:
    """The ``V4Event.type`` values the agent emits (agent-api-public.yaml, V4Event)."""

    MESSAGESENT = "MESSAGESENT"
    MESSAGESUPPRESSED = "MESSAGESUPPRESSED"
    SYMPHONYELEMENTSACTION = "SYMPHONYELEMENTSACTION"
    SHAREDPOST = "SHAREDPOST"
    INSTANTMESSAGECREATED = "INSTANTMESSAGECREATED"
    ROOMCREATED = "ROOMCREATED"
    ROOMUPDATED = "ROOMUPDATED"
    ROOMDEACTIVATED = "ROOMDEACTIVATED"
    ROOMREACTIVATED = "ROOMREACTIVATED"
    USERJOINEDROOM = "USERJOINEDROOM"
    USERLEFTROOM = "USERLEFTROOM"
    ROOMMEMBERPROMOTEDTOOWNER = "ROOMMEMBERPROMOTEDTOOWNER"
    ROOMMEMBERDEMOTEDFROMOWNER = "ROOMMEMBERDEMOTEDFROMOWNER"
    CONNECTIONREQUESTED = "CONNECTIONREQUESTED"
    CONNECTIONACCEPTED = "CONNECTIONACCEPTED"
    USERREQUESTEDTOJOINROOM = "USERREQUESTEDTOJOINROOM"
    GENERICSYSTEMEVENT = "GENERICSYSTEMEVENT"


# type -> the V4Payload key holding that event's payload
PAYLOAD_KEYS: dict[str, str] = {
    EventType.MESSAGESENT: "messageSent",
    EventType.MESSAGESUPPRESSED: "messageSuppressed",
    EventType.SYMPHONYELEMENTSACTION: "symphonyElementsAction",
    EventType.SHAREDPOST: "sharedPost",
    EventType.INSTANTMESSAGECREATED: "instantMessageCreated",
    EventType.ROOMCREATED: "roomCreated",
    EventType.ROOMUPDATED: "roomUpdated",
    EventType.ROOMDEACTIVATED: "roomDeactivated",
    EventType.ROOMREACTIVATED: "roomReactivated",
    EventType.USERJOINEDROOM: "userJoinedRoom",
    EventType.USERLEFTROOM: "userLeftRoom",
    EventType.ROOMMEMBERPROMOTEDTOOWNER: "roomMemberPromotedToOwner",
    EventType.ROOMMEMBERDEMOTEDFROMOWNER: "roomMemberDemotedFromOwner",
    EventType.CONNECTIONREQUESTED: "connectionRequested",
    EventType.CONNECTIONACCEPTED: "connectionAccepted",
    EventType.USERREQUESTEDTOJOINROOM: "userRequestedToJoinRoom",
    EventType.GENERICSYSTEMEVENT: "genericSystemEvent",
}


class _Model(msgspec.Struct, rename="camel", omit_defaults=True):
    """Base of every event model: camelCase on the wire, snake_case in Python."""


class V4User(_Model):
    user_id: int | None = None
    first_name: str | None = None
    last_name: str | None = None
    display_name: str | None = None
    email: str | None = None
    username: str | None = None


class V4Stream(_Model):
    stream_id: str | None = None
    stream_type: str | None = None
    room_name: str | None = None
    members: list[V4User] | None = None
    external: bool | None = None
    cross_pod: bool | None = None


class V4Message(_Model):
    message_id: str | None = None
    timestamp: int | None = None
    message: str | None = None
    shared_message: Any = None
    data: str | None = None
    attachments: list[dict[str, Any]] | None = None
    user: V4User | None = None
    stream: V4Stream | None = None
    external_recipients: bool | None = None
    diagnostic: str | None = None
    user_agent: str | None = None
    original_format: str | None = None
    disclaimer: str | None = None
    sid: str | None = None


class V4KeyValuePair(_Model):
    key: str | None = None
    value: str | None = None


class V4RoomProperties(_Model):
    name: str | None = None
    description: str | None = None
    creator_user: V4User | None = None
    created_date: int | None = None
    external: bool | None = None
    cross_pod: bool | None = None
    public: bool | None = None
    copy_protected: bool | None = None
    read_only: bool | None = None
    discoverable: bool | None = None
    members_can_invite: bool | None = None
    keywords: list[V4KeyValuePair] | None = None
    can_view_history: bool | None = None


class V4MessageSent(_Model):
    message: V4Message | None = None


class V4SharedPost(_Model):
    message: V4Message | None = None
    shared_message: V4Message | None = None


class V4MessageSuppressed(_Model):
    message_id: str | None = None
    stream: V4Stream | None = None


class V4SymphonyElementsAction(_Model):
    stream: V4Stream | None = None
    form_message_id: str | None = None
    form_id: str | None = None
    # Free-form: multi-select and person-selector send lists, some clients send numbers.
    form_values: dict[str, Any] | None = None


class V4StreamEvent(_Model):
    """Payload of the events that only carry a stream (IM created, room (de|re)activated)."""

    stream: V4Stream | None = None


class V4RoomCreated(_Model):
    stream: V4Stream | None = None
    room_properties: V4RoomProperties | None = None


class V4RoomUpdated(_Model):
    stream: V4Stream | None = None
    new_room_properties: V4RoomProperties | None = None


class V4MembershipEvent(_Model):
    """Payload of joined/left/promoted/demoted events."""

    stream: V4Stream | None = None
    affected_user: V4User | None = None


class V4UserRequestedToJoinRoom(_Model):
    stream: V4Stream | None = None
    affected_users: list[V4User] | None = None


class V4ConnectionRequested(_Model):
    to_user: V4User | None = None


class V4ConnectionAccepted(_Model):
    from_user: V4User | None = None


class V4GenericSystemEvent(_Model):
    stream: V4Stream | None = None
    event_timestamp: int | None = None
    source_system: str | None = None
    event_subtype: str | None = None
    parameters: dict[str, Any] | None = None


class V4Payload(_Model):
    message_sent: V4MessageSent | None = None
    shared_post: V4SharedPost | None = None
    message_suppressed: V4MessageSuppressed | None = None
    symphony_elements_action: V4SymphonyElementsAction | None = None
    instant_message_created: V4StreamEvent | None = None
    room_created: V4RoomCreated | None = None
    room_updated: V4RoomUpdated | None = None
    room_deactivated: V4StreamEvent | None = None
    room_reactivated: V4StreamEvent | None = None
    user_joined_room: V4MembershipEvent | None = None
    user_left_room: V4MembershipEvent | None = None
    room_member_promoted_to_owner: V4MembershipEvent | None = None
    room_member_demoted_from_owner: V4MembershipEvent | None = None
    connection_requested: V4ConnectionRequested | None = None
    connection_accepted: V4ConnectionAccepted | None = None
    user_requested_to_join_room: V4UserRequestedToJoinRoom | None = None
    generic_system_event: V4GenericSystemEvent | None = None


class V4Initiator(_Model):
    user: V4User | None = None


class V4Event(_Model, dict=True):
    """One real-time event. ``raw`` is the event exactly as received, as a dict."""

    id: str | None = None
    message_id: str | None = None
    timestamp: int | None = None
    type: str | None = None
    initiator: V4Initiator | None = None
    payload: V4Payload | None = None
    diagnostic: str | None = None

    @property
    def raw(self) -> dict[str, Any]:
        """The event as a plain dict, exactly as the server sent it (decoded lazily, cached)."""
        cached = self.__dict__.get("_raw_dict")
        if cached is None:
            source = self.__dict__.get("_raw_json")
            cached = msgspec.json.decode(source) if source is not None else msgspec.to_builtins(self)
            self.__dict__["_raw_dict"] = cached
        return cached

    @property
    def initiator_user_id(self) -> int | None:
        initiator = self.initiator
        return initiator.user.user_id if initiator is not None and initiator.user is not None else None

    @property
    def payload_part(self) -> Any:
        """The typed payload object of this event's type (``None`` for unknown types)."""
        key = PAYLOAD_KEYS.get(self.type or "")
        if key is None or self.payload is None:
            return None
        return getattr(self.payload, _SNAKE_PAYLOAD_ATTRS[key], None)

    @property
    def stream_id(self) -> str | None:
        """The stream the event happened in, when it has one (messages, rooms, forms...)."""
        part = self.payload_part
        if part is None:
            return None
        message = getattr(part, "message", None)
        stream = message.stream if isinstance(message, V4Message) else getattr(part, "stream", None)
        return stream.stream_id if isinstance(stream, V4Stream) else None

    @property
    def dedup_key(self) -> str | None:
        """What identifies a delivery of this event: its id, else its message id."""
        return self.id or self.message_id


_SNAKE_PAYLOAD_ATTRS: dict[str, str] = {
    key: "".join("_" + c.lower() if c.isupper() else c for c in key) for key in PAYLOAD_KEYS.values()
}


class _V5EventList(msgspec.Struct, rename="camel"):
    # Events stay raw here: each is decoded on its own so one bad event cannot fail the batch,
    # and so its exact bytes are kept for ``V4Event.raw``.
    events: list[msgspec.Raw] | None = None
    ack_id: str | None = None


_EVENT_DECODER = msgspec.json.Decoder(V4Event)
_V5_DECODER = msgspec.json.Decoder(_V5EventList)
_V1_DECODER = msgspec.json.Decoder(list[msgspec.Raw])
_NULL = b"null"


def decode_event(raw: bytes | msgspec.Raw) -> V4Event | None:
    """One event from its JSON; ``None`` for a JSON null. Never raises for a well-formed object:
    a field of an unexpected type degrades to an event with only id/type/timestamp set."""
    data = bytes(raw)
    if data.strip() == _NULL:
        return None
    try:
        event = _EVENT_DECODER.decode(data)
    except msgspec.ValidationError as exc:
        loose = msgspec.json.decode(data)
        if not isinstance(loose, dict):
            logger.error("skipping a datafeed event that is not a JSON object: %.200r", data)
            return None
        logger.warning(
            "event %s (%s) has unexpected field types (%s); typed payload unavailable, raw dict kept",
            loose.get("id"),
            loose.get("type"),
            exc,
        )
        event = V4Event(
            id=_str_or_none(loose.get("id")),
            message_id=_str_or_none(loose.get("messageId")),
            timestamp=loose.get("timestamp") if isinstance(loose.get("timestamp"), int) else None,
            type=_str_or_none(loose.get("type")),
        )
    event.__dict__["_raw_json"] = data
    return event


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def decode_events(raw_events: list[msgspec.Raw] | None) -> list[V4Event]:
    events = []
    for raw in raw_events or ():
        event = decode_event(raw)
        if event is not None:
            events.append(event)
    return events


def decode_v5_read(body: bytes) -> tuple[list[V4Event], str | None]:
    """A datafeed v2 read answer ``{"events": [...], "ackId": "..."}`` → (events, ackId)."""
    if not body.strip():
        return [], None
    try:
        batch = _V5_DECODER.decode(body)
    except msgspec.MsgspecError as exc:
        raise _undecodable_read(body, exc) from exc
    return decode_events(batch.events), batch.ack_id


def decode_v4_read(body: bytes) -> list[V4Event]:
    """A datafeed v1 read answer (a bare JSON array; empty body for 204) → events."""
    if not body.strip():
        return []
    try:
        raw_events = _V1_DECODER.decode(body)
    except msgspec.MsgspecError as exc:
        raise _undecodable_read(body, exc) from exc
    return decode_events(raw_events)


def _undecodable_read(body: bytes, exc: msgspec.MsgspecError) -> UnexpectedResponseError:
    """A read answer that is not the documented shape: an SDK error naming the problem, which the
    datafeed loop treats like any failed read (back off, read again)."""
    snippet = body[:200].decode("utf-8", "replace")
    return UnexpectedResponseError(200, f"datafeed read answer is not valid ({exc}): {snippet!r}")


__all__ = [
    "PAYLOAD_KEYS",
    "EventType",
    "V4ConnectionAccepted",
    "V4ConnectionRequested",
    "V4Event",
    "V4GenericSystemEvent",
    "V4Initiator",
    "V4KeyValuePair",
    "V4MembershipEvent",
    "V4Message",
    "V4MessageSent",
    "V4MessageSuppressed",
    "V4Payload",
    "V4RoomCreated",
    "V4RoomProperties",
    "V4RoomUpdated",
    "V4SharedPost",
    "V4Stream",
    "V4StreamEvent",
    "V4SymphonyElementsAction",
    "V4User",
    "V4UserRequestedToJoinRoom",
    "decode_event",
    "decode_events",
    "decode_v4_read",
    "decode_v5_read",
]
