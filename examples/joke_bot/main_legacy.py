"""The joke bot on the legacy API: say "/bot joke" in an IM or a room.

python examples/joke_bot/main_legacy.py [--config path/to/bot-config.json]
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # examples/_defaults.py

from _defaults import config_from_args, configure_logging, legacy_rsa_bot_client, run_datafeed
from jokes import PUNCHLINE_DELAY_S, as_messageml, pick_joke, wants_joke

from sym_api_client_python.listeners.im_listener import IMListener
from sym_api_client_python.listeners.room_listener import RoomListener
from sym_api_client_python.processors.sym_message_parser import SymMessageParser


class JokeClient:
    def __init__(self, bot_client, delay=PUNCHLINE_DELAY_S):
        self.bot_client = bot_client
        self.delay = delay

    def send_joke(self, stream_id):
        setup, punchline = pick_joke()
        messages = self.bot_client.get_message_client()
        messages.send_msg(stream_id, {"message": as_messageml(setup)})
        time.sleep(self.delay)
        messages.send_msg(stream_id, {"message": as_messageml(punchline, italic=True)})


class MessageProcessor:
    def __init__(self, bot_client):
        self.parser = SymMessageParser()
        self.jokes = JokeClient(bot_client, float(os.environ.get("JOKE_DELAY", PUNCHLINE_DELAY_S)))

    def process(self, msg):
        if wants_joke(" ".join(self.parser.get_text(msg))):
            self.jokes.send_joke(self.parser.get_stream_id(msg))


class JokeIMListener(IMListener):
    def __init__(self, bot_client):
        self.processor = MessageProcessor(bot_client)

    def on_im_message(self, im_message):
        self.processor.process(im_message)

    def on_im_created(self, im_created):
        pass


class JokeRoomListener(RoomListener):
    def __init__(self, bot_client):
        self.processor = MessageProcessor(bot_client)

    def on_room_msg(self, room_message):
        self.processor.process(room_message)

    def on_room_created(self, room_created):
        pass

    def on_room_deactivated(self, room_deactivated):
        pass

    def on_room_member_demoted_from_owner(self, room_member_demoted_from_owner):
        pass

    def on_room_member_promoted_to_owner(self, room_member_promoted_to_owner):
        pass

    def on_room_reactivated(self, room_reactivated):
        pass

    def on_room_updated(self, room_updated):
        pass

    def on_user_joined_room(self, user_joined_room):
        pass

    def on_user_left_room(self, user_left_room):
        pass


def main():
    config = config_from_args(__doc__)
    configure_logging()
    bot_client = legacy_rsa_bot_client(config)
    service = bot_client.get_datafeed_event_service()
    service.add_im_listener(JokeIMListener(bot_client))
    service.add_room_listener(JokeRoomListener(bot_client))
    run_datafeed(service)


if __name__ == "__main__":
    main()
