"""Fast JSON encoding for responses and JSON columns (msgspec), with the stdlib as a fallback.

Every message create encodes its V4Message twice (the answer, the stored event) and every
datafeed read used to decode and re-encode each event: with ``json`` that was a tenth of the
server's CPU per message. msgspec writes the same compact UTF-8 JSON (``separators=(",", ":")``,
non-ASCII unescaped) several times faster. Values msgspec refuses (integers beyond 64 bits,
unusual key types) go through ``json``, so callers never see a difference.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec
from starlette.responses import Response

_encoder = msgspec.json.Encoder()


def encode(value: Any) -> bytes:
    """Compact UTF-8 JSON of ``value``. Unlike ``json``, NaN and infinities become ``null``
    (msgspec's rule): never invalid JSON on the wire."""
    try:
        return _encoder.encode(value)
    except (TypeError, OverflowError, msgspec.EncodeError):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def dumps(value: Any) -> str:
    """:func:`encode` as text (JSON columns)."""
    return encode(value).decode()


class FastJSONResponse(Response):
    """A JSON response encoded with :func:`encode` (drop-in for Starlette's ``JSONResponse``)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return encode(content)


class RawJSONResponse(Response):
    """A response whose body is JSON already encoded (e.g. stored events joined into an array)."""

    media_type = "application/json"
