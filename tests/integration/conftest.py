"""Fixtures: a throw-away CA, a bot key pair, and the fake HTTPS pod of :mod:`fakepod`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sym_api_client_python.core.config import BotConfig, load_config

from .fakepod import POD_CONTEXT, FakePod, PodState
from .pki import Pki, key_pem, make_pki, new_key, public_pem

BOT = "integration-bot"
CERT_PASSWORD = "changeit"


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def bot_key_file(pki: Pki) -> tuple[Path, bytes]:
    key = new_key()
    path = pki.folder / "bot-private.pem"
    path.write_bytes(key_pem(key))
    return path, public_pem(key)


@pytest.fixture(scope="session")
def bot_p12(pki: Pki) -> Path:
    return pki.write_client_p12(BOT, CERT_PASSWORD)


@pytest.fixture(scope="session")
def running_pod(pki: Pki, bot_key_file: tuple[Path, bytes]) -> Iterator[FakePod]:
    cert, key = pki.write_server_files()
    pod = FakePod(PodState(public_keys={BOT: bot_key_file[1]}), cert, key, pki.ca_path).start()
    yield pod
    pod.stop()


@pytest.fixture
def fake_pod(running_pod: FakePod) -> FakePod:
    running_pod.state.reset()
    return running_pod


@pytest.fixture
def config_factory(
    fake_pod: FakePod, pki: Pki, bot_key_file: tuple[Path, bytes], tmp_path: Path
) -> Callable[..., BotConfig]:
    def make(**overrides: Any) -> BotConfig:
        data: dict[str, Any] = {
            "podHost": "127.0.0.1",
            "podPort": fake_pod.port,
            "podContextPath": POD_CONTEXT,
            "agentHost": "127.0.0.1",
            "agentPort": fake_pod.port,
            "sessionAuthHost": "127.0.0.1",
            "sessionAuthPort": fake_pod.port,
            "keyAuthHost": "127.0.0.1",
            "keyAuthPort": fake_pod.port,
            "botUsername": BOT,
            "botPrivateKeyPath": str(bot_key_file[0].parent),
            "botPrivateKeyName": bot_key_file[0].name,
            "truststorePath": str(pki.ca_path),
            "authRetryInitialDelay": 0.01,
            "authRetryMaxDelay": 0.05,
            "retryInitialDelay": 0.01,
            "retryMaxDelay": 0.05,
            "connectTimeout": 2,
            "readTimeout": 5,
        }
        data.update(overrides)
        data = {k: v for k, v in data.items() if v is not None}
        path = tmp_path / "bot-config.json"
        path.write_text(json.dumps(data))
        return load_config(path, env={})

    return make
