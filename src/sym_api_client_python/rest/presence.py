"""Presence: own and other users' presence, presence feeds, external interest."""

from __future__ import annotations

from collections.abc import Sequence

from ..core.models.rest import Presence, SuccessResponse
from ._base import D, Plan, Service, call, operation

PRESENCE_CATEGORIES = (
    "AVAILABLE", "BUSY", "AWAY", "ON_THE_PHONE", "BE_RIGHT_BACK", "IN_A_MEETING", "OUT_OF_OFFICE",
    "OFF_WORK", "DO_NOT_DISTURB", "OFFLINE", "UNDEFINED",
)  # fmt: skip


def _category(category: str) -> str:
    value = category.upper()
    if value not in PRESENCE_CATEGORIES:
        raise ValueError(f"unknown presence category {category!r}; expected one of {PRESENCE_CATEGORIES}")
    return value


class PresenceService(Service[D]):
    """``bot.presence``."""

    service_name = "presence"

    @operation
    def get(self) -> Plan[Presence]:
        """The caller's presence."""
        return (yield from call("presence.get"))

    @operation
    def set(self, category: str, *, soft: bool | None = None) -> Plan[Presence]:
        """Set the caller's presence (``soft``: only if the current one is not more specific)."""
        body = {"category": _category(category)}
        return (yield from call("presence.set", params={"soft": soft}, json=body))

    @operation
    def get_user(self, user_id: int, *, local: bool = False) -> Plan[Presence]:
        return (yield from call("presence.get_user", {"uid": user_id}, params={"local": local}))

    @operation
    def set_user(self, user_id: int, category: str, *, soft: bool | None = None) -> Plan[Presence]:
        """Set another user's presence (admin)."""
        body = {"category": _category(category), "userId": int(user_id)}
        return (yield from call("presence.set_user", params={"soft": soft}, json=body))

    @operation
    def list_all(self, *, last_user_id: int | None = None, limit: int | None = None) -> Plan[list[Presence]]:
        """Presence of every user of the pod, paged by ``last_user_id`` (admin)."""
        return (yield from call("presence.list_all", params={"lastUserId": last_user_id, "limit": limit}))

    @operation
    def register_interest(self, user_ids: Sequence[int]) -> Plan[SuccessResponse]:
        """Ask for the presence of external users to be tracked."""
        return (yield from call("presence.register_interest", json=[int(u) for u in user_ids]))

    @operation
    def create_feed(self) -> Plan[str]:
        """Create a presence feed; returns its id."""
        created = yield from call("presence.create_feed")
        return created.id

    @operation
    def read_feed(self, feed_id: str) -> Plan[list[Presence]]:
        """Presence changes since the last read."""
        return (yield from call("presence.read_feed", {"feedId": feed_id}))

    @operation
    def delete_feed(self, feed_id: str) -> Plan[str]:
        deleted = yield from call("presence.delete_feed", {"feedId": feed_id})
        return deleted.id if deleted is not None else feed_id
