"""Route modules of the emulator.

Every module in this package that defines ``routes: list[starlette.routing.Route]`` is
registered by :func:`sympod.app.create_app` (discovered with ``pkgutil``, ordered by
``_ORDER``). Paths are absolute (``/pod/v2/sessioninfo``) and must not be served by two modules;
trailing slashes are stripped before routing.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from starlette.routing import BaseRoute

# Starlette tries routes in order, one regex each, and no two modules share a path: the hot paths
# (agent messages and datafeeds, pod) go first, the control API and the chat page last.
_ORDER = ("agent_", "login", "pod_", "control", "chat")


def _rank(name: str) -> tuple[int, str]:
    for index, prefix in enumerate(_ORDER):
        if name.startswith(prefix):
            return index, name
    return len(_ORDER), name


def route_modules() -> list[ModuleType]:
    names = sorted(
        (info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_")), key=_rank
    )
    return [importlib.import_module(f"{__name__}.{name}") for name in names]


def collect_routes() -> list[BaseRoute]:
    routes: list[BaseRoute] = []
    for module in route_modules():
        routes.extend(getattr(module, "routes", ()))
    return routes
