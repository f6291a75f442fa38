"""Helpers shared by the peer scripts. Standard library only: these run in the peer virtualenvs."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def rss_mb() -> float:
    """Current resident set size in MB (10^6 bytes)."""
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024 / 1e6
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def emit(event: str, **fields: Any) -> None:
    """One JSON line on stdout: how scripts talk to the harness."""
    sys.stdout.write(json.dumps({"event": event, **fields}) + "\n")
    sys.stdout.flush()


def wait_for(command: str) -> None:
    """Block until the harness writes ``command`` on stdin."""
    for line in sys.stdin:
        if line.strip() == command:
            return
    raise SystemExit(f"stdin closed before {command!r}")


def legacy_truststore_env(config_path: str) -> None:
    """Let the legacy SDK's ``truststorePath`` take effect.

    The legacy SDK sets ``session.verify = truststorePath`` on its requests sessions, but requests
    prefers ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` from the environment over a session's verify
    (a long-standing requests quirk), and many machines (this one included) export them. Point them
    at the truststore, as the legacy README's users effectively had.
    """
    import os

    config = json.loads(Path(config_path).read_text(encoding="utf-8"))
    truststore = config.get("truststorePath")
    if truststore:
        os.environ["REQUESTS_CA_BUNDLE"] = truststore
        os.environ["CURL_CA_BUNDLE"] = truststore


BATCH = 100
TEMPLATE = {
    "type": "MESSAGESENT",
    "initiator": {"user": {"userId": 349026222344902, "displayName": "Reed Feldman", "username": "reed"}},
}


def batch_bytes(first_index: int, streams: int) -> bytes:
    """One v2 read body of BATCH distinct events spread round-robin over ``streams`` streams."""
    events = []
    for index in range(first_index, first_index + BATCH):
        stream = f"stream{index % streams:06d}"
        message = {
            "messageId": f"@@m{index}",
            "timestamp": 1566929352601 + index,
            "message": '<div data-format="PresentationML" data-version="2.0"><p>hello world /joke</p></div>',
            "data": "{}",
            "user": TEMPLATE["initiator"]["user"],
            "stream": {"streamId": stream, "streamType": "ROOM"},
        }
        events.append(
            {
                "id": f"@@e{index}",
                "messageId": f"@@m{index}",
                "timestamp": message["timestamp"],
                **TEMPLATE,
                "payload": {"messageSent": {"message": message}},
            }
        )
    return json.dumps({"events": events, "ackId": f"@@ack{first_index}"}).encode()


class BatchRun:
    """The measuring loop of the in-process dispatch scripts (``ours_dispatch.py``,
    ``ours_async_dispatch.py``): :meth:`bodies` yields ``total // BATCH`` v2 read bodies from a ring
    of pre-built ones, "@@" replaced by the batch number so every event id is new (the dedup window
    then behaves as on a real feed) at the cost of one bytes.replace per batch; RSS is sampled
    ``samples`` times evenly, each time once a batch was handled (the first after the first batch,
    once warm). :meth:`report` prints {"events_per_s", "cpu_us_per_event", "rss_mb": [...],
    "events_at_sample": [...], "dispatched"}."""

    def __init__(self, total: int, streams: int, samples: int) -> None:
        self.batches = max(1, total // BATCH)
        self.sample_every = max(1, self.batches // max(1, samples))
        self.ring = [batch_bytes(i * BATCH, streams) for i in range(8)]
        self.rss: list[float] = []
        self.at: list[int] = []
        self.elapsed = self.cpu = 0.0

    def bodies(self) -> Iterator[bytes]:
        started, cpu_started = time.perf_counter(), time.process_time()
        for number in range(self.batches):
            yield self.ring[number % len(self.ring)].replace(b"@@", f"b{number}-".encode())
            if number % self.sample_every == 0 or number == self.batches - 1:
                self.rss.append(rss_mb())
                self.at.append((number + 1) * BATCH)
        self.elapsed, self.cpu = time.perf_counter() - started, time.process_time() - cpu_started

    def report(self, handled: int) -> None:
        result = {
            "events_per_s": handled / self.elapsed,
            "cpu_us_per_event": self.cpu / max(1, handled) * 1e6,
            "rss_mb": self.rss,
            "events_at_sample": self.at,
            "dispatched": handled,
        }
        print(json.dumps(result))
