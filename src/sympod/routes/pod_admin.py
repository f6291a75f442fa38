"""User administration and system lists (``/pod/v{1,2}/admin/...``) plus ``GET /pod/v1/podcert``.

Every admin route needs an admin role (403 otherwise): bots are not admins unless given one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..domain import admin, governance
from ..domain.users import require_user
from ..errors import ApiError
from ..httputil import read_json
from ..state import get_pod
from ..store import Store
from .pod_common import add_or_remove, admin_caller, json_object, ok, paging, path_user_id, success


async def get_user(request: Request) -> Response:
    pod, _ = await admin_caller(request)
    return ok(admin.user_detail(require_user(pod.store, path_user_id(request, "uid"))))


async def list_users(request: Request) -> Response:
    pod, _ = await admin_caller(request)
    skip, limit = paging(request, default_limit=100, max_limit=1000)
    return ok(admin.list_users(pod.store, skip=skip, limit=limit))


async def create_user(request: Request) -> Response:
    pod, _ = await admin_caller(request)
    return ok(admin.user_detail(admin.create_user(pod.store, await json_object(request))))


async def update_user(request: Request) -> Response:
    pod, _ = await admin_caller(request)
    updated = admin.update_user(pod.store, path_user_id(request, "uid"), await json_object(request))
    return ok(admin.user_detail(updated))


async def find_users(request: Request) -> Response:
    pod, _ = await admin_caller(request)
    skip, limit = paging(request, default_limit=100, max_limit=1000)
    user_filter = await json_object(request, required=False)
    return ok(admin.find_users(pod.store, user_filter, skip=skip, limit=limit))


async def get_avatar(request: Request) -> Response:
    pod, _ = await admin_caller(request)
    target = require_user(pod.store, path_user_id(request, "uid"))
    return ok([{"size": "original", "url": target["avatar_url"]}] if target.get("avatar_url") else [])


async def update_avatar(request: Request) -> Response:
    pod, _ = await admin_caller(request)
    admin.set_avatar(pod.store, path_user_id(request, "uid"), await json_object(request))
    return success("OK")


async def get_status(request: Request) -> Response:
    pod, _ = await admin_caller(request)
    target = require_user(pod.store, path_user_id(request, "uid"))
    return ok({"status": "ENABLED" if target["active"] else "DISABLED", **admin.suspension_of(target)})


async def _change_access(
    request: Request,
    apply: Callable[[Store, int, dict[str, Any]], None],
    locks_out: Callable[[dict[str, Any]], bool],
) -> Response:
    """Apply an access change to the path's user; one that locks them out ends their sessions,
    as a real pod does, so their tokens stop working at once."""
    pod, _ = await admin_caller(request)
    uid = path_user_id(request, "uid")
    body = await json_object(request)
    apply(pod.store, uid, body)
    if locks_out(body):
        governance.end_sessions(pod, uid)
    return success("OK")


async def update_status(request: Request) -> Response:
    return await _change_access(request, admin.set_status, lambda body: body["status"] == "DISABLED")


async def update_suspension(request: Request) -> Response:
    return await _change_access(request, admin.set_suspension, lambda body: bool(body["suspended"]))


async def get_features(request: Request) -> Response:
    pod, _ = await admin_caller(request)
    target = require_user(pod.store, path_user_id(request, "uid"))
    features = admin.user_features(target)
    return ok([{"entitlment": name, "enabled": enabled} for name, enabled in features.items()])


async def update_features(request: Request) -> Response:
    pod, _ = await admin_caller(request)
    admin.update_features(pod.store, path_user_id(request, "uid"), await read_json(request, expect=list))
    return success("OK")


async def change_role(request: Request) -> Response:
    pod, _ = await admin_caller(request)
    action = add_or_remove(request, "role")
    body = await json_object(request)
    return success(admin.change_role(pod.store, path_user_id(request, "uid"), body, add=action == "add"))


async def features_list(request: Request) -> Response:
    await admin_caller(request)
    return ok(list(admin.FEATURES))


async def roles_list(request: Request) -> Response:
    await admin_caller(request)
    return ok(admin.roles_list())


@lru_cache(maxsize=4)
def _pod_certificate(private_key_pem: bytes) -> str:
    """A self-signed certificate over the key that signs session tokens, so JWTs can be checked."""
    key = serialization.load_pem_private_key(private_key_pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ApiError(500, "The pod's token signing key is not an RSA key")
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sympod token signing")])
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650)).sign(key, hashes.SHA256())
    )  # fmt: skip
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")


async def pod_certificate(request: Request) -> Response:
    """Public, as on a real pod (the spec declares no 401): apps fetch it to check pod JWTs."""
    pod = get_pod(request)
    return ok({"certificate": _pod_certificate(pod.token_signing_key)})


routes: list[Route] = [
    Route("/pod/v2/admin/user/list", list_users, methods=["GET"]),
    Route("/pod/v2/admin/user/create", create_user, methods=["POST"]),
    Route("/pod/v2/admin/user/{uid}", get_user, methods=["GET"]),
    Route("/pod/v2/admin/user/{uid}/update", update_user, methods=["POST"]),
    Route("/pod/v1/admin/user/find", find_users, methods=["POST"]),
    Route("/pod/v1/admin/user/{uid}/avatar", get_avatar, methods=["GET"]),
    Route("/pod/v1/admin/user/{uid}/avatar/update", update_avatar, methods=["POST"]),
    Route("/pod/v1/admin/user/{uid}/status", get_status, methods=["GET"]),
    Route("/pod/v1/admin/user/{uid}/status/update", update_status, methods=["POST"]),
    Route("/pod/v1/admin/user/{uid}/suspension/update", update_suspension, methods=["PUT"]),
    Route("/pod/v1/admin/user/{uid}/features", get_features, methods=["GET"]),
    Route("/pod/v1/admin/user/{uid}/features/update", update_features, methods=["POST"]),
    Route("/pod/v1/admin/user/{uid}/roles/{action}", change_role, methods=["POST"]),
    Route("/pod/v1/admin/system/features/list", features_list, methods=["GET"]),
    Route("/pod/v1/admin/system/roles/list", roles_list, methods=["GET"]),
    Route("/pod/v1/podcert", pod_certificate, methods=["GET"]),
]
