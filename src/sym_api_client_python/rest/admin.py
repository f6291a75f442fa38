"""Administration: users (list, create, update, status, roles, avatar, features), pod features,
enterprise streams, message suppression, and every other admin operation of the spec (apps,
entitlements, disclaimers, information barriers, DLP, certificates, audit trail...) through the
generic methods built from the endpoint table."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from typing import Any

from ..core.models.rest import (
    AdminStreamList,
    Feature,
    MessageSuppressionResponse,
    Role,
    SuccessResponse,
    UserDetail,
    UserStatus,
)
from ._base import D, PageFn, Plan, Service, call, operation, paginated, to_json

USER_STATUSES = ("ENABLED", "DISABLED")


class AdminService(Service[D]):
    """``bot.admin``: needs a service account with the User Provisioning / admin roles."""

    service_name = "admin"

    @operation
    def get_user(self, user_id: int) -> Plan[UserDetail]:
        return (yield from call("admin.get_user", {"uid": user_id}))

    @operation
    def list_users(self, *, skip: int = 0, limit: int = 50) -> Plan[list[UserDetail]]:
        return (yield from call("admin.list_users", params={"skip": skip, "limit": limit}))

    @paginated
    def iter_users(self) -> PageFn[UserDetail]:
        """Every user of the pod, page by page."""

        def page(skip: int, limit: int) -> Plan[list[UserDetail]]:
            return call("admin.list_users", params={"skip": skip, "limit": limit})

        return page

    @operation
    def find_users(
        self, filters: Mapping[str, Any], *, skip: int = 0, limit: int = 50
    ) -> Plan[list[UserDetail]]:
        """Users by role, feature and/or status (``{"role": ..., "feature": ..., "status": ...}``)."""
        params = {"skip": skip, "limit": limit}
        return (yield from call("admin.find_users", params=params, json=dict(filters)))

    @operation
    def create_user(self, user: Mapping[str, Any]) -> Plan[UserDetail]:
        """Create a user or service account from a ``V2UserCreate`` dict (userAttributes, password, roles)."""
        return (yield from call("admin.create_user", json=to_json(user)))

    @operation
    def update_user(self, user_id: int, attributes: Mapping[str, Any]) -> Plan[UserDetail]:
        return (yield from call("admin.update_user", {"uid": user_id}, json=to_json(attributes)))

    @operation
    def get_user_status(self, user_id: int) -> Plan[UserStatus]:
        return (yield from call("admin.get_user_status", {"uid": user_id}))

    @operation
    def update_user_status(self, user_id: int, status: str) -> Plan[SuccessResponse]:
        """``ENABLED`` or ``DISABLED``."""
        if status not in USER_STATUSES:
            raise ValueError(f"user status must be one of {USER_STATUSES}, got {status!r}")
        return (yield from call("admin.update_user_status", {"uid": user_id}, json={"status": status}))

    @operation
    def list_roles(self) -> Plan[list[Role]]:
        return (yield from call("admin.list_roles"))

    @operation
    def add_role(self, user_id: int, role_id: str) -> Plan[SuccessResponse]:
        return (yield from call("admin.add_role", {"uid": user_id}, json={"id": role_id}))

    @operation
    def remove_role(self, user_id: int, role_id: str) -> Plan[SuccessResponse]:
        return (yield from call("admin.remove_role", {"uid": user_id}, json={"id": role_id}))

    @operation
    def get_avatar(self, user_id: int) -> Plan[Any]:
        """The user's avatars (``[{size, url}]``)."""
        return (yield from call("admin.get_avatar", {"uid": user_id}))

    @operation
    def update_avatar(self, user_id: int, image: bytes | str) -> Plan[SuccessResponse]:
        """Set the avatar from image bytes, or from a string already base64-encoded."""
        encoded = base64.b64encode(image).decode() if isinstance(image, bytes) else image
        return (
            yield from call(
                "admin.update_avatar", {"uid": user_id}, json={"image": encoded}, response="SuccessResponse"
            )
        )

    @operation
    def get_user_features(self, user_id: int) -> Plan[list[Feature]]:
        return (yield from call("admin.get_user_features", {"uid": user_id}))

    @operation
    def update_user_features(
        self, user_id: int, features: Sequence[Feature | Mapping[str, Any]]
    ) -> Plan[SuccessResponse]:
        """Set entitlements: ``[{"entitlment": "canCreatePublicRoom", "enabled": True}, ...]``."""
        body = [to_json(f) if isinstance(f, Feature) else dict(f) for f in features]
        return (
            yield from call(
                "admin.update_user_features", {"uid": user_id}, json=body, response="SuccessResponse"
            )
        )

    @operation
    def list_pod_features(self) -> Plan[list[str]]:
        """Entitlement names the pod knows."""
        return (yield from call("admin.list_pod_features"))

    @operation
    def list_streams(
        self, filter: Mapping[str, Any] | None = None, *, skip: int = 0, limit: int = 50
    ) -> Plan[AdminStreamList]:
        """Enterprise streams (same operation as ``streams.list_enterprise``)."""
        return (
            yield from call(
                "streams.list_enterprise", params={"skip": skip, "limit": limit}, json=dict(filter or {})
            )
        )

    @operation
    def suppress_message(self, message_id: str) -> Plan[MessageSuppressionResponse]:
        """Suppress a message (same operation as ``messages.suppress``)."""
        return (yield from call("messages.suppress", {"id": message_id}))
