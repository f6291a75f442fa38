"""Scale-out: three readers of one bot (separate clients and logins, as separate processes would
be) started together share one v2 feed; every event is handled once, by one of them."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from tests.e2e.test_datafeed_events import wait_until

from sym_api_client_python.bot import Bot
from sym_api_client_python.client import SyncApiClient
from sym_api_client_python.core.http import Component, Request

READERS = 3
SENDERS = ("ann", "ben", "cat", "dan")
PER_SENDER = 15


def test_three_readers_share_one_feed_without_loss_or_double_handling(
    pod: Any, bot_config_file: Path
) -> None:
    lock = threading.Lock()
    handled: Counter[str] = Counter()
    by_reader: Counter[int] = Counter()
    bots = [Bot(bot_config_file, max_backoff=0.5) for _ in range(READERS)]
    for index, bot in enumerate(bots):

        @bot.on_message()
        def handle(ctx: Any, _index: int = index) -> None:
            time.sleep(0.005)  # a little work, so batches interleave between readers
            with lock:
                handled[ctx.text] += 1
                by_reader[_index] += 1

    threads = [threading.Thread(target=bot.run, daemon=True) for bot in bots]
    for thread in threads:  # started together: they must still converge on one feed
        thread.start()
    try:
        wait_until(lambda: all(bot.feed_id for bot in bots), what="every reader's feed")
        wait_until(lambda: len({bot.feed_id for bot in bots}) == 1, what="one shared feed")
        streams = {}
        for sender in SENDERS:
            pod.create_user(sender, sender.capitalize())
            streams[sender] = pod.send_message(sender, f"{sender}-x", to=pod.bot["userId"])["stream"][
                "streamId"
            ]
        for k in range(PER_SENDER):
            for sender in SENDERS:
                pod.send_message(sender, f"{sender}-{k}", stream_id=streams[sender])
        total = len(SENDERS) * (PER_SENDER + 1)
        wait_until(lambda: sum(handled.values()) >= total, timeout=30, what=f"{total} messages")
        time.sleep(0.5)  # a duplicate would arrive here
    finally:
        for bot in bots:
            bot.stop()
        for thread in threads:
            thread.join(10)
    assert sum(handled.values()) == total and set(handled.values()) == {1}, "lost or double-handled events"
    assert sum(1 for count in by_reader.values() if count) >= 2, f"work was not shared: {dict(by_reader)}"
    with SyncApiClient.from_config(bot_config_file) as client:
        feeds = client.request(Request("GET", Component.AGENT, "/agent/v5/datafeeds")).json()
    assert [feed["id"] for feed in feeds] == [bots[0].feed_id]
    print(f"{READERS} readers, {total} events: handled per reader {dict(by_reader)}")
