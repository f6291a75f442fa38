"""The legacy datafeed service surface (listeners, routing, handlers) over the datafeed engine.

Event routing is the legacy table (legacy-sdk.md §5.7): each event type goes to one listener
kind with one part of the payload, except Elements listeners, which get the whole event. What
changed, on purpose: a listener exception is logged at ERROR (event id, type, stream, traceback),
counted and passed to ``exception_handler``, and never stops the feed; WallPost and Suppression
listeners are sorted by ``add_listeners`` too; unknown types, null events and events without an
initiator are skipped, not fatal; the backoff never gives up (``maximum_timeout_sec`` is its cap).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, NamedTuple

from ..core.datafeed import DEFAULT_INITIAL_BACKOFF
from ..datafeed.dispatcher import DispatchStats, EventGate, SyncDispatcher
from ..datafeed.legacy_bridge import config_of, sync_requester_of
from ..datafeed.settings import DatafeedSettings
from ..datafeed.sync_driver import SyncDatafeedRunner, run_interruptibly
from ..listeners.connection_listener import ConnectionListener
from ..listeners.elements_listener import ElementsActionListener
from ..listeners.im_listener import IMListener
from ..listeners.room_listener import RoomListener
from ..listeners.suppression_listener import SuppressionListener
from ..listeners.wall_post_listener import WallPostListener

log = logging.getLogger("sym_api_client_python.datafeed")

ListenerCall = tuple[Callable[[Any], Any], Any]


class EventTrace(NamedTuple):
    """Timing of one event through the bot (legacy tracing; times are naive UTC datetimes)."""

    message_id: str
    creation_time: datetime | None
    bot_received: datetime
    listeners_complete: datetime
    bot_complete: datetime


def make_datetime(ms: int | None) -> datetime | None:
    """Epoch milliseconds → naive UTC datetime (the legacy helper's contract)."""
    if ms is None:
        return None
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).replace(tzinfo=None)


def _utcnow() -> datetime:
    return datetime.now(tz=timezone.utc).replace(tzinfo=None)


class AbstractDatafeedEventService:
    """Listener registry and routing shared by the sync and async legacy services."""

    #: "v1" / "v2" for the versioned subclasses; None = from the config (default v2)
    datafeed_version: str | None = None

    def __init__(
        self,
        sym_bot_client: Any,
        error_timeout_sec: float | None = None,
        maximum_timeout_sec: float | None = None,
        *,
        exception_handler: Callable[[BaseException], Any] | None = None,
        trace_enabled: bool = False,
        trace_recorder: list[EventTrace] | None = None,
        max_workers: int | None = None,
        max_concurrency: int | None = None,
        read_timeout: float | None = None,
    ) -> None:
        self.room_listeners: list[Any] = []
        self.im_listeners: list[Any] = []
        self.connection_listeners: list[Any] = []
        self.elements_listeners: list[Any] = []
        self.suppression_listeners: list[Any] = []
        self.wall_post_listeners: list[Any] = []
        self.registered_triggers: list[Any] = []
        self.datafeed_events: list[Any] = []

        self.bot_client = sym_bot_client
        getter = getattr(sym_bot_client, "get_sym_config", None)
        self.config = getter() if callable(getter) else getattr(sym_bot_client, "config", None)
        self.exception_handler = exception_handler
        self.trace_enabled = trace_enabled
        self.trace_recorder = trace_recorder
        self.stop = False
        self.stats = DispatchStats()

        initial = DEFAULT_INITIAL_BACKOFF if error_timeout_sec is None else min(error_timeout_sec, 1.0)
        self.settings = DatafeedSettings.from_config(
            config_of(sym_bot_client),
            version=self.datafeed_version,
            max_backoff=maximum_timeout_sec,
            initial_backoff=initial if maximum_timeout_sec is None else min(initial, maximum_timeout_sec),
            max_workers=max_workers,
            max_concurrency=max_concurrency,
            read_timeout=read_timeout,
        )
        self.datafeed_id_repository = self.settings.id_repository()
        self.gate = EventGate(dedup_window=self.settings.dedup_window)
        # legacy backoff attributes, kept readable (the engine's backoff never gives up)
        self.baseline_timeout_sec = self.settings.initial_backoff
        self.current_timeout_sec = self.baseline_timeout_sec
        self.lower_threshold = self.baseline_timeout_sec
        self.upper_threshold = self.settings.max_backoff
        self.timeout_multiplier = 2
        self.routing_dict: dict[str, Callable[[dict[str, Any]], Any]] = {
            "MESSAGESENT": self.msg_sent_handler,
            "MESSAGESUPPRESSED": self.suppressed_message_handler,
            "INSTANTMESSAGECREATED": self.instant_msg_handler,
            "ROOMCREATED": self.room_created_handler,
            "ROOMDEACTIVATED": self.room_deactivated_handler,
            "ROOMREACTIVATED": self.room_reactivated_handler,
            "ROOMUPDATED": self.room_updated_handler,
            "USERJOINEDROOM": self.user_joined_room_handler,
            "USERLEFTROOM": self.user_left_room_handler,
            "ROOMMEMBERPROMOTEDTOOWNER": self.promoted_to_owner,
            "ROOMMEMBERDEMOTEDFROMOWNER": self.demoted_from_owner,
            "CONNECTIONACCEPTED": self.connection_accepted_handler,
            "CONNECTIONREQUESTED": self.connection_requested_handler,
            "SYMPHONYELEMENTSACTION": self.elements_action_handler,
            "SHAREDPOST": self.shared_post_handler,
        }

    @property
    def datafeed_id(self) -> str | None:
        """The feed being read (None until the first feed is open)."""
        runner = getattr(self, "_runner", None) or getattr(self, "_async_runner", None)
        return runner.machine.feed_id if runner is not None else None

    # ------------------------------------------------------------------ lifecycle (sync)
    def start_datafeed(self) -> None:
        """Open (or reuse) the feed and handle events until :meth:`deactivate_datafeed`. Blocks."""
        self.stop = False
        runner = SyncDatafeedRunner(
            sync_requester_of(self.bot_client),
            self.settings.machine(),
            SyncDispatcher(
                lambda event: self.handle_event(event.raw),
                max_workers=self.settings.max_workers,
                gate=self.gate,
                stats=self.stats,
            ),
            id_repository=self.datafeed_id_repository,
            read_timeout=self.settings.read_timeout,
            tune_allocator=self.settings.tune_allocator,
        )
        self._runner: Any = runner
        try:
            run_interruptibly(runner, reraise_interrupt=True)  # Ctrl-C: graceful stop, then raised
        finally:
            runner.dispatcher.close()

    read_datafeed = start_datafeed

    def deactivate_datafeed(self) -> None:
        """Stop the feed (from any thread or from a listener): in-flight listeners finish, the
        last batch is acked, then ``start_datafeed()`` returns."""
        self.stop = True
        runner = getattr(self, "_runner", None)
        if runner is not None:
            runner.stop()

    stop_datafeed_service = deactivate_datafeed

    def activate_datafeed(self) -> None:
        self.stop = False

    # ------------------------------------------------------------------ listeners
    _KINDS: tuple[tuple[type, str], ...] = (
        (ElementsActionListener, "elements_listeners"),
        (ConnectionListener, "connection_listeners"),
        (IMListener, "im_listeners"),
        (RoomListener, "room_listeners"),
        (WallPostListener, "wall_post_listeners"),
        (SuppressionListener, "suppression_listeners"),
    )

    def add_listeners(self, *listeners: Any) -> None:
        """Register listeners of any kind; one implementing several interfaces joins each list."""
        for listener in listeners:
            kinds = [attr for cls, attr in self._KINDS if isinstance(listener, cls)]
            if not kinds:
                raise TypeError(
                    f"{type(listener).__name__} implements no listener interface (IMListener, RoomListener, "
                    "ConnectionListener, ElementsActionListener, WallPostListener, SuppressionListener)"
                )
            for attr in kinds:
                getattr(self, attr).append(listener)

    def remove_listeners(self, *listeners: Any) -> None:
        for listener in listeners:
            for _, attr in self._KINDS:
                bucket = getattr(self, attr)
                if listener in bucket:
                    bucket.remove(listener)

    def add_room_listener(self, room_listener: Any) -> None:
        self.room_listeners.append(room_listener)

    def remove_room_listener(self, room_listener: Any) -> None:
        self.room_listeners.remove(room_listener)

    def add_im_listener(self, im_listener: Any) -> None:
        self.im_listeners.append(im_listener)

    def remove_im_listener(self, im_listener: Any) -> None:
        self.im_listeners.remove(im_listener)

    def add_connection_listener(self, connection_listener: Any) -> None:
        self.connection_listeners.append(connection_listener)

    def remove_connection_listener(self, connection_listener: Any) -> None:
        self.connection_listeners.remove(connection_listener)

    def add_elements_listener(self, elements_listener: Any) -> None:
        self.elements_listeners.append(elements_listener)

    def remove_elements_listener(self, elements_listener: Any) -> None:
        self.elements_listeners.remove(elements_listener)

    def add_wall_post_listener(self, wall_post_listener: Any) -> None:
        self.wall_post_listeners.append(wall_post_listener)

    def remove_wall_post_listener(self, wall_post_listener: Any) -> None:
        self.wall_post_listeners.remove(wall_post_listener)

    def add_suppression_listener(self, suppression_listener: Any) -> None:
        self.suppression_listeners.append(suppression_listener)

    def remove_suppression_listener(self, suppression_listener: Any) -> None:
        self.suppression_listeners.remove(suppression_listener)

    # ------------------------------------------------------------------ routing
    def listener_calls(self, event: dict[str, Any]) -> list[ListenerCall]:
        """The (listener method, argument) pairs an event goes to, in registration order."""
        payload = event.get("payload") or {}
        event_type = str(event.get("type"))
        if event_type == "MESSAGESENT":
            message = (payload.get("messageSent") or {}).get("message") or {}
            stream_type = str((message.get("stream") or {}).get("streamType"))
            if stream_type == "ROOM":
                return self._calls(self.room_listeners, "on_room_msg", message)
            if stream_type == "POST":
                return self._calls(self.wall_post_listeners, "on_wall_post_msg", message)
            return self._calls(self.im_listeners, "on_im_message", message)
        route = _ROUTES.get(event_type)
        if route is None:
            log.warning("skipping event %s of unrecognised type %s", event.get("id"), event_type)
            return []
        attr, method, key = route
        return self._calls(getattr(self, attr), method, event if key is None else payload.get(key) or {})

    @staticmethod
    def _calls(listeners: list[Any], method: str, argument: Any) -> list[ListenerCall]:
        calls = []
        for listener in listeners:
            bound = getattr(listener, method, None)
            if method == "on_im_message":
                # The legacy README's async sample names this callback ``on_im_msg``.
                alias = getattr(listener, "on_im_msg", None)
                if alias is not None and getattr(type(listener), "on_im_message", None) in _NO_OP_IM_METHODS:
                    bound = alias
            if bound is not None:
                calls.append((bound, argument))
        return calls

    def handle_events(self, events: list[dict[str, Any]]) -> None:
        """Route a batch of event dicts (null events and the bot's own events are skipped)."""
        for event in events:
            if not event:
                continue
            initiator = ((event.get("initiator") or {}).get("user") or {}).get("userId")
            if self.gate.bot_user_id is not None and initiator == self.gate.bot_user_id:
                continue
            self.handle_event(event)

    def handle_event(self, payload: dict[str, Any]) -> None:
        """Route one event dict to its listeners, synchronously."""
        started = _utcnow()
        for method, argument in self.listener_calls(payload):
            self._run_sync(method, argument, payload)
        self._trace(payload, started)

    def _run_sync(self, method: Callable[[Any], Any], argument: Any, event: dict[str, Any]) -> None:
        try:
            result = method(argument)
            if inspect.isawaitable(result):  # an async listener under the sync service
                asyncio.run(_await(result))
        except Exception as exc:
            self._listener_failed(exc, event, method)

    def _listener_failed(self, exc: BaseException, event: dict[str, Any], method: Any) -> Any:
        self.stats.add(handler_errors=1)
        log.error(
            "listener %s failed for event %s (type %s, stream %s): %s: %s",
            getattr(method, "__qualname__", method),
            event.get("id"),
            event.get("type"),
            _stream_of(event),
            type(exc).__name__,
            exc,
            exc_info=(type(exc), exc, exc.__traceback__),
        )
        if self.exception_handler is None:
            return None
        try:
            return self.exception_handler(exc)
        except Exception as hook_exc:
            log.error("exception_handler failed: %s", hook_exc, exc_info=hook_exc)
            return None

    def _trace(self, event: dict[str, Any], started: datetime) -> None:
        if not self.trace_enabled:
            return
        finished = _utcnow()
        trace = EventTrace(
            str(event.get("messageId") or event.get("id")),
            make_datetime(event.get("timestamp")),
            started,
            finished,
            finished,
        )
        log.debug("event %s handled in %s", trace.message_id, finished - started)
        if self.trace_recorder is not None:
            self.trace_recorder.append(trace)

    # ------------------------------------------------------------------ legacy handler names
    def msg_sent_handler(self, payload: dict[str, Any]) -> None:
        self.handle_event(payload)

    def instant_msg_handler(self, payload: dict[str, Any]) -> None:
        self.handle_event(payload)

    room_created_handler = room_updated_handler = room_deactivated_handler = instant_msg_handler
    room_reactivated_handler = user_joined_room_handler = user_left_room_handler = instant_msg_handler
    promoted_to_owner = demoted_from_owner = connection_accepted_handler = instant_msg_handler
    connection_requested_handler = elements_action_handler = shared_post_handler = instant_msg_handler
    suppressed_message_handler = instant_msg_handler

    # ------------------------------------------------------------------ legacy backoff helpers
    def get_and_increase_timeout(self, previous_exc: BaseException | None = None) -> float:
        """The next legacy-style backoff step; capped, never raises (the feed never gives up)."""
        original = self.current_timeout_sec
        self.current_timeout_sec = min(original * self.timeout_multiplier, self.upper_threshold)
        return max(self.lower_threshold, original)

    def decrease_timeout(self) -> float:
        self.current_timeout_sec = self.baseline_timeout_sec
        return self.current_timeout_sec


async def _await(awaitable: Any) -> Any:
    return await awaitable


def _no_op_im_methods() -> set[Any]:
    from ..listeners.im_listener import AsyncIMListener

    return {IMListener.on_im_message, AsyncIMListener.on_im_message, None}


_NO_OP_IM_METHODS = _no_op_im_methods()

# type -> (listener list attribute, listener method, payload key or None for the whole event)
_ROUTES: dict[str, tuple[str, str, str | None]] = {
    "MESSAGESUPPRESSED": ("suppression_listeners", "on_message_suppression", "messageSuppressed"),
    "INSTANTMESSAGECREATED": ("im_listeners", "on_im_created", "instantMessageCreated"),
    "ROOMCREATED": ("room_listeners", "on_room_created", "roomCreated"),
    "ROOMUPDATED": ("room_listeners", "on_room_updated", "roomUpdated"),
    "ROOMDEACTIVATED": ("room_listeners", "on_room_deactivated", "roomDeactivated"),
    "ROOMREACTIVATED": ("room_listeners", "on_room_reactivated", "roomReactivated"),
    "USERJOINEDROOM": ("room_listeners", "on_user_joined_room", "userJoinedRoom"),
    "USERLEFTROOM": ("room_listeners", "on_user_left_room", "userLeftRoom"),
    "ROOMMEMBERPROMOTEDTOOWNER": (
        "room_listeners",
        "on_room_member_promoted_to_owner",
        "roomMemberPromotedToOwner",
    ),
    "ROOMMEMBERDEMOTEDFROMOWNER": (
        "room_listeners",
        "on_room_member_demoted_from_owner",
        "roomMemberDemotedFromOwner",
    ),
    "CONNECTIONACCEPTED": ("connection_listeners", "on_connection_accepted", "connectionAccepted"),
    "CONNECTIONREQUESTED": ("connection_listeners", "on_connection_requested", "connectionRequested"),
    "SYMPHONYELEMENTSACTION": ("elements_listeners", "on_elements_action", None),
    "SHAREDPOST": ("wall_post_listeners", "on_shared_post", "sharedPost"),
}


def _stream_of(event: dict[str, Any]) -> str | None:
    for part in (event.get("payload") or {}).values():
        if isinstance(part, dict):
            holder = part.get("message") if isinstance(part.get("message"), dict) else part
            stream = holder.get("stream") if isinstance(holder, dict) else None
            if isinstance(stream, dict):
                return stream.get("streamId")
    return None
