"""Setup shared by the end-to-end tests: extra emulator users acting through the SDK."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sym_api_client_python.client import SyncApiClient
from sym_api_client_python.clients.sym_bot_client import SymBotClient
from sym_api_client_python.rest import SyncServices


def bot_user_config(
    pod: Any, bot_config_file: Path, username: str, folder: Path, **user_options: Any
) -> Path:
    """Create bot user ``username`` on the emulator (with a key pair) and write, into ``folder``, a
    copy of ``bot_config_file`` that logs in as that user; returns the new config's path."""
    user = pod.create_user(username, bot=True, **user_options)
    key = folder / f"{username}.pem"
    key.write_text(user["privateKey"])
    config = json.loads(bot_config_file.read_text())
    config.update(botUsername=username, botPrivateKeyPath=str(folder), botPrivateKeyName=key.name)
    path = folder / f"{username}.json"
    path.write_text(json.dumps(config))
    return path


@contextlib.contextmanager
def peer(pod: Any, bot_config_file: Path, username: str, folder: Path) -> Iterator[SyncServices]:
    """Services acting as another (bot) user of the emulator, to play the other side."""
    with SyncApiClient.from_config(bot_user_config(pod, bot_config_file, username, folder)) as client:
        yield SyncServices(client)


def legacy_bot(config_path: Path) -> SymBotClient:
    """A SymBotClient built the 1.x way: SymConfig + SymBotRSAAuth, then SymBotClient(auth, config)."""
    from sym_api_client_python.auth.rsa_auth import SymBotRSAAuth
    from sym_api_client_python.configure.configure import SymConfig

    config = SymConfig(str(config_path), str(config_path))
    config.load_config()
    auth = SymBotRSAAuth(config)
    auth.authenticate()
    return SymBotClient(auth, config)
