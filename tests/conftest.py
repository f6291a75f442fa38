"""Shared test configuration and the emulator fixtures (see docs/emulator.md).

``SYMPHONY_TEST_CONFIG=RSA:path/to/config.json`` (the legacy SDK's convention) points the tests at a
real pod: ``bot_config_file`` then returns that config, and tests using the emulator fixtures
(``pod``, ``sympod_server``, listed in pyproject's ``symphony_emulator_fixtures``) are skipped with
the reason by the ``sym_api_client_python.testing`` plugin.
"""

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
    real_pod = _real_pod_config()
    if real_pod is not None:  # normally already skipped at collection (symphony_emulator_fixtures)
        pytest.skip(f"SYMPHONY_TEST_CONFIG points at a real pod ({real_pod}); the test needs the emulator")
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
def bot_config_file(request: pytest.FixtureRequest) -> Path:
    """The legacy-format bot-config.json: the real pod's named by ``SYMPHONY_TEST_CONFIG`` when set,
    else the emulator's bot user's."""
    real_pod = _real_pod_config()
    if real_pod is not None:
        return real_pod
    emulator: Emulator = request.getfixturevalue("sympod_server")
    return emulator.bot_config_path


def _real_pod_config() -> Path | None:
    """The config path ``SYMPHONY_TEST_CONFIG`` names, None when unset (a malformed value fails the
    session up front, in the plugin's pytest_configure)."""
    from sym_api_client_python.testing import real_pod_config

    config = real_pod_config()
    return None if config is None else config.path
