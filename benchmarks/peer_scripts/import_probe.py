"""Time one import statement in a fresh interpreter: prints {"seconds": ..., "rss_mb": ...}.

Usage: python import_probe.py "<statement>"
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

started = time.perf_counter()
exec(sys.argv[1])
elapsed = time.perf_counter() - started
rss = 0.0
for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
    if line.startswith("VmRSS:"):
        rss = int(line.split()[1]) * 1024 / 1e6
print(json.dumps({"seconds": elapsed, "rss_mb": rss}))
