"""The machinery that turns one description of a call into a sync and an async method.

A service method is written once, as a *plan*: a generator that yields the
:class:`~sym_api_client_python.core.http.Request` it needs sent, receives the
:class:`~sym_api_client_python.core.http.Response`, and returns the decoded result. A *driver*
runs the plan: :class:`SyncDriver` with ``requester.request(...)``, :class:`AsyncDriver` with
``await requester.request(...)``. The :func:`operation` descriptor binds a plan to the driver of
the service instance, so ``SyncServices(...).messages.send(...)`` returns a ``V4Message`` and
``AsyncServices(...).messages.send(...)`` an awaitable of one, from the same code (the same idea
as httpx/httpcore's shared sans-IO core, without code generation).

Operations of the endpoint table without a hand-written method get a generic one (see
:func:`generic_plan`) so that every entry is callable from both facades.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Mapping
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

import msgspec

from ..core.endpoints import Endpoint, endpoint, endpoints_of
from ..core.errors import UnexpectedResponseError
from ..core.http import AsyncRequester, Request, Response, SyncRequester, error_for_response
from ..core.models.rest import RestModel, resolve_model

T = TypeVar("T")
P = ParamSpec("P")
D = TypeVar("D", bound="SyncDriver | AsyncDriver")

#: A call written once: yields requests, receives responses, returns the result.
Plan = Generator[Request, Response, T]
#: A page of a paginated call: ``page(skip, limit)`` → plan of the items of that page.
PageFn = Callable[[int, int], Plan[list[T]]]

DEFAULT_PAGE_SIZE = 100


def _check(request: Request, response: Response) -> Response:
    # The HTTP clients raise already; this keeps any requester (fakes, custom transports) honest.
    if response.status >= 400:
        raise error_for_response(request, response)
    return response


class SyncDriver:
    """Runs plans with a blocking :class:`SyncRequester`."""

    is_async = False

    def __init__(self, requester: SyncRequester) -> None:
        self.requester = requester

    def run(self, plan: Plan[T]) -> T:
        try:
            request = next(plan)
            while True:
                response = _check(request, self.requester.request(request))
                request = plan.send(response)
        except StopIteration as done:
            return done.value

    def paginate(self, page: PageFn[T], chunk_size: int, max_items: int | None) -> Iterator[T]:
        skip = 0
        produced = 0
        while True:
            limit = chunk_size if max_items is None else min(chunk_size, max_items - produced)
            if limit <= 0:
                return
            items = self.run(page(skip, limit))
            yield from items
            produced += len(items)
            if len(items) < limit:
                return
            skip += len(items)


class AsyncDriver:
    """Runs plans with an :class:`AsyncRequester`."""

    is_async = True

    def __init__(self, requester: AsyncRequester) -> None:
        self.requester = requester

    async def run(self, plan: Plan[T]) -> T:
        try:
            request = next(plan)
            while True:
                response = _check(request, await self.requester.request(request))
                request = plan.send(response)
        except StopIteration as done:
            return done.value

    async def paginate(self, page: PageFn[T], chunk_size: int, max_items: int | None) -> AsyncIterator[T]:
        skip = 0
        produced = 0
        while True:
            limit = chunk_size if max_items is None else min(chunk_size, max_items - produced)
            if limit <= 0:
                return
            items = await self.run(page(skip, limit))
            for item in items:
                yield item
            produced += len(items)
            if len(items) < limit:
                return
            skip += len(items)


class Service(Generic[D]):
    """Base of the services: holds the driver; subclasses set ``service_name`` (the table prefix)."""

    service_name: str = ""

    def __init__(self, driver: D) -> None:
        self._driver = driver

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.service_name:
            return
        # Every table entry of this service without a hand-written method gets a generic one.
        for entry in endpoints_of(cls.service_name):
            if entry.method_name not in cls.__dict__ and not hasattr(cls, entry.method_name):
                setattr(cls, entry.method_name, _generic_operation(entry))

    def __repr__(self) -> str:
        mode = "async" if self._driver.is_async else "sync"
        return f"<{type(self).__name__} ({mode})>"

    def __getattr__(self, name: str) -> Callable[..., Any]:
        # Only reached for names that are not methods: the generic methods built from the table
        # are real class attributes, invisible to type checkers, hence the Callable return type.
        if name.startswith("_"):
            raise AttributeError(name)
        close = difflib.get_close_matches(name, [e.method_name for e in endpoints_of(self.service_name)], n=5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise AttributeError(f"{self.service_name} service has no operation {name!r}{hint}")


class Operation(Generic[P, T]):
    """Descriptor: a plan function seen as a sync method on a sync service, a coroutine method on
    an async one."""

    def __init__(self, plan_fn: Callable[Concatenate[Any, P], Plan[T]]) -> None:
        self.plan_fn = plan_fn
        self.__doc__ = plan_fn.__doc__
        self.__name__ = plan_fn.__name__
        self._name = plan_fn.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> Operation[P, T]: ...

    @overload
    def __get__(self, obj: Service[SyncDriver], owner: type | None = None) -> Callable[P, T]: ...

    @overload
    def __get__(self, obj: Service[AsyncDriver], owner: type | None = None) -> Callable[P, Awaitable[T]]: ...

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        plan_fn = self.plan_fn
        run = obj._driver.run

        @functools.wraps(plan_fn)
        def bound(*args: Any, **kwargs: Any) -> Any:
            return run(plan_fn(obj, *args, **kwargs))

        obj.__dict__[self._name] = bound  # cache: later lookups skip the descriptor
        return bound


def operation(plan_fn: Callable[Concatenate[Any, P], Plan[T]]) -> Operation[P, T]:
    """Decorator for a service method written as a plan."""
    return Operation(plan_fn)


class Paginated(Generic[T]):
    """Descriptor for ``iter_*`` methods: an iterator (sync) or async iterator (async) over every
    item of a skip/limit paginated call. The decorated function takes the call's arguments and
    returns the page function ``page(skip, limit) -> Plan[list[T]]``.

    The bound method takes ``chunk_size`` (items per request, default 100; keep it within the
    server's page limit, since a short page ends the iteration) and ``max_items`` (stop after
    that many). Pages are fetched lazily, as the caller consumes items."""

    def __init__(self, factory: Callable[..., PageFn[T]]) -> None:
        self.factory = factory
        self.__doc__ = factory.__doc__
        self._name = factory.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> Paginated[T]: ...

    @overload
    def __get__(self, obj: Service[SyncDriver], owner: type | None = None) -> Callable[..., Iterator[T]]: ...

    @overload
    def __get__(
        self, obj: Service[AsyncDriver], owner: type | None = None
    ) -> Callable[..., AsyncIterator[T]]: ...

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        factory = self.factory
        driver = obj._driver

        @functools.wraps(factory)
        def bound(
            *args: Any, chunk_size: int = DEFAULT_PAGE_SIZE, max_items: int | None = None, **kwargs: Any
        ) -> Any:
            if chunk_size < 1:
                raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
            return driver.paginate(factory(obj, *args, **kwargs), chunk_size, max_items)

        obj.__dict__[self._name] = bound
        return bound


def paginated(factory: Callable[..., PageFn[T]]) -> Paginated[T]:
    """Decorator for ``iter_*`` methods (see :class:`Paginated`)."""
    return Paginated(factory)


# --- decoding ------------------------------------------------------------------------------------


def decode(response: Response, spec: str | None) -> Any:
    """Decode a success response into the model named by the table (``None`` → plain JSON,
    ``"bytes"`` → the body as is).

    204 / empty bodies give ``None`` for objects and ``[]`` for lists. A body that does not match
    the model raises :class:`UnexpectedResponseError` naming the field.
    """
    if spec is None:
        return response.legacy_result() if response.body else None
    if spec == "bytes":  # binary downloads (attachments, DLP dictionaries)
        return response.body
    model, is_list = resolve_model(spec)
    if response.status == 204 or not response.body:
        return [] if is_list else None
    try:
        if is_list:
            raw_items = msgspec.json.decode(response.body)
            if not isinstance(raw_items, list):
                raise msgspec.ValidationError(f"Expected `array`, got `{type(raw_items).__name__}`")
            return [_convert(item, model) for item in raw_items]
        if issubclass(model, RestModel):
            raw = msgspec.json.decode(response.body)
            return _convert(raw, model)
        return msgspec.json.decode(response.body, type=model, strict=False)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise UnexpectedResponseError(
            response.status,
            f"response does not match {spec}: {exc}",
            request_id=response.request_id,
            body=response.text[:500],
        ) from exc


def _convert(raw: Any, model: type[Any]) -> Any:
    value = msgspec.convert(raw, model, strict=False)
    if isinstance(value, RestModel) and isinstance(raw, dict):
        value.__dict__["_raw"] = raw
    return value


def to_json(value: Any) -> Any:
    """A request body as JSON-ready builtins (Structs → camelCase dicts, ``None`` fields dropped)."""
    if isinstance(value, msgspec.Struct):
        return msgspec.to_builtins(value)
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    return value


# --- generic operations ---------------------------------------------------------------------------


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def generic_plan(
    entry: Endpoint,
    path_args: tuple[Any, ...],
    *,
    body: Any = None,
    multipart: Any = None,
    headers: Mapping[str, str] | None = None,
    query: Mapping[str, Any] | None = None,
) -> Plan[Any]:
    """The plan of any table entry: positional path values in template order, query parameters
    by spec name or snake_case, a JSON ``body`` or ``multipart`` parts, extra ``headers``."""
    if len(path_args) != len(entry.path_params):
        expected = ", ".join(entry.path_params) or "none"
        raise TypeError(
            f"{entry.name} takes {len(entry.path_params)} path argument(s) ({expected}), got {len(path_args)}"
        )
    params: dict[str, Any] = {}
    for key, value in (query or {}).items():
        spec_name = key if key in entry.query else _camel(key)
        params[spec_name] = value
    request = entry.request(
        dict(zip(entry.path_params, path_args, strict=True)),
        params=params,
        json=to_json(body),
        multipart=multipart,
        headers=headers,
    )
    response = yield request
    return decode(response, entry.response)


def _generic_operation(entry: Endpoint) -> Operation[..., Any]:
    def plan(
        self: Any,
        *path_args: Any,
        body: Any = None,
        multipart: Any = None,
        headers: Mapping[str, str] | None = None,
        **query: Any,
    ) -> Plan[Any]:
        return generic_plan(entry, path_args, body=body, multipart=multipart, headers=headers, query=query)

    summary = f"{entry.method} {entry.path}"
    if entry.deprecated:
        summary += " (deprecated in the spec)"
    plan.__name__ = entry.method_name
    plan.__qualname__ = f"{entry.service}.{entry.method_name}"
    plan.__doc__ = (
        f"{summary}.\n\nPath arguments (positional): {', '.join(entry.path_params) or 'none'}; "
        f"query (keywords): {', '.join(entry.query) or 'none'}; body: {entry.body.value}."
    )
    op: Operation[..., Any] = Operation(plan)
    op._name = entry.method_name
    return op


def call_plan(
    entry_name: str,
    *path_args: Any,
    body: Any = None,
    multipart: Any = None,
    headers: Mapping[str, str] | None = None,
    **query: Any,
) -> Plan[Any]:
    """Plan of any table entry by name (used by ``SyncServices.call`` / ``AsyncServices.call``)."""
    entry = endpoint(entry_name)
    return generic_plan(entry, path_args, body=body, multipart=multipart, headers=headers, query=query)


_FROM_TABLE: Any = object()


def call(
    name: str,
    path: Mapping[str, Any] | None = None,
    *,
    params: Mapping[str, Any] | None = None,
    json: Any = None,
    multipart: Any = None,
    response: Any = _FROM_TABLE,
    check_params: bool = True,
) -> Plan[Any]:
    """Plan of one table entry with explicit path values, query, body; decoded with the table's
    response model unless ``response`` overrides it (``None`` → plain JSON)."""
    entry = endpoint(name)
    answer = yield entry.request(
        path, params=params, json=to_json(json), multipart=multipart, check_params=check_params
    )
    return decode(answer, entry.response if response is _FROM_TABLE else response)
