"""Ours: RSS of a configured, authenticated bot before its datafeed starts.

Uses the modern API (``Bot``) when it is available, otherwise the HTTP client the bot is built on.
Usage: python ours_idle.py <bot-config.json>; prints {"rss_mb", "import_s", "ready_s", "api"}.
"""

from __future__ import annotations

import json
import sys
import time

from _common import rss_mb

started = time.perf_counter()
import sym_api_client_python as sdk  # noqa: E402

try:
    bot_class = sdk.Bot
except (ImportError, AttributeError):
    bot_class = None
imported = time.perf_counter()

if bot_class is not None and hasattr(bot_class, "from_config"):
    bot = bot_class.from_config(sys.argv[1])
    client = getattr(bot, "client", None) or getattr(bot, "api_client", None)
    if client is None or not hasattr(client, "authenticate"):
        raise SystemExit("Bot exposes no client with authenticate(); update ours_idle.py")
    client.authenticate()
    client.session_info()
    api = "Bot"
else:
    from sym_api_client_python.client import SyncApiClient

    client = SyncApiClient.from_config(sdk.load_config(sys.argv[1]))
    client.authenticate()
    client.session_info()
    api = "SyncApiClient"
ready = time.perf_counter()
print(
    json.dumps({"rss_mb": rss_mb(), "import_s": imported - started, "ready_s": ready - imported, "api": api})
)
