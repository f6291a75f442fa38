"""Symphony Elements form submissions."""

# ruff: noqa: B027 - the callbacks are deliberately optional no-ops (the legacy ABCs forced all)
from __future__ import annotations

from abc import ABC
from typing import Any


class ElementsActionListener(ABC):  # noqa: B024
    """``on_elements_action`` receives the WHOLE event dict (not only its payload), as in the
    legacy SDK, so ``SymElementsParser`` can read the initiator too."""

    def on_elements_action(self, action: dict[str, Any]) -> Any:
        """A user submitted a form the bot sent."""


class AsyncElementsActionListener(ElementsActionListener):
    async def on_elements_action(self, action: dict[str, Any]) -> Any: ...


ElementsListener = ElementsActionListener
