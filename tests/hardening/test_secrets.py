"""No secret ever reaches a log record or an exception's text.

A bot goes through RSA login, a 401 re-login (the emulator expires every session), a failing call
and a certificate login with a password, with every logger at DEBUG; every record (message, args,
formatted traceback) and every exception's ``str``/``repr`` is searched for the private key, the
tokens, any JWT and the certificate password.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sym_api_client_python.core.errors import SymphonyError
from sym_api_client_python.core.http import Component, Request

JWT_PATTERN = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")
CERT_PASSWORD = "Corr3ct-Horse-Battery!"


class _Everything(logging.Handler):
    """Keeps every record with its fully formatted text (message, args and traceback)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.texts: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(self.format(record))
        self.texts.append(repr(record.args))
        self.texts.append(repr(getattr(record, "__dict__", {})))


@pytest.fixture
def every_log_record() -> Iterator[_Everything]:
    handler = _Everything()
    touched: list[tuple[logging.Logger, int, bool]] = []
    root = logging.getLogger()
    touched.append((root, root.level, root.propagate))
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    # Loggers that do not propagate would escape a root handler: attach to them directly too.
    for logger in list(logging.root.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger):
            touched.append((logger, logger.level, logger.propagate))
            logger.setLevel(logging.DEBUG)
            if not logger.propagate:
                logger.addHandler(handler)
    try:
        yield handler
    finally:
        for logger, level, _propagate in touched:
            logger.setLevel(level)
            logger.removeHandler(handler)


def _key_fragments(pem: str) -> list[str]:
    """Slices of a PEM's base64 body: any of them in a log means key material leaked."""
    body = "".join(line for line in pem.splitlines() if line and not line.startswith("-----"))
    return [body[i : i + 24] for i in range(0, len(body) - 24, max(24, len(body) // 12))]


def _assert_clean(texts: list[str], secrets: list[str]) -> None:
    blob = "\n".join(texts)
    for secret in secrets:
        assert secret and secret not in blob, f"secret material {secret[:6]}… found in logs/errors"
    match = JWT_PATTERN.search(blob)
    assert match is None, f"a JWT appears in logs/errors: {match.group(0)[:20] if match else ''}…"


def _failing_calls(client: Any, collected: list[str]) -> None:
    for request in (
        Request("GET", Component.POD, "/pod/v3/room/no-such-room/info"),
        Request("POST", Component.AGENT, "/agent/v4/stream/no-such-stream/message/create",
                json={"message": "<messageML>x</messageML>"}),
    ):  # fmt: skip
        with pytest.raises(SymphonyError) as caught:
            client.request(request)
        collected += [str(caught.value), repr(caught.value), repr(vars(caught.value))]


def test_rsa_login_relogin_and_failures_log_no_secret(pod: Any, every_log_record: _Everything) -> None:
    from sym_api_client_python.client import SyncApiClient
    from sym_api_client_python.core.config import load_config

    key_pem = Path(pod.bot_private_key_path).read_text(encoding="utf-8")
    client = SyncApiClient.from_config(load_config(pod.bot_config_path, env={}))
    seen_tokens: list[str] = []
    collected: list[str] = []
    try:
        client.authenticate()
        seen_tokens += [client.session_token or "", client.key_manager_token or ""]
        assert client.session_info()["username"] == pod.bot["username"]
        pod.expire_sessions()
        client.request(Request("GET", Component.POD, "/pod/v2/sessioninfo"))  # 401 → re-login → retry
        seen_tokens += [client.session_token or "", client.key_manager_token or ""]
        assert seen_tokens[0] != seen_tokens[2], "the 401 must have produced a new session token"
        _failing_calls(client, collected)
    finally:
        client.close()
    assert every_log_record.texts, "DEBUG logging produced no record at all: the capture is broken"
    _assert_clean(every_log_record.texts + collected, [*seen_tokens, *_key_fragments(key_pem)])


async def test_async_client_logs_no_secret(pod: Any, every_log_record: _Everything) -> None:
    from sym_api_client_python.client import AsyncApiClient
    from sym_api_client_python.core.config import load_config

    key_pem = Path(pod.bot_private_key_path).read_text(encoding="utf-8")
    client = AsyncApiClient.from_config(load_config(pod.bot_config_path, env={}))
    tokens: list[str] = []
    collected: list[str] = []
    try:
        await client.authenticate()
        tokens += [client.session_token or "", client.key_manager_token or ""]
        pod.expire_sessions()
        await client.request(Request("GET", Component.POD, "/pod/v2/sessioninfo"))
        tokens += [client.session_token or "", client.key_manager_token or ""]
        with pytest.raises(SymphonyError) as caught:
            await client.request(Request("GET", Component.POD, "/pod/v3/room/no-such-room/info"))
        collected += [str(caught.value), repr(caught.value), repr(vars(caught.value))]
    finally:
        await client.close()
    _assert_clean(every_log_record.texts + collected, [*tokens, *_key_fragments(key_pem)])


def test_certificate_login_logs_no_password(pod: Any, tmp_path: Path, every_log_record: _Everything) -> None:
    from sym_api_client_python.client import SyncApiClient
    from sym_api_client_python.core.config import load_config
    from sym_api_client_python.core.errors import ConfigError

    bundle = pod.issue_certificate(pod.bot["username"], password=CERT_PASSWORD)
    (tmp_path / "bot.p12").write_bytes(base64.b64decode(bundle["pkcs12"]))
    base = {
        key: value
        for key, value in json.loads(Path(pod.bot_config_path).read_text(encoding="utf-8")).items()
        if not key.startswith("botPrivateKey")
    }
    collected: list[str] = []
    good = load_config({**base, "botCertPath": str(tmp_path), "botCertName": "bot.p12",
                        "botCertPassword": CERT_PASSWORD}, env={})  # fmt: skip
    collected += [repr(good), str(good)]
    client = SyncApiClient.from_config(good)
    try:
        client.authenticate()
        tokens = [client.session_token or "", client.key_manager_token or ""]
    finally:
        client.close()
    wrong_password = "Wr0ng-" + CERT_PASSWORD
    bad = load_config({**base, "botCertPath": str(tmp_path), "botCertName": "bot.p12",
                       "botCertPassword": wrong_password}, env={})  # fmt: skip
    client = SyncApiClient.from_config(bad)
    try:
        with pytest.raises((ConfigError, SymphonyError)) as caught:
            client.authenticate()
        collected += [str(caught.value), repr(caught.value)]
    finally:
        client.close()
    secrets = [*tokens, CERT_PASSWORD, wrong_password, *_key_fragments(bundle["privateKey"])]
    _assert_clean(every_log_record.texts + collected, secrets)


def test_legacy_api_logs_no_secret(pod: Any, every_log_record: _Everything) -> None:
    from sym_api_client_python.auth.rsa_auth import SymBotRSAAuth
    from sym_api_client_python.clients.sym_bot_client import SymBotClient
    from sym_api_client_python.configure.configure import SymConfig

    key_pem = Path(pod.bot_private_key_path).read_text(encoding="utf-8")
    config = SymConfig(str(pod.bot_config_path))
    config.load_config()
    auth = SymBotRSAAuth(config)
    auth.authenticate()
    tokens = [str(auth.get_session_token()), str(auth.get_key_manager_token())]
    bot_client = SymBotClient(auth, config)
    collected: list[str] = [repr(config), repr(auth), repr(bot_client)]
    with pytest.raises(SymphonyError) as caught:
        bot_client.get_stream_client().get_room_info("no-such-room")
    collected += [str(caught.value), repr(caught.value)]
    _assert_clean(every_log_record.texts + collected, [*tokens, *_key_fragments(key_pem)])
