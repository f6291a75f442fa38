"""Sync driver of the datafeed machine: performs its actions with a :class:`SyncRequester`."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, InvalidStateError, wait
from typing import Any

from ..core.datafeed import (
    Action,
    DatafeedMachine,
    Dispatch,
    FetchSessionInfo,
    LoadFeedId,
    ReadFeed,
    Relogin,
    Sleep,
    StoreFeedId,
    build_request,
    parse_response,
)
from ..core.http import SyncRequester
from ._runner import DatafeedRunnerBase, next_action
from .dispatcher import SyncDispatcher
from .id_repository import OnDiskDatafeedIdRepository

logger = logging.getLogger("sym_api_client_python.datafeed")


class SyncDatafeedRunner(DatafeedRunnerBase[SyncRequester, SyncDispatcher]):
    """Runs the datafeed loop on the calling thread until :meth:`stop` (callable from any thread,
    including from a handler). ``run()`` returns after in-flight handlers finished and the last
    batch was acked. A runner runs once: build a new one (cheap) to read again after a stop."""

    def __init__(
        self,
        requester: SyncRequester,
        machine: DatafeedMachine,
        dispatcher: SyncDispatcher,
        *,
        id_repository: OnDiskDatafeedIdRepository | None = None,
        read_timeout: float = 75.0,
        relogin: Callable[[], Any] | None = None,
        session_info: Callable[[], dict[str, Any]] | None = None,
        tune_allocator: bool = True,
    ) -> None:
        super().__init__(
            requester,
            machine,
            dispatcher,
            id_repository=id_repository,
            read_timeout=read_timeout,
            relogin=relogin,
            session_info=session_info,
            tune_allocator=tune_allocator,
        )
        self._stop_event = threading.Event()
        self._stopped: Future[None] = Future()

    def run(self) -> None:
        self._start_running()  # a stop() that came before run() is honoured: the loop ends at once
        flow = self.machine.run()
        result: Any = None
        error: BaseException | None = None
        try:
            while (action := next_action(flow, result, error)) is not None:
                result, error = None, None
                try:
                    result = self._perform(action)
                except Exception as exc:
                    error = exc
        finally:
            self.running = False

    def stop(self) -> None:
        self.machine.request_stop()
        self._stop_event.set()
        if not self._stopped.done():
            with contextlib.suppress(InvalidStateError):  # raced with another stop()
                self._stopped.set_result(None)

    def _perform(self, action: Action) -> Any:
        if isinstance(action, Dispatch):
            self.dispatcher.gate.bot_user_id = self.machine.bot_user_id
            self.dispatcher.dispatch(action.events)
            return None
        if isinstance(action, Sleep):
            self._stop_event.wait(action.seconds)
            return None
        if isinstance(action, ReadFeed):
            return self._read(action)
        if isinstance(action, Relogin):
            relogin = self._relogin or getattr(self.requester, "authenticate", None)
            if relogin is not None:
                relogin()
            return None
        if isinstance(action, LoadFeedId):
            return self.id_repository.read()
        if isinstance(action, StoreFeedId):
            self.id_repository.write(action.feed_id)
            return None
        if isinstance(action, FetchSessionInfo) and self._session_info is not None:
            return self._session_info()
        return self._http(action)

    def _http(self, action: Action) -> Any:
        version = self.machine.version
        response = self.requester.request(
            build_request(action, version=version, read_timeout=self.read_timeout)
        )
        return parse_response(action, response, version=version)

    def _read(self, action: ReadFeed) -> Any:
        self._settle_heap_once()
        if action.final or self.machine.version == "v1":
            # v1 has no ack: a read abandoned on stop would lose its events, so wait for it.
            return self._http(action)
        # The long poll runs on a daemon thread so that stop() can abandon it: a pool worker would
        # keep the interpreter from exiting until the poll ends (up to ~30 s on Symphony).
        pending: Future[Any] = Future()

        def work() -> None:
            try:
                pending.set_result(self._http(action))
            except BaseException as exc:
                pending.set_exception(exc)

        threading.Thread(target=work, name="symphony-datafeed-read", daemon=True).start()
        done, _ = wait([pending, self._stopped], return_when=FIRST_COMPLETED)
        if pending in done:
            return pending.result()
        return None  # stopped mid-poll: what it returns stays unacked and is delivered again


def run_interruptibly(runner: SyncDatafeedRunner, *, reraise_interrupt: bool = False) -> None:
    """Run ``runner`` on a worker thread while the calling thread waits, so that Ctrl-C (which
    only the main thread receives) turns into a graceful :meth:`SyncDatafeedRunner.stop`:
    in-flight handlers finish and the last batch is acked. With ``reraise_interrupt`` the
    ``KeyboardInterrupt`` is raised again afterwards (the legacy service's behaviour)."""
    failure: list[BaseException] = []
    finished = threading.Event()

    def target() -> None:
        try:
            runner.run()
        except BaseException as exc:  # handed to the waiting thread
            failure.append(exc)
        finally:
            finished.set()

    threading.Thread(target=target, name="symphony-datafeed", daemon=True).start()
    interrupted = False
    try:
        # An Event, not Thread.join(): a join interrupted by Ctrl-C can later return while the
        # thread still runs (CPython < 3.13), which would let the process exit mid-handler.
        while not finished.wait(0.2):
            pass
    except KeyboardInterrupt:
        interrupted = True
        logger.info("interrupted: stopping the datafeed (in-flight handlers finish first)")
        runner.stop()
        while not finished.wait(0.2):  # a second Ctrl-C here aborts the graceful stop
            pass
    if failure:
        raise failure[0]
    if interrupted and reraise_interrupt:
        raise KeyboardInterrupt
