"""Signals: saved searches that push matching messages to subscribers."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from typing import Any

from ..core.models.rest import (
    ChannelSubscriptionResponse,
    Signal,
    SignalSubscriber,
    SignalSubscriberList,
    SuccessResponse,
)
from ._base import D, PageFn, Plan, Service, call, operation, paginated, to_json


def _signal_body(signal: Signal | Mapping[str, Any] | None, fields: Mapping[str, Any]) -> dict[str, Any]:
    body = dict(to_json(signal)) if signal is not None else {}
    body.update(to_json(Signal(**fields)) if fields else {})
    return body


class SignalsService(Service[D]):
    """``bot.signals``."""

    service_name = "signals"

    @operation
    def list(self, *, skip: int = 0, limit: int = 50) -> Plan[builtins.list[Signal]]:
        return (yield from call("signals.list", params={"skip": skip, "limit": limit}))

    @paginated
    def iter_signals(self) -> PageFn[Signal]:
        def page(skip: int, limit: int) -> Plan[builtins.list[Signal]]:
            return call("signals.list", params={"skip": skip, "limit": limit})

        return page

    @operation
    def get(self, signal_id: str) -> Plan[Signal]:
        return (yield from call("signals.get", {"id": signal_id}))

    @operation
    def create(self, signal: Signal | Mapping[str, Any] | None = None, **fields: Any) -> Plan[Signal]:
        """Create from a :class:`Signal`/dict and/or keywords (name, query, company_wide...)."""
        body = _signal_body(signal, fields)
        missing = [k for k in ("name", "query") if not body.get(k)]
        if missing:
            raise ValueError(f"a signal needs {' and '.join(missing)}")
        return (yield from call("signals.create", json=body))

    @operation
    def update(
        self, signal_id: str, signal: Signal | Mapping[str, Any] | None = None, **fields: Any
    ) -> Plan[Signal]:
        return (yield from call("signals.update", {"id": signal_id}, json=_signal_body(signal, fields)))

    @operation
    def delete(self, signal_id: str) -> Plan[SuccessResponse]:
        return (yield from call("signals.delete", {"id": signal_id}))

    @operation
    def subscribe(
        self, signal_id: str, user_ids: Sequence[int], *, pushed: bool = False
    ) -> Plan[ChannelSubscriptionResponse]:
        """Subscribe users (``pushed`` makes the subscription mandatory for them)."""
        body = [int(u) for u in user_ids]
        return (yield from call("signals.subscribe", {"id": signal_id}, params={"pushed": pushed}, json=body))

    @operation
    def unsubscribe(self, signal_id: str, user_ids: Sequence[int]) -> Plan[ChannelSubscriptionResponse]:
        return (yield from call("signals.unsubscribe", {"id": signal_id}, json=[int(u) for u in user_ids]))

    @operation
    def list_subscribers(
        self, signal_id: str, *, skip: int = 0, limit: int = 50
    ) -> Plan[SignalSubscriberList]:
        params = {"skip": skip, "limit": limit}
        return (yield from call("signals.list_subscribers", {"id": signal_id}, params=params))

    @paginated
    def iter_subscribers(self, signal_id: str) -> PageFn[SignalSubscriber]:
        def page(skip: int, limit: int) -> Plan[builtins.list[SignalSubscriber]]:
            params = {"skip": skip, "limit": limit}
            result = yield from call("signals.list_subscribers", {"id": signal_id}, params=params)
            return result.data if result else []

        return page
