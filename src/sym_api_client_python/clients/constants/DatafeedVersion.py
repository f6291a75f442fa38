"""Legacy ``DatafeedVersion`` enum."""

from __future__ import annotations

from enum import Enum
from typing import Any


class DatafeedVersion(str, Enum):
    V1 = "v1"
    V2 = "v2"


def version_of(version: Any) -> DatafeedVersion:
    """``"v2"`` (any case) → V2, ``"v1"`` → V1. Unlike the legacy helper, anything else is an
    error naming the value instead of silently meaning v1."""
    text = str(getattr(version, "value", version)).strip().lower()
    if text in ("v1", "1"):
        return DatafeedVersion.V1
    if text in ("v2", "2"):
        return DatafeedVersion.V2
    raise ValueError(f"datafeedVersion must be 'v1' or 'v2', got {version!r}")
