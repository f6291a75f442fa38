"""Extension application admin: ``/pod/v1/admin/app/*`` and user app entitlements (admins only)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..domain import apps
from ..httputil import read_json
from ..state import PodState
from .pod_common import admin_caller, json_object, ok, path_user_id, success


async def _admin(request: Request) -> PodState:
    pod, _ = await admin_caller(request)
    return pod


async def create_app(request: Request) -> Response:
    pod = await _admin(request)
    return ok(apps.create(pod.store, await json_object(request)))


async def get_app(request: Request) -> Response:
    pod = await _admin(request)
    return ok(apps.get(pod.store, request.path_params["app_id"]))


async def update_app(request: Request) -> Response:
    pod = await _admin(request)
    return ok(apps.update(pod.store, request.path_params["app_id"], await json_object(request)))


async def delete_app(request: Request) -> Response:
    pod = await _admin(request)
    apps.delete(pod.store, request.path_params["app_id"])
    return success(f"Application {request.path_params['app_id']} deleted")


async def pod_entitlements(request: Request) -> Response:
    pod = await _admin(request)
    return ok(apps.pod_entitlements(pod.store))


async def update_pod_entitlements(request: Request) -> Response:
    pod = await _admin(request)
    body: Any = await read_json(request, expect=list)
    return ok(apps.update_pod_entitlements(pod.store, body))


async def user_entitlements(request: Request) -> Response:
    pod = await _admin(request)
    return ok(apps.user_entitlements(pod.store, path_user_id(request, "uid")))


async def set_user_entitlements(request: Request) -> Response:
    pod = await _admin(request)
    body: Any = await read_json(request, expect=list)
    return ok(apps.set_user_entitlements(pod.store, path_user_id(request, "uid"), body))


async def patch_user_entitlements(request: Request) -> Response:
    pod = await _admin(request)
    body: Any = await read_json(request, expect=list)
    return ok(apps.patch_user_entitlements(pod.store, path_user_id(request, "uid"), body))


routes: list[Route] = [
    Route("/pod/v1/admin/app/create", create_app, methods=["POST"]),
    Route("/pod/v1/admin/app/entitlement/list", pod_entitlements, methods=["GET"]),
    Route("/pod/v1/admin/app/entitlement/list", update_pod_entitlements, methods=["POST"]),
    Route("/pod/v1/admin/app/{app_id}/get", get_app, methods=["GET"]),
    Route("/pod/v1/admin/app/{app_id}/update", update_app, methods=["POST"]),
    Route("/pod/v1/admin/app/{app_id}/delete", delete_app, methods=["POST"]),
    Route("/pod/v1/admin/user/{uid}/app/entitlement/list", user_entitlements, methods=["GET"]),
    Route("/pod/v1/admin/user/{uid}/app/entitlement/list", set_user_entitlements, methods=["POST"]),
    Route("/pod/v1/admin/user/{uid}/app/entitlement/list", patch_user_entitlements, methods=["PATCH"]),
]
