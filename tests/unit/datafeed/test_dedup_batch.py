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
    assert len(window) == len(reference) == 4


def test_split_seen_refreshes_repeats_and_forgets_old_ids():
    window = DedupWindow(2)
    window.split_seen(["a", "b"], _key)
    assert window.split_seen(["a"], _key) == ([], ["a"])  # refreshes a
    assert window.split_seen(["c", "d"], _key) == (["c", "d"], [])
    assert window.split_seen(["e", "f"], _key) == (["e", "f"], [])
    # b was not seen for six ids: forgotten; a was refreshed after it but is gone by now too
    assert window.split_seen(["b", "f", "a"], _key) == (["b", "a"], ["f"])


def test_split_seen_batch_of_first_deliveries_records_every_id():
    window = DedupWindow(1_000)
    batch = [f"e{i}" for i in range(500)]
    assert window.split_seen(batch, _key) == (batch, [])
    assert window.split_seen(batch[::-1], _key) == ([], batch[::-1])
    assert window.split_seen([None, "", "x"], _key) == ([None, "", "x"], [])  # no id: always admitted


def test_split_seen_bound_across_many_batches():
    window = DedupWindow(1_000)
    for start in range(0, 20_000, 500):
        fresh, repeats = window.split_seen([f"e{i}" for i in range(start, start + 500)], _key)
        assert len(fresh) == 500 and not repeats
        assert len(window) <= 2_500
    fresh, repeats = window.split_seen([f"e{i}" for i in range(19_000, 20_000)], _key)
    assert fresh == [] and len(repeats) == 1_000  # the last 1,000 ids are known
    assert window.split_seen(["e0"], _key) == (["e0"], [])


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
