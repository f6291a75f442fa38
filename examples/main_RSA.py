"""The legacy README's RSA example bot: replies "Hello <name>, hope you are doing well!" in IMs and rooms.

    python examples/main_RSA.py [--config path/to/bot-config.json]

Without --config it uses the running ``symbot pod`` emulator's generated config.
"""

import argparse

from _defaults import configure_logging, default_config

from sym_api_client_python.auth.rsa_auth import SymBotRSAAuth
from sym_api_client_python.clients.sym_bot_client import SymBotClient
from sym_api_client_python.configure.configure import SymConfig
from sym_api_client_python.listeners.im_listener_test_imp import IMListenerTestImp
from sym_api_client_python.listeners.room_listener_test_imp import RoomListenerTestImp


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=default_config(), help="bot config (legacy JSON)")
    args = parser.parse_args()

    print("Python Client runs using RSA authentication")
    configure_logging()

    # RSA Auth flow: pass path to rsa config.json file
    configure = SymConfig(args.config, args.config)
    configure.load_config()
    auth = SymBotRSAAuth(configure)
    auth.authenticate()

    # Initialize SymBotClient with auth and configure objects
    bot_client = SymBotClient(auth, configure)

    # Initialize datafeed service and its listeners
    datafeed_event_service = bot_client.get_datafeed_event_service()
    datafeed_event_service.add_im_listener(IMListenerTestImp(bot_client))
    datafeed_event_service.add_room_listener(RoomListenerTestImp(bot_client))

    # Create and read the datafeed (blocks; Ctrl-C stops)
    print("Starting datafeed", flush=True)
    try:
        datafeed_event_service.start_datafeed()
    except KeyboardInterrupt:
        print("Stopped")


if __name__ == "__main__":
    main()
