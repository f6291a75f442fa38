"""Property test of the datafeed machine: for any sequence of agent answers and failures it
never gives up, never acks a batch before dispatching it, keeps its feed and ack across transient
errors, and sleeps within its cap."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sym_api_client_python.core.datafeed import (
    CreateFeed,
    DatafeedMachine,
    DeleteFeed,
    Dispatch,
    FetchSessionInfo,
    ListFeeds,
    ReadFeed,
    ReadResult,
    Relogin,
    Sleep,
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

CAP = 4.0
TRANSIENT = [
    ServerError(503, "down"),
    TransportError("reset"),
    RateLimitedError(429, "slow", retry_after=2),
    AuthError(401, "expired"),
    RuntimeError("bug"),
]
GONE = [DatafeedNotFoundError(400, "Could not find a datafeed with the id"), BadRequestError(400, "bad ack")]

outcome = st.one_of(
    st.tuples(st.just("batch"), st.integers(min_value=0, max_value=3)),
    st.tuples(st.just("transient"), st.integers(min_value=0, max_value=len(TRANSIENT) - 1)),
    st.tuples(st.just("gone"), st.integers(min_value=0, max_value=len(GONE) - 1)),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(outcome, min_size=1, max_size=40), st.booleans())
def test_invariants_hold_for_any_sequence(outcomes, fail_side_calls):
    machine = DatafeedMachine("v2", backoff=RetryPolicy(max_attempts=None, initial_delay=0.1, max_delay=CAP))
    flow = machine.run()
    action = next(flow)
    dispatched_acks: set[str] = {""}  # ack ids whose batch was dispatched (or empty)
    batch_counter = 0
    last_ack_given = ""
    feeds = ["F0_f"]
    pending = list(outcomes)
    side_failures = 2 if fail_side_calls else 0
    steps = 0
    while pending and steps < 500:
        steps += 1
        if isinstance(action, ReadFeed):
            # rule 3: a read may only carry the ack of a batch already dispatched
            assert action.ack_id in dispatched_acks, (action, dispatched_acks)
            assert action.feed_id == feeds[-1]
            kind, value = pending.pop(0)
            if kind == "batch":
                batch_counter += 1
                last_ack_given = f"A{batch_counter}"
                events = [
                    decode_event(b'{"id": "e%d_%d", "type": "ROOMCREATED"}' % (batch_counter, i))
                    for i in range(value)
                ]
                action = flow.send(ReadResult(events, last_ack_given))
                if value:
                    assert isinstance(action, Dispatch) and len(action.events) == value
                    dispatched_acks.add(last_ack_given)
                    action = flow.send(None)
                else:
                    dispatched_acks.add(last_ack_given)
            elif kind == "transient":
                ack_before, feed_before = machine.ack_id, machine.feed_id
                action = flow.throw(TRANSIENT[value])
                assert isinstance(action, (Sleep, Relogin))
                if isinstance(action, Sleep):
                    assert 0 < action.seconds <= max(CAP, 2)
                assert (machine.ack_id, machine.feed_id) == (ack_before, feed_before)  # rule 2
            else:
                action = flow.throw(GONE[value])
                assert isinstance(action, ListFeeds)
                dispatched_acks = {""}  # a new feed starts with an empty ack
        elif isinstance(action, FetchSessionInfo):
            action = flow.send({"id": 1})
        elif isinstance(action, ListFeeds):
            if side_failures:
                side_failures -= 1
                action = flow.throw(ServerError(500, "list failed"))
                continue
            action = flow.send([])
        elif isinstance(action, CreateFeed):
            feeds.append(f"F{len(feeds)}_f")
            action = flow.send(feeds[-1])
            if isinstance(action, ListFeeds):
                action = flow.send([{"id": feeds[-1]}])
        elif isinstance(action, DeleteFeed):
            raise AssertionError("a feed must never be deleted here")
        elif isinstance(action, (Sleep, Relogin)):
            action = flow.send(None)
        else:
            raise AssertionError(f"unexpected action {action!r}")
    assert not machine.stopping  # rule 1: nothing but stop() ends the loop
    machine.request_stop()
    for _ in range(5):  # and stop() ends it promptly
        try:
            action = flow.send(None)  # an aborted read, a finished sleep, or the final ack read
        except StopIteration:
            break
    else:
        raise AssertionError("the machine did not stop")
