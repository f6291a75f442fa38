"""THE endpoint table: every Symphony REST operation the SDK can call, described once.

Each :class:`Endpoint` says how to reach one operation of the public spec (method, path template
with the component's context prefix, which component serves it, what kind of body it takes, the
query parameters it accepts, how it paginates, the response model, and whether the spec marks it
deprecated). The sync and async services, the legacy clients and the contract test are all built
from this table; nothing else in the SDK spells a REST path.

The entries themselves live in ``endpoints_pod.py``, ``endpoints_agent.py`` and
``endpoints_auth.py`` (one line per operation, sorted by name) to keep each module short.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from .http import Component, ParamValue, Part, Request


class BodyKind(str, enum.Enum):
    """What an operation takes as its request body."""

    NONE = "none"
    JSON = "json"
    MULTIPART = "multipart"


class Pagination(str, enum.Enum):
    """How an operation pages through results (the query parameters that drive it)."""

    NONE = "none"
    SKIP_LIMIT = "skip_limit"  # skip / limit
    CURSOR = "cursor"  # before / after cursors
    PAGE = "page"  # page / limit (DLP)
    NEXT = "next"  # opaque next token (DLP violations)
    OFFSET = "offset"  # offset / limit (deprecated message ids)


# Short names for the entry tables (endpoints_*.py), so that most operations fit on one line.
JSON, MULTIPART = BodyKind.JSON, BodyKind.MULTIPART
SKIP_LIMIT, CURSOR, PAGE, NEXT, OFFSET = (
    Pagination.SKIP_LIMIT,
    Pagination.CURSOR,
    Pagination.PAGE,
    Pagination.NEXT,
    Pagination.OFFSET,
)


#: The URL prefix of each component's APIs (the login spec is served twice: ``/login`` on the pod,
#: ``/relay`` on the key manager; the authenticator spec as ``/sessionauth`` and ``/keyauth``).
PREFIX_COMPONENTS: dict[str, Component] = {
    "/pod/": Component.POD,
    "/agent/": Component.AGENT,
    "/login/": Component.SESSION_AUTH,
    "/sessionauth/": Component.SESSION_AUTH,
    "/relay/": Component.KEY_AUTH,
    "/keyauth/": Component.KEY_AUTH,
}

_PATH_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

# Path parameters that always hold a stream or message id (25 bytes in base64).
_ID_PARAM_NAMES = frozenset({"sid", "streamId", "mid", "messageId"})
# ``{id}`` holds a stream or message id when it follows one of these path segments.
_ID_SEGMENTS = frozenset({"room", "im", "message", "stream", "messagesuppression"})


def to_url_safe_id(value: str) -> str:
    """A stream/message id in the URL-safe base64 alphabet without padding, as paths expect.

    Symphony hands out ids in both alphabets (``+/`` with ``==`` in some pod answers, ``-_`` in
    events); the API accepts only the URL-safe one in paths.
    """
    return value.replace("+", "-").replace("/", "_").rstrip("=")


def component_for_path(path: str) -> Component:
    """The component serving an API path, from its context prefix (``/pod/...`` → POD)."""
    for prefix, component in PREFIX_COMPONENTS.items():
        if path.startswith(prefix):
            return component
    raise ValueError(f"path {path!r} does not start with a known API prefix ({', '.join(PREFIX_COMPONENTS)})")


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One REST operation.

    ``name`` is ``"<service>.<method>"``: the service attribute of ``SyncServices`` /
    ``AsyncServices`` and the method that calls it. ``path`` is the full path template including
    the component prefix (``/pod/v3/room/{id}/info``). ``query`` lists the query parameters the
    spec declares (the request builder refuses others). ``response`` names a model of
    :mod:`sym_api_client_python.core.models.rest` (``"list[X]"`` for arrays) or is ``None`` when
    the answer is handed back as decoded JSON.
    """

    name: str
    method: str
    path: str
    body: BodyKind = BodyKind.NONE
    query: tuple[str, ...] = ()
    response: str | None = None
    pagination: Pagination = Pagination.NONE
    deprecated: bool = False
    idempotent: bool = True
    #: False for the logins themselves: no session token is attached (nor fetched first)
    authenticated: bool = True
    component: Component = field(init=False)
    path_params: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "component", component_for_path(self.path))
        object.__setattr__(self, "path_params", tuple(_PATH_PARAM.findall(self.path)))

    @property
    def service(self) -> str:
        return self.name.partition(".")[0]

    @property
    def method_name(self) -> str:
        return self.name.partition(".")[2]

    def is_id_param(self, param: str) -> bool:
        """Whether a path parameter holds a stream/message id (normalised to URL-safe base64)."""
        if param in _ID_PARAM_NAMES:
            return True
        if param != "id":
            return False
        segments = self.path.split("/")
        index = segments.index("{id}")
        return index > 0 and segments[index - 1] in _ID_SEGMENTS

    def format_path(self, path_values: Mapping[str, Any]) -> str:
        """The path with every parameter substituted and URL-quoted (``/`` included)."""
        missing = [name for name in self.path_params if path_values.get(name) in (None, "")]
        if missing:
            raise ValueError(f"{self.name}: missing path parameter(s) {', '.join(missing)}")

        def substitute(match: re.Match[str]) -> str:
            param = match.group(1)
            value = str(path_values[param])
            if self.is_id_param(param):
                value = to_url_safe_id(value)
            return quote(value, safe="")

        return _PATH_PARAM.sub(substitute, self.path)

    def request(
        self,
        path_values: Mapping[str, Any] | None = None,
        *,
        params: Mapping[str, ParamValue] | None = None,
        json: Any = None,
        multipart: Sequence[Part] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        check_params: bool = True,
    ) -> Request:
        """Build the :class:`Request` for this operation.

        Query parameters the spec does not declare raise ``ValueError`` naming them (a typo
        would otherwise be silently ignored by the server); ``check_params=False`` lets the
        legacy ``**kwargs`` pass-through keep working.
        """
        if check_params and params:
            unknown = sorted(k for k, v in params.items() if k not in self.query and v is not None)
            if unknown:
                allowed = ", ".join(self.query) or "none"
                raise ValueError(
                    f"{self.name}: unknown query parameter(s) {', '.join(unknown)} (allowed: {allowed})"
                )
        if self.body is BodyKind.NONE and (json is not None or multipart):
            raise ValueError(f"{self.name} ({self.method} {self.path}) takes no request body")
        return Request(
            method=self.method,
            component=self.component,
            path=self.format_path(path_values or {}),
            params=params or None,
            json=json,
            multipart=multipart,
            headers=headers,
            timeout=timeout,
            authenticated=self.authenticated,
            idempotent=self.idempotent,
        )


def _load_table() -> dict[str, Endpoint]:
    from .endpoints_agent import AGENT_ENDPOINTS
    from .endpoints_auth import AUTH_ENDPOINTS
    from .endpoints_pod import POD_ENDPOINTS

    table: dict[str, Endpoint] = {}
    for endpoint in (*POD_ENDPOINTS, *AGENT_ENDPOINTS, *AUTH_ENDPOINTS):
        if endpoint.name in table:
            raise RuntimeError(f"duplicate endpoint name {endpoint.name!r} in the endpoint table")
        table[endpoint.name] = endpoint
    return table


#: Every operation, by ``"service.method"`` name.
ENDPOINTS: dict[str, Endpoint] = _load_table()


def endpoint(name: str) -> Endpoint:
    """The table entry called ``name``; ``KeyError`` lists close names when there is a typo."""
    try:
        return ENDPOINTS[name]
    except KeyError:
        service = name.partition(".")[0]
        near = sorted(n for n in ENDPOINTS if n.startswith(service + "."))[:20]
        raise KeyError(f"no endpoint named {name!r}; {service} has: {', '.join(near) or 'nothing'}") from None


def endpoints_of(service: str) -> list[Endpoint]:
    """The table entries of one service, in name order."""
    return sorted((e for e in ENDPOINTS.values() if e.service == service), key=lambda e: e.name)


__all__ = [
    "ENDPOINTS",
    "BodyKind",
    "Endpoint",
    "Pagination",
    "component_for_path",
    "endpoint",
    "endpoints_of",
    "to_url_safe_id",
]
