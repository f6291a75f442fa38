"""Test support (no tests here): in-memory transports and a pod that issues and checks tokens."""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from sym_api_client_python.core.config import BotConfig, load_config
from sym_api_client_python.core.http import Response
from sym_api_client_python.transport.base import PreparedRequest

_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PRIVATE_PEM = _KEY.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
)
PUBLIC_PEM = _KEY.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
)


def make_config(tmp_path: Path, **overrides: object) -> BotConfig:
    key = tmp_path / "bot.pem"
    key.write_bytes(PRIVATE_PEM)
    data: dict[str, object] = {
        "podHost": "pod.test",
        "agentHost": "agent.test",
        "agentPort": 8444,
        "botUsername": "bot",
        "botPrivateKeyPath": str(key),
        "retryInitialDelay": 0,
        "retryMaxDelay": 0,
        "authRetryInitialDelay": 0,
        "authRetryMaxDelay": 0,
        **overrides,
    }
    return load_config(data, env={})


def json_response(status: int, body: object, headers: dict[str, str] | None = None) -> Response:
    return Response(status, headers or {"content-type": "application/json"}, json.dumps(body).encode())


class FakePodLogic:
    """Issues tokens on login paths and answers 401 to calls whose token is not current."""

    def __init__(self, *, login_delay: float = 0.0) -> None:
        self.counter = itertools.count(1)
        self.valid: set[str] = set()
        self.logins: Counter[str] = Counter()
        self.requests: list[PreparedRequest] = []
        self.login_delay = login_delay
        #: path -> list of outcomes (a status or an exception) served before normal behaviour
        self.script: dict[str, list[int | BaseException]] = {}
        self.lock = threading.Lock()

    def expire(self) -> None:
        with self.lock:
            self.valid.clear()

    def handle(self, request: PreparedRequest) -> Response:
        with self.lock:
            self.requests.append(request)
            path = request.path
            pending = self.script.get(path)
            outcome = pending.pop(0) if pending else None
        if isinstance(outcome, BaseException):
            raise outcome
        if isinstance(outcome, int):
            return json_response(
                outcome, {"code": outcome, "message": f"scripted {outcome}"}, {"retry-after": "0"}
            )
        if path.endswith("/authenticate"):
            kind = "session" if path.startswith(("/login", "/sessionauth")) else "km"
            with self.lock:
                self.logins[kind] += 1
                token = f"{kind}-{next(self.counter)}"
                self.valid.add(token)
            return json_response(200, {"token": token})
        with self.lock:
            ok = request.headers.get("sessionToken") in self.valid
            if ok and "/agent/" in path:
                ok = request.headers.get("keyManagerToken") in self.valid
        if not ok:
            return json_response(401, {"code": 401, "message": "Invalid session"})
        return json_response(200, {"path": path, "id": 42})


class FakeSyncTransport:
    def __init__(self, handler: Callable[[PreparedRequest], Response], *, delay: float = 0.0) -> None:
        self.handler = handler
        self.delay = delay
        self.closed = False

    def send(self, request: PreparedRequest) -> Response:
        if self.delay:
            time.sleep(self.delay)
        return self.handler(request)

    def close(self) -> None:
        self.closed = True


class FakeAsyncTransport:
    def __init__(self, handler: Callable[[PreparedRequest], Response], *, delay: float = 0.0) -> None:
        self.handler = handler
        self.delay = delay
        self.closed = False

    async def send(self, request: PreparedRequest) -> Response:
        await asyncio.sleep(self.delay)
        return self.handler(request)

    async def close(self) -> None:
        self.closed = True
