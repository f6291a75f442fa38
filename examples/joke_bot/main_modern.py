"""The joke bot on the modern API: "/joke" (or the legacy "/bot joke") in an IM or a room.

python examples/joke_bot/main_modern.py [--config path/to/bot-config.json]
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # examples/_defaults.py

from _defaults import config_from_args
from jokes import PUNCHLINE_DELAY_S, as_messageml, pick_joke

from sym_api_client_python import Bot, filters


def build_bot(config, delay=PUNCHLINE_DELAY_S):
    bot = Bot(config)

    def tell_joke(ctx):
        setup, punchline = pick_joke()
        ctx.reply(as_messageml(setup))
        time.sleep(delay)  # sync handlers run on a worker pool: other streams are not held up
        ctx.reply(as_messageml(punchline, italic=True))

    @bot.command("/joke")
    def joke(ctx):
        tell_joke(ctx)

    # the legacy spelling, "/bot joke", anywhere in a message
    @bot.on_message(filters.regex(r"(?i)/bot\b.*\bjoke\b"))
    def legacy_joke(ctx):
        tell_joke(ctx)

    return bot


def main():
    config = config_from_args(__doc__)
    print("Starting datafeed", flush=True)
    build_bot(config, float(os.environ.get("JOKE_DELAY", PUNCHLINE_DELAY_S))).run()


if __name__ == "__main__":
    main()
