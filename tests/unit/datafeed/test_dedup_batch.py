"""DedupWindow.split_seen: the per-batch form of seen_before (one lock for the whole batch)."""

from __future__ import annotations

import threading

from sym_api_client_python.datafeed import DedupWindow


def _key(item: str | None) -> str | None:
    return item


def test_split_seen_matches_seen_before_item_by_item():
    batch = ["a", None, "b", "a", "c", None, "b", "d"]
    reference = DedupWindow(3)
    expected_fresh = [i for i in batch if not reference.seen_before(i)]
    window = DedupWindow(3)
    fresh, repeats = window.split_seen(batch, _key)
    assert fresh == expected_fresh == ["a", None, "b", "c", None, "d"]
    assert repeats == ["a", "b"]  # a repeat inside one batch is a repeat too
    assert list(window._ids) == list(reference._ids) and len(window) == 3


def test_split_seen_keeps_lru_refresh_and_the_bound():
    window = DedupWindow(2)
    window.split_seen(["a", "b"], _key)
    assert window.split_seen(["a"], _key) == ([], ["a"])  # refreshes a
    assert window.split_seen(["c"], _key) == (["c"], [])  # evicts b, the least recently seen
    assert window.split_seen(["a", "b"], _key) == (["b"], ["a"]) and len(window) == 2


def test_split_seen_from_many_threads_admits_each_id_once():
    window = DedupWindow(100_000)
    admitted: list[str | None] = []
    lock = threading.Lock()
    barrier = threading.Barrier(4)

    def reader(offset: int) -> None:
        barrier.wait()
        for start in range(0, 5_000, 50):  # overlapping batches of ids across the four readers
            ids = [f"e{(start + offset * 17 + i) % 5_000}" for i in range(50)]
            fresh, _ = window.split_seen(ids, _key)
            with lock:
                admitted.extend(fresh)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(str(i) for i in admitted) == sorted(f"e{i}" for i in range(5_000))
