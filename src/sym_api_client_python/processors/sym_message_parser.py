"""Legacy ``SymMessageParser``: helpers over the message dict given to IM and room listeners.

Same method names and return shapes as 1.x, with the 1.x bugs fixed: the mention, hashtag and
cashtag getters return only their own kind (1.x returned every ``<span>``), ``get_text`` no
longer repeats nested text or returns empty tokens, and a message without ``data`` gives empty
lists instead of ``KeyError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..messages.entities import (
    CASHTAG_ID_TYPE,
    HASHTAG_ID_TYPE,
    MENTION_ID_TYPE,
    entity_id_value,
    load_entity_data,
)
from ..messages.parser import ParsedMessage, parse_message


class SymMessageParser:
    """Read a ``V4Message`` dict (``payload.messageSent.message``)."""

    HASHTAG_TYPE = HASHTAG_ID_TYPE
    CASHTAG_TYPE = CASHTAG_ID_TYPE
    MENTION_TYPE = MENTION_ID_TYPE

    def parse(self, message_data: Mapping[str, Any]) -> ParsedMessage:
        """The full structure (text, mentions, command, args ...) of the message."""
        return parse_message(message_data.get("message") or "", message_data.get("data"))

    def get_text(self, message_data: Mapping[str, Any]) -> list[str]:
        """The words of the message, entities included (``['@bot', 'hello', '#tag']``)."""
        return self.parse(message_data).text.split()

    def get_im_first_name(self, message_data: Mapping[str, Any]) -> str | None:
        """The sender's first name; falls back to the display name, then the username, since
        external and bot senders often have no first name."""
        user = _user(message_data)
        return user.get("firstName") or user.get("displayName") or user.get("username")

    def get_im_last_name(self, message_data: Mapping[str, Any]) -> str | None:
        return _user(message_data).get("lastName")

    def get_im_name(self, message_data: Mapping[str, Any]) -> str | None:
        """``"first last"``, or the display name when the parts are missing."""
        user = _user(message_data)
        parts = [user.get("firstName"), user.get("lastName")]
        name = " ".join(str(p) for p in parts if p)
        return name or user.get("displayName") or user.get("username")

    def get_stream_id(self, message_data: Mapping[str, Any]) -> str | None:
        stream = message_data.get("stream")
        return stream.get("streamId") if isinstance(stream, Mapping) else None

    def get_mentions(self, message_data: Mapping[str, Any]) -> list[str]:
        """The text of each mention, as displayed (``'@Jane Doe'``)."""
        return ["@" + m.display_name for m in self.parse(message_data).mentions]

    def get_mention_ids(self, message_data: Mapping[str, Any]) -> list[str]:
        """User ids of the mentions, as strings, from the entity ``data``."""
        return _values(message_data, MENTION_ID_TYPE)

    def get_hash_tags(self, message_data: Mapping[str, Any]) -> list[str]:
        """Hashtags as displayed (``'#tag'``)."""
        return ["#" + tag for tag in self.parse(message_data).hashtags]

    def get_hash_tag_values(self, message_data: Mapping[str, Any]) -> list[str]:
        return _values(message_data, HASHTAG_ID_TYPE)

    def get_cash_tags(self, message_data: Mapping[str, Any]) -> list[str]:
        """Cashtags as displayed (``'$AAPL'``)."""
        return ["$" + tag for tag in self.parse(message_data).cashtags]

    def get_cash_tag_values(self, message_data: Mapping[str, Any]) -> list[str]:
        return _values(message_data, CASHTAG_ID_TYPE)


def _user(message_data: Mapping[str, Any]) -> Mapping[str, Any]:
    user = message_data.get("user")
    return user if isinstance(user, Mapping) else {}


def _values(message_data: Mapping[str, Any], id_type: str) -> list[str]:
    entities = load_entity_data(message_data.get("data"))
    values = (entity_id_value(entity, id_type) for entity in entities.values())
    return [value for value in values if value is not None]


__all__ = ["SymMessageParser"]
