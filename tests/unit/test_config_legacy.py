"""Legacy configuration surface: SymConfig, loaders, exception aliases, ``symbot config check``."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest
from test_client_support import PRIVATE_PEM
from typer.testing import CliRunner

from sym_api_client_python.configure.configure import SymConfig
from sym_api_client_python.core import errors
from sym_api_client_python.loaders import configure_logging, load_from_env_var

RESOURCES = Path(__file__).resolve().parents[2] / "src" / "sym_api_client_python" / "resources"


def legacy_file(folder: Path, **overrides: object) -> Path:
    data: dict[str, object] = {
        "sessionAuthHost": "pod.acme.com",
        "sessionAuthPort": 443,
        "sessionAuthContextPath": "sessionAuthContext",
        "keyAuthHost": "km.acme.com",
        "keyAuthPort": 8444,
        "keyAuthContextPath": "/keyAuthContext",
        "podHost": "pod.acme.com",
        "podPort": 443,
        "podContextPath": "/podContext/",
        "agentHost": "agent.acme.com",
        "agentPort": 443,
        "botPrivateKeyPath": "rsa/",
        "botPrivateKeyName": "bot.pem",
        "botUsername": "bot",
        "truststorePath": "",
        "proxyURL": "",
        "keyManagerProxyURL": "http://km-proxy:3128",
        "keyManagerProxyUsername": "user",
        "keyManagerProxyPassword": "p@ss",
        "authTokenRefreshPeriod": "30",
        "myOwnKey": 1,
        **overrides,
    }
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.json"
    path.write_text(json.dumps(data))
    return path


@pytest.fixture(autouse=True)
def _no_sym_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.upper().startswith("SYM_"):
            monkeypatch.delenv(name)


def test_readme_snippet_and_derived_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    legacy_file(tmp_path / "resources")
    (tmp_path / "main").mkdir()
    monkeypatch.chdir(tmp_path / "main")
    configure = SymConfig("../resources/config.json")
    configure.load_config()
    data = configure.data
    assert data["podUrl"] == "https://pod.acme.com:443/podContext"
    assert data["sessionAuthUrl"] == "https://pod.acme.com:443/sessionAuthContext"
    assert data["keyAuthUrl"] == "https://km.acme.com:8444/keyAuthContext"
    assert data["agentUrl"] == configure.get_agent_url() == "https://agent.acme.com:443"
    assert data["podHost"] == data["podUrl"]  # 1.x rewrote *Host to the full URL
    assert data["myOwnKey"] == 1 and data["truststorePath"] == ""
    # relative to the current directory (1.x), else to the config folder
    assert data["botRSAPath"] == str(tmp_path / "main" / "rsa" / "bot.pem")
    assert data["keyManagerProxyRequestObject"] == {
        "http": "http://user:p%40ss@km-proxy:3128",
        "https": "http://user:p%40ss@km-proxy:3128",
    }
    assert data["podProxyRequestObject"] == {}  # empty proxyURL no longer wipes per-component proxies
    assert configure.bot_config.key_auth.proxy is not None
    assert configure.relative_to == os.curdir


def test_relative_to_uses_that_files_folder(tmp_path: Path) -> None:
    path = legacy_file(tmp_path / "conf", botCertPath="certs/", botCertName="bot.p12")
    configure = SymConfig(str(path), str(path))
    configure.load_config()
    assert configure.data["p.12"] == str(tmp_path / "conf" / "certs" / "bot.p12")  # not doubled
    assert configure.data["botRSAPath"] == str(tmp_path / "conf" / "rsa" / "bot.pem")


def test_relative_paths_fall_back_to_the_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = legacy_file(tmp_path / "conf")
    (tmp_path / "conf" / "rsa").mkdir()
    (tmp_path / "conf" / "rsa" / "bot.pem").write_bytes(PRIVATE_PEM)
    monkeypatch.chdir(tmp_path)
    configure = SymConfig(str(path))
    configure.load_config()
    assert configure.data["botRSAPath"] == str(tmp_path / "conf" / "rsa" / "bot.pem")


@pytest.mark.parametrize(
    ("values", "v1", "reused", "store"),
    [
        ({}, True, True, True),  # 1.x defaults: v1, reuse on
        ({"datafeedVersion": "V2"}, False, True, False),
        ({"datafeedVersion": "v1", "reuseDatafeedID": "false"}, True, False, False),
        ({"reuseDatafeedID": False}, True, False, False),
    ],
)
def test_datafeed_accessors(tmp_path: Path, values: dict, v1: bool, reused: bool, store: bool) -> None:
    configure = SymConfig(str(legacy_file(tmp_path, **values)))
    configure.load_config()
    assert configure.is_datafeed_v1() is v1
    assert configure.bot_config.datafeed_version == ("v1" if v1 else "v2")
    assert configure.is_datafeed_id_reused() is reused
    assert configure.should_store_datafeed_id() is store


def test_datafeed_id_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    configure = SymConfig(str(legacy_file(tmp_path)))
    configure.load_config()
    assert configure.get_datafeed_id_folder_path() == str(tmp_path)
    configure = SymConfig(str(legacy_file(tmp_path, datafeedIdFilePath="/var/feeds/")))
    configure.load_config()
    assert configure.get_datafeed_id_folder_path() == "/var/feeds"


def test_bad_values_raise_config_error_naming_key_and_file(tmp_path: Path) -> None:
    path = legacy_file(tmp_path, podPort="abc", podHost=None)
    configure = SymConfig(str(path))
    with pytest.raises(errors.ConfigError) as info:
        configure.load_config()
    assert f"{path}: podPort must be an integer, got 'abc'" in str(info.value)
    assert f"{path}: podHost is required" in str(info.value)  # 1.x: TypeError
    assert len(info.value.problems) == 2
    assert isinstance(info.value, ValueError)


def test_shipped_samples_load() -> None:
    for name, mode in (("config.json", "certificate"), ("rsa_config.json", "rsa")):
        configure = SymConfig(str(RESOURCES / name))
        configure.load_config()
        assert configure.bot_config.auth_mode == mode
        assert configure.data["podUrl"] == "https://MY_ENVIRONMENT.symphony.com:443"


# ------------------------------------------------------------------------------ loaders
@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "Unable to find environment variable at: SYM_TEST_CFG"),
        ("config.json", "Did not find : in environment variable"),
        ("RSA:a:b", "Found more than one :"),
        ("LDAP:config.json", "Didn't recognise 'LDAP'"),
    ],
)
def test_load_from_env_var_errors(monkeypatch: pytest.MonkeyPatch, value: str | None, message: str) -> None:
    if value is not None:
        monkeypatch.setenv("SYM_TEST_CFG", value)
    with pytest.raises(ValueError, match=message):
        load_from_env_var("SYM_TEST_CFG")


@pytest.fixture
def basic_config(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    # pytest's own log capture handlers make the real basicConfig a no-op: record its arguments
    calls: list[dict] = []
    monkeypatch.setattr(logging, "basicConfig", lambda **kwargs: calls.append(kwargs))
    return calls


def test_configure_logging_to_console(basic_config: list[dict]) -> None:
    assert configure_logging(log_level=logging.INFO) is None
    assert basic_config == [
        {
            "filename": None,
            "format": "%(asctime)s - %(name)s - %(levelname)s - %(message)s",
            "filemode": "a",
            "level": logging.INFO,
        }
    ]
    assert logging.getLogger("urllib3").level == logging.WARNING


def test_configure_logging_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, basic_config: list[dict]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert configure_logging(directory=".") == str(tmp_path / "log.log")  # 1.x: NameError
    assert basic_config[0]["filename"] == str(tmp_path / "log.log")


def test_configure_logging_creates_folders(tmp_path: Path, basic_config: list[dict]) -> None:
    path = configure_logging(
        filename="sub/bot.log", directory=str(tmp_path / "logs"), filemode="w", format="%(message)s"
    )
    assert path == str(tmp_path / "logs" / "sub" / "bot.log") and (tmp_path / "logs" / "sub").is_dir()
    assert basic_config[0]["filemode"] == "w" and basic_config[0]["format"] == "%(message)s"


def test_configure_logging_filename_only_goes_beside_the_main_script(basic_config: list[dict]) -> None:
    import __main__

    main_file = getattr(__main__, "__file__", None)
    expected_dir = os.path.dirname(os.path.abspath(main_file)) if main_file else os.getcwd()
    assert configure_logging(filename="bot.log") == os.path.join(expected_dir, "bot.log")


# ------------------------------------------------------------------------------ exceptions
def test_legacy_exception_modules_are_aliases() -> None:
    from sym_api_client_python.exceptions.APIClientErrorException import APIClientErrorException
    from sym_api_client_python.exceptions.DatafeedExpiredException import DatafeedExpiredException
    from sym_api_client_python.exceptions.ForbiddenException import ForbiddenException
    from sym_api_client_python.exceptions.MaxRetryException import MaxRetryException
    from sym_api_client_python.exceptions.ServerErrorException import ServerErrorException
    from sym_api_client_python.exceptions.SymException import SymException
    from sym_api_client_python.exceptions.UnauthorizedException import UnauthorizedException

    assert APIClientErrorException is errors.ClientError
    assert DatafeedExpiredException is errors.DatafeedNotFoundError
    assert ForbiddenException is errors.ForbiddenError
    assert MaxRetryException is errors.MaxRetryError
    assert ServerErrorException is errors.ServerError
    assert UnauthorizedException is errors.AuthError
    assert SymException is errors.SymphonyError
    with pytest.raises(APIClientErrorException):  # 2.x subclasses are still caught
        raise errors.NotFoundError(404, "gone")


# ------------------------------------------------------------------------------ symbot config check
def _run(*args: str) -> tuple[int, str]:
    from sym_api_client_python.cli import build_app

    result = CliRunner().invoke(build_app(), ["config", "check", *args], env={"COLUMNS": "200"})
    return result.exit_code, result.output


def test_config_check_ok(tmp_path: Path) -> None:
    (tmp_path / "rsa").mkdir()
    (tmp_path / "rsa" / "bot.pem").write_bytes(PRIVATE_PEM)
    code, output = _run(str(legacy_file(tmp_path)), "--ignore-env")
    assert code == 0, output
    assert "https://pod.acme.com:443/podContext" in output and "no problems found" in output
    assert "p@ss" not in output and "********" in output


def test_config_check_reports_every_problem(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text("not a certificate")
    path = legacy_file(
        tmp_path,
        podPort="abc",
        reuseDatafeedID="maybe",
        truststorePath="ca.pem",
        botCertPassword="hunter2",
        botCertPath="missing.p12",
    )
    code, output = _run(str(path), "--ignore-env")
    assert code == 1
    assert "3 problems" in output or "4 problems" in output
    assert "podPort must be an integer, got 'abc'" in output
    assert "reuseDatafeedID must be true or false, got 'maybe'" in output
    assert "private key file" in output and "does not exist" in output
    assert "truststorePath is unusable" in output
    assert "hunter2" not in output


def test_config_check_invalid_json(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"podHost": }')
    code, output = _run(str(path))
    assert code == 1 and "invalid JSON at line 1" in output
