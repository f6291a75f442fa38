"""Shared test configuration and the emulator fixtures (see docs/emulator.md)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from sympod import Emulator

REPO_ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = REPO_ROOT.parent / "shared" / "symphony-api-spec"
if str(REPO_ROOT) not in sys.path:  # lets tests import benchmarks.peers
    sys.path.insert(0, str(REPO_ROOT))

# short enough that stopping a bot mid-long-poll costs little, long enough to be a real long-poll
TEST_LONG_POLL_S = 2.0
# unacked v2 events come back after this; long enough that a slow handler is not redelivered
TEST_ACK_TIMEOUT_S = 10.0


@pytest.fixture(scope="session")
def sympod_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """One running emulator (HTTPS, free 127.0.0.1 port, temp work dir) for the whole session."""
    from sympod import Emulator

    emulator = Emulator(
        workdir=tmp_path_factory.mktemp("sympod"), long_poll=TEST_LONG_POLL_S, ack_timeout=TEST_ACK_TIMEOUT_S
    )
    emulator.start()
    try:
        yield emulator
    finally:
        emulator.stop()


@pytest.fixture
def pod(sympod_server: Emulator) -> Emulator:
    """The session emulator emptied for this test (the bot user and its key are kept)."""
    sympod_server.reset()
    return sympod_server


@pytest.fixture
def bot_config_file(sympod_server: Emulator) -> Path:
    """The legacy-format bot-config.json of the emulator's bot user."""
    return sympod_server.bot_config_path
