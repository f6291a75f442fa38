"""Request parsing helpers shared by every route module.

They raise :class:`~sympod.errors.ApiError` 400 with a message naming the offending field, so
bad input never reaches route logic as a ``KeyError``/``TypeError`` (which would be a 500).
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from starlette.requests import Request

from .errors import ApiError
from .store import INT64_MAX, INT64_MIN

T = TypeVar("T")

_MISSING: Any = object()


async def read_json(
    request: Request, *, expect: type | tuple[type, ...] = dict, required: bool = True
) -> Any:
    """Parse the request body as JSON and check its top-level type.

    An empty body gives ``None`` when ``required`` is false (several SDK calls send no body),
    otherwise a 400. ``expect`` is the allowed top-level type(s), e.g. ``dict`` or ``list``.
    """
    raw = await request.body()
    if not raw.strip():
        if required:
            raise ApiError(400, "Request body is empty; a JSON body is required")
        return None
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"Request body is not valid JSON: {exc}") from None
    if not isinstance(value, expect):
        raise ApiError(400, f"Request body must be a JSON {_type_names(expect)}, got {_json_type(value)}")
    return value


def field(
    body: dict[str, Any], name: str, kind: type[T] | tuple[type, ...], *, default: Any = _MISSING
) -> Any:
    """``body[name]`` checked against ``kind``; a 400 names the field when missing or mistyped.

    ``bool`` is never accepted where ``int`` is expected (JSON ``true`` is not a number).
    """
    if name not in body or body[name] is None:
        if default is _MISSING:
            raise ApiError(400, f"Missing required field '{name}'")
        return default
    value = body[name]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        raise ApiError(400, f"Field '{name}' must be {_type_names(kind)}, got boolean")
    if not isinstance(value, kinds):
        raise ApiError(400, f"Field '{name}' must be {_type_names(kind)}, got {_json_type(value)}")
    return value


def query_int(
    request: Request,
    name: str,
    *,
    default: int | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int | None:
    """An integer query parameter with bounds; 400 naming the parameter when invalid."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"Query parameter '{name}' must be an integer, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ApiError(400, f"Query parameter '{name}' must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ApiError(400, f"Query parameter '{name}' must be <= {maximum}, got {value}")
    return value


def query_limit(request: Request, *, default: int, maximum: int) -> int:
    """The ``limit`` query parameter: 1..``maximum``, ``default`` when absent."""
    limit = query_int(request, "limit", default=default, minimum=1, maximum=maximum)
    assert limit is not None  # never None: a default is given
    return limit


def query_bool(request: Request, name: str, *, default: bool) -> bool:
    """A boolean query parameter; accepts true/false in any case (the legacy SDK sends ``False``)."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise ApiError(400, f"Query parameter '{name}' must be true or false, got {raw!r}")


def parse_user_id(value: Any, *, name: str = "userId") -> int:
    """An int64 user id from JSON (int) or text (digits); 400 naming ``name`` otherwise."""
    if isinstance(value, bool):
        raise ApiError(400, f"'{name}' must be an integer user id, got boolean")
    number: int | None = None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
        number = int(value.strip())
    if number is None or not INT64_MIN <= number <= INT64_MAX:
        raise ApiError(400, f"'{name}' must be an integer user id (int64), got {value!r}")
    return number


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


_NAMES = {dict: "object", list: "array", str: "string", int: "integer", float: "number", bool: "boolean"}


def _type_names(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(_NAMES.get(k, k.__name__) for k in kinds)
