"""Symphony-shaped errors: every failure the emulator answers is JSON ``{"code", "message"}``.

Route code raises :class:`ApiError` (or returns :func:`api_error`); the app's exception handlers
turn it, Starlette's HTTP errors and any unexpected exception into that JSON shape. The
``message`` always names the problem (field, id, limit) so a client log is enough to debug.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse


class ApiError(Exception):
    """An error answered to the client as ``{"code": status, "message": message}``.

    ``details`` (optional) is added as ``"details"``, as the agent's ``V2Error`` allows.
    """

    def __init__(self, status: int, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details

    def to_response(self) -> JSONResponse:
        return api_error(self.status, self.message, details=self.details)


def api_error(status: int, message: str, *, details: dict[str, Any] | None = None) -> JSONResponse:
    """The JSON error response ``{"code": status, "message": message}``."""
    body: dict[str, Any] = {"code": status, "message": message}
    if details:
        body["details"] = details
    return JSONResponse(body, status_code=status)


def unauthorized(message: str = "Invalid session") -> ApiError:
    return ApiError(401, message)


def forbidden(message: str) -> ApiError:
    return ApiError(403, message)


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def not_found(message: str) -> ApiError:
    return ApiError(404, message)
