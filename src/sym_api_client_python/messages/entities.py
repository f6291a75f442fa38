"""Structured entities found in messages and the EntityJSON (``data``) that describes them.

In PresentationML an entity is ``<span class="entity" data-entity-id="K">text</span>`` and
``data[K]`` says what it is, e.g. a mention::

    {"0": {"type": "com.symphony.user.mention",
           "id": [{"type": "com.symphony.user.userId", "value": "13056700580915"}]}}
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import MessageParseError

# Entity types (the "type" of a data entry) and id types (its "id[*].type").
MENTION_ENTITY = "com.symphony.user.mention"
MENTION_ID_TYPE = "com.symphony.user.userId"
HASHTAG_ENTITY = "org.symphonyoss.taxonomy"
HASHTAG_ID_TYPE = "org.symphonyoss.taxonomy.hashtag"
CASHTAG_ENTITY = "org.symphonyoss.fin.security"
CASHTAG_ID_TYPE = "org.symphonyoss.fin.security.id.ticker"
EMOJI_ENTITY = "com.symphony.emoji"

# What the pod renders <chime/> as in PresentationML.
CHIME_AUDIO_URL = "https://asset.symphony.com/symphony/audio/chime.mp3"


@dataclass(frozen=True, slots=True)
class Mention:
    """A mentioned user. ``user_id`` is None when only the display text or email is known."""

    user_id: int | None
    display_name: str
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    text: str


@dataclass(frozen=True, slots=True)
class Emoji:
    """``shortcode`` is the annotation without colons (``"smile"``); ``unicode`` may be empty
    when neither the message nor our table knows the character."""

    shortcode: str
    unicode: str


# A small table of common shortcodes so that MessageML <emoji shortcode="..."/> (which carries
# no character) still reads naturally; the pod sends the character itself in EntityJSON.
EMOJI_UNICODE: dict[str, str] = {
    "smile": "\U0001f604",
    "grinning": "\U0001f600",
    "joy": "\U0001f602",
    "wink": "\U0001f609",
    "blush": "\U0001f60a",
    "heart_eyes": "\U0001f60d",
    "thinking_face": "\U0001f914",
    "neutral_face": "\U0001f610",
    "cry": "\U0001f622",
    "sob": "\U0001f62d",
    "angry": "\U0001f620",
    "sunglasses": "\U0001f60e",
    "thumbsup": "\U0001f44d",
    "+1": "\U0001f44d",
    "thumbsdown": "\U0001f44e",
    "-1": "\U0001f44e",
    "clap": "\U0001f44f",
    "wave": "\U0001f44b",
    "ok_hand": "\U0001f44c",
    "pray": "\U0001f64f",
    "muscle": "\U0001f4aa",
    "eyes": "\U0001f440",
    "heart": "\u2764\ufe0f",
    "broken_heart": "\U0001f494",
    "fire": "\U0001f525",
    "star": "\u2b50",
    "sparkles": "\u2728",
    "tada": "\U0001f389",
    "rocket": "\U0001f680",
    "warning": "\u26a0\ufe0f",
    "white_check_mark": "\u2705",
    "heavy_check_mark": "\u2714\ufe0f",
    "x": "\u274c",
    "question": "\u2753",
    "exclamation": "\u2757",
    "bell": "\U0001f514",
    "moneybag": "\U0001f4b0",
    "chart_with_upwards_trend": "\U0001f4c8",
    "chart_with_downwards_trend": "\U0001f4c9",
    "coffee": "\u2615",
    "beers": "\U0001f37b",
    "100": "\U0001f4af",
}


def load_entity_data(data: str | bytes | Mapping[str, Any] | None) -> dict[str, Any]:
    """Decode EntityJSON into a dict of entity id -> entity; None or "" gives ``{}``."""
    if data is None:
        return {}
    if isinstance(data, Mapping):
        return dict(data)
    if isinstance(data, bytes):
        data = data.decode("utf-8", errors="replace")
    if not isinstance(data, str):
        raise MessageParseError(f"entity data must be a JSON string or a dict, not {type(data).__name__}")
    if not data.strip():
        return {}
    try:
        decoded = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise MessageParseError(f"entity data is not valid JSON: {exc}") from None
    if not isinstance(decoded, dict):
        raise MessageParseError(f"entity data must be a JSON object, got {type(decoded).__name__}")
    return decoded


def entity_id_value(entity: Any, id_type: str) -> str | None:
    """The value of the first ``id`` entry of ``id_type`` in one entity, as a string."""
    if not isinstance(entity, Mapping):
        return None
    ids = entity.get("id")
    if not isinstance(ids, list):
        return None
    for item in ids:
        if isinstance(item, Mapping) and item.get("type") == id_type and item.get("value") is not None:
            return str(item["value"])
    return None


def first_id_value(entity: Any, id_type: str) -> str | None:
    """The legacy rule: only ``id[0]`` counts, and only when its type is ``id_type``."""
    if not isinstance(entity, Mapping):
        return None
    ids = entity.get("id")
    if not isinstance(ids, list) or not ids or not isinstance(ids[0], Mapping):
        return None
    first = ids[0]
    if first.get("type") == id_type and first.get("value") is not None:
        return str(first["value"])
    return None


def as_user_id(value: Any) -> int | None:
    """User ids are int64; EntityJSON carries them as strings or numbers."""
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


__all__ = [
    "CASHTAG_ENTITY",
    "CASHTAG_ID_TYPE",
    "CHIME_AUDIO_URL",
    "EMOJI_ENTITY",
    "EMOJI_UNICODE",
    "HASHTAG_ENTITY",
    "HASHTAG_ID_TYPE",
    "MENTION_ENTITY",
    "MENTION_ID_TYPE",
    "Emoji",
    "Link",
    "Mention",
    "as_user_id",
    "entity_id_value",
    "first_id_value",
    "load_entity_data",
]
