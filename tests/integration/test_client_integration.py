"""SyncApiClient / AsyncApiClient against a real HTTPS server on 127.0.0.1 (tests/integration/fakepod.py)."""

from __future__ import annotations

import asyncio
import socket
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from sym_api_client_python.client import AsyncApiClient, SyncApiClient
from sym_api_client_python.core import errors
from sym_api_client_python.core.http import Component, Part, Request

from .conftest import BOT, CERT_PASSWORD
from .fakepod import ConnectProxy, FakePod

ECHO = Request("GET", Component.AGENT, "/agent/v1/echo", params={"flag": True, "ids": [1, 2]})


def test_rsa_login_tokens_headers_and_jwt(fake_pod: FakePod, config_factory) -> None:
    with SyncApiClient.from_config(config_factory()) as client:
        assert client.session_info()["id"] == 7
        assert client.session_info()["id"] == 7  # cached: one call
        echoed = client.request(ECHO).json()
    state = fake_pod.state
    assert state.logins == {"session": 1, "km": 1}
    assert state.hits["/podctx/pod/v2/sessioninfo"] == 1
    assert echoed["query"] == {"flag": "true", "ids": "1,2"}
    claims = state.jwt_claims[0]
    assert claims["sub"] == BOT and 0 < claims["exp"] - claims["iat"] <= 300
    pod_headers, agent_headers = state.headers_seen[-2], state.headers_seen[-1]
    assert pod_headers["sessionToken"].startswith("session-") and "keyManagerToken" not in pod_headers
    assert agent_headers["keyManagerToken"].startswith("km-")
    for headers in (pod_headers, agent_headers):
        assert headers["Cache-Control"] == "no-cache"
        assert headers["User-Agent"] == "sym-api-client-python/2.0.0"
        assert len(headers["X-Trace-Id"]) == 16


def test_expired_session_relogs_once_and_returns_the_result(fake_pod: FakePod, config_factory) -> None:
    with SyncApiClient.from_config(config_factory()) as client:
        client.authenticate()
        fake_pod.state.expire()
        assert client.request(ECHO).status == 200  # the retried call's answer is returned
    assert fake_pod.state.logins == {"session": 2, "km": 2}


def test_fifty_threads_seeing_401_cause_one_login(fake_pod: FakePod, config_factory) -> None:
    with SyncApiClient.from_config(config_factory()) as client:
        client.authenticate()
        fake_pod.state.expire()
        with ThreadPoolExecutor(max_workers=50) as pool:
            statuses = list(pool.map(lambda _: client.request(ECHO).status, range(50)))
    assert statuses == [200] * 50
    assert fake_pod.state.logins == {"session": 2, "km": 2}


async def test_fifty_tasks_seeing_401_cause_one_login(fake_pod: FakePod, config_factory) -> None:
    async with AsyncApiClient.from_config(config_factory()) as client:
        await client.authenticate()
        fake_pod.state.expire()
        responses = await asyncio.gather(*(client.request(ECHO) for _ in range(50)))
        assert (await client.session_info())["username"] == "bot"
    assert [r.status for r in responses] == [200] * 50
    assert fake_pod.state.logins == {"session": 2, "km": 2}


@pytest.mark.parametrize("status", [503, 429])
def test_transient_statuses_are_retried(fake_pod: FakePod, config_factory, status: int) -> None:
    fake_pod.state.faults["/agent/v1/echo"] = [status, status]
    with SyncApiClient.from_config(config_factory()) as client:
        assert client.request(ECHO).status == 200
    assert fake_pod.state.hits["/agent/v1/echo"] == 3


def test_non_idempotent_call_is_not_retried_on_5xx(fake_pod: FakePod, config_factory) -> None:
    fake_pod.state.faults["/agent/v1/echo"] = [500]
    post = Request("POST", Component.AGENT, "/agent/v1/echo", json={"a": 1}, idempotent=False)
    with SyncApiClient.from_config(config_factory()) as client, pytest.raises(errors.ServerError) as info:
        client.request(post)
    assert info.value.status == 500 and info.value.message == "injected 500"
    assert info.value.request_id and info.value.request_id in str(info.value)
    assert fake_pod.state.hits["/agent/v1/echo"] == 1


def test_retries_give_up_with_the_mapped_error(fake_pod: FakePod, config_factory) -> None:
    fake_pod.state.faults["/agent/v1/echo"] = [502] * 10
    with (
        SyncApiClient.from_config(config_factory(retryMaxAttempts=3)) as client,
        pytest.raises(errors.ServerError, match="HTTP 502"),
    ):
        client.request(ECHO)
    assert fake_pod.state.hits["/agent/v1/echo"] == 3


async def test_async_json_multipart_and_204(fake_pod: FakePod, config_factory) -> None:
    parts = [
        Part("message", "<messageML>hi</messageML>"),
        Part("attachment", b"\x00\x01binary", filename='re"port.bin', content_type="application/pdf"),
    ]
    async with AsyncApiClient.from_config(config_factory()) as client:
        upload = (
            await client.request(Request("POST", Component.AGENT, "/agent/v1/upload", multipart=parts))
        ).json()
        echo = (
            await client.request(Request("POST", Component.AGENT, "/agent/v1/echo", json={"x": [1]}))
        ).json()
        empty = await client.request(Request("GET", Component.AGENT, "/agent/v1/empty"))
    assert upload["message"] == "<messageML>hi</messageML>"
    assert upload["attachment"] == {"filename": 're"port.bin', "type": "application/pdf", "size": 8}
    assert echo["body"] == '{"x":[1]}'
    assert empty.status == 204 and empty.legacy_result() == []


def test_sync_multipart(fake_pod: FakePod, config_factory) -> None:
    with SyncApiClient.from_config(config_factory()) as client:
        request = Request("POST", Component.AGENT, "/agent/v1/upload", multipart=[Part("message", "é")])
        assert client.request(request).json() == {"message": "é"}


def test_read_timeout_is_enforced(fake_pod: FakePod, config_factory) -> None:
    slow = Request(
        "GET", Component.AGENT, "/agent/v1/slow", params={"delay": 2}, timeout=0.2, authenticated=False
    )
    with (
        SyncApiClient.from_config(config_factory(retryMaxAttempts=1)) as client,
        pytest.raises(errors.TimeoutError_, match=r"no answer within 0.2 s"),
    ):
        client.request(slow)


async def test_async_read_timeout_is_enforced(fake_pod: FakePod, config_factory) -> None:
    slow = Request(
        "GET", Component.AGENT, "/agent/v1/slow", params={"delay": 2}, timeout=0.2, authenticated=False
    )
    async with AsyncApiClient.from_config(config_factory(retryMaxAttempts=1)) as client:
        with pytest.raises(errors.TimeoutError_, match=r"no answer within 0.2 s"):
            await client.request(slow)


def test_unknown_ca_is_a_tls_error_naming_the_host(fake_pod: FakePod, config_factory) -> None:
    with (
        SyncApiClient.from_config(config_factory(truststorePath=None)) as client,
        pytest.raises(errors.TlsError, match=rf"127.0.0.1:{fake_pod.port}"),
    ):
        client.authenticate()
    assert fake_pod.state.logins == {}


async def test_async_unknown_ca_is_a_tls_error(fake_pod: FakePod, config_factory) -> None:
    async with AsyncApiClient.from_config(config_factory(truststorePath=None)) as client:
        with pytest.raises(errors.TlsError, match=r"TLS verification of 127\.0\.0\.1"):
            await client.authenticate()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_connection_refused_is_a_transport_error(config_factory) -> None:
    config = config_factory(agentPort=_closed_port(), retryMaxAttempts=2)
    with SyncApiClient.from_config(config) as client:
        client.authenticate()
        with pytest.raises(errors.TransportError, match=r"cannot connect to 127\.0\.0\.1") as info:
            client.request(ECHO)
    assert info.value.request_sent is False


def test_login_refused_is_not_retried(fake_pod: FakePod, config_factory) -> None:
    with (
        SyncApiClient.from_config(config_factory(botUsername="stranger")) as client,
        pytest.raises(errors.MaxRetryError, match="login refused") as info,
    ):
        client.session_info()
    assert info.value.attempts == 1 and isinstance(info.value.cause, errors.AuthError)
    assert fake_pod.state.hits["/login/pubkey/authenticate"] == 1


def test_login_retries_are_bounded(fake_pod: FakePod, config_factory) -> None:
    fake_pod.state.faults["/login/pubkey/authenticate"] = [503] * 10
    with (
        SyncApiClient.from_config(config_factory(authMaxRetries=2)) as client,
        pytest.raises(errors.MaxRetryError, match="after 3 attempts") as info,
    ):
        client.authenticate()
    assert isinstance(info.value.cause, errors.ServerError)
    assert fake_pod.state.hits["/login/pubkey/authenticate"] == 3


def test_login_recovers_from_transient_failures(fake_pod: FakePod, config_factory) -> None:
    fake_pod.state.faults["/relay/pubkey/authenticate"] = [502]
    with SyncApiClient.from_config(config_factory()) as client:
        client.authenticate()
        assert client.session_token and client.key_manager_token


def _cert_config(config_factory, cert: Path, password: str | None):
    return config_factory(
        botPrivateKeyPath=None,
        botPrivateKeyName=None,
        botCertPath=str(cert.parent),
        botCertName=cert.name,
        botCertPassword=password,
    )


def test_certificate_login_with_p12(fake_pod: FakePod, config_factory, bot_p12: Path) -> None:
    config = _cert_config(config_factory, bot_p12, CERT_PASSWORD)
    assert config.auth_mode == "certificate"
    with SyncApiClient.from_config(config) as client:
        assert client.session_info()["id"] == 7
    assert fake_pod.state.logins == {"session": 1, "km": 1}


async def test_async_certificate_login_with_pem(fake_pod: FakePod, config_factory, pki) -> None:
    config = _cert_config(config_factory, pki.write_client_pem("pem-bot"), None)
    async with AsyncApiClient.from_config(config) as client:
        await client.authenticate()
        assert client.session_token and client.key_manager_token


def test_wrong_p12_password_is_a_config_error(config_factory, bot_p12: Path) -> None:
    config = _cert_config(config_factory, bot_p12, "wrong")
    with (
        SyncApiClient.from_config(config) as client,
        pytest.raises(errors.ConfigError, match="botCertPassword"),
    ):
        client.authenticate()


def _proxied(config_factory, proxy: ConnectProxy, password: str = ConnectProxy.PASSWORD):
    return config_factory(
        proxyURL=f"http://127.0.0.1:{proxy.port}", proxyUsername=ConnectProxy.USER, proxyPassword=password
    )


def test_sync_through_authenticating_proxy(fake_pod: FakePod, config_factory) -> None:
    before = fake_pod.proxy.tunnels
    with SyncApiClient.from_config(_proxied(config_factory, fake_pod.proxy)) as client:
        assert client.request(ECHO).status == 200
    assert fake_pod.proxy.tunnels > before


async def test_async_through_authenticating_proxy(fake_pod: FakePod, config_factory) -> None:
    before = fake_pod.proxy.tunnels
    async with AsyncApiClient.from_config(_proxied(config_factory, fake_pod.proxy)) as client:
        assert (await client.request(ECHO)).status == 200
    assert fake_pod.proxy.tunnels > before


def test_proxy_refusal_fails_at_once(fake_pod: FakePod, config_factory) -> None:
    config = _proxied(config_factory, fake_pod.proxy, password="bad")
    before = fake_pod.proxy.rejected
    with SyncApiClient.from_config(config) as client, pytest.raises(errors.ProxyError) as info:
        client.authenticate()
    assert "rejected the proxy credentials (HTTP 407)" in str(info.value)
    assert fake_pod.proxy.rejected == before + 1  # not retried: wrong credentials stay wrong


async def test_async_proxy_refusal_fails_at_once(fake_pod: FakePod, config_factory) -> None:
    config = _proxied(config_factory, fake_pod.proxy, password="bad")
    before = fake_pod.proxy.rejected
    async with AsyncApiClient.from_config(config) as client:
        with pytest.raises(errors.ProxyError, match=r"HTTP 407"):
            await client.authenticate()
    assert fake_pod.proxy.rejected == before + 1


def test_async_client_survives_a_new_event_loop(fake_pod: FakePod, config_factory) -> None:
    client = AsyncApiClient.from_config(config_factory())

    async def call() -> int:
        return (await client.request(ECHO)).status

    assert asyncio.run(call()) == 200
    assert asyncio.run(call()) == 200  # a second asyncio.run: new session and lock for the new loop
    asyncio.run(client.close())
    assert fake_pod.state.logins == {"session": 1, "km": 1}
