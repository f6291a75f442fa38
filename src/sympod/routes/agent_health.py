"""Health and version: ``/agent/v3/health[/extended]``, legacy ``/agent/v2/HealthCheck``, ``/agent/v1/info``.

The emulator is one process, so every component is up whenever it answers; the shapes are what
the SDKs parse (booleans in the legacy check, ``UP``/``DOWN`` in v3).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import __version__
from ..errors import ApiError
from ..httputil import query_bool
from .pod_common import caller, json_object, ok

#: Matches ``Agent-(\d+)\.(\d+)\.`` as BDK parses it; 25.8 is the spec version the emulator follows.
AGENT_VERSION = f"Agent-25.8.1-sympod-{__version__}"
POD_VERSION = "25.8.1"


async def health(request: Request) -> Response:
    return ok({"status": "UP", "version": AGENT_VERSION})


async def health_extended(request: Request) -> Response:
    component = {"status": "UP", "version": POD_VERSION}
    return ok({
        "status": "UP",
        "version": AGENT_VERSION,
        "services": {"pod": component, "key_manager": component, "datafeed": component,
                     "datahose": component},
        "users": {"agentservice": {"status": "UP", "authType": "RSA"},
                  "ceservice": {"status": "UP", "authType": "RSA"}},
    })  # fmt: skip


async def legacy_health_check(request: Request) -> Response:
    """``V2HealthCheckResponse``; the fail* query flags are validated, nothing can fail here.

    Public like the v3 checks: the spec declares no 401 for it."""
    for flag in ("showFirehoseErrors", "failOnPodConnectivity", "failOnKeyManagerConnectivity", "failOnAny"):
        query_bool(request, flag, default=False)
    return ok({
        "podConnectivity": True, "keyManagerConnectivity": True, "firehoseConnectivity": True,
        "datafeedConnectivity": True, "datafeedVersion": "v2", "encryptDecryptSuccess": True,
        "agentServiceUser": True, "ceServiceUser": True, "podVersion": POD_VERSION,
        "agentVersion": AGENT_VERSION,
    })  # fmt: skip


async def agent_info(request: Request) -> Response:
    """Public: BDK probes it without tokens (the simplified-key-delivery check)."""
    return ok(
        {
            "ipAddress": request.url.hostname or "127.0.0.1",
            "hostname": request.url.hostname or "localhost",
            "serverFqdn": str(request.base_url).rstrip("/"),
            "version": AGENT_VERSION,
            "url": str(request.base_url).rstrip("/") + "/agent",
            "onPrem": True,
            "mt": False,
            "commitId": "sympod",
        }
    )


async def echo(request: Request) -> Response:
    """``POST /agent/v1/util/echo``: the ``SimpleMessage`` back, a round-trip check with tokens."""
    await caller(request)
    body = await json_object(request)
    message = body.get("message")
    if message is not None and not isinstance(message, str):
        raise ApiError(400, "Field 'message' must be a string")
    return ok({"message": message or ""})


routes: list[Route] = [
    Route("/agent/v3/health", health, methods=["GET"]),
    Route("/agent/v3/health/extended", health_extended, methods=["GET"]),
    Route("/agent/v2/HealthCheck", legacy_health_check, methods=["GET"]),
    Route("/agent/v1/info", agent_info, methods=["GET"]),
    Route("/agent/v1/util/echo", echo, methods=["POST"]),
]
