"""Auth: JWT contents, login requests, the token state machine and single-flight re-login."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import jwt
import pytest
from test_client_support import (
    PUBLIC_PEM,
    FakeAsyncTransport,
    FakePodLogic,
    FakeSyncTransport,
    make_config,
)

from sym_api_client_python.client import AsyncApiClient, SyncApiClient
from sym_api_client_python.core import errors
from sym_api_client_python.core.auth import LoginFlow, Tokens, TokenState, create_jwt, login_is_retryable
from sym_api_client_python.core.http import Component, Request, Response
from sym_api_client_python.transport.base import PreparedRequest

PING = Request("GET", Component.POD, "/pod/v1/ping")
AGENT_PING = Request("GET", Component.AGENT, "/agent/v1/ping")


# ------------------------------------------------------------------------------ JWT
def test_jwt_is_rs512_with_sub_iat_exp(tmp_path: Path) -> None:
    flow = LoginFlow.from_config(make_config(tmp_path))
    token = flow.create_jwt(now=time.time())
    assert jwt.get_unverified_header(token)["alg"] == "RS512"
    claims = jwt.decode(token, PUBLIC_PEM, algorithms=["RS512"])
    assert claims["sub"] == "bot"
    assert 0 < claims["exp"] - claims["iat"] <= 300
    assert abs(claims["iat"] - time.time()) < 5


def test_jwt_lifetime_is_capped() -> None:
    with pytest.raises(ValueError, match="300 seconds"):
        create_jwt("bot", b"unused", lifetime=301)


def test_rsa_login_requests(tmp_path: Path) -> None:
    flow = LoginFlow.from_config(make_config(tmp_path))
    session, km = flow.request("session"), flow.request("keyManager")
    assert (session.method, session.component, session.path) == (
        "POST",
        Component.SESSION_AUTH,
        "/login/pubkey/authenticate",
    )
    assert (km.component, km.path) == (Component.KEY_AUTH, "/relay/pubkey/authenticate")
    assert set(session.json) == {"token"} and not session.authenticated
    # a fresh JWT per request (the legacy SDK minted one per call too)
    assert jwt.decode(km.json["token"], PUBLIC_PEM, algorithms=["RS512"])["sub"] == "bot"


def test_certificate_login_requests_have_no_body(tmp_path: Path) -> None:
    config = make_config(tmp_path, botPrivateKeyPath=None, botCertPath=str(tmp_path / "bot.p12"))
    flow = LoginFlow.from_config(config)
    for step, path in (
        ("session", "/sessionauth/v1/authenticate"),
        ("keyManager", "/keyauth/v1/authenticate"),
    ):
        request = flow.request(step)  # type: ignore[arg-type]
        assert request.path == path and request.json is None and request.multipart is None


def test_login_flow_config_errors(tmp_path: Path) -> None:
    with pytest.raises(errors.ConfigError, match="no credentials"):
        LoginFlow.from_config(make_config(tmp_path, botPrivateKeyPath=None))
    with pytest.raises(errors.ConfigError, match=r"does not exist"):
        LoginFlow.from_config(make_config(tmp_path, botPrivateKeyPath=str(tmp_path / "missing.pem")))
    (tmp_path / "junk.pem").write_text("not a key")
    with pytest.raises(errors.ConfigError, match="not a PEM private key"):
        LoginFlow.from_config(make_config(tmp_path, botPrivateKeyPath=str(tmp_path / "junk.pem")))


def test_parse_token_requires_token_field() -> None:
    assert LoginFlow.parse_token("session", Response(200, {}, b'{"token": "abc"}')) == "abc"
    with pytest.raises(errors.UnexpectedResponseError, match="no 'token' field"):
        LoginFlow.parse_token("session", Response(200, {}, b'{"name": "x"}'))


# ------------------------------------------------------------------------------ token state
def test_token_state_refresh_and_headers() -> None:
    state = TokenState(refresh_period_seconds=60)
    assert state.needs_login(0)
    state.login_succeeded(Tokens("sess-token", "km-token"), now=100)
    assert state.generation == 1
    assert not state.needs_login(159) and state.needs_login(160)
    assert state.headers_for(Component.POD) == {"sessionToken": "sess-token"}
    assert state.headers_for(Component.AGENT) == {"sessionToken": "sess-token", "keyManagerToken": "km-token"}
    assert "token" not in repr(state.tokens)


def test_token_state_failure_is_shared_only_with_waiters() -> None:
    state = TokenState()
    early = state.wait_ticket()
    state.login_started()
    during = state.wait_ticket()  # arrived while the login was running: waits for that one
    error = errors.MaxRetryError("nope")
    state.login_failed(0, error)
    assert state.failure_for(0, early) is error
    assert state.failure_for(0, during) is error
    assert state.failure_for(0, state.wait_ticket()) is None  # a later caller tries again
    assert state.should_login(0)


@pytest.mark.parametrize(
    ("error", "retry"),
    [
        (errors.TransportError("reset"), True),
        (errors.TimeoutError_("slow"), True),
        (errors.TlsError("bad cert"), False),
        (errors.ProxyError("proxy said 407"), False),
        (errors.ServerError(503, "down"), True),
        (errors.RateLimitedError(429, "slow down"), True),
        (errors.AuthError(401, "bad key"), False),
        (errors.ForbiddenError(403, "no"), False),
    ],
)
def test_login_retryable_errors(error: BaseException, retry: bool) -> None:
    assert login_is_retryable(error) is retry


# ------------------------------------------------------------------------------ drivers
def test_proactive_refresh_after_the_configured_period(tmp_path: Path) -> None:
    pod = FakePodLogic()
    now = [1000.0]
    client = SyncApiClient(
        make_config(tmp_path, authTokenRefreshPeriod=1),
        transport=FakeSyncTransport(pod.handle),
        clock=lambda: now[0],
    )
    client.request(PING)
    now[0] += 59
    client.request(PING)
    assert pod.logins == {"session": 1, "km": 1}
    now[0] += 1  # 60 s = 1 minute: tokens are refreshed before the call
    client.request(PING)
    assert pod.logins == {"session": 2, "km": 2}
    assert sum(1 for r in pod.requests if r.path == "/pod/v1/ping") == 3  # no call got a 401


def test_401_relogin_returns_the_retried_result(tmp_path: Path) -> None:
    pod = FakePodLogic()
    client = SyncApiClient(make_config(tmp_path), transport=FakeSyncTransport(pod.handle))
    client.request(AGENT_PING)
    pod.expire()
    assert client.request(AGENT_PING).json()["id"] == 42
    assert pod.logins == {"session": 2, "km": 2}


def test_persistent_401_raises_auth_error_after_one_relogin(tmp_path: Path) -> None:
    pod = FakePodLogic()
    pod.script["/pod/v1/ping"] = [401, 401, 401]
    client = SyncApiClient(make_config(tmp_path), transport=FakeSyncTransport(pod.handle))
    with pytest.raises(errors.AuthError) as info:
        client.request(PING)
    assert type(info.value) is errors.AuthError
    assert pod.logins == {"session": 2, "km": 2}  # first login + exactly one re-login


def test_fifty_threads_one_login(tmp_path: Path) -> None:
    pod = FakePodLogic()
    client = SyncApiClient(make_config(tmp_path), transport=FakeSyncTransport(pod.handle, delay=0.002))
    client.authenticate()
    pod.expire()
    barrier = threading.Barrier(50)

    def call(_: int) -> int:
        barrier.wait()
        return client.request(AGENT_PING).status

    with ThreadPoolExecutor(max_workers=50) as pool:
        assert list(pool.map(call, range(50))) == [200] * 50
    assert pod.logins == {"session": 2, "km": 2}
    assert client.token_state.login_count == 2


async def test_fifty_tasks_one_login(tmp_path: Path) -> None:
    pod = FakePodLogic()
    client = AsyncApiClient(make_config(tmp_path), transport=FakeAsyncTransport(pod.handle, delay=0.001))
    await client.authenticate()
    pod.expire()
    results = await asyncio.gather(*(client.request(AGENT_PING) for _ in range(50)))
    assert [r.status for r in results] == [200] * 50
    assert pod.logins == {"session": 2, "km": 2}


async def test_failed_relogin_is_not_repeated_by_waiters(tmp_path: Path) -> None:
    pod = FakePodLogic()
    client = AsyncApiClient(make_config(tmp_path, authMaxRetries=1), transport=FakeAsyncTransport(pod.handle))
    await client.authenticate()
    pod.expire()
    pod.script["/login/pubkey/authenticate"] = [503] * 100
    outcomes = await asyncio.gather(*(client.request(PING) for _ in range(20)), return_exceptions=True)
    assert all(isinstance(o, errors.MaxRetryError) for o in outcomes)
    # 2 attempts of one login; the 19 waiting callers got its error instead of logging in again
    assert sum(1 for r in pod.requests if r.path == "/login/pubkey/authenticate") == 1 + 2
    pod.script.clear()
    assert (await client.request(PING)).status == 200  # a later call tries again


def test_login_retry_spacing_uses_the_policy(tmp_path: Path) -> None:
    pod = FakePodLogic()
    pod.script["/login/pubkey/authenticate"] = [503, errors.TransportError("reset", request_sent=False)]
    sleeps: list[float] = []
    config = make_config(tmp_path, authRetryInitialDelay=0.5, authRetryMaxDelay=4)
    client = SyncApiClient(config, transport=FakeSyncTransport(pod.handle), sleep=sleeps.append)
    client.authenticate()
    assert len(sleeps) == 2 and 0.25 <= sleeps[0] <= 0.5 and 0.5 <= sleeps[1] <= 1.0


def test_login_gives_up_with_max_retry_error_and_cause(tmp_path: Path) -> None:
    pod = FakePodLogic()
    pod.script["/relay/pubkey/authenticate"] = [500] * 10
    client = SyncApiClient(make_config(tmp_path, authMaxRetries=3), transport=FakeSyncTransport(pod.handle))
    with pytest.raises(errors.MaxRetryError, match="after 4 attempts") as info:
        client.authenticate()
    assert info.value.attempts == 4 and isinstance(info.value.cause, errors.ServerError)
    assert isinstance(info.value, errors.AuthError)  # legacy except UnauthorizedException still catches it


def test_tls_failure_during_login_is_raised_as_is(tmp_path: Path) -> None:
    def handler(request: PreparedRequest) -> Response:
        raise errors.TlsError("certificate verify failed", request_sent=False)

    client = SyncApiClient(make_config(tmp_path), transport=FakeSyncTransport(handler))
    with pytest.raises(errors.TlsError):
        client.authenticate()


async def loop_ticks_during(work: Awaitable[Any], *, every: float) -> int:
    """Await ``work`` while a task ticks every ``every`` s: how often the event loop let it run."""
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(every)

    task = asyncio.create_task(ticker())
    await work
    task.cancel()
    return ticks


async def test_async_login_never_blocks_the_loop(tmp_path: Path) -> None:
    pod = FakePodLogic()
    pod.script["/login/pubkey/authenticate"] = [503, 503]
    config = make_config(tmp_path, authRetryInitialDelay=0.05, authRetryMaxDelay=0.05)
    client = AsyncApiClient(config, transport=FakeAsyncTransport(pod.handle))
    # the loop kept running during the ~50-100 ms of login backoff
    assert await loop_ticks_during(client.authenticate(), every=0.005) >= 5


def test_legacy_login_steps(tmp_path: Path) -> None:
    pod = FakePodLogic()
    client = SyncApiClient(make_config(tmp_path), transport=FakeSyncTransport(pod.handle))
    assert client.login_step("session").startswith("session-")
    assert client.key_manager_token is None
    assert client.login_step("keyManager").startswith("km-")
    assert client.request(AGENT_PING).status == 200
    assert pod.logins == {"session": 1, "km": 1}


async def test_async_key_loading_runs_off_the_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sym_api_client_python.core import config_check

    real = config_check.read_private_key

    def slow_read(config):  # type: ignore[no-untyped-def]
        time.sleep(0.2)  # a slow disk or a costly key check
        return real(config)

    monkeypatch.setattr(config_check, "read_private_key", slow_read)
    client = AsyncApiClient(make_config(tmp_path), transport=FakeAsyncTransport(FakePodLogic().handle))
    assert await loop_ticks_during(client.authenticate(), every=0.01) >= 10
