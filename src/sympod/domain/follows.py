"""Followers (``/pod/v1/user/{uid}/follow|unfollow|followers|following``) and the service account
manifest (``/pod/v1/user/manifest/own``), kept in the user rows' ``extra_json``."""

from __future__ import annotations

import base64
import json
from typing import Any

from ..errors import ApiError
from ..store import Store, dumps, loads
from .users import is_admin, require_user

MAX_MANIFEST_CHARS = 6144  # ServiceAccountManifest.manifest maxLength


def _followers(user: dict[str, Any]) -> list[int]:
    return [int(uid) for uid in loads(user.get("extra_json"), {}).get("followers", [])]


def _existing(store: Store, user_ids: list[int]) -> list[int]:
    """Drop ids of users deleted since (a reset removes every user but the bot)."""
    known = store.get_users(user_ids)
    return [uid for uid in user_ids if uid in known]


def _set_followers(store: Store, user: dict[str, Any], followers: list[int]) -> None:
    extra = loads(user.get("extra_json"), {})
    extra["followers"] = followers
    store.update_user(user["user_id"], extra_json=dumps(extra))


def change_followers(
    store: Store, caller: dict[str, Any], user_id: int, follower_ids: list[int], *, follow: bool
) -> str:
    """Make ``follower_ids`` (un)follow ``user_id``: users act for themselves, admins for anyone."""
    target = require_user(store, user_id)
    if not follower_ids:
        raise ApiError(400, "Field 'followers' must list at least one user id")
    others = [uid for uid in follower_ids if uid != caller["user_id"]]
    if others and not is_admin(caller):
        raise ApiError(403, f"User {caller['user_id']} may only (un)follow for themselves, not for {others}")
    for uid in follower_ids:
        require_user(store, uid)
        if uid == user_id:
            raise ApiError(400, f"User {uid} cannot follow themselves")
    followers = _existing(store, _followers(target))
    if follow:
        followers += [uid for uid in follower_ids if uid not in followers]
    else:
        followers = [uid for uid in followers if uid not in follower_ids]
    _set_followers(store, target, followers)
    return f"{len(follower_ids)} user(s) {'now follow' if follow else 'no longer follow'} user {user_id}"


def _cursor(position: int) -> str:
    return base64.urlsafe_b64encode(str(position).encode()).decode()


def _position(cursor: str | None, name: str) -> int | None:
    if cursor is None:
        return None
    try:
        return int(base64.urlsafe_b64decode(cursor.encode()).decode())
    except (ValueError, UnicodeDecodeError):
        raise ApiError(
            400, f"Query parameter '{name}' is not a cursor this pod returned: {cursor!r}"
        ) from None


def _page(ids: list[int], key: str, limit: int, before: str | None, after: str | None) -> dict[str, Any]:
    """Cursor pagination as the pod does it: ``after`` continues, ``before`` goes back."""
    start_after, end_before = _position(after, "after"), _position(before, "before")
    start = start_after if start_after is not None else 0
    if end_before is not None:
        start = max(0, end_before - limit)
    end = min(len(ids), start + limit)
    if end_before is not None:
        end = min(end, end_before)
    cursors: dict[str, str] = {"before": _cursor(start)}
    if end < len(ids):
        cursors["after"] = _cursor(end)
    return {"count": len(ids), key: ids[start:end], "pagination": {"cursors": cursors}}


def followers_of(
    store: Store, user_id: int, *, limit: int, before: str | None, after: str | None
) -> dict[str, Any]:
    return _page(
        _existing(store, _followers(require_user(store, user_id))), "followers", limit, before, after
    )


def following_of(
    store: Store, user_id: int, *, limit: int, before: str | None, after: str | None
) -> dict[str, Any]:
    require_user(store, user_id)
    followed = [row["user_id"] for row in store.list_users() if user_id in _followers(row)]
    return _page(followed, "following", limit, before, after)


def get_manifest(user: dict[str, Any]) -> dict[str, Any]:
    return {"manifest": loads(user.get("extra_json"), {}).get("manifest", "{}")}


def set_manifest(store: Store, user: dict[str, Any], body: dict[str, Any]) -> None:
    manifest = body.get("manifest")
    if not isinstance(manifest, str):
        raise ApiError(400, "Field 'manifest' is required and must be a string holding JSON")
    if len(manifest) > MAX_MANIFEST_CHARS:
        raise ApiError(400, f"Field 'manifest' is longer than {MAX_MANIFEST_CHARS} characters")
    try:
        json.loads(manifest)
    except json.JSONDecodeError as exc:
        raise ApiError(400, f"Field 'manifest' is not valid JSON: {exc.msg} at column {exc.colno}") from None
    extra = loads(user.get("extra_json"), {})
    extra["manifest"] = manifest
    store.update_user(user["user_id"], extra_json=dumps(extra))
