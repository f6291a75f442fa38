"""Legacy ``AdminClient``: user administration, roles, features, import and suppression."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .api_client import APIClient


class AdminClient(APIClient):
    def admin_get_user(self, user_id: int) -> Any:
        return self._call("admin.get_user", {"uid": user_id})

    def admin_list_users(self, skip: int = 0, limit: int = 50) -> Any:
        return self._call("admin.list_users", params={"skip": skip, "limit": limit})

    def admin_create_user(self, user_attributes: Mapping[str, Any]) -> Any:
        return self._call("admin.create_user", json=dict(user_attributes))

    def admin_update_user(self, user_id: int, updated_user_attributes: Mapping[str, Any]) -> Any:
        return self._call("admin.update_user", {"uid": user_id}, json=dict(updated_user_attributes))

    def admin_get_user_avatar(self, user_id: int) -> Any:
        return self._call("admin.get_avatar", {"uid": user_id})

    def admin_update_avatar(self, user_id: int, image_encoded_string: str) -> Any:
        """``image_encoded_string`` is the base64-encoded image."""
        return self._call("admin.update_avatar", {"uid": user_id}, json={"image": image_encoded_string})

    def admin_get_user_status(self, user_id: int) -> Any:
        return self._call("admin.get_user_status", {"uid": user_id})

    def admin_update_user_status(self, user_id: int, status: str) -> Any:
        """``status`` is ``ENABLED`` or ``DISABLED``."""
        return self._call("admin.update_user_status", {"uid": user_id}, json={"status": status})

    def admin_list_pod_features(self) -> Any:
        return self._call("admin.list_pod_features")

    def admin_get_user_features(self, user_id: int) -> Any:
        return self._call("admin.get_user_features", {"uid": user_id})

    def admin_update_user_features(self, user_id: int, feature_list: Sequence[Mapping[str, Any]]) -> Any:
        return self._call(
            "admin.update_user_features", {"uid": user_id}, json=[dict(f) for f in feature_list]
        )

    def admin_find_users(self, filters: Mapping[str, Any], skip: int = 0, limit: int = 50) -> Any:
        return self._call("admin.find_users", params={"skip": skip, "limit": limit}, json=dict(filters))

    def admin_list_roles(self) -> Any:
        return self._call("admin.list_roles")

    def admin_add_role(self, user_id: int, payload: Mapping[str, Any] | None = None) -> Any:
        """``payload`` is ``{"id": "<role id>"}``."""
        return self._call("admin.add_role", {"uid": user_id}, json=dict(payload or {}))

    def admin_remove_role(self, user_id: int, payload: Mapping[str, Any] | None = None) -> Any:
        return self._call("admin.remove_role", {"uid": user_id}, json=dict(payload or {}))

    def import_message(self, imported_message: Any) -> Any:
        messages = imported_message if isinstance(imported_message, list) else [imported_message]
        return self._call("messages.import_messages", json=messages)

    def suppress_message(self, message_id: str) -> Any:
        return self._call("messages.suppress", {"id": message_id})
