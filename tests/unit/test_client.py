"""SyncApiClient / AsyncApiClient behaviour over in-memory transports, and the import cost."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from test_client_support import FakeAsyncTransport, FakePodLogic, FakeSyncTransport, make_config

from sym_api_client_python.client import AsyncApiClient, SyncApiClient, coerce_config
from sym_api_client_python.configure.configure import SymConfig
from sym_api_client_python.core import errors
from sym_api_client_python.core.http import Component, Request

PING = Request("GET", Component.POD, "/pod/v1/ping")
CREATE = Request("POST", Component.AGENT, "/agent/v4/stream/s/message/create", idempotent=False)


def test_coerce_config_accepts_botconfig_symconfig_and_paths(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    assert coerce_config(config) is config
    path = tmp_path / "bot-config.json"
    path.write_text(json.dumps({"podHost": "from.file"}))
    assert coerce_config(path).pod.host == "from.file"
    assert coerce_config(str(path)).pod.host == "from.file"
    legacy = SymConfig(str(path))
    assert coerce_config(legacy).pod.host == "from.file"  # loads on demand
    with pytest.raises(TypeError, match="expected a BotConfig"):
        coerce_config(42)


def test_from_config_and_context_manager_close(tmp_path: Path) -> None:
    transport = FakeSyncTransport(FakePodLogic().handle)
    with SyncApiClient.from_config(make_config(tmp_path), transport=transport) as client:
        assert client.request(PING).json()["id"] == 42
    assert transport.closed


async def test_async_context_manager_close(tmp_path: Path) -> None:
    transport = FakeAsyncTransport(FakePodLogic().handle)
    async with AsyncApiClient.from_config(make_config(tmp_path), transport=transport) as client:
        assert (await client.request(PING)).json()["id"] == 42
    assert transport.closed


def test_session_info_is_cached(tmp_path: Path) -> None:
    pod = FakePodLogic()
    client = SyncApiClient(make_config(tmp_path), transport=FakeSyncTransport(pod.handle))
    assert client.session_info() is client.session_info()
    assert sum(1 for r in pod.requests if r.path == "/pod/v2/sessioninfo") == 1


async def test_async_session_info_is_cached(tmp_path: Path) -> None:
    pod = FakePodLogic()
    client = AsyncApiClient(make_config(tmp_path), transport=FakeAsyncTransport(pod.handle))
    assert (await client.session_info())["id"] == 42
    await client.session_info()
    assert sum(1 for r in pod.requests if r.path == "/pod/v2/sessioninfo") == 1


def test_errors_carry_status_message_url_and_request_id(tmp_path: Path) -> None:
    pod = FakePodLogic()
    pod.script["/pod/v1/ping"] = [404]
    client = SyncApiClient(make_config(tmp_path), transport=FakeSyncTransport(pod.handle))
    with pytest.raises(errors.NotFoundError) as info:
        client.request(PING)
    error = info.value
    assert error.status == 404 and error.message == "scripted 404"
    assert error.url == "https://pod.test:443/pod/v1/ping"
    assert error.request_id == pod.requests[-1].trace_id


def test_non_idempotent_call_retried_only_when_never_sent(tmp_path: Path) -> None:
    pod = FakePodLogic()
    sleeps: list[float] = []
    client = SyncApiClient(
        make_config(tmp_path), transport=FakeSyncTransport(pod.handle), sleep=sleeps.append
    )
    client.authenticate()
    pod.script[CREATE.path] = [errors.TransportError("refused", request_sent=False)]
    assert client.request(CREATE).status == 200
    pod.script[CREATE.path] = [errors.TransportError("reset mid-way")]
    with pytest.raises(errors.TransportError, match="reset mid-way"):
        client.request(CREATE)
    pod.script[CREATE.path] = [502]
    with pytest.raises(errors.ServerError):
        client.request(CREATE)
    assert len(sleeps) == 1


async def test_async_retries_then_gives_up(tmp_path: Path) -> None:
    pod = FakePodLogic()
    pod.script["/pod/v1/ping"] = [503, 503, 503, 503]
    client = AsyncApiClient(
        make_config(tmp_path, retryMaxAttempts=3), transport=FakeAsyncTransport(pod.handle)
    )
    with pytest.raises(errors.ServerError, match="scripted 503"):
        await client.request(PING)
    assert sum(1 for r in pod.requests if r.path == "/pod/v1/ping") == 3


def test_rate_limit_error_keeps_retry_after(tmp_path: Path) -> None:
    pod = FakePodLogic()
    pod.script["/pod/v1/ping"] = [429]
    client = SyncApiClient(make_config(tmp_path, retryMaxAttempts=1), transport=FakeSyncTransport(pod.handle))
    with pytest.raises(errors.RateLimitedError) as info:
        client.request(PING)
    assert info.value.retry_after == 0


def test_debug_log_has_method_path_status_duration_and_no_secrets(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pod = FakePodLogic()
    client = SyncApiClient(make_config(tmp_path), transport=FakeSyncTransport(pod.handle))
    with caplog.at_level(logging.DEBUG, logger="sym_api_client_python"):
        client.request(PING)
    lines = [r.getMessage() for r in caplog.records]
    assert any(line.startswith("GET /pod/v1/ping -> 200 in ") and line.endswith(" ms") for line in lines)
    text = "\n".join(lines)
    for secret in ("session-", "km-", "BEGIN", "eyJ"):  # tokens, key, JWT
        assert secret not in text


def test_unauthenticated_requests_do_not_log_in(tmp_path: Path) -> None:
    pod = FakePodLogic()
    client = SyncApiClient(make_config(tmp_path), transport=FakeSyncTransport(pod.handle))
    with pytest.raises(errors.AuthError):
        client.request(Request("GET", Component.POD, "/pod/v1/ping", authenticated=False))
    assert pod.logins == {}


def test_certificate_mode_without_file_is_a_config_error(tmp_path: Path) -> None:
    config = make_config(tmp_path, botPrivateKeyPath=None, botCertPath=str(tmp_path / "missing.p12"))
    client = SyncApiClient(config, transport=FakeSyncTransport(FakePodLogic().handle))
    with pytest.raises(
        errors.ConfigError, match=r"botCertPath: certificate file .*missing\.p12 does not exist"
    ):
        client.authenticate()


def test_import_stays_light() -> None:
    code = (
        "import sys, sym_api_client_python;"
        "heavy = ('aiohttp', 'urllib3', 'jwt', 'cryptography', 'yaml', 'ssl');"
        "heavy = [m for m in heavy if m in sys.modules];"
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_client_module_import_does_not_load_transports() -> None:
    code = (
        "import sys, sym_api_client_python.client, sym_api_client_python.core.config;"
        "print(','.join(m for m in ('aiohttp', 'urllib3', 'jwt', 'cryptography') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
