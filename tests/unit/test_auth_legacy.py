"""Legacy auth classes ``SymBotRSAAuth`` and ``Auth`` over an in-memory pod."""

from __future__ import annotations

import json
from pathlib import Path

import jwt
import pytest
from test_client_support import PRIVATE_PEM, PUBLIC_PEM, FakePodLogic, FakeSyncTransport

from sym_api_client_python.auth.auth import Auth
from sym_api_client_python.auth.auth_endpoint_constants import auth_endpoint_constants
from sym_api_client_python.auth.rsa_auth import SymBotRSAAuth
from sym_api_client_python.client import SyncApiClient, coerce_config
from sym_api_client_python.configure.configure import SymConfig
from sym_api_client_python.core import errors
from sym_api_client_python.exceptions.MaxRetryException import MaxRetryException


def symconfig(tmp_path: Path, **overrides: object) -> SymConfig:
    (tmp_path / "bot.pem").write_bytes(PRIVATE_PEM)
    data = {
        "podHost": "pod.test",
        "botUsername": "legacy-bot",
        "botPrivateKeyPath": "./",
        "botPrivateKeyName": "bot.pem",
        "authRetryInitialDelay": 0,
        "authRetryMaxDelay": 0,
        **overrides,
    }
    path = tmp_path / "config.json"
    path.write_text(json.dumps(data))
    config = SymConfig(str(path), str(path))
    config.load_config()
    return config


def rsa_auth(tmp_path: Path, pod: FakePodLogic, **overrides: object) -> SymBotRSAAuth:
    config = symconfig(tmp_path, **overrides)
    client = SyncApiClient(coerce_config(config), auth_mode="rsa", transport=FakeSyncTransport(pod.handle))
    return SymBotRSAAuth(config, api_client=client)


def test_rsa_authenticate_and_getters(tmp_path: Path) -> None:
    pod = FakePodLogic()
    auth = rsa_auth(tmp_path, pod)
    assert auth.get_session_token() is None
    auth.authenticate()
    assert auth.get_session_token().startswith("session-")  # type: ignore[union-attr]
    assert auth.get_key_manager_token().startswith("km-")  # type: ignore[union-attr]
    assert auth.session_token == auth.get_session_token()
    assert auth.last_auth_time > 0 and auth.auth_retries == 0
    auth.authenticate()  # no 30 s throttle between calls any more
    assert pod.logins == {"session": 2, "km": 2}
    assert auth.auth_session is auth.api_client


def test_rsa_create_jwt(tmp_path: Path) -> None:
    auth = rsa_auth(tmp_path, FakePodLogic())
    claims = jwt.decode(auth.create_jwt(), PUBLIC_PEM, algorithms=["RS512"])
    assert claims["sub"] == "legacy-bot" and claims["exp"] - claims["iat"] == 290


def test_rsa_single_steps(tmp_path: Path) -> None:
    pod = FakePodLogic()
    auth = rsa_auth(tmp_path, pod)
    assert auth.session_authenticate() == auth.get_session_token()
    assert auth.key_manager_token is None
    assert auth.key_manager_authenticate() == auth.get_key_manager_token()


def test_rsa_gives_up_with_max_retry_exception(tmp_path: Path) -> None:
    pod = FakePodLogic()
    pod.script["/login/pubkey/authenticate"] = [503] * 10
    auth = rsa_auth(tmp_path, pod, authMaxRetries=auth_endpoint_constants["MAX_RSA_RETRY"])
    with pytest.raises(MaxRetryException, match="after 6 attempts"):
        auth.authenticate()
    assert auth.auth_retries == 6
    pod.script.clear()
    auth.authenticate()  # the counter starts afresh (1.x raised at once after one exhausted run)
    assert auth.auth_retries == 0


def test_default_client_is_built_from_the_symconfig(tmp_path: Path) -> None:
    auth = SymBotRSAAuth(symconfig(tmp_path))
    assert auth.api_client.auth_mode == "rsa"
    assert auth.api_client.config.pod.host == "pod.test"


def test_certificate_auth_reads_the_certificate_in_the_constructor(tmp_path: Path) -> None:
    config = symconfig(
        tmp_path, botPrivateKeyName=None, botCertPath="certs/", botCertName="bot.p12", botCertPassword="pw"
    )
    with pytest.raises(errors.ConfigError, match=r"botCertPath: certificate file .*bot\.p12 does not exist"):
        Auth(config)


def test_certificate_auth_has_no_jwt(tmp_path: Path) -> None:
    from integration.pki import make_pki

    p12 = make_pki(tmp_path / "pki").write_client_p12("cert-bot", "pw")
    config = symconfig(
        tmp_path,
        botPrivateKeyName=None,
        botCertPath=str(p12.parent),
        botCertName=p12.name,
        botCertPassword="pw",
    )
    auth = Auth(config)
    assert auth.agentConfig is config
    assert auth.api_client.auth_mode == "certificate"
    assert not hasattr(auth, "create_jwt")
