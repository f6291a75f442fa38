"""Route modules of the emulator.

Every module in this package that defines ``routes: list[starlette.routing.Route]`` is
registered by :func:`sympod.app.create_app` (discovered with ``pkgutil``; modules in
``FIRST`` go first, the others in name order). Paths are absolute (``/pod/v2/sessioninfo``),
trailing slashes are stripped before routing.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from starlette.routing import BaseRoute

# routes that must win over catch-alls defined elsewhere (control API, auth)
FIRST = ("control", "login")


def route_modules() -> list[ModuleType]:
    names = sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_"))
    ordered = [name for name in FIRST if name in names] + [name for name in names if name not in FIRST]
    return [importlib.import_module(f"{__name__}.{name}") for name in ordered]


def collect_routes() -> list[BaseRoute]:
    routes: list[BaseRoute] = []
    for module in route_modules():
        routes.extend(getattr(module, "routes", ()))
    return routes
