"""Health and versions: agent health (v3 and the legacy v2 check), agent info, pod version."""

from __future__ import annotations

from ..core.models.rest import AgentHealth, AgentInfo, LegacyHealthCheck
from ._base import D, Plan, Service, call, operation


class HealthService(Service[D]):
    """``bot.health``."""

    service_name = "health"

    @operation
    def check(self) -> Plan[AgentHealth]:
        """Agent health: ``status`` UP/DOWN."""
        return (yield from call("health.check"))

    @operation
    def check_extended(self) -> Plan[AgentHealth]:
        """Agent health with every dependency (pod, key manager, datafeed...)."""
        return (yield from call("health.check_extended"))

    @operation
    def get_agent_info(self) -> Plan[AgentInfo]:
        """Agent version, host and URL."""
        return (yield from call("health.get_agent_info"))

    @operation
    def check_v2(self, *, show_firehose_errors: bool | None = None) -> Plan[LegacyHealthCheck]:
        """The legacy ``/agent/v2/HealthCheck`` (booleans per dependency, pod and agent versions)."""
        return (yield from call("health.check_v2", params={"showFirehoseErrors": show_firehose_errors}))

    @operation
    def get_pod_version(self) -> Plan[str | None]:
        """The pod's version string, as the agent reports it (the pod API has no version call)."""
        result = yield from call("health.check_v2")
        return result.pod_version if result else None
