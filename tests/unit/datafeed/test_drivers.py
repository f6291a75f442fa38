"""Sync and async drivers against a scripted requester: faults, stop, ack after handlers."""

from __future__ import annotations

import asyncio
import json
import threading

from sym_api_client_python.core.errors import AuthError, DatafeedNotFoundError, ServerError, TransportError
from sym_api_client_python.datafeed import (
    AsyncDatafeedRunner,
    AsyncDispatcher,
    DatafeedSettings,
    OnDiskDatafeedIdRepository,
    SyncDatafeedRunner,
    SyncDispatcher,
)

from .helpers import AsyncScripted, ScriptedRequester, event, ok

FAST = {"initial_backoff": 0.01, "max_backoff": 0.05}


def make_sync(requester, handler, **settings):
    s = DatafeedSettings(**{**FAST, **settings})
    return SyncDatafeedRunner(
        requester, s.machine(), SyncDispatcher(handler), id_repository=s.id_repository()
    )


def test_sync_runner_survives_faults_and_acks_only_after_handlers(tmp_path):
    requester = ScriptedRequester()
    handled: list[str] = []
    acks_seen_during_handling: list[list[str]] = []

    def handler(ev):
        acks_seen_during_handling.append([r.json["ackId"] for r in requester.reads()])
        handled.append(ev.id)
        if ev.id == "e3":
            runner.stop()

    requester.push(
        "read",
        ServerError(503, "down"),
        TransportError("connection reset"),
        ok({"events": [event("e1"), event("e2")], "ackId": "A1"}),
        AuthError(401, "expired"),
        DatafeedNotFoundError(400, "Could not find a datafeed with the id"),
        ok({"events": [event("e2"), event("e3")], "ackId": "B1"}),  # e2 redelivered
    )
    runner = make_sync(requester, handler)
    thread = threading.Thread(target=runner.run)
    thread.start()
    thread.join(5)
    assert not thread.is_alive()
    assert handled == ["e1", "e2", "e3"]
    reads = [r.json["ackId"] for r in requester.reads()]
    # the ack A1 was sent only after e1 and e2 were handled; the new feed started with an empty ack
    assert "A1" not in acks_seen_during_handling[1]
    assert reads[:6] == ["", "", "", "A1", "A1", ""]
    assert reads[-1] == "B1" and requester.reads()[-1].timeout <= 5  # the final ack at stop
    assert requester.authenticated == 1
    assert runner.dispatcher.stats.duplicates_skipped == 1


def test_sync_stop_interrupts_a_long_poll_and_backoff():
    requester = ScriptedRequester()
    release = threading.Event()
    requester.push("read", lambda r: (release.wait(5), ok({"events": [], "ackId": "x"}))[1])
    runner = make_sync(requester, lambda ev: None)
    thread = threading.Thread(target=runner.run)
    thread.start()
    while not requester.reads():
        threading.Event().wait(0.01)
    runner.stop()
    thread.join(1)
    assert not thread.is_alive()
    # the abandoned poll must not hold the interpreter at exit: its thread is a daemon
    readers = [t for t in threading.enumerate() if t.name == "symphony-datafeed-read"]
    assert readers and all(t.daemon for t in readers)
    release.set()


def test_v1_stores_and_reuses_the_feed_id(tmp_path):
    requester = ScriptedRequester()
    requester.defaults["create"] = lambda r: ok({"id": "V1FEED"})
    runner = None

    def handler(ev):
        runner.stop()

    requester.push("read", ok([event("e1")]))
    runner = make_sync(requester, handler, version="v1", id_folder=str(tmp_path), agent_url="https://agent")
    runner.run()
    assert (tmp_path / "datafeed.id").read_text() == "V1FEED@https://agent"
    assert OnDiskDatafeedIdRepository(tmp_path, "https://agent").read() == "V1FEED"
    assert OnDiskDatafeedIdRepository(tmp_path, "https://other").read() is None
    assert requester.reads()[0].path == "/agent/v4/datafeed/V1FEED/read"


async def test_async_runner_faults_ack_and_stop():
    requester = ScriptedRequester()
    handled: list[str] = []
    s = DatafeedSettings(**FAST)

    async def handler(ev):
        await asyncio.sleep(0)
        handled.append(ev.id)
        if ev.id == "e2":
            runner.stop()

    requester.push(
        "read",
        ServerError(502, "bad gateway"),
        ok({"events": [event("e1")], "ackId": "A"}),
        AuthError(401, "expired"),
        ok({"events": [event("e2", "other")], "ackId": "B"}),
    )
    runner = AsyncDatafeedRunner(AsyncScripted(requester), s.machine(), AsyncDispatcher(handler))
    await asyncio.wait_for(runner.run(), 5)
    assert handled == ["e1", "e2"]
    assert [r.json["ackId"] for r in requester.reads()] == ["", "", "A", "A", "B"]


def test_settings_from_legacy_dict_and_overrides():
    s = DatafeedSettings.from_config(
        {
            "datafeedVersion": "V1",
            "reuseDatafeedID": "false",
            "datafeedEventsErrorTimeout": 30,
            "datafeedEventsErrorMaxTimeout": 10,
        }
    )
    assert s.version == "v1" and s.reuse_feed_id is False and s.max_backoff == 10 and s.initial_backoff == 0.5
    assert DatafeedSettings.from_config({}, max_backoff=0.2).initial_backoff == 0.2
    assert json.dumps(DatafeedSettings().version) == '"v2"'


async def test_async_runner_frees_a_batch_while_the_next_read_is_in_flight():
    """The decoded batch is released once the next read has left, not when its answer arrives
    (freeing 500 events is ~0.2 ms the server's work can hide); events a handler kept stay whole."""
    requester = ScriptedRequester()
    requester.push(
        "read",
        ok({"events": [event("e1"), event("e2")], "ackId": "A"}),
        ok({"events": [event("e3")], "ackId": "B"}),
    )
    batches: list[list] = []
    batch_sizes_during_read: list[int] = []

    class SlowReads(AsyncScripted):
        async def request(self, request):
            if request.path.endswith("/read") and batches:
                await asyncio.sleep(0.05)
                batch_sizes_during_read.append(len(batches[-1]))
            return await super().request(request)

    kept = []

    async def handler(ev):
        kept.append(ev)
        if ev.id == "e3":
            runner.stop()

    dispatcher = AsyncDispatcher(handler)
    dispatch = dispatcher.dispatch

    async def recording_dispatch(events):
        batches.append(events)
        await dispatch(events)

    dispatcher.dispatch = recording_dispatch  # type: ignore[method-assign]
    runner = AsyncDatafeedRunner(SlowReads(requester), DatafeedSettings(**FAST).machine(), dispatcher)
    await asyncio.wait_for(runner.run(), 5)
    assert batch_sizes_during_read[0] == 0
    assert [(ev.id, ev.type) for ev in kept] == [
        ("e1", "MESSAGESENT"),
        ("e2", "MESSAGESENT"),
        ("e3", "MESSAGESENT"),
    ]


def _count_collections(monkeypatch, requester):
    """gc.collect calls, each noted with how many reads had been sent by then."""
    from sym_api_client_python.datafeed import _runner

    collected: list[int] = []
    monkeypatch.setattr(_runner.gc, "collect", lambda *a: collected.append(len(requester.reads())) or 0)
    return collected


async def test_async_runner_collects_garbage_once_before_its_first_read(monkeypatch):
    requester = ScriptedRequester()
    collected = _count_collections(monkeypatch, requester)

    async def handler(ev):
        if ev.id == "e3":
            runner.stop()

    requester.push(
        "read",
        ok({"events": [event("e1")], "ackId": "A"}),
        ServerError(503, "down"),
        ok({"events": [event("e2"), event("e3")], "ackId": "B"}),
    )
    runner = AsyncDatafeedRunner(
        AsyncScripted(requester), DatafeedSettings(**FAST).machine(), AsyncDispatcher(handler)
    )
    await asyncio.wait_for(runner.run(), 5)
    assert collected == [0]  # before the first read, never again


def test_sync_runner_collects_garbage_once_before_its_first_read(monkeypatch):
    requester = ScriptedRequester()
    collected = _count_collections(monkeypatch, requester)

    def handler(ev):
        if ev.id == "e2":
            runner.stop()

    requester.push(
        "read",
        ok({"events": [event("e1")], "ackId": "A"}),
        ok({"events": [event("e2")], "ackId": "B"}),
    )
    runner = make_sync(requester, handler)
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    thread.join(5)
    assert not thread.is_alive()
    assert collected == [0]
