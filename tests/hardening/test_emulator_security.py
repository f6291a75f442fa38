"""The emulator as an attacker sees it: loopback only, forged JWTs refused, streams private, bodies bounded.

Everything goes over raw HTTPS (http.client), never through the SDK: the emulator is tested as an
independent server.
"""

from __future__ import annotations

import base64
import http.client
import json
import socket
import ssl
import time
import urllib.parse
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

MAX_BODY = 10 * 1024 * 1024


class Raw:
    """One HTTPS connection to the emulator, trusting its work-dir CA."""

    def __init__(self, pod: Any) -> None:
        parsed = urllib.parse.urlsplit(pod.url)
        context = ssl.create_default_context(cafile=str(pod.ca_path))
        self.connection = http.client.HTTPSConnection(
            parsed.hostname, parsed.port, context=context, timeout=30
        )

    def call(self, method: str, path: str, body: bytes | None = None, **headers: str) -> tuple[int, Any]:
        self.connection.request(
            method, path, body=body, headers={"Content-Type": "application/json", **headers}
        )
        response = self.connection.getresponse()
        data = response.read()
        try:
            return response.status, json.loads(data) if data else None
        except json.JSONDecodeError:
            return response.status, data

    def login(self, token: str) -> tuple[int, Any]:
        return self.call("POST", "/login/pubkey/authenticate", json.dumps({"token": token}).encode())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.fixture
def user(pod: Any) -> dict[str, Any]:
    """A user with a key pair we hold, so we can mint valid and forged JWTs for it."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    created = pod.create_user("mallory", display_name="Mallory", public_key=public_pem.decode())
    return {**created, "key": key, "public_pem": public_pem}


def _claims(sub: str, lifetime: int = 120) -> dict[str, Any]:
    now = int(time.time())
    return {"sub": sub, "iat": now, "exp": now + lifetime}


def test_valid_jwt_logs_in(pod: Any, user: dict[str, Any]) -> None:
    status, body = Raw(pod).login(jwt.encode(_claims("mallory"), user["key"], algorithm="RS512"))
    assert status == 200 and body["token"]


def test_forged_jwts_are_refused(pod: Any, user: dict[str, Any]) -> None:
    raw = Raw(pod)
    header_none = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    forged = {
        "alg none": f"{header_none}.{_b64(json.dumps(_claims('mallory')).encode())}.",
        "HS256 keyed with the public key": _hs256_with_public_key(user["public_pem"], _claims("mallory")),
        "expired": jwt.encode(_claims("mallory", lifetime=-60), user["key"], algorithm="RS512"),
        "sub of another user": jwt.encode(_claims(pod.bot["username"]), user["key"], algorithm="RS512"),
        "unknown sub": jwt.encode(_claims("nobody-at-all"), user["key"], algorithm="RS512"),
        "signed by another key": jwt.encode(
            _claims("mallory"),
            rsa.generate_private_key(public_exponent=65537, key_size=2048),
            algorithm="RS512",
        ),
        "garbage": "not.a.jwt",
    }
    for name, token in forged.items():
        status, body = raw.login(token)
        assert status == 401, f"{name}: expected 401, got {status} {body!r}"
        assert isinstance(body, dict) and body.get("message"), f"{name}: 401 without a reason"
        relay_status, _ = raw.call(
            "POST", "/relay/pubkey/authenticate", json.dumps({"token": token}).encode()
        )
        assert relay_status == 401, f"{name} on the key manager: {relay_status}"


def _hs256_with_public_key(public_pem: bytes, claims: dict[str, Any]) -> str:
    """The classic algorithm-confusion forgery, built by hand (PyJWT refuses to)."""
    import hashlib
    import hmac

    signing_input = (
        f"{_b64(json.dumps({'alg': 'HS256', 'typ': 'JWT'}).encode())}.{_b64(json.dumps(claims).encode())}"
    )
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def test_a_user_cannot_read_streams_they_are_not_in(pod: Any, user: dict[str, Any]) -> None:
    pod.create_user("alice", display_name="Alice")
    private = pod.send_message("alice", "<messageML>secret</messageML>", to=pod.bot["username"])
    stream_id = private["stream"]["streamId"]
    raw = Raw(pod)
    _, session = raw.login(jwt.encode(_claims("mallory"), user["key"], algorithm="RS512"))
    _, key_manager = raw.call(
        "POST",
        "/relay/pubkey/authenticate",
        json.dumps({"token": jwt.encode(_claims("mallory"), user["key"], algorithm="RS512")}).encode(),
    )
    tokens = {"sessionToken": session["token"], "keyManagerToken": key_manager["token"]}
    quoted = urllib.parse.quote(stream_id, safe="")
    for method, path in (
        ("GET", f"/agent/v4/stream/{quoted}/message?since=0"),
        ("GET", f"/pod/v2/streams/{quoted}/info"),
        ("GET", f"/pod/v1/admin/stream/{quoted}/membership/list"),
    ):
        status, body = raw.call(method, path, **tokens)
        assert status in (403, 404), f"{method} {path}: {status} {body!r}"
        assert "secret" not in json.dumps(body)
    status, body = raw.call(
        "POST",
        f"/agent/v4/stream/{quoted}/message/create",
        json.dumps({"message": "<messageML>intrusion</messageML>"}).encode(),
        **tokens,
    )
    assert status in (403, 404), f"posting into a foreign stream: {status} {body!r}"
    assert all("intrusion" not in m["message"] for m in pod.stream_messages(stream_id))


def test_oversized_bodies_are_refused(pod: Any) -> None:
    raw = Raw(pod)
    status, body = raw.call("POST", "/login/pubkey/authenticate", b"{" + b" " * (MAX_BODY + 10) + b"}")
    assert status in (400, 413), status
    assert status != 413 or "limit" in json.dumps(body)
    # A body announced as small but streamed larger is cut too (no Content-Length trust).
    parsed = urllib.parse.urlsplit(pod.url)
    context = ssl.create_default_context(cafile=str(pod.ca_path))
    with (
        socket.create_connection((parsed.hostname, parsed.port), timeout=30) as plain,
        context.wrap_socket(plain, server_hostname=parsed.hostname) as tls,
    ):
        tls.sendall(
            b"POST /login/pubkey/authenticate HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            b"Content-Type: application/json\r\n\r\n"
        )
        chunk = b"x" * (1024 * 1024)
        answer = b""
        try:
            for _ in range(12):
                tls.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            tls.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass  # the server may hang up as soon as the limit is crossed
        try:
            answer = tls.recv(4096)
        except (ConnectionResetError, ssl.SSLError):
            answer = b""
    assert answer == b"" or answer.split(b" ")[1] in (b"400", b"413"), answer[:80]


def test_emulator_binds_loopback_by_default(tmp_path: Any) -> None:
    import inspect

    from sympod import Emulator
    from sympod.cli import serve

    assert inspect.signature(Emulator).parameters["host"].default == "127.0.0.1"
    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"
    with Emulator(workdir=tmp_path) as emulator:
        host = urllib.parse.urlsplit(emulator.url).hostname
        assert host == "127.0.0.1"
        port = urllib.parse.urlsplit(emulator.url).port
        # Not reachable on another local address of this machine (when it has one).
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        others = {str(info[4][0]) for info in infos}
        assert port is not None
        for address in others:
            if address.startswith("127."):
                continue
            with pytest.raises(OSError):
                socket.create_connection((address, port), timeout=1).close()
