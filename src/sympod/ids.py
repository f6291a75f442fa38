"""Identifier helpers: the shapes real pods use, so SDK regexes and converters accept ours.

- Stream and message ids are 25 bytes in URL-safe base64 without padding (34 characters), as
  datafeed payloads carry them (random; a message id's first 6 bytes are its creation time).
  Clients also send the standard alphabet with ``==`` padding, so every id coming from a request
  goes through :func:`normalize_id` before a lookup.
- User ids are int64 numbers in the range real pods use (15 digits); the store allocates them.
- Datafeed v2 ids are ``<32 hex>_f`` (BDK keeps only ids matching ``^[^\\s_]+_f(_[^\\s_]+)?$``);
  v1 ids must NOT end in ``_f`` or BDK would mistake them for v2 feeds.
"""

from __future__ import annotations

import base64
import os
import time
import uuid

# first user id handed out by a fresh pod; real pods use 15-digit ids like 349026222342678
FIRST_USER_ID = 349_026_222_340_001


def _random_urlsafe_id() -> str:
    return base64.urlsafe_b64encode(os.urandom(25)).rstrip(b"=").decode("ascii")


def new_stream_id() -> str:
    """A new stream id (URL-safe base64, unpadded, 34 characters)."""
    return _random_urlsafe_id()


def new_message_id(timestamp_ms: int | None = None) -> str:
    """A new message id (25 bytes, URL-safe base64 unpadded, 34 characters) whose first 6 bytes
    are the creation time in ms (``timestamp_ms``, default now), the other 19 random.

    Why: fully random ids land anywhere in the messages' unique id index, so each message of a
    group commit dirtied a page of its own there (a fifth of the pages a commit writes); ids of
    the same moment share their first characters and land on the same few pages.
    """
    moment = now_ms() if timestamp_ms is None else timestamp_ms
    raw = moment.to_bytes(6, "big") + os.urandom(19)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def new_attachment_id() -> str:
    """A new attachment (file) id."""
    return "internal_" + _random_urlsafe_id()


def normalize_id(value: str) -> str:
    """Map a stream/message id in either base64 alphabet, padded or not, to the stored form."""
    return value.strip().rstrip("=").replace("+", "-").replace("/", "_")


def to_standard_base64(value: str) -> str:
    """The standard-alphabet, padded spelling of an id (some pod responses use it)."""
    plain = value.replace("-", "+").replace("_", "/")
    return plain + "=" * (-len(plain) % 4)


def new_event_id() -> str:
    """32 hex digits like a UUID, the first 12 the creation time in ms: events of one group commit
    land on the same pages of the events' id index instead of one random page each."""
    return f"{time.time_ns() // 1_000_000:012x}{os.urandom(10).hex()}"


def new_ack_id() -> str:
    return uuid.uuid4().hex


def new_feed_id(version: int) -> str:
    """A datafeed id: ``<32 hex>_f`` for v2, plain hex (never ending in ``_f``) for v1."""
    if version == 2:
        return uuid.uuid4().hex + "_f"
    return "v1" + uuid.uuid4().hex


def now_ms() -> int:
    """Current time in epoch milliseconds (Symphony's timestamp unit)."""
    return int(time.time() * 1000)
