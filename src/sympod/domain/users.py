"""Users: lookups, search and the ``UserV2`` shape."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import ApiError
from ..store import Store, loads

#: Roles that grant the pod's admin endpoints (the bot has none of them unless given).
ADMIN_ROLES = frozenset({"SUPER_ADMINISTRATOR", "ADMINISTRATOR", "USER_PROVISIONING", "SCOPE_MANAGEMENT"})

#: The role ids a pod knows (``GET /pod/v1/admin/system/roles/list``), as BDK's RoleId enum lists them.
KNOWN_ROLES: dict[str, str] = {
    "INDIVIDUAL": "Individual",
    "ADMINISTRATOR": "Administrator",
    "SUPER_ADMINISTRATOR": "Super Administrator",
    "COMPLIANCE_OFFICER": "Compliance Officer",
    "SUPER_COMPLIANCE_OFFICER": "Super Compliance Officer",
    "L1_SUPPORT": "L1 Support",
    "L2_SUPPORT": "L2 Support",
    "USER_PROVISIONING": "User Provisioning",
    "SCOPE_MANAGEMENT": "Scope Management",
    "CONTENT_MANAGEMENT": "Content Management",
    "MALWARE_SCAN_MANAGER": "Malware Scan Manager",
    "MALWARE_SCAN_STATE_USER": "Malware Scan State User",
    "AUDIT_TRAIL_MANAGER": "Audit Trail Manager",
    "APP_MANAGEMENT": "App Management",
    "APP_OWNER": "App Owner",
    "SYMPHONY_INTERNAL_ROLE": "Symphony Internal",
    "PRODUCT_MANAGEMENT": "Product Management",
    "CONTENT_ACCESS": "Content Access",
    "APP_ADMINISTRATION": "App Administration",
}


def user_roles(user: dict[str, Any]) -> list[str]:
    roles = loads(user.get("roles_json"), [])
    return [str(role) for role in roles] if isinstance(roles, list) else []


def is_admin(user: dict[str, Any]) -> bool:
    return any(role in ADMIN_ROLES for role in user_roles(user))


def require_admin(user: dict[str, Any]) -> None:
    """403 unless the caller holds an admin role (real pods check entitlements the same way)."""
    if not is_admin(user):
        raise ApiError(
            403,
            f"User '{user['username']}' is not entitled to call admin endpoints "
            f"(needs one of the roles {', '.join(sorted(ADMIN_ROLES))})",
        )


def user_v2(user: dict[str, Any]) -> dict[str, Any]:
    """``UserV2`` of a user row (what sessioninfo, user lookups and search return)."""
    result: dict[str, Any] = {
        "id": user["user_id"],
        "username": user["username"],
        "displayName": user.get("display_name") or user["username"],
        "accountType": user.get("account_type") or "NORMAL",
        "roles": user_roles(user) or ["INDIVIDUAL"],
    }
    if user.get("email"):
        result["emailAddress"] = user["email"]
    for column, key in (
        ("first_name", "firstName"), ("last_name", "lastName"), ("title", "title"), ("company", "company"),
        ("department", "department"), ("location", "location"),
    ):  # fmt: skip
        if user.get(column):
            result[key] = user[column]
    if user.get("avatar_url"):
        result["avatars"] = [{"size": "original", "url": user["avatar_url"]}]
    return result


def parse_user_id_text(value: str, *, name: str) -> int:
    text = value.strip()
    if not text.isdigit():
        raise ApiError(400, f"'{name}' must be a numeric user id, got {value!r}")
    return int(text)


def require_user(store: Store, user_id: int, *, status: int = 400, role: str = "user") -> dict[str, Any]:
    """The user row, or an error naming the id (400 for bodies, 404 where the spec documents it)."""
    user = store.get_user(user_id)
    if user is None:
        raise ApiError(status, f"The {role} with id {user_id} does not exist")
    return user


def find_one(
    store: Store, *, uid: str | None, email: str | None, username: str | None
) -> dict[str, Any] | None:
    """``GET /pod/v2/user``: exactly one of uid, email or username; None when nobody matches."""
    given = [name for name, value in (("uid", uid), ("email", email), ("username", username)) if value]
    if len(given) != 1:
        raise ApiError(400, "Exactly one of the query parameters 'uid', 'email' or 'username' is required"
                       + (f" (got {', '.join(given)})" if given else ""))  # fmt: skip
    if uid:
        return store.get_user(parse_user_id_text(uid, name="uid"))
    if email:
        return store.get_user_by_email(email.strip())
    return store.get_user_by_username((username or "").strip())


def _split_list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def find_many(
    store: Store,
    *,
    uid: str | None,
    email: str | None,
    username: str | None,
    active: bool | None = None,
) -> dict[str, Any]:
    """``GET /pod/v3/users``: ``V2UserList {users, errors}`` for one of the comma-separated lists."""
    lists = {
        name: _split_list(value) for name, value in (("uid", uid), ("email", email), ("username", username))
    }
    given = [name for name, values in lists.items() if values]
    if len(given) != 1:
        raise ApiError(400, "Exactly one of the query parameters 'uid', 'email' or 'username' is required")
    kind = given[0]
    values = lists[kind]
    if len(values) > 100:
        raise ApiError(400, f"At most 100 values are allowed in '{kind}', got {len(values)}")
    users: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    for value in values:
        if kind == "uid":
            row = store.get_user(parse_user_id_text(value, name="uid"))
        elif kind == "email":
            row = store.get_user_by_email(value)
        else:
            row = store.get_user_by_username(value)
        if row is not None and (active is None or bool(row["active"]) == active):
            users.append(user_v2(row))
        else:
            # UserError names the value under "id" or "email" (usernames keep their own key)
            key = "id" if kind == "uid" else kind
            errors.append({"error": "invalid.format" if row is None else "user.inactive", key: value})
    result: dict[str, Any] = {"users": users}
    if errors:
        result["errors"] = errors
    return result


_SEARCH_COLUMNS = ("username", "display_name", "email", "first_name", "last_name")
_FILTER_COLUMNS = {"title": "title", "company": "company", "location": "location"}


def search(
    store: Store,
    query: str,
    filters: dict[str, Any] | None,
    *,
    skip: int,
    limit: int,
) -> dict[str, Any]:
    """``POST /pod/v1/user/search``: case-insensitive substring match over names and email."""
    needle = query.strip().lower()
    if not needle:
        raise ApiError(400, "Field 'query' must not be empty")
    filters = filters or {}
    account_types = filters.get("accountTypes")
    if account_types is not None and not (
        isinstance(account_types, list) and all(isinstance(item, str) for item in account_types)
    ):
        raise ApiError(400, "Field 'filters.accountTypes' must be an array of strings")
    matches = []
    for row in store.list_users():
        if not row["active"]:
            continue
        if not any(needle in str(row.get(column) or "").lower() for column in _SEARCH_COLUMNS):
            continue
        if account_types and row["account_type"] not in account_types:
            continue
        if any(
            isinstance(filters.get(key), str)
            and filters[key].lower() not in str(row.get(column) or "").lower()
            for key, column in _FILTER_COLUMNS.items()
        ):
            continue
        matches.append(row)
    page = matches[skip : skip + limit]
    search_query: dict[str, Any] = {"query": query}
    if filters:
        search_query["filters"] = filters
    return {
        "count": len(matches),
        "skip": skip,
        "limit": limit,
        "searchQuery": search_query,
        "users": [user_v2(row) for row in page],
    }


def display_names(store: Store, user_ids: Iterable[int]) -> dict[int, str]:
    return {uid: row.get("display_name") or row["username"] for uid, row in store.get_users(user_ids).items()}
