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


def send_traffic(pod: Any) -> int:
    """Each sender opens an IM with the bot, then sends PER_SENDER more messages, interleaved
    with the other senders; returns how many messages the bot must handle."""
    streams = {}
    for sender in SENDERS:
        pod.create_user(sender, sender.capitalize())
        streams[sender] = pod.send_message(sender, f"{sender}-x", to=pod.bot["userId"])["stream"]["streamId"]
    for k in range(PER_SENDER):
        for sender in SENDERS:
            pod.send_message(sender, f"{sender}-{k}", stream_id=streams[sender])
    return len(SENDERS) * (PER_SENDER + 1)


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
        total = send_traffic(pod)
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


READER_SCRIPT = """
import sys, threading, time
from sym_api_client_python.bot import Bot

bot = Bot(sys.argv[1], max_backoff=0.5)
lock = threading.Lock()

@bot.on_message()
def handle(ctx):
    time.sleep(0.005)
    with lock:  # handlers of different streams run in parallel threads: one whole line each
        sys.stdout.write(f"handled {ctx.text}\\n")
        sys.stdout.flush()

def announce():
    while bot.feed_id is None:
        time.sleep(0.02)
    print("ready", bot.feed_id, flush=True)

threading.Thread(target=announce, daemon=True).start()
bot.run()
"""


def test_three_reader_processes_share_the_work(pod: Any, bot_config_file: Path, tmp_path: Path) -> None:
    import os
    import queue
    import signal
    import subprocess
    import sys

    script = tmp_path / "reader.py"
    script.write_text(READER_SCRIPT)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    lines: queue.Queue[tuple[int, str]] = queue.Queue()
    processes = [
        subprocess.Popen(
            [sys.executable, str(script), str(bot_config_file)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        for _ in range(READERS)
    ]

    def pump(index: int, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put((index, line.strip()))

    for index, process in enumerate(processes):
        threading.Thread(target=pump, args=(index, process), daemon=True).start()
    handled: Counter[str] = Counter()
    by_reader: Counter[int] = Counter()
    feeds: set[str] = set()
    try:
        deadline = time.monotonic() + 30
        ready: set[int] = set()
        while len(ready) < READERS:
            index, line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if line.startswith("ready"):
                feeds.add(line.split()[1])
                ready.add(index)
        assert len(feeds) == 1, f"readers did not converge on one feed: {feeds}"
        total = send_traffic(pod)
        while sum(handled.values()) < total:
            try:
                index, line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(
                    f"only {sum(handled.values())} of {total} handled (per reader: {dict(by_reader)})"
                ) from None
            if line.startswith("handled "):
                handled[line[len("handled ") :]] += 1
                by_reader[index] += 1
        time.sleep(0.5)
        while not lines.empty():  # anything handled twice would be here
            index, line = lines.get_nowait()
            if line.startswith("handled "):
                handled[line[len("handled ") :]] += 1
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
    assert sum(handled.values()) == total and set(handled.values()) == {1}, "lost or double-handled events"
    assert sum(1 for count in by_reader.values() if count) >= 2, f"work was not shared: {dict(by_reader)}"
    assert all(process.returncode == 0 for process in processes)
    print(f"{READERS} reader processes, {total} events: handled per reader {dict(by_reader)}")
