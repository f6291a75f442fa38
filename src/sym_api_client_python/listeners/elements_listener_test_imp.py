"""Sample Elements listeners: log the submission (the legacy samples did nothing else)."""

from __future__ import annotations

from typing import Any

from . import _samples
from .elements_listener import ElementsActionListener


def _describe(action: dict[str, Any]) -> str:
    payload = (action.get("payload") or {}).get("symphonyElementsAction") or {}
    values = payload.get("formValues") or {}
    return f"form {payload.get('formId')!r} action {values.get('action')!r}"


class ElementsListenerTestImp(ElementsActionListener):
    def __init__(self, sym_bot_client: Any) -> None:
        self.bot_client = sym_bot_client

    def on_elements_action(self, action: dict[str, Any]) -> None:
        _samples.logger.debug("element submitted: %s", _describe(action))


class AsyncElementsListenerTestImp(ElementsActionListener):
    def __init__(self, sym_bot_client: Any) -> None:
        self.bot_client = sym_bot_client

    async def on_elements_action(self, action: dict[str, Any]) -> None:
        _samples.logger.debug("element submitted: %s", _describe(action))
