"""RSA login, token checks on every API route, token expiry and certificate (mTLS) auth."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import jwt
import pytest
import urllib3

from sympod import Emulator
from sympod.tls import generate_rsa_keypair

from .podclient import PodClient, sign_login_jwt


def _login(pod: Emulator, token: str, path: str = "/login/pubkey/authenticate"):
    return PodClient(pod).request("POST", path, json_body={"token": token}, auth=False)


def _bot_key(pod: Emulator) -> bytes:
    return pod.bot_private_key_path.read_bytes()


def test_bot_logs_in_and_reads_its_session_info(pod: Emulator) -> None:
    token = sign_login_jwt("bot", _bot_key(pod))
    session = _login(pod, token)
    key_manager = _login(pod, token, "/relay/pubkey/authenticate")
    assert session.status == 200 and key_manager.status == 200
    assert session.json["name"] == "sessionToken"
    assert key_manager.json["name"] == "keyManagerToken"
    claims = jwt.decode(session.json["token"], options={"verify_signature": False})
    assert claims["userId"] == pod.bot["userId"] and claims["sub"] == "bot"
    client = PodClient(pod)
    client.session_token = session.json["token"]
    info = client.request("GET", "/pod/v2/sessioninfo")
    assert info.status == 200
    assert info.json["id"] == pod.bot["userId"]
    assert info.json["username"] == "bot"
    assert info.json["accountType"] == "SYSTEM"


def _forged(kind: str, pod: Emulator) -> str:
    bot_key = _bot_key(pod)
    now = int(time.time())
    if kind == "unknown user":
        return sign_login_jwt("nobody", bot_key)
    if kind == "bad signature":
        other_private, _ = generate_rsa_keypair()
        return sign_login_jwt("bot", other_private)
    if kind == "expired":
        return jwt.encode({"sub": "bot", "exp": now - 60}, bot_key, algorithm="RS512")
    if kind == "no exp":
        return jwt.encode({"sub": "bot"}, bot_key, algorithm="RS512")
    if kind == "exp too far":
        return sign_login_jwt("bot", bot_key, lifetime_s=3600)
    if kind == "alg none":
        header = base64.urlsafe_b64encode(json.dumps({"alg": "none", "typ": "JWT"}).encode()).rstrip(b"=")
        body = base64.urlsafe_b64encode(json.dumps({"sub": "bot", "exp": now + 60}).encode()).rstrip(b"=")
        return (header + b"." + body + b".").decode()
    if kind == "HS256 with the public key":
        public_pem = Path(pod.workdir, "rsa", "bot-public.pem").read_bytes()
        header = base64.urlsafe_b64encode(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()).rstrip(b"=")
        body = base64.urlsafe_b64encode(json.dumps({"sub": "bot", "exp": now + 60}).encode()).rstrip(b"=")
        import hashlib
        import hmac

        signature = base64.urlsafe_b64encode(
            hmac.new(public_pem, header + b"." + body, hashlib.sha256).digest()
        ).rstrip(b"=")
        return (header + b"." + body + b"." + signature).decode()
    if kind == "wrong sub":
        return sign_login_jwt("alice", bot_key)
    if kind == "garbage":
        return "not-a-jwt"
    raise AssertionError(kind)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("unknown user", "no user named 'nobody'"),
        ("bad signature", "Invalid signature"),
        ("expired", "expired"),
        ("no exp", "'exp'"),
        ("exp too far", "too far ahead"),
        ("alg none", "RS512"),
        ("HS256 with the public key", "RS512"),
        ("wrong sub", "Invalid signature"),
        ("garbage", "Malformed"),
    ],
)
def test_bad_login_jwts_get_401_with_the_reason(pod: Emulator, kind: str, expected: str) -> None:
    _, alice_public = generate_rsa_keypair()
    pod.create_user("alice", public_key=alice_public.decode())
    for path in ("/login/pubkey/authenticate", "/relay/pubkey/authenticate"):
        reply = _login(pod, _forged(kind, pod), path)
        assert reply.status == 401
        assert expected in reply.error()["message"]


def test_login_body_errors_are_401_not_500(pod: Emulator) -> None:
    client = PodClient(pod)
    for body in (b"", b"{not json", b"[]", b'{"token": 5}'):
        reply = client.request(
            "POST",
            "/login/pubkey/authenticate",
            body=body,
            auth=False,
            headers={"Content-Type": "application/json"},
        )
        assert reply.status in (400, 401), body
        reply.error()


def test_api_routes_need_valid_tokens(pod: Emulator) -> None:
    client = PodClient(pod)
    missing = client.request("GET", "/pod/v2/sessioninfo")
    assert missing.status == 401 and "sessionToken" in missing.error()["message"]
    client.session_token = "forged"
    assert client.request("GET", "/pod/v2/sessioninfo").status == 401
    client.login_bot(pod)
    assert client.request("GET", "/pod/v2/sessioninfo").status == 200
    # agent routes also need the key manager token
    no_km = client.request("GET", "/agent/v5/datafeeds", headers={"keyManagerToken": ""})
    assert no_km.status == 401 and "keyManagerToken" in no_km.error()["message"]
    swapped = client.request(
        "GET", "/agent/v5/datafeeds", headers={"keyManagerToken": client.session_token or ""}
    )
    assert swapped.status == 401
    assert client.request("GET", "/agent/v5/datafeeds").status == 200


def test_expire_sessions_revokes_every_token(pod: Emulator) -> None:
    client = PodClient(pod).login_bot(pod)
    assert client.request("GET", "/pod/v2/sessioninfo").status == 200
    pod.expire_sessions()
    assert client.request("GET", "/pod/v2/sessioninfo").status == 401
    client.login_bot(pod)
    assert client.request("GET", "/pod/v2/sessioninfo").status == 200


def test_tokens_expire_after_their_ttl(tmp_path: Path) -> None:
    with Emulator(workdir=tmp_path, token_ttl=1.0) as short:
        client = PodClient(short).login_bot(short)
        assert client.request("GET", "/pod/v2/sessioninfo").status == 200
        time.sleep(1.1)
        expired = client.request("GET", "/pod/v2/sessioninfo")
        assert expired.status == 401 and "Expired" in expired.error()["message"]


def test_generated_bot_key_logs_in(pod: Emulator) -> None:
    helper = pod.create_user("helperbot", bot=True)
    assert "PRIVATE KEY" in helper["privateKey"]
    client = PodClient(pod).login("helperbot", helper["privateKey"])
    assert client.request("GET", "/pod/v2/sessioninfo").json["username"] == "helperbot"


def test_certificate_auth_identifies_the_user_by_client_certificate(pod: Emulator, tmp_path: Path) -> None:
    pod.create_user("certuser")
    issued = pod.issue_certificate("certuser", password="s3cret")
    assert base64.b64decode(issued["pkcs12"])  # PKCS#12 bundle for Java-style clients
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_text(issued["certificate"])
    key_file.write_text(issued["privateKey"])
    client = PodClient(pod, cert=(str(cert_file), str(key_file)))
    session = client.request("POST", "/sessionauth/v1/authenticate", auth=False)
    key_manager = client.request("POST", "/keyauth/v1/authenticate", auth=False)
    assert session.status == 200 and key_manager.status == 200, session.body
    client.session_token = session.json["token"]
    assert client.request("GET", "/pod/v2/sessioninfo").json["username"] == "certuser"
    # without a client certificate there is nobody to authenticate
    anonymous = PodClient(pod).request("POST", "/sessionauth/v1/authenticate", auth=False)
    assert anonymous.status == 401
    assert "client certificate" in anonymous.error()["message"]


def test_https_is_verified_against_the_work_dir_ca(pod: Emulator) -> None:
    untrusting = urllib3.PoolManager(retries=False)  # system CAs only
    with pytest.raises(urllib3.exceptions.SSLError):
        untrusting.request("GET", pod.url + "/_emulator/health")


def test_token_signing_parses_the_pod_key_once(pod: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    # Parsing the RSA private key costs ~100x the signature: logins must reuse the loaded key.
    from cryptography.hazmat.primitives import serialization

    from sympod import auth

    auth._loaded_private_key.cache_clear()
    parsed: list[bytes] = []
    real_loader = serialization.load_pem_private_key

    def counting_loader(data: bytes, *args: object, **kwargs: object) -> object:
        parsed.append(data)
        return real_loader(data, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(serialization, "load_pem_private_key", counting_loader)
    token = sign_login_jwt("bot", _bot_key(pod))
    for _ in range(3):
        assert _login(pod, token).status == 200
    assert len(parsed) == 1


def test_login_follows_a_changed_user_key(pod: Emulator) -> None:
    user = pod.create_user("rotating", bot=True)
    old_jwt = sign_login_jwt("rotating", user["privateKey"].encode())
    assert _login(pod, old_jwt).status == 200  # the old key is now cached
    new_private, new_public = generate_rsa_keypair()
    admin_body = {"username": "keyadmin", "bot": True, "roles": ["ADMINISTRATOR"]}
    admin = PodClient(pod).request("POST", "/_emulator/users", json_body=admin_body).json
    updated = (
        PodClient(pod)
        .login("keyadmin", admin["privateKey"])
        .request(
            "POST",
            f"/pod/v2/admin/user/{user['userId']}/update",
            json_body={"currentKey": {"key": new_public.decode()}},
        )
    )
    assert updated.status == 200, updated.json
    refused = _login(pod, sign_login_jwt("rotating", user["privateKey"].encode()))
    assert refused.status == 401 and "Invalid signature" in refused.json["message"]
    assert _login(pod, sign_login_jwt("rotating", new_private)).status == 200
