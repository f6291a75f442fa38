"""TLS fails closed with a clear TlsError; proxy credentials reach the proxy (and nowhere else)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tls_tools import Authority, ConnectProxy, LoginServer, write_bot_key

from sym_api_client_python.core.errors import ProxyError, TlsError


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pki")
    trusted, stranger = Authority("Trusted Test CA"), Authority("Stranger CA")
    paths = {"ca": trusted.write(folder / "ca.pem"), "other_ca": stranger.write(folder / "other-ca.pem")}
    paths["good"], paths["good_key"] = trusted.issue(folder, "good")
    paths["expired"], paths["expired_key"] = trusted.issue(folder, "expired", expired=True)
    paths["mismatch"], paths["mismatch_key"] = trusted.issue(folder, "mismatch", hosts=("other.example",))
    paths["foreign"], paths["foreign_key"] = stranger.issue(folder, "foreign")
    paths["bot_key"] = write_bot_key(folder / "bot-key.pem")
    return paths


@pytest.fixture
def server(request: pytest.FixtureRequest, pki: dict[str, Path]) -> Iterator[LoginServer]:
    with LoginServer(pki[request.param], pki[f"{request.param}_key"]) as running:
        yield running


def _config(pki: dict[str, Path], port: int, host: str = "127.0.0.1", **extra: Any) -> Any:
    from sym_api_client_python.core.config import load_config

    document: dict[str, Any] = {
        "botUsername": "bot",
        "botPrivateKeyPath": str(pki["bot_key"].parent),
        "botPrivateKeyName": pki["bot_key"].name,
        "truststorePath": str(pki["ca"]),
    }
    for component in ("sessionAuth", "keyAuth", "pod", "agent"):
        document[f"{component}Host"], document[f"{component}Port"] = host, port
    document.update(extra)
    return load_config(document, env={})


def _sync_login(config: Any) -> None:
    from sym_api_client_python.client import SyncApiClient

    client = SyncApiClient.from_config(config)
    try:
        client.authenticate()
    finally:
        client.close()


async def _async_login(config: Any) -> None:
    from sym_api_client_python.client import AsyncApiClient

    client = AsyncApiClient.from_config(config)
    try:
        await client.authenticate()
    finally:
        await client.close()


@pytest.mark.parametrize("server", ["good"], indirect=True)
async def test_valid_chain_logs_in(server: LoginServer, pki: dict[str, Path]) -> None:
    _sync_login(_config(pki, server.port))
    await _async_login(_config(pki, server.port))
    assert server.requests == 4  # session + key manager, twice


FAILURES: list[tuple[str, str]] = [
    ("foreign", r"certificate verify failed|unable to get local issuer|self.signed"),
    ("expired", r"expired"),
    ("mismatch", r"hostname|mismatch|doesn't match|IP address"),
]


@pytest.mark.parametrize(("server", "pattern"), FAILURES, indirect=["server"])
async def test_bad_certificates_fail_closed(server: LoginServer, pki: dict[str, Path], pattern: str) -> None:
    config = _config(pki, server.port)
    with pytest.raises(TlsError, match=f"(?i){pattern}") as caught:
        _sync_login(config)
    assert "127.0.0.1" in str(caught.value), "the error names the host it could not trust"
    with pytest.raises(TlsError, match=f"(?i){pattern}"):
        await _async_login(config)
    assert server.requests == 0, "no request may be sent over an unverified connection"


@pytest.mark.parametrize("server", ["good"], indirect=True)
async def test_truststore_of_another_ca_fails_closed(server: LoginServer, pki: dict[str, Path]) -> None:
    config = _config(pki, server.port, truststorePath=str(pki["other_ca"]))
    with pytest.raises(TlsError):
        _sync_login(config)
    with pytest.raises(TlsError):
        await _async_login(config)
    assert server.requests == 0


PROXY_USER, PROXY_PASSWORD = "bench user", "p@ss:w/rd%"


@pytest.mark.parametrize("server", ["good"], indirect=True)
async def test_proxy_receives_credentials(server: LoginServer, pki: dict[str, Path]) -> None:
    expected = "Basic " + base64.b64encode(f"{PROXY_USER}:{PROXY_PASSWORD}".encode()).decode()
    with ConnectProxy(required_authorization=expected) as proxy:
        config = _config(
            pki,
            server.port,
            proxyURL=f"http://127.0.0.1:{proxy.port}",
            proxyUsername=PROXY_USER,
            proxyPassword=PROXY_PASSWORD,
        )
        assert PROXY_PASSWORD not in repr(config)
        _sync_login(config)
        await _async_login(config)
    assert proxy.seen_authorization, "the client bypassed the proxy"
    assert set(proxy.seen_authorization) == {expected}
    assert server.requests == 4


@pytest.mark.parametrize("server", ["good"], indirect=True)
async def test_proxy_refusing_credentials_fails_at_once(server: LoginServer, pki: dict[str, Path]) -> None:
    from sym_api_client_python.client import AsyncApiClient, SyncApiClient

    with ConnectProxy(required_authorization="Basic bm90OnRoaXM=") as proxy:
        config = _config(
            pki,
            server.port,
            proxyURL=f"http://127.0.0.1:{proxy.port}",
            proxyUsername=PROXY_USER,
            proxyPassword=PROXY_PASSWORD,
        )
        sync_client = SyncApiClient.from_config(config)
        try:
            with pytest.raises(ProxyError, match="407") as caught:
                sync_client.authenticate()
        finally:
            sync_client.close()
        assert PROXY_PASSWORD not in str(caught.value) and PROXY_PASSWORD not in repr(caught.value)
        assert len(proxy.seen_authorization) == 1, "a refused proxy login must not be retried"
        async_client = AsyncApiClient.from_config(config)
        try:
            with pytest.raises(ProxyError, match="407"):
                await async_client.authenticate()
        finally:
            await async_client.close()
        assert len(proxy.seen_authorization) == 2
    assert server.requests == 0
