"""Fixtures shared by the end-to-end tests (the emulator fixtures live in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sym_api_client_python.client import SyncApiClient
from sym_api_client_python.rest import SyncServices


@pytest.fixture
def services(pod: Any, bot_config_file: Path) -> Iterator[SyncServices]:
    """Modern REST services acting as the emulator's bot, on a fresh pod."""
    client = SyncApiClient.from_config(bot_config_file)
    try:
        yield SyncServices(client)
    finally:
        client.close()
