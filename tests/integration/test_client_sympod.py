"""The HTTP stack against the sympod emulator (an independent implementation of the API)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sym_api_client_python.auth.rsa_auth import SymBotRSAAuth
from sym_api_client_python.client import AsyncApiClient, SyncApiClient
from sym_api_client_python.configure.configure import SymConfig
from sym_api_client_python.core.http import Component, Request

# an agent call that needs both tokens (/agent/v1/info is public on the emulator, as on real agents)
AGENT_CALL = Request("GET", Component.AGENT, "/agent/v5/datafeeds")


def test_emulator_bot_config_logs_in_and_survives_expiry(pod, bot_config_file: Path) -> None:
    with SyncApiClient.from_config(bot_config_file) as client:
        assert client.session_info()["username"] == pod.bot["username"]
        pod.expire_sessions()
        assert client.request(AGENT_CALL).status == 200
        assert client.token_state.login_count == 2


async def test_async_against_emulator_single_relogin(pod, bot_config_file: Path) -> None:
    async with AsyncApiClient.from_config(bot_config_file) as client:
        await client.authenticate()
        pod.expire_sessions()
        responses = await asyncio.gather(*(client.request(AGENT_CALL) for _ in range(20)))
        assert {r.status for r in responses} == {200}
        assert client.token_state.login_count == 2


def test_legacy_rsa_auth_against_emulator(pod, bot_config_file: Path) -> None:
    configure = SymConfig(str(bot_config_file), str(bot_config_file))
    configure.load_config()
    auth = SymBotRSAAuth(configure)
    auth.authenticate()
    assert auth.get_session_token() and auth.get_key_manager_token()
