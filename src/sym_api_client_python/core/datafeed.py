"""The datafeed loop, written once, without I/O (v1 and v2).

:class:`DatafeedMachine.run` is a generator that *yields actions* (``ReadFeed``, ``CreateFeed``,
``Sleep``...) and receives their results (``gen.send(result)``) or their failures
(``gen.throw(exc)``). The sync and async drivers in :mod:`sym_api_client_python.datafeed` only
perform the actions; every decision lives here and is unit-tested without a network.

Rules of this file (the reasons behind them are in docs/reliability.md):

1. Never give up while the process runs: 5xx, 429, network errors and unexpected failures are
   retried forever with exponential backoff and jitter, capped (default 60 s). Only ``stop()``
   ends the loop.
2. Never delete or replace a feed because of a transient error: the feed holds our unread
   events. A feed is replaced only when the server says it is gone (``DatafeedNotFoundError``, or
   a 400/404 on a v2 read, which the spec documents as "feed gone or malformed ackId").
3. v2 acks a batch only after its handlers finished: the ``ackId`` of a batch is sent with the
   *next* read, which the machine issues only after ``Dispatch`` returned. A crash before that
   means redelivery, never loss. A new feed starts with an empty ackId.
4. A 401 that escapes the client (its own single re-login failed) leads to ``Relogin`` and a
   retry of the same call; a failing re-login backs off like any transient error.
5. Several processes of one bot share one v2 feed (the agent hands each event to one reader):
   each reuses the first listed feed, and one that had to create a feed lists again so that
   instances started at the same moment converge on the oldest feed.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

from .errors import (
    ApiError,
    AuthError,
    BadRequestError,
    DatafeedNotFoundError,
    NotFoundError,
    RateLimitedError,
    TimeoutError_,
    TransportError,
)
from .http import Component, Request, Response, RetryPolicy
from .models.events import V4Event, decode_v4_read, decode_v5_read

logger = logging.getLogger("sym_api_client_python.datafeed")

DEFAULT_MAX_BACKOFF = 60.0
DEFAULT_INITIAL_BACKOFF = 0.5
#: Client-side read timeout of a long poll: above the server's hold time (about 30 s).
DEFAULT_READ_TIMEOUT = 75.0
#: How long the last read at stop() waits: it only carries the ack, applied on arrival.
FINAL_READ_TIMEOUT = 1.0


# --------------------------------------------------------------------------- actions
@dataclass(frozen=True, slots=True)
class FetchSessionInfo:
    """GET /pod/v2/sessioninfo; result: the session info dict (the bot's own user)."""


@dataclass(frozen=True, slots=True)
class ListFeeds:
    """v2: GET /agent/v5/datafeeds; result: list of feed dicts."""


@dataclass(frozen=True, slots=True)
class CreateFeed:
    """Create a feed (v1 or v2); result: the new feed id."""


@dataclass(frozen=True, slots=True)
class DeleteFeed:
    """v2: DELETE a feed; result: None. Only for a feed this process just created and that lost
    the race with another instance's feed (rule 5); never for a feed holding events."""

    feed_id: str


@dataclass(frozen=True, slots=True)
class LoadFeedId:
    """v1: read the stored feed id (datafeed.id file); result: the id or None."""


@dataclass(frozen=True, slots=True)
class StoreFeedId:
    """v1: persist the feed id; result: None."""

    feed_id: str


@dataclass(frozen=True, slots=True)
class ReadFeed:
    """Read one batch; result: :class:`ReadResult`, or None when the driver aborted the long poll
    because of ``stop()``. ``final`` marks the read that only carries the last ack at stop time:
    its events are not dispatched and, being unacked, the server delivers them again later."""

    feed_id: str
    ack_id: str | None = None
    final: bool = False


@dataclass(frozen=True, slots=True)
class Dispatch:
    """Hand a batch to the dispatcher; the driver resumes the machine once every handler of the
    batch finished (handler errors are the dispatcher's business, never thrown back here)."""

    events: list[V4Event]


@dataclass(frozen=True, slots=True)
class Sleep:
    """Back off; the driver cuts the sleep short on ``stop()``."""

    seconds: float
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Relogin:
    """Re-authenticate (session + key manager); result: None."""


Action = (
    FetchSessionInfo
    | ListFeeds
    | CreateFeed
    | DeleteFeed
    | LoadFeedId
    | StoreFeedId
    | ReadFeed
    | Dispatch
    | Sleep
    | Relogin
)


@dataclass(slots=True)
class ReadResult:
    events: list[V4Event] = field(default_factory=list)
    ack_id: str | None = None


# --------------------------------------------------------------------------- request building
def build_request(action: Action, *, version: str, read_timeout: float = DEFAULT_READ_TIMEOUT) -> Request:
    """The HTTP request that performs an action (for the actions that are HTTP calls)."""
    if isinstance(action, FetchSessionInfo):
        return Request("GET", Component.POD, "/pod/v2/sessioninfo")
    if isinstance(action, ListFeeds):
        return Request("GET", Component.AGENT, "/agent/v5/datafeeds")
    if isinstance(action, CreateFeed):
        if version == "v1":
            return Request("POST", Component.AGENT, "/agent/v4/datafeed/create")
        return Request("POST", Component.AGENT, "/agent/v5/datafeeds", json={})
    if isinstance(action, DeleteFeed):
        return Request("DELETE", Component.AGENT, f"/agent/v5/datafeeds/{action.feed_id}")
    if isinstance(action, ReadFeed):
        # The agent applies the ackId when the read arrives; the final read only has to reach it,
        # so it is not kept waiting for a whole long poll.
        timeout = min(read_timeout, FINAL_READ_TIMEOUT) if action.final else read_timeout
        if version == "v1":
            return Request(
                "GET", Component.AGENT, f"/agent/v4/datafeed/{action.feed_id}/read", timeout=timeout
            )
        return Request(
            "POST",
            Component.AGENT,
            f"/agent/v5/datafeeds/{action.feed_id}/read",
            json={"ackId": action.ack_id or ""},
            timeout=timeout,
            # the final read is cut short on purpose: the HTTP client must not retry its timeout
            idempotent=not action.final,
        )
    raise TypeError(f"{type(action).__name__} is not an HTTP action")


def parse_response(action: Action, response: Response, *, version: str) -> Any:
    """The machine-level result of an HTTP action's response."""
    if isinstance(action, ReadFeed):
        if version == "v1":
            return ReadResult(decode_v4_read(response.body if response.status != 204 else b""))
        events, ack_id = decode_v5_read(response.body)
        return ReadResult(events, ack_id)
    if isinstance(action, CreateFeed):
        body = response.json()
        feed_id = body.get("id") if isinstance(body, dict) else None
        if not isinstance(feed_id, str) or not feed_id:
            raise ValueError(f"datafeed create answered without an id: {response.text[:200]!r}")
        return feed_id
    if isinstance(action, ListFeeds):
        body = response.json() if response.body else []
        return body if isinstance(body, list) else []
    if isinstance(action, FetchSessionInfo):
        return response.json()
    return None


def pick_feed(feeds: list[Any], *, exclude: str | None = None) -> str | None:
    """The v2 feed to reuse: the first real datafeed listed (datahose feeds and the id that just
    failed are skipped). Every process of a bot makes the same choice, so they share one feed."""
    for feed in feeds:
        if not isinstance(feed, dict):
            continue
        feed_id = feed.get("id")
        if not isinstance(feed_id, str) or not feed_id or feed_id == exclude:
            continue
        if str(feed.get("type") or "datafeed").lower() != "datafeed":
            continue
        return feed_id
    return None


# --------------------------------------------------------------------------- the machine
class _StopRequested(Exception):
    """Internal: unwinds the generator when stop() was requested during a retry loop."""


class DatafeedMachine:
    """The datafeed loop's decisions. Drive :meth:`run` with a driver; call :meth:`request_stop`
    from any thread (the driver also interrupts its in-flight read or sleep)."""

    def __init__(
        self,
        version: str = "v2",
        *,
        reuse_feed_id: bool = True,
        backoff: RetryPolicy | None = None,
        rng: random.Random | None = None,
    ) -> None:
        version = (version or "v2").lower()
        if version not in ("v1", "v2"):
            raise ValueError(f"datafeedVersion must be 'v1' or 'v2', got {version!r}")
        self.version = version
        self.reuse_feed_id = reuse_feed_id
        self.backoff = backoff or RetryPolicy(
            max_attempts=None, initial_delay=DEFAULT_INITIAL_BACKOFF, max_delay=DEFAULT_MAX_BACKOFF
        )
        if self.backoff.max_attempts is not None:
            raise ValueError("the datafeed backoff must never give up (max_attempts=None)")
        self._rng = rng
        self.feed_id: str | None = None
        self.ack_id: str = ""
        self.session_info: dict[str, Any] | None = None
        self.stopping = False
        self.consecutive_failures = 0
        self.feeds_created = 0
        self.relogins = 0

    @property
    def bot_user_id(self) -> int | None:
        info = self.session_info or {}
        user_id = info.get("id", info.get("userId"))
        return user_id if isinstance(user_id, int) else None

    def request_stop(self) -> None:
        self.stopping = True

    # The generator -----------------------------------------------------------------------
    def run(self) -> Generator[Action, Any, None]:
        try:
            info = yield from self._until_ok(FetchSessionInfo())
            self.session_info = info if isinstance(info, dict) else {}
            yield from self._open_feed()
            yield from self._read_loop()
        except _StopRequested:
            pass
        logger.info("datafeed %s stopped", self.feed_id)

    def _read_loop(self) -> Generator[Action, Any, None]:
        # True while the last dispatched batch's ack has not been carried by a completed read
        unacked = False
        while not self.stopping:
            assert self.feed_id is not None
            feed_before = self.feed_id
            try:
                result = yield ReadFeed(self.feed_id, self.ack_id if self.version == "v2" else None)
            except Exception as exc:  # every failure is handled: rule 1
                yield from self._recover(exc, reading=True)
                if self.feed_id != feed_before:
                    unacked = False  # a new feed: nothing of the old one can be acked any more
                continue
            if result is None:  # read aborted by stop(): its ack may not have arrived
                continue
            self.consecutive_failures = 0
            if result.events:
                yield Dispatch(result.events)
            if self.version == "v2" and result.ack_id is not None:
                unacked = bool(result.events)
                self.ack_id = result.ack_id
            # not held through the next read: freeing a batch is the driver's to time (the async
            # driver frees it while the server works on that read)
            result = None
        if unacked and self.version == "v2" and self.feed_id is not None:
            try:  # rule 3: the last ack rides on one short, final read
                yield ReadFeed(self.feed_id, self.ack_id, final=True)
            except TimeoutError_:
                logger.debug("last ack of datafeed %s sent; its long poll was cut short", self.feed_id)
            except Exception as exc:
                logger.warning(
                    "could not send the last ack of datafeed %s (%s); its last batch will be delivered again",
                    self.feed_id,
                    exc,
                )

    def _open_feed(self, *, failed_id: str | None = None) -> Generator[Action, Any, None]:
        self.ack_id = ""
        if self.version == "v1":
            if self.reuse_feed_id and failed_id is None:
                stored = yield from self._until_ok(LoadFeedId())
                if stored:
                    logger.info("reusing stored datafeed v1 %s", stored)
                    self.feed_id = stored
                    return
            self.feed_id = yield from self._until_ok(CreateFeed())
            self.feeds_created += 1
            logger.info("created datafeed v1 %s", self.feed_id)
            if self.reuse_feed_id:
                yield from self._until_ok(StoreFeedId(self.feed_id))
            return
        feeds = yield from self._until_ok(ListFeeds())
        existing = pick_feed(feeds or [], exclude=failed_id)
        if existing is not None:
            logger.info("reusing datafeed v2 %s", existing)
            self.feed_id = existing
            return
        created = yield from self._until_ok(CreateFeed())
        self.feeds_created += 1
        logger.info("created datafeed v2 %s", created)
        # Rule 5: processes that started together may each have created a feed. The agent lists
        # feeds oldest first, so all of them converge on the same one; a losing feed is deleted.
        # Nothing is lost by that: every event is fanned out to all of the bot's feeds.
        winner = pick_feed((yield from self._until_ok(ListFeeds())) or [], exclude=failed_id)
        self.feed_id = winner or created  # set once decided, so feed_id never shows a losing feed
        if winner is not None and winner != created:
            logger.info("another instance opened datafeed %s first; sharing it", winner)
            try:
                yield DeleteFeed(created)
            except Exception as exc:  # best effort: an unused feed expires on the agent anyway
                logger.warning("could not delete the unused datafeed %s: %s", created, exc)

    def _until_ok(self, action: Action) -> Generator[Action, Any, Any]:
        while True:
            if self.stopping:
                raise _StopRequested
            try:
                result = yield action
            except Exception as exc:
                yield from self._recover(exc, reading=False)
                continue
            self.consecutive_failures = 0
            return result

    def _feed_is_gone(self, exc: BaseException, *, reading: bool) -> bool:
        if isinstance(exc, DatafeedNotFoundError):
            return True
        # The v2 spec documents 400 on read as "feed expired or malformed ackId: create a new one".
        return reading and self.version == "v2" and isinstance(exc, (BadRequestError, NotFoundError))

    def _recover(self, exc: BaseException, *, reading: bool) -> Generator[Action, Any, None]:
        if self.stopping:
            raise _StopRequested
        if self._feed_is_gone(exc, reading=reading) and self.feed_id is not None:
            failed = self.feed_id
            logger.warning("datafeed %s is gone (%s); opening a new one", failed, exc)
            self.feed_id = None
            yield from self._open_feed(failed_id=failed)
            return
        self.consecutive_failures += 1
        if isinstance(exc, AuthError) and exc.status == 401:
            logger.warning("datafeed call unauthorized (%s); re-authenticating", exc)
            try:
                yield Relogin()
                self.relogins += 1
                return
            except Exception as relogin_exc:
                exc = relogin_exc
        retry_after = exc.retry_after if isinstance(exc, RateLimitedError) else None
        delay = self.backoff.delay(self.consecutive_failures, retry_after=retry_after, rng=self._rng)
        assert delay is not None  # max_attempts is None: rule 1
        level = logging.WARNING if self.consecutive_failures <= 3 else logging.ERROR
        expected = isinstance(exc, (ApiError, TransportError))
        logger.log(
            level,
            "datafeed %s: %s (failure %d in a row); retrying in %.1f s",
            self.feed_id or "(no feed yet)",
            describe_error(exc),
            self.consecutive_failures,
            delay,
            exc_info=None if expected else exc,
        )
        yield Sleep(delay, reason=type(exc).__name__)


def describe_error(exc: BaseException) -> str:
    text = str(exc) or "(no message)"
    return f"{type(exc).__name__}: {text}"


__all__ = [
    "DEFAULT_INITIAL_BACKOFF",
    "DEFAULT_MAX_BACKOFF",
    "DEFAULT_READ_TIMEOUT",
    "Action",
    "CreateFeed",
    "DatafeedMachine",
    "DeleteFeed",
    "Dispatch",
    "FetchSessionInfo",
    "ListFeeds",
    "LoadFeedId",
    "ReadFeed",
    "ReadResult",
    "Relogin",
    "Sleep",
    "StoreFeedId",
    "build_request",
    "parse_response",
    "pick_feed",
]
