"""BotConfig / load_config: every key, lenient JSON, YAML, env expansion and overrides, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sym_api_client_python.core.config import BotConfig, load_config, normalise_context_path
from sym_api_client_python.core.config_fields import KNOWN_KEYS
from sym_api_client_python.core.config_source import parse_document, strip_json_extensions
from sym_api_client_python.core.errors import ConfigError
from sym_api_client_python.core.http import Component

FULL = {
    "sessionAuthHost": "auth.acme.com",
    "sessionAuthPort": 8444,
    "sessionAuthContextPath": "sessionAuthContext",
    "keyAuthHost": "km.acme.com",
    "keyAuthPort": "8445",
    "keyAuthContextPath": "/keyAuthContext",
    "podHost": "pod.acme.com",
    "podPort": 443,
    "podContextPath": "/podContext/",
    "agentHost": "agent.acme.com",
    "agentPort": None,
    "agentContextPath": "/",
    "botPrivateKeyPath": "rsa/",
    "botPrivateKeyName": "bot-private.pem",
    "botCertPath": "certs/",
    "botCertName": "/bot.p12",
    "botCertPassword": "s3cret-cert",
    "botUsername": "my-bot",
    "botEmailAddress": "bot@acme.com",
    "appCertPath": "app/",
    "appCertName": "app.p12",
    "appCertPassword": "s3cret-app",
    "authTokenRefreshPeriod": "30",
    "proxyURL": "",
    "proxyUsername": "",
    "proxyPassword": "",
    "podProxyURL": "http://pod-proxy:3128",
    "podProxyUsername": "pu",
    "podProxyPassword": "s3cret-pod",
    "agentProxyURL": "agent-proxy:3128",
    "agentProxyUsername": "",
    "agentProxyPassword": "",
    "keyManagerProxyURL": "https://km-proxy:3129",
    "keyManagerProxyUsername": "ku",
    "keyManagerProxyPassword": "p@ss:w/rd",
    "truststorePath": "ca/truststore.pem",
    "reuseDatafeedID": "false",
    "datafeedIdFilePath": "feeds/",
    "datafeedVersion": "V1",
    "datafeedEventsErrorTimeout": 5,
    "datafeedEventsErrorMaxTimeout": "120",
    "scheme": "https",
    "connectTimeout": 3,
    "readTimeout": "45.5",
    "retryMaxAttempts": 6,
    "retryInitialDelay": 0.1,
    "retryMaxDelay": 2,
    "authMaxRetries": 2,
    "authRetryInitialDelay": 0.01,
    "authRetryMaxDelay": 0.5,
    "someCustomKey": {"kept": True},
}


def write(tmp_path: Path, data: dict | str, name: str = "bot-config.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def test_every_key_is_read(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, FULL), env={})
    assert config.session_auth.base_url == "https://auth.acme.com:8444/sessionAuthContext"
    assert config.key_auth.base_url == "https://km.acme.com:8445/keyAuthContext"
    assert config.pod.base_url == "https://pod.acme.com:443/podContext"
    assert config.agent.base_url == "https://agent.acme.com:443"
    assert config.bot_private_key_path == tmp_path / "rsa" / "bot-private.pem"
    assert config.bot_cert_path == tmp_path / "certs" / "bot.p12"  # leading "/" on the name tolerated
    assert config.bot_cert_password == "s3cret-cert"
    assert config.bot_username == "my-bot"
    assert config.bot_email_address == "bot@acme.com"
    assert config.app_cert_path == tmp_path / "app" / "app.p12"
    assert config.app_cert_password == "s3cret-app"
    assert config.auth_token_refresh_period == 30.0
    assert config.auth_mode == "rsa"  # a private key wins over a certificate
    # empty proxyURL must not wipe the per-component proxies (legacy bug)
    assert config.pod.proxy is not None and config.pod.proxy.url == "http://pod-proxy:3128"
    assert config.session_auth.proxy == config.pod.proxy  # pod proxy also serves session auth
    assert config.agent.proxy is not None and config.agent.proxy.url == "http://agent-proxy:3128"
    assert config.key_auth.proxy is not None and config.key_auth.proxy.username == "ku"
    assert config.key_auth.proxy.url_with_credentials() == "https://ku:p%40ss%3Aw%2Frd@km-proxy:3129"
    assert config.truststore_path == tmp_path / "ca" / "truststore.pem"
    assert config.reuse_datafeed_id is False  # "false" is false (legacy: truthy string)
    assert config.datafeed_id_file_path == tmp_path / "feeds"
    assert config.datafeed_version == "v1"
    assert config.datafeed_events_error_timeout == 5.0
    assert config.datafeed_events_error_max_timeout == 120.0
    assert (config.connect_timeout, config.read_timeout) == (3.0, 45.5)
    assert config.retry_policy.max_attempts == 6 and config.retry_policy.max_delay == 2
    assert config.login_retry_policy.max_attempts == 3
    assert config.extra == {"someCustomKey": {"kept": True}}
    assert config.source == tmp_path / "bot-config.json"
    assert config.component(Component.KEY_AUTH) is config.key_auth


def test_defaults_and_component_fallback_to_pod() -> None:
    config = load_config({"podHost": "pod.example", "podPort": 8443, "scheme": "http"}, env={})
    assert config.pod.base_url == "http://pod.example:8443"
    for component in (config.agent, config.session_auth, config.key_auth):
        assert component.base_url == "http://pod.example:8443"
    assert config.datafeed_version == "v2"  # new engine default (legacy SymConfig: v1)
    assert config.reuse_datafeed_id is True
    assert config.truststore_path is None  # missing truststorePath is fine (legacy KeyError)
    assert config.auth_mode is None
    assert config.pod.proxy is None
    assert config.datafeed_id_folder == Path.cwd()


def test_global_proxy_applies_where_no_component_proxy() -> None:
    config = load_config(
        {
            "podHost": "p",
            "proxyURL": "http://global:8080",
            "proxyUsername": "u",
            "proxyPassword": "pw",
            "agentProxyURL": "http://agent-only:8080",
        },
        env={},
    )
    assert config.pod.proxy is not None and config.pod.proxy.url == "http://global:8080"
    assert config.key_auth.proxy is not None and config.key_auth.proxy.password == "pw"
    assert config.agent.proxy is not None and config.agent.proxy.url == "http://agent-only:8080"


@pytest.mark.parametrize(
    ("value", "expected"), [("ctx", "/ctx"), ("/ctx", "/ctx"), ("/ctx/", "/ctx"), ("", ""), ("/", "")]
)
def test_context_path_normalisation(value: str, expected: str) -> None:
    assert normalise_context_path(value) == expected


def test_host_given_as_full_url_like_legacy_symconfig_writes_back() -> None:
    config = load_config({"podHost": "https://pod.x:8443/ctx"}, env={})
    assert config.pod.base_url == "https://pod.x:8443/ctx"


def test_old_rsa_key_spelling_and_precedence(tmp_path: Path) -> None:
    old = load_config(
        {"podHost": "p", "botUsername": "b", "botRSAPath": "old/", "botRSAName": "k.pem"},
        relative_to=tmp_path,
        env={},
    )
    assert old.bot_private_key_path == tmp_path / "old" / "k.pem"
    both = load_config(
        {
            "podHost": "p",
            "botUsername": "b",
            "botRSAPath": "old/",
            "botRSAName": "k.pem",
            "botPrivateKeyPath": "new/",
            "botPrivateKeyName": "k.pem",
        },
        relative_to=tmp_path,
        env={},
    )
    assert both.bot_private_key_path == tmp_path / "new" / "k.pem"


def test_relative_to_accepts_a_file_like_legacy(tmp_path: Path) -> None:
    config = load_config(
        {"podHost": "p", "truststorePath": "ca.pem"}, relative_to=tmp_path / "main.py", env={}
    )
    assert config.truststore_path == tmp_path / "ca.pem"


def test_secrets_never_in_repr(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, {**FULL, "botPrivateKey": "-----BEGIN PRIVATE KEY-----xyz"}), env={})
    text = repr(config) + str(config) + repr(config.key_auth.proxy)
    for secret in ("s3cret-cert", "s3cret-app", "s3cret-pod", "p@ss", "BEGIN PRIVATE KEY"):
        assert secret not in text
    shown = " ".join(f"{k}={v}" for k, v in config.display_items())
    for secret in ("s3cret-cert", "s3cret-pod", "p@ss"):
        assert secret not in shown
    assert "https://pod.acme.com:443/podContext" in shown


def test_json_with_comments_trailing_and_missing_commas(tmp_path: Path) -> None:
    text = """{
      // For bot RSA authentication
      "podHost": "https://pod.acme.com//x", /* a block
         comment */ "podPort": 8443,
      "botUsername": "a // not a comment",
      "authTokenRefreshPeriod": "30"

      // the legacy README forgot the comma above
      "proxyURL": "",
      "list": [1, 2,],
    }"""
    config = load_config(write(tmp_path, text), env={})
    assert config.pod.host == "pod.acme.com" and config.pod.port == 8443
    assert config.pod.context_path == "/x"
    assert config.bot_username == "a // not a comment"
    assert config.extra["list"] == [1, 2]


def test_strip_keeps_positions_for_error_messages() -> None:
    text = '{\n  // c\n  "a": 1\n}'
    assert strip_json_extensions(text).count("\n") == text.count("\n")


def test_invalid_json_names_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, '{\n  "podHost": "p",\n  "podPort": ,\n}')
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    assert "bot-config.json" in str(info.value) and "line 3" in str(info.value)


def test_yaml(tmp_path: Path) -> None:
    path = write(
        tmp_path, "podHost: pod.y\npodPort: 9443\nreuseDatafeedID: no\ndatafeedVersion: v1\n", "bot.yaml"
    )
    config = load_config(path, env={})
    assert config.pod.base_url == "https://pod.y:9443"
    assert config.reuse_datafeed_id is False and config.datafeed_version == "v1"
    with pytest.raises(ConfigError, match=r"bad\.yml: invalid YAML at line \d+ column \d+"):
        load_config(write(tmp_path, "podHost: [unclosed\n", "bad.yml"), env={})


def test_not_an_object_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="must be an object"):
        parse_document("[1, 2]", source="x.json")
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.json", env={})


def test_env_expansion_with_defaults_and_escape() -> None:
    env = {"POD": "pod.env", "PASS": "pw"}
    config = load_config(
        {
            "podHost": "${POD}",
            "podPort": "${PORT:-8443}",
            "botCertPath": "/c/bot.p12",
            "botCertPassword": "${PASS}",
            "botEmailAddress": "cost$$5@${POD}",
        },
        env=env,
    )
    assert config.pod.base_url == "https://pod.env:8443"
    assert config.bot_cert_password == "pw"
    assert config.bot_email_address == "cost$5@pod.env"


def test_env_expansion_unset_variable_is_a_problem() -> None:
    with pytest.raises(ConfigError, match=r"podHost environment variable MISSING_HOST is not set"):
        load_config({"podHost": "${MISSING_HOST}"}, env={})


@pytest.mark.parametrize("variable", ["SYM_POD_HOST", "SYM_PODHOST", "SYM_podHost", "sym_pod_host"])
def test_sym_env_overrides(variable: str) -> None:
    config = load_config({"podHost": "file.host"}, env={variable: "env.host"})
    assert config.pod.host == "env.host"
    assert config.env_overrides == (variable,)


def test_sym_env_override_types_and_unmatched() -> None:
    env = {
        "SYM_POD_PORT": "9443",
        "SYM_REUSE_DATAFEED_ID": "false",
        "SYM_DATAFEED_VERSION": "v1",
        "SYM_POD_PROXY_URL": "http://proxy:1",
        "SYM_TYPO_HOST": "x",
    }
    config = load_config({"podHost": "p"}, env=env)
    assert config.pod.port == 9443 and config.reuse_datafeed_id is False
    assert config.datafeed_version == "v1" and config.pod.proxy is not None
    assert config.unmatched_env == ("SYM_TYPO_HOST",)


def test_bad_env_override_names_the_variable() -> None:
    with pytest.raises(
        ConfigError, match=r"SYM_POD_PORT \(environment\): podPort must be an integer, got 'abc'"
    ):
        load_config({"podHost": "p"}, env={"SYM_POD_PORT": "abc"})


def test_every_problem_is_reported_with_key_and_file(tmp_path: Path) -> None:
    bad = {
        "podPort": "abc",
        "agentHost": "a",
        "agentPort": 70000,
        "reuseDatafeedID": "maybe",
        "datafeedVersion": "v3",
        "authTokenRefreshPeriod": "soon",
        "datafeedEventsErrorTimeout": -1,
        "connectTimeout": True,
        "scheme": "ftp",
        "botCertPassword": ["not", "a", "string"],
        "podProxyURL": "socks5://proxy:1080",
        "botPrivateKeyPath": "k.pem",
    }
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, bad), env={})
    message = str(info.value)
    expected = [
        "bot-config.json: podPort must be an integer, got 'abc'",
        "podHost is required",
        "agentPort must be a port number between 1 and 65535, got 70000",
        "reuseDatafeedID must be true or false, got 'maybe'",
        "datafeedVersion must be 'v1' or 'v2', got 'v3'",
        "authTokenRefreshPeriod must be a number, got 'soon'",
        "datafeedEventsErrorTimeout must be a number >= 0, got -1",
        "connectTimeout must be a number, got True",
        "scheme must be 'https' or 'http', got 'ftp'",
        "botCertPassword must be a string, got (hidden)",
        "podProxyURL must be a URL like http://proxy:8080, got 'socks5://proxy:1080'",
        "botUsername is required for RSA authentication",
    ]
    for fragment in expected:
        assert fragment in message
    assert len(info.value.problems) == len(expected)
    assert info.value.key == "podPort"


def test_single_problem_message_is_one_line() -> None:
    with pytest.raises(ConfigError) as info:
        load_config({"podHost": "p", "podPort": "abc"}, env={})
    assert str(info.value) == "<config dict>: podPort must be an integer, got 'abc'"


def test_known_keys_cover_the_legacy_keys() -> None:
    legacy = {
        "sessionAuthHost",
        "keyAuthPort",
        "podContextPath",
        "botPrivateKeyName",
        "botRSAPath",
        "botCertName",
        "botEmailAddress",
        "appCertPassword",
        "authTokenRefreshPeriod",
        "proxyPassword",
        "keyManagerProxyUsername",
        "truststorePath",
        "reuseDatafeedID",
        "datafeedIdFilePath",
        "datafeedVersion",
        "datafeedEventsErrorTimeout",
        "datafeedEventsErrorMaxTimeout",
    }
    assert legacy <= set(KNOWN_KEYS)


def test_refresh_period_zero_disables_proactive_refresh() -> None:
    assert (
        load_config({"podHost": "p", "authTokenRefreshPeriod": 0}, env={}).auth_token_refresh_period is None
    )


def test_config_is_frozen() -> None:
    config = load_config({"podHost": "p"}, env={})
    assert isinstance(config, BotConfig)
    with pytest.raises(AttributeError):
        config.bot_username = "x"  # type: ignore[misc]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='ab/*,"}]\\\n {[:'),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(
    value=st.dictionaries(st.text(alphabet="ab/*,", max_size=6), json_values, max_size=5),
    indent=st.sampled_from([None, 2]),
)
def test_lenient_json_never_changes_valid_json(value: dict, indent: int | None) -> None:
    text = json.dumps(value, indent=indent)
    assert json.loads(strip_json_extensions(text)) == value


def test_inline_private_key_and_validate(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    config = load_config(
        {"podHost": "p", "botUsername": "b", "botPrivateKey": "${KEY}"}, env={"KEY": pem.decode()}
    )
    assert config.auth_mode == "rsa" and config.validate() == []
    assert pem.decode()[40:80] not in repr(config)


def test_validate_reports_files_credentials_and_backoff_order(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text("junk")
    config = load_config(
        {
            "podHost": "p",
            "botCertPath": "bot.p12",
            "truststorePath": "ca.pem",
            "datafeedEventsErrorTimeout": 10,
            "datafeedEventsErrorMaxTimeout": 5,
        },
        relative_to=tmp_path,
        env={},
    )
    messages = [str(p) for p in config.validate()]
    assert any(
        "datafeedEventsErrorMaxTimeout (5) is smaller than datafeedEventsErrorTimeout (10)" in m
        for m in messages
    )
    assert any("botCertPath is unusable: certificate file" in m for m in messages)
    assert any("truststorePath is unusable" in m and "no PEM certificate" in m for m in messages)
    assert config.validate(check_files=False) == [p for p in config.validate() if "unusable" not in str(p)]
    no_credentials = load_config({"podHost": "p"}, env={})
    assert [p.message.split(":")[0] for p in no_credentials.validate()] == ["no credentials"]


BDK_YAML = """
scheme: https
host: acme.symphony.com
port: 8443
context: /global
proxy: {host: proxy.acme, port: 3128, username: u, password: "p@ss"}
agent:
  host: agent.acme.com
  context: ""
keyManager:
  host: km.acme.com
  port: 9443
  proxy: {host: km-proxy.acme, port: 8080}
bot:
  username: bdk-bot
  privateKey:
    path: rsa/privatekey.pem
ssl:
  trustStore:
    path: /etc/ssl/acme.pem
datafeed:
  version: v1
  idFilePath: /var/feeds
retry:
  maxAttempts: 3
  initialIntervalMillis: 250
  maxIntervalMillis: 4000
datahose: {tag: x}
"""


def test_bdk_config_yaml_is_translated(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, BDK_YAML, "config.yaml"), env={})
    assert config.pod.base_url == "https://acme.symphony.com:8443/global"
    assert config.session_auth.base_url == "https://acme.symphony.com:8443/global"
    assert config.agent.base_url == "https://agent.acme.com:8443"
    assert config.key_auth.base_url == "https://km.acme.com:9443/global"
    assert config.pod.proxy is not None and config.pod.proxy.url == "http://proxy.acme:3128"
    assert config.pod.proxy.password == "p@ss"
    assert config.key_auth.proxy is not None and config.key_auth.proxy.url == "http://km-proxy.acme:8080"
    assert config.bot_username == "bdk-bot"
    assert config.bot_private_key_path == tmp_path / "rsa" / "privatekey.pem"
    assert config.truststore_path == Path("/etc/ssl/acme.pem")
    assert config.datafeed_version == "v1" and config.datafeed_id_file_path == Path("/var/feeds")
    assert (config.retry_max_attempts, config.retry_initial_delay, config.retry_max_delay) == (3, 0.25, 4.0)
    assert config.extra == {"datahose": {"tag": "x"}}


def test_bdk_problems_name_the_bdk_key(tmp_path: Path) -> None:
    text = "host: acme.symphony.com\nport: abc\nbot: {username: b, privateKey: {path: k.pem}}\n"
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text, "config.yaml"), env={})
    assert "config.yaml (port): podPort must be an integer, got 'abc'" in str(info.value)
    assert len(info.value.problems) == 1  # one global value, four keys: reported once


def test_folder_without_file_name_names_no_key(tmp_path: Path) -> None:
    config = load_config(
        {
            "podHost": "p",
            "botPrivateKeyPath": "./rsa/",
            "botPrivateKeyName": "",
            "botCertPath": "/certs/",
            "botCertName": "bot.p12",
        },
        env={},
    )
    assert config.bot_private_key_path is None and config.auth_mode == "certificate"


LEGACY_README = Path(__file__).resolve().parents[3] / "shared" / "seed" / "legacy-sdk-README.md"


@pytest.mark.skipif(not LEGACY_README.exists(), reason="shared/seed not beside the repository")
def test_the_legacy_readme_sample_config_loads(tmp_path: Path) -> None:
    text = LEGACY_README.read_text()
    start = text.index("{", text.index("An example of json has been provided below"))
    end = text.index("\n    }\n", start) + len("\n    }")
    config = load_config(write(tmp_path, text[start:end]), env={})  # comments and a missing comma
    assert config.pod.base_url == "https://MY_ENVIRONMENT.symphony.com:443"
    assert config.auth_mode == "rsa" and config.bot_username == "YOUR_BOT_USERNAME"
    assert config.agent.proxy is not None and config.agent.proxy.username == "proxy-username"
    assert config.truststore_path == Path("/path/to/truststore.pem")
    assert config.datafeed_id_file_path == Path("/some/folder")


def test_component_fallback_keeps_its_own_port_and_scheme() -> None:
    config = load_config(
        {"podHost": "p", "podPort": 8443, "agentScheme": "http", "keyAuthPort": 9000}, env={}
    )
    assert config.agent.base_url == "http://p:8443"
    assert config.key_auth.base_url == "https://p:9000"
    assert config.session_auth.base_url == "https://p:8443"
