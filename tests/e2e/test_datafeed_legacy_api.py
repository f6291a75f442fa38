"""Legacy entry points against the emulator: the README's main_async.py flow and the legacy
datafeed clients (create/list/read/delete, v1 and v2)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from tests.e2e.test_datafeed_events import async_wait_until, config_variant, legacy_bot_client

from sym_api_client_python.listeners.im_listener_test_imp import AsyncIMListenerImp
from sym_api_client_python.listeners.room_listener_test_imp import AsyncRoomListenerImp
from sym_api_client_python.testing.conversation import presentation_text


async def test_readme_main_async_flow(pod: Any, bot_config_file: Path) -> None:
    """main_async.py: async service + async sample listeners gathered with other coroutines."""
    bot_client = await asyncio.to_thread(legacy_bot_client, bot_config_file)
    datafeed_event_service = bot_client.get_async_datafeed_event_service()
    im_listener = AsyncIMListenerImp(bot_client)
    im_listener.wait_seconds = 0.2  # the sample's 5 s pause, shortened
    datafeed_event_service.add_im_listener(im_listener)
    datafeed_event_service.add_room_listener(AsyncRoomListenerImp(bot_client))
    rings: list[str] = []

    async def timed_ringer(period_in_seconds: float, message: str) -> None:
        while not datafeed_event_service.stop:
            await asyncio.sleep(period_in_seconds)
            rings.append(message)

    async def user_side() -> None:
        await async_wait_until(lambda: datafeed_event_service.datafeed_id, what="the feed")
        await asyncio.to_thread(pod.create_user, "erin", "Erin E", firstName="Erin")
        sent = await asyncio.to_thread(pod.send_message, "erin", "/wait please", None, pod.bot["userId"])
        stream = sent["stream"]["streamId"]

        def replies() -> list[str]:
            return [presentation_text(m["message"]) for m in pod.stream_messages(stream)]

        await async_wait_until(lambda: "Hello Erin, sorry to keep you waiting!" in replies(), what="reply")
        await datafeed_event_service.deactivate_datafeed()

    await asyncio.wait_for(
        asyncio.gather(timed_ringer(0.05, "Ding"), datafeed_event_service.start_datafeed(), user_side()), 30
    )
    assert "Ding" in rings  # the datafeed did not block the other coroutines


def test_legacy_datafeed_clients_v2_and_v1(pod: Any, tmp_path: Path) -> None:
    v2_client = legacy_bot_client(
        config_variant(pod, "clients-v2", datafeedVersion="v2")
    ).get_datafeed_client()
    feed_id = v2_client.create_datafeed()
    assert feed_id in [feed["id"] for feed in v2_client.list_datafeed_id()]
    pod.create_user("fay", "Fay F")
    pod.send_message("fay", "for the v2 feed", to=pod.bot["userId"])
    events = v2_client.read_datafeed(feed_id)
    assert any(e["type"] == "MESSAGESENT" for e in events) and v2_client.get_ack_id()
    v2_client.delete_datafeed(feed_id)
    assert feed_id not in [feed["id"] for feed in v2_client.list_datafeed_id()]

    v1_config = config_variant(pod, "clients-v1", datafeedVersion="v1", datafeedIdFilePath=str(tmp_path))
    v1_client = legacy_bot_client(v1_config).get_datafeed_client()
    v1_id = v1_client.create_datafeed()
    pod.send_message("fay", "for the v1 feed", to=pod.bot["userId"])
    events = v1_client.read_datafeed(v1_id)
    assert [e["payload"]["messageSent"]["message"]["messageId"] for e in events if e["type"] == "MESSAGESENT"]
