"""Real-time events: building V4Events and fanning them out to datafeeds.

:func:`publish_event` is the only way events enter feeds. It stores the event once, queues it
on every datafeed (v1 and v2) of every member, the initiator included (the SDKs drop their own
events themselves), and wakes the long-polling readers of those feeds through :class:`FeedHub`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .ids import new_event_id, now_ms

if TYPE_CHECKING:
    from .state import PodState

# event type -> key of its payload inside V4Payload
PAYLOAD_KEYS: dict[str, str] = {
    "MESSAGESENT": "messageSent",
    "MESSAGESUPPRESSED": "messageSuppressed",
    "SYMPHONYELEMENTSACTION": "symphonyElementsAction",
    "SHAREDPOST": "sharedPost",
    "INSTANTMESSAGECREATED": "instantMessageCreated",
    "ROOMCREATED": "roomCreated",
    "ROOMUPDATED": "roomUpdated",
    "ROOMDEACTIVATED": "roomDeactivated",
    "ROOMREACTIVATED": "roomReactivated",
    "USERJOINEDROOM": "userJoinedRoom",
    "USERLEFTROOM": "userLeftRoom",
    "ROOMMEMBERPROMOTEDTOOWNER": "roomMemberPromotedToOwner",
    "ROOMMEMBERDEMOTEDFROMOWNER": "roomMemberDemotedFromOwner",
    "CONNECTIONREQUESTED": "connectionRequested",
    "CONNECTIONACCEPTED": "connectionAccepted",
    "USERREQUESTEDTOJOINROOM": "userRequestedToJoinRoom",
    "GENERICSYSTEMEVENT": "genericSystemEvent",
}


def v4_user(user: dict[str, Any]) -> dict[str, Any]:
    """``V4User`` of a user row: ``{userId, firstName, lastName, displayName, email, username}``."""
    return {
        "userId": user["user_id"],
        "firstName": user.get("first_name") or "",
        "lastName": user.get("last_name") or "",
        "displayName": user.get("display_name") or user["username"],
        "email": user.get("email") or "",
        "username": user["username"],
    }


def v4_stream(stream: dict[str, Any], *, members: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """``V4Stream`` of a stream row; ``members`` (user rows) only for INSTANTMESSAGECREATED."""
    result: dict[str, Any] = {
        "streamId": stream["stream_id"],
        "streamType": stream["stream_type"],
        "external": False,
        "crossPod": False,
    }
    if stream["stream_type"] == "ROOM" and stream.get("name"):
        result["roomName"] = stream["name"]
    if members is not None:
        result["members"] = [v4_user(member) for member in members]
    return result


class FeedHub:
    """Wakes long-polling datafeed readers when their feed gets events (no polling loops).

    Readers call :meth:`waiter` *before* checking the queue, then await it; since everything runs
    on one event loop, an event published between the check and the await still wakes them.
    """

    def __init__(self) -> None:
        self._waiters: dict[str, asyncio.Event] = {}

    def waiter(self, feed_id: str) -> asyncio.Event:
        event = self._waiters.get(feed_id)
        if event is None:
            event = self._waiters[feed_id] = asyncio.Event()
        return event

    def notify(self, feed_ids: Iterable[str]) -> None:
        for feed_id in feed_ids:
            event = self._waiters.pop(feed_id, None)
            if event is not None:
                event.set()

    def notify_all(self) -> None:
        """Wake every reader (reset, feed deletion) so it re-checks its feed."""
        self.notify(list(self._waiters))


def build_event(
    event_type: str,
    payload: dict[str, Any],
    initiator: dict[str, Any],
    *,
    message_id: str | None = None,
) -> dict[str, Any]:
    """A V4Event. ``payload`` is the content of the type's payload key (e.g. ``{"message": ...}``
    for MESSAGESENT); ``initiator`` is a user row."""
    try:
        payload_key = PAYLOAD_KEYS[event_type]
    except KeyError:
        raise ValueError(f"unknown event type {event_type!r}; known: {', '.join(PAYLOAD_KEYS)}") from None
    if message_id is None:
        message = payload.get("message")
        if isinstance(message, dict):
            message_id = message.get("messageId")
        else:
            message_id = payload.get("messageId") or payload.get("formMessageId")
    event: dict[str, Any] = {
        "id": new_event_id(),
        "messageId": message_id or "",
        "timestamp": now_ms(),
        "type": event_type,
        "initiator": {"user": v4_user(initiator)},
        "payload": {payload_key: payload},
    }
    return event


def publish_event(
    pod: PodState,
    event_type: str,
    payload: dict[str, Any],
    initiator_user_id: int,
    member_user_ids: Iterable[int],
    *,
    message_id: str | None = None,
) -> dict[str, Any]:
    """Build a V4Event and queue it on every feed of every member; returns the event.

    The initiator is required: the legacy SDK reads ``initiator.user.userId`` of every event
    without a guard. Must be called on the server's event-loop thread (route handlers are).
    """
    initiator = pod.store.get_user(initiator_user_id)
    if initiator is None:
        raise ValueError(f"publish_event: no user {initiator_user_id} to be the initiator of {event_type}")
    event = build_event(event_type, payload, initiator, message_id=message_id)
    members = set(member_user_ids)
    members.add(initiator_user_id)
    feed_ids = pod.store.feed_ids_for_users(members)
    pod.store.enqueue_event(event, initiator_user_id, feed_ids)
    pod.hub.notify(feed_ids)
    return event
