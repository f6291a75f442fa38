"""Legacy ``APIClient``: the base of every legacy client.

Legacy clients keep the 1.x names, arguments and dict/list/str results, but every call goes
through the endpoint table (:mod:`sym_api_client_python.core.endpoints`) and the shared HTTP
clients of the :class:`~.sym_bot_client.SymBotClient` (tokens, 401 re-login returning the retried
call's result, retries, timeouts, ``true``/``false`` query booleans).
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any

import msgspec

from ..core.endpoints import endpoint
from ..core.errors import ApiError
from ..core.http import Part, Request, Response, error_for_response

if TYPE_CHECKING:
    from .sym_bot_client import SymBotClient


def _read(source: Any) -> bytes:
    if isinstance(source, (bytes, bytearray)):
        return bytes(source)
    if isinstance(source, str):
        return source.encode()
    if hasattr(source, "read"):
        data = source.read()
        return data.encode() if isinstance(data, str) else bytes(data)
    raise TypeError(f"multipart value must be str, bytes or a file object, got {type(source).__name__}")


def multipart_parts(fields: Mapping[str, Any]) -> list[Part]:
    """Multipart parts from the legacy field forms (``requests``' ``files=`` / toolbelt fields).

    A value is a string or bytes (a plain field; dicts are JSON-encoded, for ``data``), or a tuple
    ``(filename, content_or_file[, content_type])`` for a file. The legacy invalid content type
    ``"file"`` is replaced by one guessed from the file name.
    """
    parts: list[Part] = []
    for name, value in fields.items():
        if value is None:
            continue
        if isinstance(value, tuple):
            if len(value) not in (2, 3):
                raise ValueError(f"multipart field {name!r}: expected (filename, content[, content_type])")
            filename = os.path.basename(str(value[0])) if value[0] else name
            content = _read(value[1])
            content_type = value[2] if len(value) == 3 else None
            if not content_type or content_type == "file" or "/" not in content_type:
                content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
            parts.append(Part(name, content, filename=filename, content_type=content_type))
        elif isinstance(value, (dict, list)):
            parts.append(Part(name, msgspec.json.encode(value).decode()))
        elif isinstance(value, (str, bytes)):
            parts.append(Part(name, value))
        elif hasattr(value, "read"):
            content = _read(value)
            filename = os.path.basename(str(getattr(value, "name", name)))
            parts.append(Part(name, content, filename=filename, content_type="application/octet-stream"))
        else:
            parts.append(Part(name, str(value)))
    return parts


class APIClient:
    """Base of the legacy clients: holds the bot client and sends table operations through it."""

    def __init__(self, bot_client: SymBotClient) -> None:
        self.bot_client = bot_client

    # --- sending -------------------------------------------------------------------------------

    @staticmethod
    def _request(
        name: str,
        path: Mapping[str, Any] | None = None,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        files: Mapping[str, Any] | None = None,
    ) -> Request:
        # Legacy callers pass extra query parameters through **kwargs: the spec check is skipped.
        multipart = multipart_parts(files) if files is not None else None
        return endpoint(name).request(path, params=params, json=json, multipart=multipart, check_params=False)

    def _call(
        self,
        name: str,
        path: Mapping[str, Any] | None = None,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        files: Mapping[str, Any] | None = None,
    ) -> Any:
        request = self._request(name, path, params=params, json=json, files=files)
        return self.bot_client.send_request(request).legacy_result()

    async def _call_async(
        self,
        name: str,
        path: Mapping[str, Any] | None = None,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        files: Mapping[str, Any] | None = None,
    ) -> Any:
        request = self._request(name, path, params=params, json=json, files=files)
        return (await self.bot_client.send_request_async(request)).legacy_result()

    # --- legacy public helpers -----------------------------------------------------------------

    def make_mulitpart_form(self, fields: Mapping[str, Any], aio: bool = False) -> dict[str, Any]:
        """Legacy helper (the misspelling is the public name): ``{"data": parts, "headers": {}}``.

        The parts can be passed to ``execute_rest_call(..., data=result["data"])``; the transport
        sets the multipart Content-Type with its boundary, so no header is needed.
        """
        return {"data": multipart_parts(fields), "headers": {}}

    def handle_error(
        self, response: Any, bot_client: Any = None, error_json: Any = None, text: Any = None
    ) -> None:
        """Raise the SDK error for an error response (legacy entry point; the clients call it
        themselves). Accepts a :class:`Response` or any object with ``status``/``status_code``
        and a body/text."""
        if isinstance(response, Response):
            answer = response
        else:
            status = getattr(response, "status_code", None) or getattr(response, "status", None) or 0
            if error_json is not None:
                body = msgspec.json.encode(error_json)
            else:
                raw = text if text is not None else getattr(response, "text", "")
                body = raw.encode() if isinstance(raw, str) else bytes(raw or b"")
            answer = Response(int(status), {}, body)
        error: ApiError = error_for_response(Request("GET", endpoint("session.get").component, ""), answer)
        raise error


def read_attachment(source: str | os.PathLike[str] | IO[bytes] | bytes) -> bytes:
    """Attachment content from a path, bytes or an open binary stream (closed if we opened it)."""
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as handle:
            return handle.read()
    return _read(source)
