"""Legacy ``SymElementsParser``: helpers over a whole ``SYMPHONYELEMENTSACTION`` event.

Reads both the spec shape (``stream``) and the Elements 1.1 shape (``formStream`` and
``actionStream``). Missing parts give ``None`` (``{}`` for the form values) instead of
``KeyError``. :meth:`parse` returns the typed :class:`~..messages.submissions.FormSubmission`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..messages.submissions import FormSubmission, to_url_safe_id


def _action(event: Mapping[str, Any]) -> Mapping[str, Any]:
    payload = event.get("payload") if isinstance(event, Mapping) else None
    action = payload.get("symphonyElementsAction") if isinstance(payload, Mapping) else None
    return action if isinstance(action, Mapping) else {}


def _get(mapping: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(mapping, Mapping):
            return None
        mapping = mapping.get(key)
    return mapping


class SymElementsParser:
    def parse(self, elements_action_data: Mapping[str, Any]) -> FormSubmission:
        return FormSubmission.from_event(elements_action_data)

    def get_stream_id(self, elements_action_data: Mapping[str, Any]) -> str | None:
        """The stream holding the form, URL-safe (the ``formStream`` ids are standard base64)."""
        action = _action(elements_action_data)
        stream_id = _get(action, "stream", "streamId") or _get(action, "formStream", "streamId")
        return to_url_safe_id(str(stream_id)) if stream_id else None

    def get_stream_type(self, elements_action_data: Mapping[str, Any]) -> str | None:
        return _get(_action(elements_action_data), "stream", "streamType")

    def get_action_stream_id(self, elements_action_data: Mapping[str, Any]) -> str | None:
        """The private stream of the submission (Elements 1.1 payloads only)."""
        return _get(_action(elements_action_data), "actionStream", "streamId")

    def get_form_message_id(self, elements_action_data: Mapping[str, Any]) -> str | None:
        return _action(elements_action_data).get("formMessageId")

    def get_form_id(self, elements_action_data: Mapping[str, Any]) -> str | None:
        return _action(elements_action_data).get("formId")

    def get_form_values(self, elements_action_data: Mapping[str, Any]) -> dict[str, Any]:
        """Every submitted value, ``action`` (the clicked button) included."""
        values = _action(elements_action_data).get("formValues")
        return dict(values) if isinstance(values, Mapping) else {}

    def get_action(self, elements_action_data: Mapping[str, Any]) -> str | None:
        """The name of the button that submitted the form."""
        return self.get_form_values(elements_action_data).get("action")

    def get_initiator_user_id(self, elements_action_data: Mapping[str, Any]) -> int | None:
        return _get(elements_action_data, "initiator", "user", "userId")

    def get_initiator_display_name(self, elements_action_data: Mapping[str, Any]) -> str | None:
        return _get(elements_action_data, "initiator", "user", "displayName")


__all__ = ["SymElementsParser"]
