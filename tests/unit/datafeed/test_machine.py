"""The sans-IO datafeed machine, driven by hand: every decision without a network."""

from __future__ import annotations

import random

import pytest

from sym_api_client_python.core.datafeed import (
    CreateFeed,
    DatafeedMachine,
    DeleteFeed,
    Dispatch,
    FetchSessionInfo,
    ListFeeds,
    LoadFeedId,
    ReadFeed,
    ReadResult,
    Relogin,
    Sleep,
    StoreFeedId,
    pick_feed,
)
from sym_api_client_python.core.errors import (
    AuthError,
    BadRequestError,
    DatafeedNotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
)
from sym_api_client_python.core.http import RetryPolicy
from sym_api_client_python.core.models.events import decode_event


def start_v2(machine: DatafeedMachine, feeds: list | None = None):
    flow = machine.run()
    assert isinstance(next(flow), FetchSessionInfo)
    assert isinstance(flow.send({"id": 42}), ListFeeds)
    action = flow.send(feeds or [])
    if not feeds:
        assert isinstance(action, CreateFeed)
        assert isinstance(flow.send("F1_f"), ListFeeds)
        action = flow.send([{"id": "F1_f"}])
    assert isinstance(action, ReadFeed)
    return flow, action


def ev(i: str):
    return decode_event(b'{"id": "%s", "type": "ROOMCREATED"}' % i.encode())


def test_v2_reads_dispatches_then_acks_with_the_next_read():
    machine = DatafeedMachine("v2")
    flow, read = start_v2(machine)
    assert read == ReadFeed("F1_f", "")
    assert machine.bot_user_id == 42
    dispatch = flow.send(ReadResult([ev("e1")], "ack1"))
    assert isinstance(dispatch, Dispatch) and dispatch.events[0].id == "e1"
    # the ack of a batch goes out only after its dispatch returned
    assert flow.send(None) == ReadFeed("F1_f", "ack1")
    assert flow.send(ReadResult([], "ack2")) == ReadFeed("F1_f", "ack2")


def test_v2_reuses_the_first_listed_datafeed():
    machine = DatafeedMachine("v2")
    _, read = start_v2(machine, feeds=[{"id": "hose", "type": "datahose"}, {"id": "X_f"}, {"id": "Y_f"}])
    assert read.feed_id == "X_f"
    assert pick_feed([{"id": "X_f"}, {"id": "Y_f"}], exclude="X_f") == "Y_f"


@pytest.mark.parametrize(
    "error",
    [ServerError(503, "down"), TransportError("reset"), ServerError(500, "boom"), RuntimeError("bug")],
)
def test_transient_errors_back_off_and_retry_the_same_feed_and_ack(error):
    machine = DatafeedMachine(
        "v2", backoff=RetryPolicy(max_attempts=None, initial_delay=1, max_delay=4), rng=random.Random(1)
    )
    flow, _ = start_v2(machine)
    flow.send(ReadResult([ev("e1")], "ack1"))
    flow.send(None)  # dispatch done → read with ack1
    delays = []
    for _ in range(6):
        sleep = flow.throw(error)
        assert isinstance(sleep, Sleep)
        delays.append(sleep.seconds)
        assert flow.send(None) == ReadFeed("F1_f", "ack1")  # never a new feed, never a lost ack
    assert all(0 < d <= 4 for d in delays) and max(delays) > 2  # grows to the cap, never gives up
    assert machine.feeds_created == 1
    flow.send(ReadResult([], "ack2"))
    assert machine.consecutive_failures == 0


def test_rate_limit_honours_retry_after():
    machine = DatafeedMachine("v2", backoff=RetryPolicy(max_attempts=None, initial_delay=0.1, max_delay=60))
    flow, _ = start_v2(machine)
    sleep = flow.throw(RateLimitedError(429, "slow down", retry_after=7))
    assert isinstance(sleep, Sleep) and sleep.seconds >= 7


@pytest.mark.parametrize(
    "error",
    [DatafeedNotFoundError(400, "Could not find a datafeed with the id"), BadRequestError(400, "bad ackId")],
)
def test_v2_feed_gone_opens_a_new_feed_with_an_empty_ack(error):
    machine = DatafeedMachine("v2")
    flow, _ = start_v2(machine)
    flow.send(ReadResult([ev("e1")], "ack1"))
    flow.send(None)
    assert isinstance(flow.throw(error), ListFeeds)
    assert isinstance(flow.send([{"id": "F1_f"}]), CreateFeed)  # the failed id is not reused
    assert isinstance(flow.send("F2_f"), ListFeeds)
    assert flow.send([{"id": "F1_f"}, {"id": "F2_f"}]) == ReadFeed("F2_f", "")


def test_v2_instances_that_created_feeds_together_converge_on_the_oldest():
    machine = DatafeedMachine("v2")
    flow = machine.run()
    next(flow)
    flow.send({"id": 1})
    assert isinstance(flow.send([]), CreateFeed)
    assert isinstance(flow.send("MINE_f"), ListFeeds)
    assert flow.send([{"id": "OLDER_f"}, {"id": "MINE_f"}]) == DeleteFeed("MINE_f")
    assert flow.throw(ServerError(500, "delete failed")) == ReadFeed("OLDER_f", "")  # best effort


def test_unauthorized_relogins_then_retries():
    machine = DatafeedMachine("v2")
    flow, read = start_v2(machine)
    assert isinstance(flow.throw(AuthError(401, "expired")), Relogin)
    assert flow.send(None) == read
    assert machine.relogins == 1
    # a failing relogin backs off, then tries again
    assert isinstance(flow.throw(AuthError(401, "expired")), Relogin)
    assert isinstance(flow.throw(ServerError(503, "login down")), Sleep)
    assert flow.send(None) == read


def test_v1_reuses_the_stored_id_and_recreates_when_it_is_stale():
    machine = DatafeedMachine("v1")
    flow = machine.run()
    next(flow)
    assert isinstance(flow.send({"id": 1}), LoadFeedId)
    assert flow.send("OLD") == ReadFeed("OLD", None)
    assert isinstance(
        flow.throw(DatafeedNotFoundError(400, "Could not find a datafeed with the id")), CreateFeed
    )
    assert flow.send("NEW") == StoreFeedId("NEW")
    assert flow.send(None) == ReadFeed("NEW", None)


def test_v1_without_reuse_creates_and_does_not_store():
    machine = DatafeedMachine("v1", reuse_feed_id=False)
    flow = machine.run()
    next(flow)
    assert isinstance(flow.send({"id": 1}), CreateFeed)
    assert flow.send("N") == ReadFeed("N", None)


def test_stop_sends_the_last_ack_on_a_final_read_and_ends():
    machine = DatafeedMachine("v2")
    flow, _ = start_v2(machine)
    assert isinstance(flow.send(ReadResult([ev("e1")], "ack1")), Dispatch)
    machine.request_stop()
    final = flow.send(None)
    assert final == ReadFeed("F1_f", "ack1", final=True)
    with pytest.raises(StopIteration):
        flow.throw(TransportError("timeout"))  # a failed last ack only means redelivery


def test_stop_during_backoff_ends_the_loop():
    machine = DatafeedMachine("v2")
    flow = machine.run()
    next(flow)
    assert isinstance(flow.throw(ServerError(503, "down")), Sleep)
    machine.request_stop()
    with pytest.raises(StopIteration):
        flow.send(None)


def test_bad_version_is_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="datafeedVersion"):
        DatafeedMachine("v3")
    with pytest.raises(ValueError, match="never give up"):
        DatafeedMachine("v2", backoff=RetryPolicy(max_attempts=3))


def test_stop_after_an_empty_read_needs_no_final_read():
    machine = DatafeedMachine("v2")
    flow, _ = start_v2(machine)
    assert isinstance(flow.send(ReadResult([ev("e1")], "ack1")), Dispatch)
    assert flow.send(None) == ReadFeed("F1_f", "ack1")
    machine.request_stop()
    with pytest.raises(StopIteration):  # that completed read carried ack1 and brought nothing
        flow.send(ReadResult([], "ack2"))


def test_stop_during_an_aborted_read_still_sends_the_ack():
    machine = DatafeedMachine("v2")
    flow, _ = start_v2(machine)
    flow.send(ReadResult([ev("e1")], "ack1"))
    flow.send(None)  # dispatched; the read carrying ack1 is in flight
    machine.request_stop()
    assert flow.send(None) == ReadFeed("F1_f", "ack1", final=True)  # aborted: send it again
