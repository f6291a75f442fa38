"""Typed models decoded with msgspec. Event models live in :mod:`.events`; REST response models
(owned by the REST services) in ``.rest``."""

from .events import EventType, V4Event, V4Message, V4Stream, V4User, decode_v4_read, decode_v5_read

__all__ = ["EventType", "V4Event", "V4Message", "V4Stream", "V4User", "decode_v4_read", "decode_v5_read"]
