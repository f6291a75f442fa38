"""Parser throughput: messages parsed per second for a typical 1 KB V4Message.

``run(n)`` returns our modern parser's rate (``parse_message``: text, mentions, hashtags,
cashtags, links, tables, command and args in one pass). The benchmark harness adds the legacy
1.3.7 comparison. Run ``python -m benchmarks.bench_parser`` for all our figures.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from benchmarks.fixtures import TYPICAL_TEXT, typical_message
from sym_api_client_python.messages import MessageBuilder, parse_message
from sym_api_client_python.processors.sym_message_parser import SymMessageParser

DEFAULT_ITERATIONS = 20_000
WARM_UP = 500


def _rate(work: Callable[[], object], iterations: int) -> float:
    for _ in range(min(WARM_UP, iterations)):
        work()
    start = time.perf_counter()
    for _ in range(iterations):
        work()
    return iterations / (time.perf_counter() - start)


def run(
    n: int | None = None,
    *,
    iterations: int | None = None,
    message: Mapping[str, Any] | None = None,
    **_ignored: Any,
) -> float:
    """Messages parsed per second by ``parse_message`` (``n`` iterations after a warm-up)."""
    count = n or iterations or DEFAULT_ITERATIONS
    sample = message or typical_message()
    body, data = sample["message"], sample.get("data")
    return _rate(lambda: parse_message(body, data), count)


def run_all(n: int = DEFAULT_ITERATIONS) -> dict[str, float]:
    """Every figure we own: modern parse, legacy-API parse (same work as the 1.x helpers) and build."""
    sample = typical_message()
    legacy = SymMessageParser()

    def legacy_parse() -> None:
        legacy.get_text(sample)
        legacy.get_mention_ids(sample)
        legacy.get_hash_tag_values(sample)
        legacy.get_cash_tag_values(sample)
        legacy.get_stream_id(sample)

    return {
        "parse_per_s": run(n, message=sample),
        "legacy_api_parse_per_s": _rate(legacy_parse, n),
        "build_per_s": _rate(lambda: MessageBuilder().text(TYPICAL_TEXT).build(), n),
        "message_bytes": float(len(sample["message"].encode())),
    }


if __name__ == "__main__":
    for name, value in run_all().items():
        print(f"{name:>24}: {value:,.0f}")
