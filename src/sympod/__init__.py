"""sympod: a local Symphony pod emulator (login, pod, agent, datafeed v1/v2 over HTTPS).

It never imports ``sym_api_client_python``: it is the independent party the SDK is tested against.
``from sympod import Emulator`` is lazy so that importing the package stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "2.0.0"
__all__ = ["Emulator", "EmulatorError", "__version__"]

if TYPE_CHECKING:
    from .emulator import Emulator, EmulatorError


def __getattr__(name: str) -> Any:
    if name in ("Emulator", "EmulatorError"):
        from . import emulator

        return getattr(emulator, name)
    raise AttributeError(f"module 'sympod' has no attribute {name!r}")
