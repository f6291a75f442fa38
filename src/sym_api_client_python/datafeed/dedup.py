"""Duplicate-delivery filter: a bounded window of recently dispatched event ids."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import TypeVar

DEFAULT_DEDUP_WINDOW = 10_000

T = TypeVar("T")


class DedupWindow:
    """Remembers at least the last ``size`` event ids (at most ``2 * size`` plus one batch). Thread-safe.

    At-least-once delivery (an unacked v2 batch comes back, a read retried after a dropped
    connection may return events the server already handed out) means the same event id can
    arrive twice; handlers should see it once. The window is bounded so memory stays flat on a
    long-running bot.

    Two generations of plain sets rather than an exact LRU: ids go into the current generation,
    which becomes the previous one once it holds ``size`` ids (the old previous one is dropped).
    An id seen again moves into the current generation, so a refreshed id lives on like in an
    LRU. A batch of first deliveries (nearly every batch) is then a few set operations done in C;
    an ``OrderedDict`` LRU cost a Python-level insert and eviction per event (0.7-0.8 us per event
    against 0.3 us for the sets, measured on 500-event batches).
    """

    def __init__(self, size: int = DEFAULT_DEDUP_WINDOW) -> None:
        if size < 1:
            raise ValueError(f"dedup window size must be >= 1, got {size}")
        self.size = size
        self._current: set[str] = set()
        self._previous: set[str] = set()
        self._lock = threading.Lock()

    def seen_before(self, event_id: str | None) -> bool:
        """True when ``event_id`` was already admitted; otherwise records it and returns False.
        Events without an id are always admitted."""
        if not event_id:
            return False
        with self._lock:
            return self._seen_locked(event_id)

    def split_seen(self, items: Iterable[T], key: Callable[[T], str | None]) -> tuple[list[T], list[T]]:
        """``items`` split into (first deliveries, repeats), in order, as :meth:`seen_before`
        item by item would, under one lock acquisition for the whole batch."""
        items = list(items)
        keys = list(map(key, items))
        distinct = set(keys)
        with self._lock:
            current, previous = self._current, self._previous
            if (
                len(distinct) == len(keys)  # no repeat inside the batch
                and current.isdisjoint(distinct)
                and previous.isdisjoint(distinct)
                and None not in distinct
                and "" not in distinct
            ):
                current |= distinct  # type: ignore[arg-type]  # None was ruled out just above
                self._rotate_if_full()
                return items, []
            fresh: list[T] = []
            repeats: list[T] = []
            seen = self._seen_locked
            for item, event_id in zip(items, keys, strict=True):
                (repeats if event_id and seen(event_id) else fresh).append(item)
        return fresh, repeats

    def _seen_locked(self, event_id: str) -> bool:
        current = self._current
        if event_id in current:
            return True
        known = event_id in self._previous
        current.add(event_id)  # a repeat is refreshed into the current generation
        self._rotate_if_full()
        return known

    def _rotate_if_full(self) -> None:
        if len(self._current) >= self.size:
            self._previous = self._current
            self._current = set()

    def __len__(self) -> int:
        """How many distinct ids are remembered."""
        with self._lock:
            return len(self._current) + len(self._previous - self._current)
