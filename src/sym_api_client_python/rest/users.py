"""Users: the bot's own session, look-ups by id/email/username (batched by 100), search,
presence of a user."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..core.models.rest import Presence, UserList, UserSearchResults, UserV2
from ._base import D, PageFn, Plan, Service, call, operation, paginated

#: The most ids/emails/usernames /pod/v3/users takes in one call.
LOOKUP_BATCH = 100


def _batched_lookup(key: str, values: Sequence[Any], local: bool, active: bool | None) -> Plan[UserList]:
    merged = UserList()
    raw_users: list[Any] = []
    raw_errors: list[Any] = []
    for start in range(0, len(values), LOOKUP_BATCH):
        chunk = ",".join(str(v) for v in values[start : start + LOOKUP_BATCH])
        params = {key: chunk, "local": local, "active": active}
        page = yield from call("users.list", params=params)
        if page is None:  # 204: nobody found
            continue
        merged.users.extend(page.users)
        merged.errors.extend(page.errors)
        raw_users.extend(page.raw.get("users") or [])
        raw_errors.extend(page.raw.get("errors") or [])
    merged.__dict__["_raw"] = {"users": raw_users, "errors": raw_errors}
    return merged


class UsersService(Service[D]):
    """``bot.users``: who is who."""

    service_name = "users"

    @operation
    def session_info(self) -> Plan[UserV2]:
        """The bot's own user (``/pod/v2/sessioninfo``)."""
        return (yield from call("session.get"))

    @operation
    def get(
        self,
        *,
        user_id: int | None = None,
        email: str | None = None,
        username: str | None = None,
        local: bool = False,
    ) -> Plan[UserV2 | None]:
        """One user by exactly one of ``user_id``, ``email`` or ``username`` (``None`` if unknown)."""
        given = {
            k: v for k, v in (("uid", user_id), ("email", email), ("username", username)) if v is not None
        }
        if len(given) != 1:
            raise ValueError("pass exactly one of user_id, email or username")
        params: dict[str, Any] = dict(given)
        # the spec: "for username search, the local flag must be true"
        params["local"] = True if "username" in given else local
        return (yield from call("users.get", params=params))

    @operation
    def list_by_ids(
        self, user_ids: Sequence[int], *, local: bool = False, active: bool | None = None
    ) -> Plan[UserList]:
        """Users by id, any number (fetched 100 at a time)."""
        return (yield from _batched_lookup("uid", list(user_ids), local, active))

    @operation
    def list_by_emails(
        self, emails: Sequence[str], *, local: bool = False, active: bool | None = None
    ) -> Plan[UserList]:
        return (yield from _batched_lookup("email", list(emails), local, active))

    @operation
    def list_by_usernames(self, usernames: Sequence[str], *, active: bool | None = None) -> Plan[UserList]:
        return (yield from _batched_lookup("username", list(usernames), True, active))

    @operation
    def search(
        self,
        query: str,
        *,
        filters: Mapping[str, Any] | None = None,
        local: bool = False,
        skip: int = 0,
        limit: int = 50,
    ) -> Plan[UserSearchResults]:
        """Search users by name/email; filters: title, location, company, marketCoverage..."""
        body = {"query": query, "filters": dict(filters or {})}
        params = {"local": local, "skip": skip, "limit": limit}
        return (yield from call("users.search", params=params, json=body))

    @paginated
    def iter_search(
        self, query: str, *, filters: Mapping[str, Any] | None = None, local: bool = False
    ) -> PageFn[UserV2]:
        """Every user matching a search, page by page."""
        body = {"query": query, "filters": dict(filters or {})}

        def page(skip: int, limit: int) -> Plan[list[UserV2]]:
            results = yield from call(
                "users.search", params={"local": local, "skip": skip, "limit": limit}, json=body
            )
            return results.users if results else []

        return page

    @operation
    def get_presence(self, user_id: int, *, local: bool = False) -> Plan[Presence]:
        """Presence of one user."""
        return (yield from call("presence.get_user", {"uid": user_id}, params={"local": local}))
