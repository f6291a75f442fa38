"""Legacy ``MessageFormatter``: wraps escaped text into a send-ready ``{'message': ...}`` dict."""

from __future__ import annotations

from typing import Any

from ..messages.builder import format_text


class MessageFormatter:
    def format_message(self, message: object) -> dict[str, str]:
        """``{'message': '<messageML>escaped text</messageML>'}``; newlines become ``<br/>``."""
        return {"message": format_text(str(message))}

    def format_element(self, form: Any) -> dict[str, str]:
        """The message dict of a legacy ``FormBuilder`` (what ``form.format_element()`` returns)."""
        return form.format_element()


__all__ = ["MessageFormatter"]
