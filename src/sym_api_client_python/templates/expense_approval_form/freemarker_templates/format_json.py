"""``convert_to_dict``: an object's attributes as plain JSON-ready data."""

from __future__ import annotations

import json
from typing import Any


def convert_to_dict(obj: Any) -> dict[str, Any]:
    """A deep, JSON-compatible copy of ``vars(obj)`` (or of a dict)."""
    source = obj if isinstance(obj, dict) else vars(obj)
    return json.loads(json.dumps(source, default=lambda value: vars(value)))


__all__ = ["convert_to_dict"]
