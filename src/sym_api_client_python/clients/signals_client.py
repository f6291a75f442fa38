"""Legacy ``SignalsClient``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .api_client import APIClient


class SignalsClient(APIClient):
    def list_signals(self, skip: int = 0, limit: int = 50) -> Any:
        return self._call("signals.list", params={"skip": skip, "limit": limit})

    def get_signal(self, signal_id: str) -> Any:
        return self._call("signals.get", {"id": signal_id})

    def create_signal(self, signal_object: Mapping[str, Any]) -> Any:
        return self._call("signals.create", json=dict(signal_object))

    def update_signal(self, signal_id: str, signal_object: Mapping[str, Any]) -> Any:
        return self._call("signals.update", {"id": signal_id}, json=dict(signal_object))

    def delete_signal(self, signal_id: str) -> Any:
        return self._call("signals.delete", {"id": signal_id})

    def subscribe_signal(self, user_id_array: Sequence[int], signal_id: str, pushed: bool = False) -> Any:
        return self._call(
            "signals.subscribe", {"id": signal_id}, params={"pushed": pushed}, json=list(user_id_array)
        )

    def unsubscribe_signal(self, user_id_array: Sequence[int], signal_id: str) -> Any:
        return self._call("signals.unsubscribe", {"id": signal_id}, json=list(user_id_array))

    def get_subscribers(self, signal_id: str, skip: int = 0, limit: int = 50) -> Any:
        return self._call(
            "signals.list_subscribers", {"id": signal_id}, params={"skip": skip, "limit": limit}
        )
