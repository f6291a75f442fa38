"""An unmodified-style legacy (sym-api-client-python 1.3.7) bot, run in the legacy peer virtualenv.

Usage: python legacy_bot.py <bot-config.json>
Replies "pong" to an IM containing "ping"; on an Elements submission prints one JSON line with what
it parsed and exits. The datafeed version comes from the config's datafeedVersion.
"""

import json
import os
import sys

from sym_api_client_python.auth.rsa_auth import SymBotRSAAuth
from sym_api_client_python.clients.sym_bot_client import SymBotClient
from sym_api_client_python.configure.configure import SymConfig
from sym_api_client_python.listeners.elements_listener import ElementsActionListener
from sym_api_client_python.listeners.im_listener import IMListener
from sym_api_client_python.processors.sym_elements_parser import SymElementsParser

CONFIG = sys.argv[1]
with open(CONFIG, encoding="utf-8") as handle:
    truststore = json.load(handle)["truststorePath"]
# requests prefers these variables over session.verify (the legacy SDK's truststorePath)
os.environ["REQUESTS_CA_BUNDLE"] = truststore
os.environ["CURL_CA_BUNDLE"] = truststore
received = []


def emit(**fields):
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


class PingListener(IMListener):
    def __init__(self, bot_client):
        self.bot_client = bot_client

    def on_im_message(self, message):
        received.append(message["message"])
        if "ping" in message["message"]:
            stream_id = message["stream"]["streamId"]
            reply = {"message": "<messageML>pong</messageML>"}
            self.bot_client.get_message_client().send_msg(stream_id, reply)
            emit(event="replied", streamId=stream_id)

    def on_im_created(self, stream):
        pass


class FormListener(ElementsActionListener):
    def on_elements_action(self, action):
        parser = SymElementsParser()
        emit(
            event="elements",
            formId=parser.get_form_id(action),
            action=parser.get_action(action),
            values=parser.get_form_values(action),
            streamId=parser.get_stream_id(action),
            actionStreamId=parser.get_action_stream_id(action),
            initiator=action["initiator"]["user"]["username"],
            messages=received,
        )
        os._exit(0)  # start_datafeed() never returns; the test is over


def main():
    configure = SymConfig(CONFIG)
    configure.load_config()
    auth = SymBotRSAAuth(configure)
    auth.authenticate()
    bot_client = SymBotClient(auth, configure)
    service = bot_client.get_datafeed_event_service()
    service.add_im_listener(PingListener(bot_client))
    service.add_elements_listener(FormListener())
    emit(event="started")
    service.start_datafeed()


main()
