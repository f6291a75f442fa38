"""Shared test configuration. Emulator fixtures (owned by the emulator work) are added below."""

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = REPO_ROOT.parent / "shared" / "symphony-api-spec"
if str(REPO_ROOT) not in sys.path:  # lets tests import benchmarks.peers
    sys.path.insert(0, str(REPO_ROOT))
