"""User administration (``/pod/v{1,2}/admin/user/*``, system roles and features). Callers need an
admin role (see :func:`sympod.domain.users.require_admin`); the routes check it."""

from __future__ import annotations

import base64
import binascii
import sqlite3
from typing import Any

from ..errors import ApiError
from ..ids import now_ms
from ..store import Store, dumps, loads
from .users import KNOWN_ROLES, require_user, user_roles

#: Feature entitlements a pod knows (``GET /pod/v1/admin/system/features/list``) and their defaults.
FEATURES: dict[str, bool] = {
    "postReadEnabled": True,
    "postWriteEnabled": True,
    "delegatesEnabled": True,
    "isExternalIMEnabled": True,
    "canShareFilesExternally": True,
    "canCreatePublicRoom": True,
    "canUpdateAvatar": True,
    "isExternalRoomEnabled": True,
    "canCreatePushedSignals": True,
    "canUseCompactMode": True,
    "mustBeRecorded": False,
    "sendFilesEnabled": True,
    "canCreateMultiLateralRoom": True,
    "canJoinMultiLateralRoom": True,
    "canUseFirehose": False,
}
#: ``V2UserAttributes`` key → users column.
_ATTRIBUTE_COLUMNS = {
    "emailAddress": "email", "firstName": "first_name", "lastName": "last_name",
    "displayName": "display_name",
    "companyName": "company", "department": "department", "title": "title", "location": "location",
}  # fmt: skip
_EXTRA_ATTRIBUTES = ("division", "workPhoneNumber", "mobilePhoneNumber", "jobFunction", "smsNumber")


def user_detail(user: dict[str, Any], *, v2: bool = True) -> dict[str, Any]:
    """``V2UserDetail`` (or v1 ``UserDetail``) of a user row."""
    attributes: dict[str, Any] = {
        "userName": user["username"],
        "displayName": user.get("display_name") or user["username"],
        "accountType": user.get("account_type") or "NORMAL",
    }
    for key, column in _ATTRIBUTE_COLUMNS.items():
        if user.get(column) and key != "displayName":
            attributes[key] = user[column]
    extra = loads(user.get("extra_json"), {})
    for key in _EXTRA_ATTRIBUTES:
        if isinstance(extra.get(key), str):
            attributes[key] = extra[key]
    if v2 and user.get("public_key"):
        attributes["currentKey"] = {"key": user["public_key"]}
    detail: dict[str, Any] = {
        "userAttributes": attributes,
        "userSystemInfo": {
            "id": user["user_id"],
            "status": "ENABLED" if user["active"] else "DISABLED",
            **suspension_of(user),
            "createdDate": user["created_at"],
            "createdBy": "sympod",
            "lastUpdatedDate": extra.get("updatedAt", user["created_at"]),
        },
        "roles": user_roles(user) or ["INDIVIDUAL"],
        "features": [],
        "apps": [],
        "groups": [],
        "disclaimers": [],
    }
    if user.get("avatar_url"):
        detail["avatar"] = {"size": "original", "url": user["avatar_url"]}
    return detail


def _require_str(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ApiError(400, f"Field '{name}' is required and must be a non-empty string")
    return value.strip()


def _columns_from_attributes(attributes: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    columns: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in attributes.items():
        if value is None:
            continue
        if key in _ATTRIBUTE_COLUMNS:
            if not isinstance(value, str):
                raise ApiError(400, f"Field 'userAttributes.{key}' must be a string")
            columns[_ATTRIBUTE_COLUMNS[key]] = value
        elif key in _EXTRA_ATTRIBUTES:
            if not isinstance(value, str):
                raise ApiError(400, f"Field 'userAttributes.{key}' must be a string")
            extra[key] = value
        elif key == "accountType":
            if value not in ("NORMAL", "SYSTEM", "SDL"):
                raise ApiError(400, f"Field 'accountType' must be NORMAL, SYSTEM or SDL, got {value!r}")
            columns["account_type"] = value
        elif key == "currentKey":
            key_pem = value.get("key") if isinstance(value, dict) else None
            if key_pem is not None:
                if not isinstance(key_pem, str) or "BEGIN PUBLIC KEY" not in key_pem:
                    raise ApiError(400, "Field 'currentKey.key' must be a PEM public key")
                columns["public_key"] = key_pem
    return columns, extra


def _parse_roles(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(role, str) for role in value):
        raise ApiError(400, "Field 'roles' must be an array of role ids")
    unknown = [role for role in value if role not in KNOWN_ROLES]
    if unknown:
        raise ApiError(400, f"Unknown role(s): {', '.join(unknown)}")
    return list(dict.fromkeys(value))


def create_user(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    attributes = body.get("userAttributes")
    if not isinstance(attributes, dict):
        raise ApiError(400, "Field 'userAttributes' is required and must be an object")
    username = _require_str(attributes.get("userName"), "userAttributes.userName")
    columns, extra = _columns_from_attributes(attributes)
    if columns.get("account_type", "NORMAL") == "NORMAL" and not columns.get("email"):
        raise ApiError(400, "Field 'userAttributes.emailAddress' is required for NORMAL accounts")
    roles = _parse_roles(body["roles"]) if body.get("roles") is not None else ["INDIVIDUAL"]
    if store.get_user_by_username(username) is not None:
        raise ApiError(400, f"A user with the username '{username}' already exists")
    if columns.get("email") and store.get_user_by_email(columns["email"]) is not None:
        raise ApiError(400, f"A user with the email '{columns['email']}' already exists")
    bot = columns.pop("account_type", "NORMAL") == "SYSTEM"
    try:
        created = store.create_user(
            username,
            display_name=columns.pop("display_name", None),
            email=columns.pop("email", None),
            first_name=columns.pop("first_name", None),
            last_name=columns.pop("last_name", None),
            bot=bot,
            public_key=columns.pop("public_key", None),
            roles_json=dumps(roles),
            extra_json=dumps(extra),
            **columns,
        )
    except sqlite3.IntegrityError as exc:
        raise ApiError(400, f"Cannot create user '{username}': {exc}") from None
    return created


def update_user(store: Store, user_id: int, attributes: dict[str, Any]) -> dict[str, Any]:
    user = require_user(store, user_id)
    columns, extra_changes = _columns_from_attributes(attributes)
    if attributes.get("userName") is not None:
        new_name = _require_str(attributes["userName"], "userName")
        other = store.get_user_by_username(new_name)
        if other is not None and other["user_id"] != user_id:
            raise ApiError(400, f"A user with the username '{new_name}' already exists")
        columns["username"] = new_name
    extra = loads(user.get("extra_json"), {})
    extra.update(extra_changes)
    extra["updatedAt"] = now_ms()
    store.update_user(user_id, extra_json=dumps(extra), **columns)
    return require_user(store, user_id)


def list_users(store: Store, *, skip: int, limit: int) -> list[dict[str, Any]]:
    return [user_detail(row) for row in store.list_users()[skip : skip + limit]]


def find_users(store: Store, user_filter: dict[str, Any], *, skip: int, limit: int) -> list[dict[str, Any]]:
    """``POST /pod/v1/admin/user/find`` by role, feature and status."""
    role, feature, status = user_filter.get("role"), user_filter.get("feature"), user_filter.get("status")
    if status not in (None, "ENABLED", "DISABLED"):
        raise ApiError(400, f"Field 'status' must be ENABLED or DISABLED, got {status!r}")
    matches = []
    for row in store.list_users():
        if role is not None and role not in user_roles(row):
            continue
        if feature is not None and not user_features(row).get(str(feature), False):
            continue
        if status is not None and bool(row["active"]) != (status == "ENABLED"):
            continue
        matches.append(user_detail(row, v2=False))
    return matches[skip : skip + limit]


def change_role(store: Store, user_id: int, body: dict[str, Any], *, add: bool) -> str:
    user = require_user(store, user_id)
    role = _require_str(body.get("id"), "id")
    if role not in KNOWN_ROLES:
        raise ApiError(400, f"Unknown role '{role}'")
    roles = user_roles(user)
    if add and role not in roles:
        roles.append(role)
    elif not add and role in roles:
        roles.remove(role)
    store.update_user(user_id, roles_json=dumps(roles))
    return f"Role {role} {'added to' if add else 'removed from'} user {user_id}"


def user_features(user: dict[str, Any]) -> dict[str, bool]:
    stored = loads(user.get("features_json"), {})
    return {**FEATURES, **(stored if isinstance(stored, dict) else {})}


def update_features(store: Store, user_id: int, body: Any) -> None:
    user = require_user(store, user_id)
    if not isinstance(body, list):
        raise ApiError(400, "The body must be an array of {entitlment, enabled} objects")
    features = user_features(user)
    for index, item in enumerate(body):
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("entitlment"), str)
            or not isinstance(item.get("enabled"), bool)
        ):
            raise ApiError(400, f"[{index}] must be an object with string 'entitlment' and boolean 'enabled'")
        if item["entitlment"] not in FEATURES:
            raise ApiError(400, f"[{index}]: unknown feature '{item['entitlment']}'")
        features[item["entitlment"]] = item["enabled"]
    store.update_user(user_id, features_json=dumps(features))


def set_status(store: Store, user_id: int, body: dict[str, Any]) -> None:
    require_user(store, user_id)
    status = body.get("status")
    if status not in ("ENABLED", "DISABLED"):
        raise ApiError(400, f"Field 'status' must be ENABLED or DISABLED, got {status!r}")
    store.update_user(user_id, active=int(status == "ENABLED"))


def set_suspension(store: Store, user_id: int, body: dict[str, Any]) -> None:
    """``PUT /pod/v1/admin/user/{uid}/suspension/update``: records the suspension (shown in the user's
    status and details); the route ends the user's current sessions."""
    user = require_user(store, user_id)
    suspended = body.get("suspended")
    if not isinstance(suspended, bool):
        raise ApiError(400, "Field 'suspended' is required and must be a boolean")
    until, reason = body.get("suspendedUntil"), body.get("suspensionReason")
    if until is not None and (isinstance(until, bool) or not isinstance(until, int)):
        raise ApiError(400, "Field 'suspendedUntil' must be an integer timestamp")
    if reason is not None and not isinstance(reason, str):
        raise ApiError(400, "Field 'suspensionReason' must be a string")
    extra = loads(user.get("extra_json"), {})
    extra["suspension"] = (
        {"suspended": suspended, "suspendedUntil": until, "suspensionReason": reason} if suspended else {}
    )
    store.update_user(user_id, extra_json=dumps(extra))


def suspension_of(user: dict[str, Any]) -> dict[str, Any]:
    """``suspended`` (+ ``suspendedUntil``, ``suspensionReason`` when set) for UserStatus/UserSystemInfo."""
    stored = loads(user.get("extra_json"), {}).get("suspension") or {}
    result: dict[str, Any] = {"suspended": bool(stored.get("suspended", False))}
    for key in ("suspendedUntil", "suspensionReason"):
        if stored.get(key) is not None:
            result[key] = stored[key]
    return result


def set_avatar(store: Store, user_id: int, body: dict[str, Any]) -> None:
    require_user(store, user_id)
    image = _require_str(body.get("image"), "image")
    try:
        decoded = base64.b64decode(image, validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(400, "Field 'image' must be a base64-encoded image") from None
    if len(decoded) > 2 * 1024 * 1024:
        raise ApiError(400, "Field 'image' is larger than 2 MB")
    store.update_user(user_id, avatar_url=f"data:image/png;base64,{image}")


def roles_list() -> list[dict[str, Any]]:
    return [
        {"id": role, "name": name, "userTypes": ["NORMAL", "SYSTEM"]} for role, name in KNOWN_ROLES.items()
    ]
