"""Legacy 1.3.7 SymMessageParser / MessageFormatter throughput on the shared 1 KB message.

Usage: python legacy_parser.py <fixture.json> <iterations>; prints {"parse_per_s", "build_per_s"}.
Runs with the legacy venv (and with ours, whose legacy API keeps the same classes).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from sym_api_client_python.processors.message_formatter import MessageFormatter
from sym_api_client_python.processors.sym_message_parser import SymMessageParser

fixture = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
iterations = int(sys.argv[2])
message, text = fixture["message"], fixture["text"]
parser = SymMessageParser()


def parse_once() -> None:
    # What a command bot does with each message: tokens, mentioned ids, tags, stream.
    parser.get_text(message)
    parser.get_mention_ids(message)
    parser.get_hash_tag_values(message)
    parser.get_cash_tag_values(message)
    parser.get_stream_id(message)


formatter = MessageFormatter()
for _ in range(min(200, iterations)):  # warm-up
    parse_once()
    formatter.format_message(text)
started = time.perf_counter()
for _ in range(iterations):
    parse_once()
parse_rate = iterations / (time.perf_counter() - started)
started = time.perf_counter()
for _ in range(iterations):
    formatter.format_message(text)
build_rate = iterations / (time.perf_counter() - started)
print(json.dumps({"parse_per_s": parse_rate, "build_per_s": build_rate}))
