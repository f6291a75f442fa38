"""Legacy API: RSS of a configured, authenticated bot before its datafeed starts (README steps).

Runs with the legacy 1.3.7 venv and with ours (same module paths). Usage: python legacy_idle.py
<bot-config.json>; prints {"rss_mb", "import_s", "ready_s"}.
"""

from __future__ import annotations

import json
import sys
import time

from _common import legacy_truststore_env, rss_mb

legacy_truststore_env(sys.argv[1])
started = time.perf_counter()
from sym_api_client_python.auth.rsa_auth import SymBotRSAAuth  # noqa: E402
from sym_api_client_python.clients.sym_bot_client import SymBotClient  # noqa: E402
from sym_api_client_python.configure.configure import SymConfig  # noqa: E402

imported = time.perf_counter()
configure = SymConfig(sys.argv[1])
configure.load_config()
auth = SymBotRSAAuth(configure)
auth.authenticate()
bot_client = SymBotClient(auth, configure)
bot_client.get_datafeed_client()  # what the README's main does before starting the feed
ready = time.perf_counter()
print(json.dumps({"rss_mb": rss_mb(), "import_s": imported - started, "ready_s": ready - imported}))
