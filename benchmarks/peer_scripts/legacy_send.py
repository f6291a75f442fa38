"""Legacy API send throughput: sequential, then ``concurrency`` threads (the legacy client is sync).

Runs with the legacy 1.3.7 venv and with ours. Usage: python legacy_send.py <bot-config.json>
<stream_id> <count> <concurrency>; prints {"sequential_per_s", "concurrent_per_s"}.
"""

from __future__ import annotations

import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from _common import legacy_truststore_env

legacy_truststore_env(sys.argv[1])
from sym_api_client_python.auth.rsa_auth import SymBotRSAAuth  # noqa: E402
from sym_api_client_python.clients.sym_bot_client import SymBotClient  # noqa: E402
from sym_api_client_python.configure.configure import SymConfig  # noqa: E402

MESSAGE = {"message": "<messageML>Hello from the benchmark, <b>bold</b> and plain.</messageML>"}

config_path, stream_id, count, concurrency = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
configure = SymConfig(config_path)
configure.load_config()
auth = SymBotRSAAuth(configure)
auth.authenticate()
messages = SymBotClient(auth, configure).get_message_client()
for _ in range(10):
    messages.send_msg(stream_id, MESSAGE)
started = time.perf_counter()
for _ in range(count):
    messages.send_msg(stream_id, MESSAGE)
sequential = count / (time.perf_counter() - started)
with ThreadPoolExecutor(max_workers=concurrency) as pool:
    started = time.perf_counter()
    list(pool.map(lambda _: messages.send_msg(stream_id, MESSAGE), range(count)))
    concurrent = count / (time.perf_counter() - started)
print(json.dumps({"sequential_per_s": sequential, "concurrent_per_s": concurrent}))
