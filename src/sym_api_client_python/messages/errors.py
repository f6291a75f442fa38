"""Errors raised while reading or writing messages.

Both derive from :class:`~sym_api_client_python.core.errors.SymphonyError` (so one ``except``
catches every SDK failure) and from :class:`ValueError` (the input is what is wrong).
"""

from __future__ import annotations

from ..core.errors import SymphonyError


class MessageParseError(SymphonyError, ValueError):
    """PresentationML, MessageML or entity JSON that cannot be read safely.

    Raised for malformed markup, forbidden XML constructs (DTDs with entities, external
    entities), oversized input and entity ``data`` that is not a JSON object.
    """


class MessageMLError(SymphonyError, ValueError):
    """MessageML the pod would reject; ``element`` names the offending tag (``None`` when the
    document as a whole is at fault, e.g. it is not well-formed XML)."""

    def __init__(self, message: str, *, element: str | None = None) -> None:
        self.element = element
        super().__init__(f"<{element}>: {message}" if element else message)


__all__ = ["MessageMLError", "MessageParseError"]
