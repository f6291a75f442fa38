"""Fault injection: rules that delay, fail or drop matching requests (control API ``/_emulator/faults``).

Rules persist in the ``faults`` table and are mirrored in memory so the per-request match is a
few regex searches. Control-API paths (``/_emulator/``) are never faulted, so a test can always
clear the rules it set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .store import Store

# the statuses whose answers a client reads Retry-After from (rate limited, unavailable)
RETRY_AFTER_STATUSES = (429, 503)


@dataclass
class FaultRule:
    fault_id: int
    path: re.Pattern[str]
    method: str | None
    status: int | None
    delay_ms: int | None
    drop: bool
    times_left: int | None  # None = every matching request
    retry_after_s: int | None = None  # sent as Retry-After with the status answer

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and self.path.search(path) is not None

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.fault_id,
            "path": self.path.pattern,
            "method": self.method,
            "status": self.status,
            "delayMs": self.delay_ms,
            "drop": self.drop,
            "times": self.times_left,
            "retryAfter": self.retry_after_s,
        }


class FaultRegistry:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._rules: list[FaultRule] = [self._from_row(row) for row in store.list_faults()]

    @staticmethod
    def _from_row(row: dict[str, Any]) -> FaultRule:
        return FaultRule(
            row["fault_id"],
            re.compile(row["path_regex"]),
            row["method"],
            row["status"],
            row["delay_ms"],
            bool(row["drop_connection"]),
            row["times_left"],
            row["retry_after_s"],
        )

    def add(
        self,
        path_regex: str,
        *,
        method: str | None = None,
        status: int | None = None,
        delay_ms: int | None = None,
        drop: bool = False,
        times: int | None = None,
        retry_after_s: int | None = None,
    ) -> FaultRule:
        """Add a rule; raises ValueError naming the bad field."""
        try:
            compiled = re.compile(path_regex)
        except re.error as exc:
            raise ValueError(f"'path' is not a valid regular expression: {exc}") from None
        if status is not None and not 100 <= status <= 599:
            raise ValueError(f"'status' must be an HTTP status between 100 and 599, got {status}")
        if delay_ms is not None and not 0 <= delay_ms <= 600_000:
            raise ValueError(f"'delayMs' must be between 0 and 600000, got {delay_ms}")
        if times is not None and times < 1:
            raise ValueError(f"'times' must be at least 1, got {times}")
        if retry_after_s is not None:
            if status not in RETRY_AFTER_STATUSES:
                raise ValueError(f"'retryAfter' needs 'status' 429 or 503, got status {status}")
            if not 0 <= retry_after_s <= 86_400:
                raise ValueError(f"'retryAfter' must be between 0 and 86400 seconds, got {retry_after_s}")
        if status is None and delay_ms is None and not drop:
            raise ValueError("a fault needs at least one of 'status', 'delayMs' or 'drop'")
        method = method.upper() if method else None
        fault_id = self._store.add_fault(
            path_regex,
            method=method,
            status=status,
            delay_ms=delay_ms,
            drop=drop,
            times=times,
            retry_after_s=retry_after_s,
        )
        rule = FaultRule(fault_id, compiled, method, status, delay_ms, drop, times, retry_after_s)
        self._rules.append(rule)
        return rule

    def match(self, method: str, path: str) -> FaultRule | None:
        """The first rule matching the request, consuming one of its ``times``."""
        if not self._rules or path.startswith("/_emulator/"):
            return None
        for rule in self._rules:
            if rule.matches(method, path):
                if rule.times_left is not None:
                    rule.times_left -= 1
                    self._store.set_fault_times(rule.fault_id, rule.times_left)
                    if rule.times_left <= 0:
                        self._rules.remove(rule)
                return rule
        return None

    def list(self) -> list[FaultRule]:
        return list(self._rules)

    def clear(self) -> None:
        self._rules.clear()
        self._store.clear_faults()
