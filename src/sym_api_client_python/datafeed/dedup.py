"""Duplicate-delivery filter: a bounded LRU window of recently dispatched event ids."""

from __future__ import annotations

import threading
from collections import OrderedDict

DEFAULT_DEDUP_WINDOW = 10_000


class DedupWindow:
    """Remembers the last ``size`` event ids. Thread-safe.

    At-least-once delivery (an unacked v2 batch comes back, a read retried after a dropped
    connection may return events the server already handed out) means the same event id can
    arrive twice; handlers should see it once. The window is bounded so memory stays flat on a
    long-running bot; an id older than ``size`` events is forgotten.
    """

    def __init__(self, size: int = DEFAULT_DEDUP_WINDOW) -> None:
        if size < 1:
            raise ValueError(f"dedup window size must be >= 1, got {size}")
        self.size = size
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def seen_before(self, event_id: str | None) -> bool:
        """True when ``event_id`` was already admitted; otherwise records it and returns False.
        Events without an id are always admitted."""
        if not event_id:
            return False
        with self._lock:
            if event_id in self._ids:
                self._ids.move_to_end(event_id)
                return True
            self._ids[event_id] = None
            if len(self._ids) > self.size:
                self._ids.popitem(last=False)
            return False

    def __len__(self) -> int:
        return len(self._ids)
