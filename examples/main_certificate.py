"""The legacy README's certificate example bot: same replies as main_RSA.py, authenticated by a
client certificate (mutual TLS on /sessionauth and /keyauth).

    python examples/main_certificate.py [--config path/to/cert-config.json]

Without --config it asks the running ``symbot pod`` emulator for a client certificate for its bot
(the control API signs one with the emulator's CA) and writes cert-config.json next to its
bot-config.json.
"""

import argparse

from _defaults import configure_logging, default_config, ensure_certificate_config

from sym_api_client_python.auth.auth import Auth
from sym_api_client_python.clients.sym_bot_client import SymBotClient
from sym_api_client_python.configure.configure import SymConfig
from sym_api_client_python.listeners.im_listener_test_imp import IMListenerTestImp
from sym_api_client_python.listeners.room_listener_test_imp import RoomListenerTestImp


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", help="certificate bot config (JSON with botCertPath/Name/Password)")
    args = parser.parse_args()
    config_path = args.config or ensure_certificate_config(default_config())

    print("Python Client runs using Cert authentication")
    configure_logging()

    # Cert Auth flow: pass path to certificate config.json file
    configure = SymConfig(config_path, config_path)
    configure.load_config()
    auth = Auth(configure)
    auth.authenticate()

    bot_client = SymBotClient(auth, configure)
    datafeed_event_service = bot_client.get_datafeed_event_service()
    datafeed_event_service.add_im_listener(IMListenerTestImp(bot_client))
    datafeed_event_service.add_room_listener(RoomListenerTestImp(bot_client))

    print("Starting datafeed", flush=True)
    try:
        datafeed_event_service.start_datafeed()
    except KeyboardInterrupt:
        print("Stopped")


if __name__ == "__main__":
    main()
