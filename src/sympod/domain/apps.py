"""Extension applications and their entitlements (``/pod/v1/admin/app/*`` and the user app
entitlements), stored as JSON in the meta table (``app:<appId>``) and the users' ``extra_json``."""

from __future__ import annotations

import json
from typing import Any

from ..errors import ApiError
from ..store import Store, dumps, loads
from .users import require_user

_PREFIX = "app:"
_INFO_FIELDS = ("appId", "name", "appUrl", "domain", "publisher")
_DETAIL_FIELDS = ("iconUrl", "description", "allowOrigins", "permissions", "cert", "authenticationKeys",
                  "notification", "properties", "rsaKey")  # fmt: skip
_PATCH_VALUES = ("TRUE", "FALSE", "KEEP", "REMOVE")


def _load(store: Store, app_id: str) -> dict[str, Any]:
    raw = store.get_meta(_PREFIX + app_id)
    if raw is None:
        raise ApiError(400, f"Application {app_id!r} does not exist")
    app: dict[str, Any] = json.loads(raw)
    return app


def _save(store: Store, app: dict[str, Any]) -> None:
    store.set_meta(_PREFIX + app["applicationInfo"]["appId"], dumps(app))


def _all(store: Store) -> list[dict[str, Any]]:
    rows = store.query("SELECT value FROM meta WHERE key LIKE ? ORDER BY key", (_PREFIX + "%",))
    return [json.loads(row["value"]) for row in rows]


def _https(value: Any, name: str) -> None:
    if value is not None and (not isinstance(value, str) or not value.startswith("https://")):
        raise ApiError(400, f"Field '{name}' must be a URL starting with https://")


def _parse_detail(body: dict[str, Any], *, app_id: str | None) -> dict[str, Any]:
    info = body.get("applicationInfo")
    if not isinstance(info, dict):
        raise ApiError(400, "Field 'applicationInfo' is required and must be an object")
    for name in _INFO_FIELDS:
        if info.get(name) is not None and not isinstance(info[name], str):
            raise ApiError(400, f"Field 'applicationInfo.{name}' must be a string")
    given_id = info.get("appId") or app_id
    if not given_id or len(given_id) > 256:
        raise ApiError(400, "Field 'applicationInfo.appId' is required (1 to 256 characters)")
    if app_id is not None and info.get("appId") not in (None, app_id):
        raise ApiError(400, f"Field 'applicationInfo.appId' cannot change ({app_id!r} → {info['appId']!r})")
    if not info.get("name"):
        raise ApiError(400, "Field 'applicationInfo.name' is required")
    _https(info.get("appUrl"), "applicationInfo.appUrl")
    _https(body.get("iconUrl"), "iconUrl")
    detail: dict[str, Any] = {
        "applicationInfo": {**{k: info[k] for k in _INFO_FIELDS if k in info}, "appId": given_id}
    }
    detail.update({name: body[name] for name in _DETAIL_FIELDS if body.get(name) is not None})
    return detail


def create(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    detail = _parse_detail(body, app_id=None)
    app_id = detail["applicationInfo"]["appId"]
    if store.get_meta(_PREFIX + app_id) is not None:
        raise ApiError(400, f"Application {app_id!r} already exists")
    detail["_entitlement"] = {"enable": True, "listed": True, "install": False}
    _save(store, detail)
    return public(detail)


def public(app: dict[str, Any]) -> dict[str, Any]:
    """The ``ApplicationDetail`` as returned (internal keys dropped)."""
    return {key: value for key, value in app.items() if not key.startswith("_")}


def get(store: Store, app_id: str) -> dict[str, Any]:
    return public(_load(store, app_id))


def update(store: Store, app_id: str, body: dict[str, Any]) -> dict[str, Any]:
    current = _load(store, app_id)
    detail = _parse_detail(body, app_id=app_id)
    detail["_entitlement"] = current.get("_entitlement", {})
    _save(store, detail)
    return public(detail)


def delete(store: Store, app_id: str) -> None:
    _load(store, app_id)
    store.execute("DELETE FROM meta WHERE key = ?", (_PREFIX + app_id,))


def _pod_entitlement(app: dict[str, Any]) -> dict[str, Any]:
    flags = app.get("_entitlement", {})
    return {
        "appId": app["applicationInfo"]["appId"],
        "appName": app["applicationInfo"].get("name", app["applicationInfo"]["appId"])[:50],
        "enable": bool(flags.get("enable", True)),
        "listed": bool(flags.get("listed", True)),
        "install": bool(flags.get("install", False)),
    }


def pod_entitlements(store: Store) -> list[dict[str, Any]]:
    return [_pod_entitlement(app) for app in _all(store)]


def _flag(item: dict[str, Any], name: str, index: int) -> bool:
    value = item.get(name)
    if not isinstance(value, bool):
        raise ApiError(400, f"[{index}].{name} is required and must be a boolean")
    return value


def _app_of_item(store: Store, item: Any, index: int) -> dict[str, Any]:
    """The app named by body item ``index``'s ``appId``; 400 if it is missing or names no app."""
    if not isinstance(item, dict) or not isinstance(item.get("appId"), str):
        raise ApiError(400, f"[{index}] must be an object with a string 'appId'")
    return _load(store, item["appId"])


def update_pod_entitlements(store: Store, body: Any) -> list[dict[str, Any]]:
    if not isinstance(body, list):
        raise ApiError(400, "The body must be an array of PodAppEntitlement objects")
    for index, item in enumerate(body):
        app = _app_of_item(store, item, index)
        app["_entitlement"] = {name: _flag(item, name, index) for name in ("enable", "listed", "install")}
        _save(store, app)
    return pod_entitlements(store)


def user_entitlements(store: Store, user_id: int) -> list[dict[str, Any]]:
    overrides = loads(require_user(store, user_id).get("extra_json"), {}).get("apps", {})
    result = []
    for app in _all(store):
        pod_level = _pod_entitlement(app)
        own = overrides.get(pod_level["appId"], {})
        result.append({
            "appId": pod_level["appId"],
            "appName": pod_level["appName"],
            "listed": own.get("listed", pod_level["listed"]),
            "install": own.get("install", pod_level["install"]),
        })  # fmt: skip
    return result


def _save_overrides(store: Store, user_id: int, overrides: dict[str, Any]) -> None:
    user = require_user(store, user_id)
    extra = loads(user.get("extra_json"), {})
    extra["apps"] = overrides
    store.update_user(user_id, extra_json=dumps(extra))


def _load_overrides(store: Store, user_id: int, body: Any, model: str) -> dict[str, Any]:
    """The user's own per-app values, once ``body`` is known to be an array (of ``model``)."""
    if not isinstance(body, list):
        raise ApiError(400, f"The body must be an array of {model} objects")
    overrides: dict[str, Any] = loads(require_user(store, user_id).get("extra_json"), {}).get("apps", {})
    return overrides


def set_user_entitlements(store: Store, user_id: int, body: Any) -> list[dict[str, Any]]:
    """POST: the given entitlements replace the user's own values for those apps."""
    overrides = _load_overrides(store, user_id, body, "UserAppEntitlement")
    for index, item in enumerate(body):
        _app_of_item(store, item, index)
        app_id = item["appId"]
        overrides[app_id] = {name: _flag(item, name, index) for name in ("listed", "install")}
    _save_overrides(store, user_id, overrides)
    return user_entitlements(store, user_id)


def patch_user_entitlements(store: Store, user_id: int, body: Any) -> list[dict[str, Any]]:
    """PATCH: per field TRUE/FALSE set, KEEP leaves, REMOVE reverts to the pod-level value."""
    overrides = _load_overrides(store, user_id, body, "UserAppEntitlementPatch")
    for index, item in enumerate(body):
        _app_of_item(store, item, index)
        app_id = item["appId"]
        own = dict(overrides.get(app_id, {}))
        for name in ("listed", "install"):
            value = item.get(name, "KEEP")
            if value not in _PATCH_VALUES:
                raise ApiError(
                    400, f"[{index}].{name} must be one of {', '.join(_PATCH_VALUES)}, got {value!r}"
                )
            if value in ("TRUE", "FALSE"):
                own[name] = value == "TRUE"
            elif value == "REMOVE":
                own.pop(name, None)
        overrides[app_id] = own
    _save_overrides(store, user_id, overrides)
    return user_entitlements(store, user_id)
