"""Legacy ``HealthCheckClient``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .api_client import APIClient

DEFAULT_FIELDS = (
    "podConnectivity",
    "keyManagerConnectivity",
    "encryptDecryptSuccess",
    "agentServiceUser",
    "ceServiceUser",
)


class HealthCheckClient(APIClient):
    def get_health_check(self, show_firehose_errors: bool = False) -> Any:
        return self._call("health.check_v2", params={"showFirehoseErrors": show_firehose_errors})

    def ensure_all_services_up(
        self, check_firehose: bool = False, fields_to_check: Sequence[str] | None = None
    ) -> None:
        """Raise ``RuntimeError`` naming every health field that is not true (the caller's
        ``fields_to_check`` list is left untouched, unlike 1.x)."""
        fields = list(fields_to_check) if fields_to_check is not None else list(DEFAULT_FIELDS)
        if check_firehose and "firehoseConnectivity" not in fields:
            fields.append("firehoseConnectivity")
        health = self.get_health_check(show_firehose_errors=check_firehose)
        if not isinstance(health, dict):
            raise RuntimeError(f"unexpected health check answer: {health!r}")
        failing = [name for name in fields if not health.get(name)]
        if failing:
            raise RuntimeError(f"Symphony services not up: {', '.join(failing)}")
