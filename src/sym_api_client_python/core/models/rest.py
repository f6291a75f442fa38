"""Typed REST response models (msgspec Structs), decoded by the services.

Every model is lenient: fields are optional, unknown fields are ignored (new server versions add
fields all the time) and the exact JSON the server sent stays available as ``model.raw`` (a dict).
Field names are snake_case in Python and camelCase on the wire. Messages, users and streams reuse
the datafeed's event models (:mod:`.events`) so a message read over REST and one received in an
event are the same class.
"""

from __future__ import annotations

from typing import Any

import msgspec

from .events import V4Message, V4Stream, V4User


class RestModel(msgspec.Struct, rename="camel", omit_defaults=True, dict=True):
    """Base of the REST models; ``raw`` is the JSON object as received."""

    @property
    def raw(self) -> dict[str, Any]:
        """The decoded JSON object this model came from (unknown fields included)."""
        raw = self.__dict__.get("_raw")
        if raw is None:
            raw = msgspec.to_builtins(self)
            self.__dict__["_raw"] = raw
        return raw


# --- generic answers -----------------------------------------------------------------------------


class SuccessResponse(RestModel):
    format: str | None = None
    message: str | None = None


class StringId(RestModel):
    """``{"id": "..."}`` (presence feed create/delete); an answer without ``id`` is an error."""

    id: str


class StreamId(RestModel):
    """``Stream {id}``, the answer of IM/MIM creation; an answer without ``id`` is an error."""

    id: str


# --- users ---------------------------------------------------------------------------------------


class Avatar(RestModel):
    size: str | None = None
    url: str | None = None


class UserV2(RestModel):
    id: int | None = None
    email_address: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    display_name: str | None = None
    title: str | None = None
    company: str | None = None
    username: str | None = None
    location: str | None = None
    account_type: str | None = None
    avatars: list[Avatar] | None = None
    work_phone_number: str | None = None
    mobile_phone_number: str | None = None
    job_function: str | None = None
    department: str | None = None
    division: str | None = None
    roles: list[str] | None = None


class UserError(RestModel):
    error: str | None = None
    email: str | None = None
    id: str | None = None
    username: str | None = None


class UserList(RestModel):
    """``V2UserList``: the users found, and an error per id/email/username not found."""

    users: list[UserV2] = msgspec.field(default_factory=list)
    errors: list[UserError] = msgspec.field(default_factory=list)


class UserSearchResults(RestModel):
    count: int | None = None
    skip: int | None = None
    limit: int | None = None
    query: str | None = None
    filters: dict[str, Any] | None = None
    users: list[UserV2] = msgspec.field(default_factory=list)


class UserAttributes(RestModel):
    email_address: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    user_name: str | None = None
    display_name: str | None = None
    department: str | None = None
    division: str | None = None
    title: str | None = None
    account_type: str | None = None
    company_name: str | None = None
    location: str | None = None
    job_function: str | None = None
    work_phone_number: str | None = None
    mobile_phone_number: str | None = None


class UserSystemInfo(RestModel):
    id: int | None = None
    status: str | None = None
    suspended: bool | None = None
    suspended_until: int | None = None
    suspension_reason: str | None = None
    created_date: int | None = None
    created_by: str | None = None
    last_updated_date: int | None = None
    last_login_date: int | None = None


class UserDetail(RestModel):
    """``V2UserDetail``: a user as an administrator sees it."""

    user_attributes: UserAttributes | None = None
    user_system_info: UserSystemInfo | None = None
    features: list[int] | None = None
    apps: list[int] | None = None
    groups: list[int] | None = None
    roles: list[str] | None = None
    disclaimers: list[int] | None = None
    avatar: Avatar | None = None


class UserStatus(RestModel):
    status: str | None = None
    suspended: bool | None = None
    suspended_until: int | None = None
    suspension_reason: str | None = None


class Role(RestModel):
    id: str | None = None
    name: str | None = None
    user_types: list[str] | None = None
    optional_actions: list[str] | None = None


class Feature(RestModel):
    # "entitlment" is the spec's spelling
    entitlment: str | None = None
    enabled: bool | None = None


# --- streams -------------------------------------------------------------------------------------


class Keyword(RestModel):
    key: str | None = None
    value: str | None = None


class RoomAttributes(RestModel):
    """``V3RoomAttributes``; also what :meth:`streams.create_room` accepts."""

    name: str | None = None
    description: str | None = None
    keywords: list[Keyword] | None = None
    members_can_invite: bool | None = None
    discoverable: bool | None = None
    public: bool | None = None
    read_only: bool | None = None
    copy_protected: bool | None = None
    cross_pod: bool | None = None
    view_history: bool | None = None
    multi_lateral_room: bool | None = None
    scheduled_meeting: bool | None = None
    sub_type: str | None = None
    pinned_message_id: str | None = None
    group_chat: bool | None = None


class RoomSystemInfo(RestModel):
    id: str | None = None
    creation_date: int | None = None
    created_by_user_id: int | None = None
    active: bool | None = None


class RoomDetail(RestModel):
    """``V3RoomDetail``."""

    room_attributes: RoomAttributes | None = None
    room_system_info: RoomSystemInfo | None = None
    groups: list[dict[str, Any]] | None = None


class RoomActivation(RestModel):
    """``RoomDetail`` as answered by ``setActive``."""

    room_attributes: dict[str, Any] | None = None
    room_system_info: RoomSystemInfo | None = None
    immutable_room_attributes: dict[str, Any] | None = None


class RoomSearchResults(RestModel):
    count: int | None = None
    skip: int | None = None
    limit: int | None = None
    query: dict[str, Any] | None = None
    rooms: list[RoomDetail] = msgspec.field(default_factory=list)
    faceted_match_count: list[dict[str, Any]] | None = None


class MemberInfo(RestModel):
    id: int | None = None
    owner: bool | None = None
    join_date: int | None = None
    added_through_groups: list[int] | None = None


class StreamType(RestModel):
    type: str | None = None


class StreamAttributes(RestModel):
    """``StreamAttributes`` / ``V2StreamAttributes`` (stream list and stream info)."""

    id: str | None = None
    cross_pod: bool | None = None
    origin: str | None = None
    active: bool | None = None
    last_message_date: int | None = None
    stream_type: StreamType | None = None
    stream_attributes: dict[str, Any] | None = None
    room_attributes: dict[str, Any] | None = None


class AdminStreamInfo(RestModel):
    id: str | None = None
    is_external: bool | None = None
    is_active: bool | None = None
    is_public: bool | None = None
    type: str | None = None
    attributes: dict[str, Any] | None = None


class AdminStreamList(RestModel):
    count: int | None = None
    skip: int | None = None
    limit: int | None = None
    filter: dict[str, Any] | None = None
    streams: list[AdminStreamInfo] = msgspec.field(default_factory=list)


class StreamMember(RestModel):
    user: dict[str, Any] | None = None
    is_owner: bool | None = None
    is_creator: bool | None = None
    join_date: int | None = None


class StreamMemberList(RestModel):
    count: int | None = None
    skip: int | None = None
    limit: int | None = None
    members: list[StreamMember] = msgspec.field(default_factory=list)


class ImDetail(RestModel):
    """``V1IMDetail``."""

    v1_im_attributes: dict[str, Any] | None = msgspec.field(default=None, name="V1IMAttributes")
    im_system_info: dict[str, Any] | None = msgspec.field(default=None, name="IMSystemInfo")


# --- messages ------------------------------------------------------------------------------------


class MessageBlastResponse(RestModel):
    messages: list[V4Message] = msgspec.field(default_factory=list)
    errors: dict[str, Any] | None = None


class V2Message(RestModel):
    """The older message shape, still answered by ``/agent/v3/stream/{sid}/share``."""

    id: str | None = None
    timestamp: str | None = None
    v2message_type: str | None = msgspec.field(default=None, name="v2messageType")
    stream_id: str | None = None
    message: str | None = None
    from_user_id: int | None = None
    attachments: list[dict[str, Any]] | None = None


class MessageStatusUser(V4User, RestModel):
    """A ``V4User`` with the time it read / received / was sent the message."""

    timestamp: int | None = None


class MessageStatus(RestModel):
    author: MessageStatusUser | None = None
    read: list[MessageStatusUser] = msgspec.field(default_factory=list)
    delivered: list[MessageStatusUser] = msgspec.field(default_factory=list)
    sent: list[MessageStatusUser] = msgspec.field(default_factory=list)


class MessageSuppressionResponse(RestModel):
    message_id: str | None = None
    suppressed: bool | None = None
    suppression_date: int | None = None


class StreamAttachment(RestModel):
    message_id: str | None = None
    ingestion_date: int | None = None
    user_id: int | None = None
    file_id: str | None = None
    name: str | None = None
    size: int | None = None
    content_type: str | None = None
    previews: list[dict[str, Any]] | None = None


class ImportedMessageResult(RestModel):
    message_id: str | None = None
    originating_system_id: str | None = None
    original_message_id: str | None = None
    diagnostic: str | None = None


# --- connections, signals, presence ---------------------------------------------------------------


class UserConnection(RestModel):
    user_id: int | None = None
    status: str | None = None
    first_requested_at: int | None = None
    updated_at: int | None = None
    request_counter: int | None = None


class Signal(RestModel):
    id: str | None = None
    name: str | None = None
    query: str | None = None
    visible_on_profile: bool | None = None
    company_wide: bool | None = None
    timestamp: int | None = None


class ChannelSubscriptionResponse(RestModel):
    requested_subscription: int | None = None
    successful_subscription: int | None = None
    failed_subscription: int | None = None
    subscription_errors: list[int] | None = None


class SignalSubscriber(RestModel):
    subscription_id: str | None = None
    pushed: bool | None = None
    owner: bool | None = None
    subscriber_name: str | None = None
    user_id: int | None = None
    timestamp: int | None = None


class SignalSubscriberList(RestModel):
    offset: int | None = None
    has_more: bool | None = None
    total: int | None = None
    data: list[SignalSubscriber] = msgspec.field(default_factory=list)


class Presence(RestModel):
    """``V2Presence``."""

    category: str | None = None
    user_id: int | None = None
    timestamp: int | None = None


# --- health --------------------------------------------------------------------------------------


class AgentHealth(RestModel):
    """``V3Health``: ``status`` is ``UP`` or ``DOWN``; ``services``/``users`` per dependency."""

    status: str | None = None
    version: str | None = None
    services: dict[str, Any] | None = None
    users: dict[str, Any] | None = None


class AgentInfo(RestModel):
    ip_address: str | None = None
    hostname: str | None = None
    server_fqdn: str | None = None
    version: str | None = None
    url: str | None = None
    on_prem: bool | None = None
    mt: bool | None = None
    commit_id: str | None = None


class LegacyHealthCheck(RestModel):
    """``V2HealthCheckResponse`` (``/agent/v2/HealthCheck``, the legacy SDK's health check)."""

    pod_connectivity: bool | None = None
    pod_connectivity_error: str | None = None
    key_manager_connectivity: bool | None = None
    key_manager_connectivity_error: str | None = None
    firehose_connectivity: bool | None = None
    firehose_connectivity_error: str | None = None
    datafeed_connectivity: bool | None = None
    datafeed_connectivity_error: str | None = None
    encrypt_decrypt_success: bool | None = None
    encrypt_decrypt_error: str | None = None
    pod_version: str | None = None
    agent_version: str | None = None
    agent_service_user: bool | None = None
    agent_service_user_error: str | None = None
    ce_service_user: bool | None = None
    ce_service_user_error: str | None = None


#: Models by the name used in the endpoint table's ``response`` column.
MODELS: dict[str, type[Any]] = {
    name: value
    for name, value in dict(globals()).items()
    if isinstance(value, type) and issubclass(value, msgspec.Struct) and value is not RestModel
}
MODELS.update({"V4Message": V4Message, "V4User": V4User, "V4Stream": V4Stream})


def resolve_model(spec: str) -> tuple[type[Any], bool]:
    """``"list[X]"`` → ``(X, True)``, ``"X"`` → ``(X, False)``; ``str``/``bytes`` are allowed as X."""
    is_list = spec.startswith("list[") and spec.endswith("]")
    name = spec[5:-1] if is_list else spec
    if name in ("str", "bytes"):
        return (str if name == "str" else bytes), is_list
    try:
        return MODELS[name], is_list
    except KeyError:
        raise KeyError(f"unknown response model {name!r} in the endpoint table") from None


__all__ = [name for name in MODELS if name not in ("V4Message", "V4User", "V4Stream")] + [
    "RestModel",
    "resolve_model",
]
