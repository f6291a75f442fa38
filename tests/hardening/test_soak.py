"""Soak: a bot under mixed traffic with faults injected every few seconds loses and repeats nothing.

An :class:`AsyncBot` reads a v2 datafeed from an emulator running in its own process (so the RSS
measured here is the bot's). For ``SYM_SOAK_SECONDS`` (default 60; ``python -m benchmarks --soak
1800`` runs 30 minutes) users post messages into several IMs and a room and submit forms, while the
datafeed is hit by 503 bursts, dropped connections, slow reads and session expiry. Afterwards every
message and every form submission must have reached the handler exactly once, and RSS must not
have grown beyond a bound after warm-up. Loopback only; every loop is bounded in time.

Set ``SYM_SOAK_REPORT=path.json`` to keep the figures (docs/reliability.md quotes them).
"""

from __future__ import annotations

import asyncio
import collections
import json
import os
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest

SOAK_SECONDS = float(os.environ.get("SYM_SOAK_SECONDS", "60"))
RSS_GROWTH_LIMIT_MB = 25.0
FORM_MESSAGE = (
    '<messageML><form id="soak-form"><text-field name="n"/><button name="go">Go</button></form></messageML>'
)
READ_PATH = r"^/agent/v5/datafeeds/[^/]+/read$"
FAULTS: list[tuple[str, dict[str, Any]]] = [
    ("503 burst on read", {"path": READ_PATH, "status": 503, "times": 3}),
    ("dropped read", {"path": READ_PATH, "drop": True, "times": 1}),
    ("session expiry", {}),
    ("slow read", {"path": READ_PATH, "delay_ms": 1500, "times": 1}),
    (
        "503 on sessioninfo + feed list",
        {"path": r"^/(pod/v2/sessioninfo|agent/v5/datafeeds)$", "status": 503, "times": 2},
    ),
    ("500 then dropped read", {"path": READ_PATH, "status": 500, "times": 1}),
]


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024 / 1e6
    return 0.0


SEQUENCE = re.compile(r"soak (\d+)")


class Tally:
    """Deliveries per message/form number, one byte each: the test's own bookkeeping must not grow
    enough to hide (or fake) growth of the bot's memory over a 30-minute run."""

    def __init__(self) -> None:
        self.counts = {"message": bytearray(), "form": bytearray()}

    def add(self, kind: str, number: int) -> None:
        counts = self.counts[kind]
        if number >= len(counts):
            counts.extend(bytes(number + 1024 - len(counts)))
        counts[number] = min(255, counts[number] + 1)

    def count(self, kind: str, number: int) -> int:
        counts = self.counts[kind]
        return counts[number] if number < len(counts) else 0


def _delivery(event: Any) -> tuple[str, int] | None:
    """Which message ("soak N") or form submission (n=N) an event delivers."""
    payload = event.payload
    if payload is None:
        return None
    if event.type == "MESSAGESENT" and payload.message_sent and payload.message_sent.message:
        match = SEQUENCE.search(payload.message_sent.message.message or "")
        return ("message", int(match.group(1))) if match else None
    if event.type == "SYMPHONYELEMENTSACTION" and payload.symphony_elements_action:
        values = payload.symphony_elements_action.form_values or {}
        number = str(values.get("n", ""))
        return ("form", int(number)) if number.isdigit() else None
    return None


class Traffic(threading.Thread):
    """Users talking to the bot until ``deadline``; faults injected every ``fault_every`` seconds."""

    def __init__(
        self, pod: Any, streams: list[tuple[str, str]], form: tuple[str, str], deadline: float
    ) -> None:
        super().__init__(daemon=True)
        self.pod, self.streams, self.form, self.deadline = pod, streams, form, deadline
        self.sent = 0  # messages "soak 0" .. "soak sent-1"; a form for every number divisible by 7
        self.faults_injected: collections.Counter[str] = collections.Counter()
        self.errors: list[BaseException] = []

    def run(self) -> None:
        try:
            self._run()
        except BaseException as exc:  # reported by the test
            self.errors.append(exc)

    def _run(self) -> None:
        sent = 0
        next_fault = time.monotonic() + 2.0
        fault_index = 0
        while time.monotonic() < self.deadline:
            sender, stream_id = self.streams[sent % len(self.streams)]
            self.pod.send_message(sender, f"<messageML>soak {sent}</messageML>", stream_id=stream_id)
            if sent % 7 == 0:
                form_message_id, user = self.form
                self.pod.submit_form(user, form_message_id, "soak-form", {"n": str(sent), "action": "go"})
            sent += 1
            self.sent = sent
            if time.monotonic() >= next_fault:
                name, rule = FAULTS[fault_index % len(FAULTS)]
                if rule:
                    self.pod.add_fault(**rule)
                else:
                    self.pod.expire_sessions()
                self.faults_injected[name] += 1
                fault_index += 1
                next_fault = time.monotonic() + 3.0
            time.sleep(0.02)  # ~40 messages/s: a busy bot, not a load test
        self.pod.clear_faults()


def _expected(traffic: Traffic) -> list[tuple[str, int]]:
    return [("message", n) for n in range(traffic.sent)] + [("form", n) for n in range(0, traffic.sent, 7)]


def _missing(traffic: Traffic, tally: Tally) -> bool:
    return any(tally.count(*key) == 0 for key in _expected(traffic))


@pytest.mark.timeout(int(SOAK_SECONDS) + 240)
async def test_soak_no_event_lost_or_duplicated(tmp_path: Path) -> None:
    from sym_api_client_python.bot import AsyncBot
    from sym_api_client_python.core.http import Component, Request
    from sympod import Emulator

    pod = Emulator(workdir=tmp_path / "pod", mode="subprocess", long_poll=1.0, ack_timeout=5.0)
    pod.start()
    bot = AsyncBot(str(pod.bot_config_path))
    tally = Tally()

    @bot.on_event("*")
    async def record(ctx: Any) -> None:
        delivery = _delivery(ctx.event)
        if delivery is not None:
            tally.add(*delivery)

    try:
        users = [pod.create_user(f"user{i}", display_name=f"User {i}")["username"] for i in range(4)]
        streams = [
            (
                u,
                pod.send_message(u, "<messageML>hi</messageML>", to=pod.bot["username"])["stream"][
                    "streamId"
                ],
            )
            for u in users
        ]
        room = await bot.client.request(
            Request(
                "POST",
                Component.POD,
                "/pod/v3/room/create",
                json={"name": "soak room", "description": "soak"},
            )
        )
        room_id = room.json()["roomSystemInfo"]["id"]
        for user in users[:2]:
            user_id = pod.get_user(user)["userId"]
            await bot.client.request(
                Request("POST", Component.POD, f"/pod/v1/room/{room_id}/membership/add", json={"id": user_id})
            )
        streams += [(users[0], room_id), (users[1], room_id)]
        form_message = pod.send_message(
            pod.bot["username"],
            FORM_MESSAGE,
            stream_id=room_id,
        )
        running = asyncio.create_task(bot.start())
        await asyncio.sleep(1.5)  # the feed exists before traffic starts: nothing to lose before it
        deadline = time.monotonic() + SOAK_SECONDS
        traffic = Traffic(pod, streams, (form_message["messageId"], users[0]), deadline)
        traffic.start()
        rss_samples: list[tuple[float, float]] = []
        started = time.monotonic()
        while traffic.is_alive():
            rss_samples.append((time.monotonic() - started, _rss_mb()))
            await asyncio.sleep(1.0)
        assert not traffic.errors, f"traffic generator failed: {traffic.errors[0]!r}"
        drain_deadline = time.monotonic() + 60
        while time.monotonic() < drain_deadline and _missing(traffic, tally):
            await asyncio.sleep(0.25)
        await asyncio.sleep(6)  # one more ack timeout: late redeliveries would show as duplicates now
        bot.stop()
        await asyncio.wait_for(running, timeout=30)
    finally:
        bot.stop()
        await bot.aclose()
        pod.stop()

    expected = _expected(traffic)
    lost = [key for key in expected if tally.count(*key) == 0]
    duplicated = {key: tally.count(*key) for key in expected if tally.count(*key) > 1}
    warm = [rss for at, rss in rss_samples if at >= min(10.0, SOAK_SECONDS * 0.2)] or [rss_samples[-1][1]]
    growth = max(warm) - warm[0]
    report = {
        "seconds": SOAK_SECONDS,
        "messages_and_forms": len(expected),
        "delivered": sum(tally.count(*key) for key in expected),
        "lost": len(lost),
        "duplicated": len(duplicated),
        "faults": dict(traffic.faults_injected),
        "rss_mb_after_warmup": round(warm[0], 1),
        "rss_mb_max": round(max(warm), 1),
        "rss_growth_mb": round(growth, 1),
        "bot_stats": bot.stats.as_dict(),
    }
    if os.environ.get("SYM_SOAK_REPORT"):
        Path(os.environ["SYM_SOAK_REPORT"]).write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(json.dumps(report))
    assert sum(traffic.faults_injected.values()) >= min(len(FAULTS), int(SOAK_SECONDS // 3) - 1)
    assert not lost, f"{len(lost)} of {len(expected)} events never reached the handler: {lost[:5]}"
    assert not duplicated, f"events handled more than once: {sorted(duplicated.items())[:5]}"
    assert growth <= RSS_GROWTH_LIMIT_MB, f"RSS grew {growth:.1f} MB after warm-up: {rss_samples}"
