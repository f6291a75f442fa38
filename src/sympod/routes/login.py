"""Authentication endpoints: RSA (``/login``, ``/relay``), certificate (``/sessionauth``,
``/keyauth``) and the session info the SDKs fetch right after logging in."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..app import TRANSPORT_KEY
from ..auth import KEY_MANAGER, SESSION, current_user, issue_token, verify_login_jwt
from ..errors import ApiError
from ..httputil import read_json
from ..state import get_pod
from ..tls import peer_common_name


async def _pubkey_authenticate(request: Request, kind: str) -> JSONResponse:
    pod = get_pod(request)
    body = await read_json(request, required=False)
    if body is None:
        raise ApiError(401, 'Missing body: send {"token": "<RS512-signed JWT>"}')
    user = verify_login_jwt(pod, body.get("token"))
    return JSONResponse(issue_token(pod, user, kind))


async def login_pubkey(request: Request) -> JSONResponse:
    return await _pubkey_authenticate(request, SESSION)


async def relay_pubkey(request: Request) -> JSONResponse:
    return await _pubkey_authenticate(request, KEY_MANAGER)


def _certificate_user(request: Request) -> dict[str, Any]:
    transport = request.scope.get("extensions", {}).get(TRANSPORT_KEY)
    ssl_object = transport.get_extra_info("ssl_object") if transport is not None else None
    if ssl_object is None:
        raise ApiError(401, "Certificate authentication needs HTTPS with a client certificate")
    common_name = peer_common_name(ssl_object.getpeercert())
    if common_name is None:
        raise ApiError(401, "No client certificate presented (or not signed by the pod's CA)")
    pod = get_pod(request)
    user = pod.store.get_user_by_cert_subject(common_name)
    if user is None or not user["active"]:
        raise ApiError(401, f"No active user has the certificate subject {common_name!r}")
    return user


async def sessionauth_cert(request: Request) -> JSONResponse:
    return JSONResponse(issue_token(get_pod(request), _certificate_user(request), SESSION))


async def keyauth_cert(request: Request) -> JSONResponse:
    return JSONResponse(issue_token(get_pod(request), _certificate_user(request), KEY_MANAGER))


async def sessionauth_logout(request: Request) -> JSONResponse:
    await current_user(request)
    pod = get_pod(request)
    token = request.headers["sessiontoken"]
    pod.store.execute("DELETE FROM sessions WHERE token = ?", (token,))
    pod.sessions.forget(token)
    return JSONResponse({"message": "Logged out"})


def _user_v2(user: dict[str, Any]) -> dict[str, Any]:
    try:  # the routes' rendering when present, so every endpoint shows users identically
        from ..domain.users import user_v2
    except ImportError:
        return {
            "id": user["user_id"],
            "username": user["username"],
            "emailAddress": user.get("email") or "",
            "firstName": user.get("first_name") or "",
            "lastName": user.get("last_name") or "",
            "displayName": user["display_name"],
            "accountType": user["account_type"],
        }
    rendered: dict[str, Any] = user_v2(user)
    return rendered


async def session_info(request: Request) -> JSONResponse:
    return JSONResponse(_user_v2(await current_user(request)))


routes = [
    Route("/login/pubkey/authenticate", login_pubkey, methods=["POST"]),
    Route("/relay/pubkey/authenticate", relay_pubkey, methods=["POST"]),
    Route("/sessionauth/v1/authenticate", sessionauth_cert, methods=["POST"]),
    Route("/keyauth/v1/authenticate", keyauth_cert, methods=["POST"]),
    Route("/sessionauth/v1/logout", sessionauth_logout, methods=["POST"]),
    Route("/pod/v2/sessioninfo", session_info, methods=["GET"]),
]
