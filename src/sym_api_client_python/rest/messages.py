"""Messages: send (MessageML, data, attachments, previews), read, search, attachments, suppress,
status, blast, import, receipts."""

from __future__ import annotations

import base64
import builtins
import mimetypes
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Union

import msgspec

from ..core.endpoints import to_url_safe_id
from ..core.http import Part
from ..core.models.events import V4Message
from ..core.models.rest import (
    ImportedMessageResult,
    MessageBlastResponse,
    MessageStatus,
    MessageSuppressionResponse,
    StreamAttachment,
)
from ._base import D, PageFn, Plan, Service, call, operation, paginated

#: What an attachment or preview may be: a path, raw bytes, an open binary file, or a
#: ``(filename, content)`` / ``(filename, content, content_type)`` tuple where content is bytes or
#: an open binary file.
AttachmentSource = Union[
    str,
    "os.PathLike[str]",
    bytes,
    IO[bytes],
    tuple[str, bytes | IO[bytes]],
    tuple[str, bytes | IO[bytes], str],
]

_MESSAGEML_OPEN = "<messageml"


def as_message_ml(message: str) -> str:
    """Wrap plain content in ``<messageML>`` unless it already is MessageML or PresentationML."""
    stripped = message.lstrip()
    if stripped[:10].lower() == _MESSAGEML_OPEN or stripped.startswith("<div data-format"):
        return message
    return f"<messageML>{message}</messageML>"


def encode_data(data: Any) -> str | None:
    """EntityJSON as the ``data`` part expects it: a JSON string (dicts/lists/Structs encoded)."""
    if data is None or isinstance(data, str):
        return data
    return msgspec.json.encode(data).decode()


def _read_source(source: AttachmentSource, what: str) -> tuple[str, bytes, str | None]:
    content_type: str | None = None
    if isinstance(source, tuple):
        if len(source) == 3:
            filename, content, content_type = source
        elif len(source) == 2:
            filename, content = source
        else:
            raise ValueError(
                f"{what} tuple must be (filename, content[, content_type]), got {len(source)} items"
            )
        data = content if isinstance(content, (bytes, bytearray)) else content.read()
    elif isinstance(source, (bytes, bytearray)):
        filename, data = what, bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"{what} file not found: {path}")
        filename, data = path.name, path.read_bytes()
    elif hasattr(source, "read"):
        data = source.read()
        filename = os.path.basename(str(getattr(source, "name", what)))
    else:
        raise TypeError(
            f"unsupported {what} type {type(source).__name__}: pass a path, bytes or a binary file"
        )
    if not isinstance(data, (bytes, bytearray)):
        raise TypeError(
            f"{what} {filename!r} must be binary; got {type(data).__name__} (open the file in 'rb')"
        )
    guessed = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return filename, bytes(data), guessed


def message_parts(
    message: str,
    *,
    data: Any = None,
    version: str | None = None,
    attachments: Iterable[AttachmentSource] = (),
    previews: Iterable[AttachmentSource] = (),
    extra: Mapping[str, str] | None = None,
    wrap: bool = True,
) -> list[Part]:
    """The multipart form of a message create/update/blast (``attachment``/``preview`` repeat)."""
    if not isinstance(message, str):
        raise TypeError(f"message must be a MessageML string, got {type(message).__name__}")
    parts = [Part("message", as_message_ml(message) if wrap else message)]
    encoded = encode_data(data)
    if encoded is not None:
        parts.append(Part("data", encoded))
    if version is not None:
        parts.append(Part("version", version))
    for name, value in (extra or {}).items():
        parts.append(Part(name, value))
    for kind, sources in (("attachment", attachments), ("preview", previews)):
        for source in sources:
            filename, content, content_type = _read_source(source, kind)
            parts.append(Part(kind, content, filename=filename, content_type=content_type))
    return parts


class MessagesService(Service[D]):
    """``bot.messages``: every message operation."""

    service_name = "messages"

    @operation
    def send(
        self,
        stream_id: str,
        message: str,
        *,
        data: Any = None,
        attachments: Sequence[AttachmentSource] = (),
        previews: Sequence[AttachmentSource] = (),
        version: str | None = None,
    ) -> Plan[V4Message]:
        """Send MessageML to a stream (wrapped in ``<messageML>`` if needed); ``data`` is the
        EntityJSON (dict or JSON string); attachments/previews are paths, bytes or binary files."""
        parts = message_parts(message, data=data, version=version, attachments=attachments, previews=previews)
        return (yield from call("messages.send", {"sid": stream_id}, multipart=parts))

    @operation
    def update(
        self,
        stream_id: str,
        message_id: str,
        message: str,
        *,
        data: Any = None,
        silent: bool | None = None,
        attachments: Sequence[AttachmentSource] = (),
        version: str | None = None,
    ) -> Plan[V4Message]:
        """Replace the content of a message sent earlier."""
        extra = {"silent": "true" if silent else "false"} if silent is not None else None
        parts = message_parts(message, data=data, version=version, attachments=attachments, extra=extra)
        return (yield from call("messages.update", {"sid": stream_id, "mid": message_id}, multipart=parts))

    @operation
    def blast(
        self,
        stream_ids: Sequence[str],
        message: str,
        *,
        data: Any = None,
        attachments: Sequence[AttachmentSource] = (),
        previews: Sequence[AttachmentSource] = (),
        version: str | None = None,
    ) -> Plan[MessageBlastResponse]:
        """Send one message to many streams (at most 100 per call, as the API allows)."""
        if not stream_ids:
            raise ValueError("blast needs at least one stream id")
        sids = ",".join(to_url_safe_id(s) for s in stream_ids)
        parts = message_parts(
            message,
            data=data,
            version=version,
            attachments=attachments,
            previews=previews,
            extra={"sids": sids},
        )
        return (yield from call("messages.blast", multipart=parts))

    @operation
    def get(self, message_id: str) -> Plan[V4Message | None]:
        """One message by id (``None`` when the server answers 204)."""
        return (yield from call("messages.get", {"id": message_id}))

    @operation
    def list(
        self, stream_id: str, since: int = 0, *, until: int | None = None, skip: int = 0, limit: int = 50
    ) -> Plan[builtins.list[V4Message]]:
        """Messages of a stream since ``since`` (epoch ms), oldest first."""
        params = {"since": since, "until": until, "skip": skip, "limit": limit}
        return (yield from call("messages.list", {"sid": stream_id}, params=params))

    @paginated
    def iter_messages(self, stream_id: str, since: int = 0, *, until: int | None = None) -> PageFn[V4Message]:
        """Every message of a stream since ``since``, fetched page by page."""

        def page(skip: int, limit: int) -> Plan[builtins.list[V4Message]]:
            params = {"since": since, "until": until, "skip": skip, "limit": limit}
            return call("messages.list", {"sid": stream_id}, params=params)

        return page

    @operation
    def search(
        self,
        query: Mapping[str, Any],
        *,
        skip: int = 0,
        limit: int = 50,
        scope: str | None = None,
        sort_dir: str | None = None,
    ) -> Plan[builtins.list[V4Message]]:
        """Search with a ``MessageSearchQuery`` (text, streamId, streamType, author, hashtag...)."""
        params = {"skip": skip, "limit": limit, "scope": scope, "sortDir": sort_dir}
        return (yield from call("messages.search", params=params, json=dict(query)))

    @paginated
    def iter_search(self, query: Mapping[str, Any], *, sort_dir: str | None = None) -> PageFn[V4Message]:
        """Every message matching ``query``, page by page."""

        def page(skip: int, limit: int) -> Plan[builtins.list[V4Message]]:
            params = {"skip": skip, "limit": limit, "sortDir": sort_dir}
            return call("messages.search", params=params, json=dict(query))

        return page

    @operation
    def search_by_query(
        self,
        query: str,
        *,
        skip: int = 0,
        limit: int = 50,
        scope: str | None = None,
        sort_dir: str | None = None,
    ) -> Plan[builtins.list[V4Message]]:
        """Search with the ``field:value AND ...`` query-string syntax."""
        params = {"query": query, "skip": skip, "limit": limit, "scope": scope, "sortDir": sort_dir}
        return (yield from call("messages.search_by_query", params=params))

    @operation
    def get_attachment(
        self, stream_id: str, message_id: str, file_id: str, *, decode: bool = True
    ) -> Plan[bytes]:
        """Download an attachment: the file's bytes (the API sends base64; ``decode=False`` keeps it)."""
        params = {"messageId": to_url_safe_id(message_id), "fileId": file_id}
        body = yield from call("messages.get_attachment", {"sid": stream_id}, params=params, response="bytes")
        return base64.b64decode(body) if decode else body

    @operation
    def list_attachments(
        self,
        stream_id: str,
        *,
        since: int | None = None,
        to: int | None = None,
        limit: int = 50,
        sort_dir: str = "ASC",
    ) -> Plan[builtins.list[StreamAttachment]]:
        """Attachments posted in a stream."""
        params = {"since": since, "to": to, "limit": limit, "sortDir": sort_dir}
        return (yield from call("messages.list_attachments", {"sid": stream_id}, params=params))

    @operation
    def get_attachment_types(self) -> Plan[builtins.list[str]]:
        """File extensions the pod accepts as attachments."""
        return (yield from call("messages.get_attachment_types"))

    @operation
    def suppress(self, message_id: str) -> Plan[MessageSuppressionResponse]:
        """Suppress (hide) a message; needs the content-management entitlement."""
        return (yield from call("messages.suppress", {"id": message_id}))

    @operation
    def get_status(self, message_id: str) -> Plan[MessageStatus]:
        """Who the message was sent to, delivered to and read by."""
        return (yield from call("messages.get_status", {"mid": message_id}))

    @operation
    def list_receipts(
        self, message_id: str, *, before: str | None = None, after: str | None = None
    ) -> Plan[dict[str, Any]]:
        """Read receipts of a message (admin), cursor-paginated with ``before``/``after``."""
        params = {"before": before, "after": after}
        return (yield from call("messages.list_receipts", {"messageId": message_id}, params=params))

    @operation
    def import_messages(
        self, messages: Sequence[Mapping[str, Any]]
    ) -> Plan[builtins.list[ImportedMessageResult]]:
        """Import messages from another system (``V4ImportedMessage`` objects)."""
        return (yield from call("messages.import_messages", json=[dict(m) for m in messages]))

    @operation
    def list_ids_by_timestamp(
        self,
        stream_id: str,
        *,
        since: int | None = None,
        to: int | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> Plan[Any]:
        """Message ids of a stream in a time window (admin; deprecated by the spec)."""
        params = {"since": since, "to": to, "limit": limit, "offset": offset}
        return (yield from call("messages.list_ids_by_timestamp", {"streamId": stream_id}, params=params))
