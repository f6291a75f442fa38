"""Authentication: verifying the clients' RS512 JWTs, issuing tokens, checking them per request.

- ``/login/pubkey/authenticate`` and ``/relay/pubkey/authenticate`` verify an RS512 JWT
  (``sub`` = username, ``exp`` required and at most ``max_jwt_lifetime_s`` ahead) against the
  user's registered public key. Everything else (alg none, HS256 signed with the public key,
  unknown user, bad signature, expired) is a 401 ``{code, message}``.
- Tokens are JWT-shaped (RS512, signed with the pod's own key) with ``sub``, ``userId`` and
  ``exp`` claims, because Postman scripts and BDK decode them; they are also stored in the
  ``sessions`` table (and cached in memory) so a restart keeps them and
  ``/_emulator/sessions/expire`` can revoke them.
- :func:`current_user` is the per-request check: ``sessionToken`` header on every API route,
  plus ``keyManagerToken`` on ``/agent/`` routes.
"""

from __future__ import annotations

import time
import uuid
from functools import lru_cache
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from starlette.requests import HTTPConnection
from starlette.types import Scope

from .errors import ApiError
from .ids import now_ms
from .state import PodState, get_pod

SESSION = "session"
KEY_MANAGER = "keymanager"

_TOKEN_NAMES = {SESSION: "sessionToken", KEY_MANAGER: "keyManagerToken"}
_USER_KEY = "sympod.user"


# Parsing a PEM costs ~40 ms (RSA key checks) against ~0.5 ms for the signature itself, so the
# loaded keys are cached. Keyed by the PEM text: a user whose key changes gets a new entry, and
# the stale one ages out of the LRU.
@lru_cache(maxsize=256)
def _loaded_public_key(pem: str) -> RSAPublicKey | None:
    """The RSA public key of ``pem``, None if it holds none."""
    try:
        key = jwt.algorithms.RSAAlgorithm(jwt.algorithms.RSAAlgorithm.SHA512).prepare_key(pem)
    except (jwt.InvalidKeyError, ValueError, TypeError):
        return None
    return key if isinstance(key, RSAPublicKey) else None


@lru_cache(maxsize=8)
def _loaded_private_key(pem: bytes) -> RSAPrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, RSAPrivateKey):
        raise ValueError("the pod's token signing key is not an RSA private key")
    return key


def verify_login_jwt(pod: PodState, token: Any) -> dict[str, Any]:
    """The user row whose key signed ``token``; raises ApiError 401 saying why otherwise."""
    if not isinstance(token, str) or not token:
        raise ApiError(401, "Field 'token' must be a non-empty string holding an RS512-signed JWT")
    try:
        header = jwt.get_unverified_header(token)
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise ApiError(401, f"Malformed authentication JWT: {exc}") from None
    algorithm = header.get("alg")
    if algorithm != "RS512":
        raise ApiError(401, f"Authentication JWT must be signed with RS512, got alg={algorithm!r}")
    subject = unverified.get("sub")
    if not isinstance(subject, str) or not subject:
        raise ApiError(401, "Authentication JWT has no 'sub' claim (the username)")
    user = pod.store.get_user_by_username(subject)
    if user is None:
        raise ApiError(401, f"Invalid user: no user named {subject!r}")
    if not user["active"]:
        raise ApiError(401, f"User {subject!r} is deactivated")
    if not user["public_key"]:
        raise ApiError(401, f"User {subject!r} has no RSA public key registered")
    # an unparseable stored key goes to PyJWT as text, which reports the problem as before
    public_key: RSAPublicKey | str = _loaded_public_key(user["public_key"]) or user["public_key"]
    try:
        jwt.decode(token, public_key, algorithms=["RS512"], options={"require": ["exp", "sub"]})
    except jwt.ExpiredSignatureError:
        raise ApiError(401, "Authentication JWT has expired (check the 'exp' claim and the clock)") from None
    except jwt.MissingRequiredClaimError as exc:
        raise ApiError(401, f"Authentication JWT lacks the required {exc.claim!r} claim") from None
    except jwt.InvalidSignatureError:
        raise ApiError(
            401, f"Invalid signature: the JWT was not signed by the key registered for {subject!r}"
        ) from None
    except jwt.PyJWTError as exc:
        raise ApiError(401, f"Invalid authentication JWT: {exc}") from None
    expires = unverified.get("exp")
    limit = time.time() + pod.settings.max_jwt_lifetime_s
    if isinstance(expires, (int, float)) and expires > limit:
        raise ApiError(
            401,
            f"Authentication JWT 'exp' is too far ahead: at most "
            f"{int(pod.settings.max_jwt_lifetime_s)} s are accepted",
        )
    return user


def issue_token(pod: PodState, user: dict[str, Any], kind: str) -> dict[str, Any]:
    """Create a session or key-manager token for ``user``; returns the ``Token`` response body."""
    now = time.time()
    expires = now + pod.settings.token_ttl_s
    claims = {
        "sub": user["username"],
        "userId": user["user_id"],
        "type": kind,
        "iat": int(now),
        "exp": int(expires),
        "jti": uuid.uuid4().hex,  # two logins in the same second still differ
    }
    token = jwt.encode(claims, _loaded_private_key(pod.token_signing_key), algorithm="RS512")
    pod.store.add_session(token, kind, user["user_id"], int(expires * 1000))
    pod.sessions.remember(token, kind, user["user_id"], int(expires * 1000))
    return {"name": _TOKEN_NAMES[kind], "token": token, "authorizationToken": token}


class SessionCache:
    """In-memory view of the ``sessions`` table so the per-request check costs no SQL."""

    def __init__(self) -> None:
        self._tokens: dict[str, tuple[str, int, int]] = {}

    def remember(self, token: str, kind: str, user_id: int, expires_at_ms: int) -> None:
        self._tokens[token] = (kind, user_id, expires_at_ms)

    def lookup(self, token: str) -> tuple[str, int, int] | None:
        return self._tokens.get(token)

    def forget(self, token: str) -> None:
        self._tokens.pop(token, None)

    def clear(self) -> None:
        self._tokens.clear()

    def load(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            self.remember(row["token"], row["kind"], row["user_id"], row["expires_at"])


def _check_token(pod: PodState, token: str | None, kind: str) -> int:
    header = _TOKEN_NAMES[kind]
    if not token:
        raise ApiError(401, f"Missing '{header}' header: authenticate first")
    entry = pod.sessions.lookup(token)
    if entry is None:
        row = pod.store.get_session(token)
        if row is None:
            raise ApiError(401, f"Invalid '{header}': unknown or revoked token, authenticate again")
        entry = (row["kind"], row["user_id"], row["expires_at"])
        pod.sessions.remember(token, *entry)
    token_kind, user_id, expires_at = entry
    if token_kind != kind:
        raise ApiError(401, f"Invalid '{header}': the token given is a {_TOKEN_NAMES[token_kind]}")
    if expires_at <= now_ms():
        raise ApiError(401, f"Expired '{header}': authenticate again")
    return user_id


async def current_user(request: HTTPConnection) -> dict[str, Any]:
    """The authenticated user row of ``request`` (cached in its scope for the next call).

    Requires a valid ``sessionToken`` header; on ``/agent/`` paths also a valid
    ``keyManagerToken`` of the same user. Raises ApiError 401 ``{code, message}`` otherwise.
    """
    headers = request.headers
    return authenticate(
        get_pod(request), request.scope, headers.get("sessiontoken"), headers.get("keymanagertoken")
    )


def authenticate(
    pod: PodState, scope: Scope, session_token: str | None, key_manager_token: str | None
) -> dict[str, Any]:
    """:func:`current_user` for callers holding the ASGI scope and the two header values."""
    # in the ASGI scope rather than request.state: a missing attribute of State costs an exception
    cached = scope.get(_USER_KEY)
    if cached is not None:
        return dict(cached)
    user_id = _check_token(pod, session_token, SESSION)
    # scope["path"], not request.url: building the URL object costs more than the whole token check
    if scope["path"].startswith("/agent/"):
        km_user_id = _check_token(pod, key_manager_token, KEY_MANAGER)
        if km_user_id != user_id:
            raise ApiError(401, "The 'keyManagerToken' belongs to another user than the 'sessionToken'")
    user = pod.store.get_user(user_id)  # a copy of the cached row: ours to keep
    if user is None or not user["active"]:
        raise ApiError(401, "Invalid 'sessionToken': its user no longer exists or is deactivated")
    scope[_USER_KEY] = user
    return dict(user)


def expire_all_sessions(pod: PodState) -> None:
    """Revoke every issued token (the next API call gets a 401)."""
    pod.store.delete_sessions()
    pod.sessions.clear()
