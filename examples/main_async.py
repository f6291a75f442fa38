"""The legacy README's asynchronous example: the async datafeed with async listeners, next to two
"timed ringers" that keep printing Ding (every 2 s) and Dong (every 5 s) while the bot works.

    python examples/main_async.py [--auth rsa|cert] [--config path/to/bot-config.json]

Send "/wait" to the bot in an IM: it answers 5 s later without blocking the other IMs.
"""

import argparse
import asyncio

from _defaults import configure_logging, default_config, ensure_certificate_config

from sym_api_client_python.auth.auth import Auth
from sym_api_client_python.auth.rsa_auth import SymBotRSAAuth
from sym_api_client_python.clients.sym_bot_client import SymBotClient
from sym_api_client_python.configure.configure import SymConfig
from sym_api_client_python.listeners.im_listener_test_imp import AsyncIMListenerImp
from sym_api_client_python.listeners.room_listener_test_imp import AsyncRoomListenerImp


async def timed_ringer(period_in_seconds, message):
    while True:
        await asyncio.sleep(period_in_seconds)
        print(message, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--auth", choices=("rsa", "cert"), default="rsa")
    parser.add_argument("--config", help="bot config (legacy JSON)")
    parser.add_argument("--wait", type=float, default=5.0, help="seconds the /wait answer takes (default 5)")
    args = parser.parse_args()
    config_path = args.config or (
        default_config() if args.auth == "rsa" else ensure_certificate_config(default_config())
    )

    configure_logging()
    configure = SymConfig(config_path, config_path)
    configure.load_config()
    auth = SymBotRSAAuth(configure) if args.auth == "rsa" else Auth(configure)
    auth.authenticate()
    bot_client = SymBotClient(auth, configure)

    AsyncIMListenerImp.wait_seconds = AsyncRoomListenerImp.wait_seconds = args.wait
    datafeed_event_service = bot_client.get_async_datafeed_event_service()
    datafeed_event_service.add_im_listener(AsyncIMListenerImp(bot_client))
    datafeed_event_service.add_room_listener(AsyncRoomListenerImp(bot_client))

    # Create and read the datafeed
    print("Starting datafeed", flush=True)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    awaitables = asyncio.gather(
        timed_ringer(2, "Ding"), timed_ringer(5, "Dong"), datafeed_event_service.start_datafeed()
    )
    try:
        loop.run_until_complete(awaitables)
    except KeyboardInterrupt:
        print("Stopped")
    finally:
        awaitables.cancel()
        loop.close()


if __name__ == "__main__":
    main()
