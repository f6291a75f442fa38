"""A tiny raw HTTP client for emulator tests: exact status codes and bodies, no SDK involved."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import jwt
import urllib3

from sympod import Emulator


def sign_login_jwt(
    username: str,
    private_key_pem: str | bytes,
    *,
    lifetime_s: float = 240,
    algorithm: str = "RS512",
    **extra_claims: Any,
) -> str:
    """The JWT a bot signs for ``/login/pubkey/authenticate`` (``sub`` + ``exp``, RS512)."""
    claims: dict[str, Any] = {"sub": username, "exp": int(time.time() + lifetime_s), **extra_claims}
    return jwt.encode(claims, private_key_pem, algorithm=algorithm)


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    def error(self) -> dict[str, Any]:
        """The ``{code, message}`` error body (asserts its shape)."""
        data = self.json
        assert isinstance(data, dict), f"not a JSON object: {self.body!r}"
        assert data.get("code") == self.status, data
        assert isinstance(data.get("message"), str) and data["message"], data
        return data


class PodClient:
    def __init__(
        self, emulator: Emulator, *, cert: tuple[str, str] | None = None, timeout: float = 30
    ) -> None:
        self.base = emulator.url
        options: dict[str, Any] = {"timeout": urllib3.Timeout(total=timeout), "retries": False}
        if emulator.url.startswith("https"):
            options["ca_certs"] = str(emulator.ca_path)
            if cert is not None:
                options["cert_file"], options["key_file"] = cert
        self.http = urllib3.PoolManager(**options)
        self.session_token: str | None = None
        self.km_token: str | None = None

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        body: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        auth: bool = True,
        **kwargs: Any,
    ) -> Reply:
        all_headers = dict(headers or {})
        if auth and self.session_token:
            all_headers.setdefault("sessionToken", self.session_token)
        if auth and self.km_token:
            all_headers.setdefault("keyManagerToken", self.km_token)
        if json_body is not None:
            body = json.dumps(json_body)
            all_headers.setdefault("Content-Type", "application/json")
        response = self.http.request(method, self.base + path, body=body, headers=all_headers, **kwargs)
        return Reply(response.status, response.data, dict(response.headers))

    def login(self, username: str, private_key_pem: str | bytes) -> PodClient:
        token = sign_login_jwt(username, private_key_pem)
        for path, attribute in (
            ("/login/pubkey/authenticate", "session_token"),
            ("/relay/pubkey/authenticate", "km_token"),
        ):
            reply = self.request("POST", path, json_body={"token": token}, auth=False)
            assert reply.status == 200, (path, reply.status, reply.body)
            setattr(self, attribute, reply.json["token"])
        return self

    def login_bot(self, emulator: Emulator) -> PodClient:
        return self.login(emulator.bot["username"], emulator.bot_private_key_path.read_bytes())
