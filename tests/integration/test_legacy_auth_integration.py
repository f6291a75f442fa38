"""Legacy entry points end to end: ``load_from_env_var`` with RSA and CERT against the local HTTPS pod."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sym_api_client_python.auth.auth import Auth
from sym_api_client_python.auth.rsa_auth import SymBotRSAAuth
from sym_api_client_python.loaders import load_from_env_var

from .conftest import CERT_PASSWORD
from .fakepod import FakePod


def _write(tmp_path: Path, config) -> Path:
    path = tmp_path / "conf" / "legacy.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(dict(config.raw)))
    return path


def test_load_from_env_var_rsa(fake_pod: FakePod, config_factory, tmp_path: Path, monkeypatch) -> None:
    path = _write(tmp_path, config_factory())
    monkeypatch.setenv("SYMPHONY_TEST_CONFIG", f"rsa:{path}")
    configure, auth = load_from_env_var("SYMPHONY_TEST_CONFIG")
    assert isinstance(auth, SymBotRSAAuth) and auth.get_session_token() and auth.get_key_manager_token()
    assert configure.data["podUrl"].endswith("/podctx")
    assert auth.api_client.session_info()["id"] == 7
    assert fake_pod.state.logins == {"session": 1, "km": 1}


def test_load_from_env_var_cert(
    fake_pod: FakePod, config_factory, bot_p12: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = config_factory(
        botPrivateKeyPath=None,
        botPrivateKeyName=None,
        botCertPath=str(bot_p12.parent),
        botCertName=bot_p12.name,
        botCertPassword=CERT_PASSWORD,
    )
    monkeypatch.setenv("SYMPHONY_TEST_CONFIG", f"CERT:{_write(tmp_path, config)}")
    _, auth = load_from_env_var("SYMPHONY_TEST_CONFIG")
    assert isinstance(auth, Auth) and auth.get_session_token().startswith("session-")
