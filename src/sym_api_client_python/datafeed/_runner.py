"""What the sync and async datafeed runners share: their state and the stepping of the machine.

The runners differ only in how they perform an action (blocking or awaiting); everything that
does no I/O lives here.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Generator
from typing import Any, Generic, TypeVar

from ..core.datafeed import Action, DatafeedMachine
from .allocator import tune_allocator_for_batches
from .id_repository import OnDiskDatafeedIdRepository

RequesterT = TypeVar("RequesterT")
DispatcherT = TypeVar("DispatcherT")


def next_action(
    flow: Generator[Action, Any, None], result: Any, error: BaseException | None
) -> Action | None:
    """The machine's next action, given the outcome of the previous one; None once it is done."""
    try:
        return flow.throw(error) if error is not None else flow.send(result)
    except StopIteration:
        return None


class DatafeedRunnerBase(Generic[RequesterT, DispatcherT]):
    def __init__(
        self,
        requester: RequesterT,
        machine: DatafeedMachine,
        dispatcher: DispatcherT,
        *,
        id_repository: OnDiskDatafeedIdRepository | None,
        read_timeout: float,
        relogin: Callable[[], Any] | None,
        session_info: Callable[[], Any] | None,
        tune_allocator: bool = True,
    ) -> None:
        self.requester = requester
        self.machine = machine
        self.dispatcher = dispatcher
        self.id_repository = id_repository or OnDiskDatafeedIdRepository()
        self.read_timeout = read_timeout
        self._relogin = relogin
        self._session_info = session_info
        self.running = False
        self._heap_settled = False
        self._tune_allocator = tune_allocator

    def _settle_heap_once(self) -> None:
        """One full garbage collection before the first read of the runner's life.

        Start-up (imports, login, the first requests) leaves tens of thousands of objects that
        the cycle collector has not yet examined in full; left alone, its first full collection
        fell among the first batches and held them up (15-20 ms with 40,000 objects, a tenth of
        the time to dispatch 20,000 waiting events). Done here, it runs while no event waits.
        The C allocator is tuned for the batches to come at the same moment (see allocator.py).
        """
        if not self._heap_settled:
            self._heap_settled = True
            if self._tune_allocator:
                tune_allocator_for_batches()
            gc.collect()

    def _start_running(self) -> None:
        if self.running:
            raise RuntimeError("this datafeed is already running")
        self.running = True
