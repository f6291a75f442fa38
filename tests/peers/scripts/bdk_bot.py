"""A BDK 3.0.0 bot, run in the BDK peer virtualenv.

Usage: python bdk_bot.py <bdk-config.yaml>
Replies "pong" to a message containing "ping"; on an Elements submission prints one JSON line with
what it received and exits. The datafeed version comes from the config (datafeed.version).
"""

import asyncio
import json
import sys

from symphony.bdk.core.config.loader import BdkConfigLoader
from symphony.bdk.core.service.datafeed.real_time_event_listener import RealTimeEventListener
from symphony.bdk.core.symphony_bdk import SymphonyBdk


def emit(**fields):
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


class Bot(RealTimeEventListener):
    def __init__(self, bdk, done):
        self.bdk, self.done = bdk, done
        self.messages = []
        self.result = None

    async def on_message_sent(self, initiator, event):
        message = event.message
        self.messages.append(message.message)
        if "ping" in message.message:
            await self.bdk.messages().send_message(message.stream.stream_id, "<messageML>pong</messageML>")
            emit(event="replied", streamId=message.stream.stream_id)

    async def on_symphony_elements_action(self, initiator, event):
        self.result = {
            "event": "elements",
            "formId": event.form_id,
            "formMessageId": event.form_message_id,
            "values": dict(event.form_values),
            "streamId": event.stream.stream_id,
            "initiator": initiator.user.username,
            "messages": self.messages,
        }
        self.done.set()


async def main():
    config = BdkConfigLoader.load_from_file(sys.argv[1])
    async with SymphonyBdk(config) as bdk:
        done = asyncio.Event()
        bot = Bot(bdk, done)
        loop = bdk.datafeed()
        loop.subscribe(bot)
        emit(event="started")
        task = asyncio.create_task(loop.start())
        waiter = asyncio.create_task(done.wait())
        finished, _ = await asyncio.wait({task, waiter}, timeout=120, return_when=asyncio.FIRST_COMPLETED)
        if task in finished:
            task.result()  # the loop died: raise its error
        await loop.stop(hard_kill=True)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        emit(**(bot.result or {"event": "timeout"}))


asyncio.run(main())
