"""`symbot config init`: commented config + RSA key pair that the SDK's loader accepts."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from sym_api_client_python.cli.config_init import ConfigInitOptions, write_config
from sym_api_client_python.core.config_source import read_document


def _options(tmp_path: Path, **overrides: object) -> ConfigInitOptions:
    values: dict[str, object] = {
        "output": tmp_path / "bot-config.json",
        "host": "acme.symphony.com",
        "port": 443,
        "username": "expense-bot",
        "email": "bot@acme.com",
        "key_size": 2048,
    }
    values.update(overrides)
    return ConfigInitOptions(**values)  # type: ignore[arg-type]


def test_writes_loadable_commented_config_and_matching_keys(tmp_path: Path) -> None:
    private_path, public_path, public_pem = write_config(_options(tmp_path))
    text = (tmp_path / "bot-config.json").read_text()
    assert "// RSA authentication" in text
    document = read_document(tmp_path / "bot-config.json")
    assert document["podHost"] == "acme.symphony.com"
    assert document["botUsername"] == "expense-bot"
    assert (tmp_path / document["botPrivateKeyPath"] / document["botPrivateKeyName"]) == private_path
    assert stat.S_IMODE(private_path.stat().st_mode) == 0o600
    private_key = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
    derived = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert derived == public_pem == public_path.read_bytes()


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    write_config(_options(tmp_path))
    with pytest.raises(FileExistsError, match="--force"):
        write_config(_options(tmp_path))
    write_config(_options(tmp_path), force=True)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"host": "https://acme.symphony.com"}, "--host"),
        ({"port": 70000}, "--port"),
        ({"username": "bad name"}, "--username"),
        ({"key_size": 1024}, "--key-size"),
        ({"datafeed_version": "v3"}, "--datafeed"),
    ],
)
def test_bad_values_name_the_option(tmp_path: Path, overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        write_config(_options(tmp_path, **overrides))
    assert not (tmp_path / "bot-config.json").exists()
