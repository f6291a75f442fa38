"""Symphony chat bot SDK: the legacy ``sym_api_client_python`` API plus a modern one.

Importing the package is cheap (no transport, no crypto): public names are loaded lazily.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "2.0.0"
name = "sym_api_client_python"  # the legacy package exposed this attribute

# public name -> module that defines it (imported on first attribute access)
_LAZY: dict[str, str] = {
    "SymConfig": "sym_api_client_python.configure.configure",
    "BotConfig": "sym_api_client_python.core.config",
    "load_config": "sym_api_client_python.core.config",
    "Bot": "sym_api_client_python.bot",
    "AsyncBot": "sym_api_client_python.bot",
    "filters": "sym_api_client_python.bot.filters",
    "SymphonyError": "sym_api_client_python.core.errors",
    "ApiError": "sym_api_client_python.core.errors",
}

if TYPE_CHECKING:  # pragma: no cover
    from .core.errors import ApiError, SymphonyError


__all__ = [
    "ApiError",
    "AsyncBot",
    "Bot",
    "BotConfig",
    "SymConfig",
    "SymphonyError",
    "__version__",
    "filters",
    "load_config",
]


def __getattr__(attr: str) -> Any:
    module_name = _LAZY.get(attr)
    if module_name is None:
        raise AttributeError(f"module 'sym_api_client_python' has no attribute {attr!r}")
    module = import_module(module_name)
    value = module if attr == "filters" else getattr(module, attr)
    globals()[attr] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
