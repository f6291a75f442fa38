"""Reading Elements submissions: :class:`FormSubmission` from a ``SYMPHONYELEMENTSACTION`` event.

submission = FormSubmission.from_event(event)
if submission.action == "submit":
    qty = submission.get_int("qty")
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import MessageParseError


@dataclass(frozen=True, slots=True)
class SubmissionUser:
    user_id: int | None
    display_name: str | None = None
    username: str | None = None
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None


def to_url_safe_id(stream_id: str) -> str:
    """Stream ids arrive in standard or URL-safe base64; the API paths use URL-safe, unpadded."""
    return stream_id.rstrip("=").replace("/", "_").replace("+", "-")


@dataclass(frozen=True, slots=True)
class FormSubmission:
    """One submitted form, from a ``SYMPHONYELEMENTSACTION`` event.

    ``values`` holds the form fields without ``action``; ``action`` is the name of the clicked
    button. Both the spec shape (``stream``) and the legacy Elements 1.1 shape
    (``formStream``/``actionStream``) are read.
    """

    form_id: str
    action: str | None
    values: Mapping[str, Any]
    stream_id: str | None
    stream_type: str | None
    form_message_id: str | None
    user: SubmissionUser
    event_id: str | None = None
    timestamp: int | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_event(cls, event: Any) -> FormSubmission:
        """Read an event dict (or the ``symphonyElementsAction`` payload itself).

        :raises MessageParseError: the event is not an Elements action; names the missing key.
        """
        event = _as_mapping(event)
        if "payload" in event:
            payload = _as_mapping(event.get("payload"))
            action = payload.get("symphonyElementsAction")
            if not isinstance(action, Mapping):
                raise MessageParseError(
                    "event has no payload.symphonyElementsAction (not an Elements action)"
                )
        elif "symphonyElementsAction" in event:
            action = _as_mapping(event["symphonyElementsAction"])
        else:
            action = event
        form_id = action.get("formId")
        if not isinstance(form_id, str):
            raise MessageParseError("Elements action has no formId")
        values = action.get("formValues") or {}
        if not isinstance(values, Mapping):
            raise MessageParseError(f"formValues must be an object, got {type(values).__name__}")
        stream = action.get("stream") if isinstance(action.get("stream"), Mapping) else None
        stream_id = stream.get("streamId") if stream else None
        if stream_id is None and isinstance(action.get("formStream"), Mapping):
            stream_id = action["formStream"].get("streamId")
        user = _as_mapping(_as_mapping(event.get("initiator")).get("user"))
        clicked = values.get("action")
        return cls(
            form_id=form_id,
            action=str(clicked) if clicked is not None else None,
            values={k: v for k, v in values.items() if k != "action"},
            stream_id=to_url_safe_id(str(stream_id)) if stream_id else None,
            stream_type=stream.get("streamType") if stream else None,
            form_message_id=action.get("formMessageId"),
            user=SubmissionUser(
                user_id=_int_or_none(user.get("userId")),
                display_name=user.get("displayName"),
                username=user.get("username"),
                email=user.get("email"),
                first_name=user.get("firstName"),
                last_name=user.get("lastName"),
            ),
            event_id=event.get("id"),
            timestamp=_int_or_none(event.get("timestamp")),
            raw=event,
        )

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def get_str(self, name: str, default: str | None = None) -> str | None:
        value = self.values.get(name)
        if value is None:
            return default
        if isinstance(value, list):
            return ",".join(str(v) for v in value)
        return str(value)

    def get_list(self, name: str) -> list[Any]:
        """Multi-value fields (person selector, multiple select) as a list, whatever the shape:
        a list, a comma-separated string or a single value."""
        value = self.values.get(name)
        if value is None or value == "":
            return []
        if isinstance(value, list):
            return value
        if isinstance(value, str) and "," in value:
            return [part.strip() for part in value.split(",") if part.strip()]
        return [value]

    def get_int(self, name: str, default: int | None = None) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        try:
            return int(str(value).strip())
        except ValueError:
            raise MessageParseError(f"form field {name!r} is not an integer: {value!r}") from None

    def get_bool(self, name: str) -> bool:
        """A checkbox is checked when its name is present with a non-empty value."""
        value = self.values.get(name)
        if isinstance(value, str):
            return value.strip().lower() not in ("", "false", "off", "0")
        return bool(value)


def _as_mapping(value: Any) -> Mapping[str, Any]:
    if isinstance(value, Mapping):
        return value
    if value is None:
        return {}
    try:  # typed event models (msgspec Structs) from the datafeed
        import msgspec

        converted = msgspec.to_builtins(value)
    except (ImportError, TypeError):
        converted = None
    if isinstance(converted, Mapping):
        return converted
    raise MessageParseError(f"expected an event object, got {type(value).__name__}")


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


__all__ = ["FormSubmission", "SubmissionUser", "to_url_safe_id"]
