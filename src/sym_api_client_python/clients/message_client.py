"""Legacy ``MessageClient``: messages, attachments, search, status, import, suppression."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import IO, Any, Union

from ..core.endpoints import to_url_safe_id
from .api_client import APIClient, read_attachment

# Module constants of 1.x (the paths are now in the endpoint table).
MESSAGE_STREAM_API = "/agent/v4/stream/{stream_id}/message"
MESSAGE_CREATE = "/agent/v4/stream/{stream_id}/message/create"

AttachmentArg = Union[str, "os.PathLike[str]", IO[bytes], bytes]


def _outbound_fields(outbound_msg: Mapping[str, Any] | str) -> Mapping[str, Any]:
    if isinstance(outbound_msg, str):  # a bare MessageML string is a common mistake: accept it
        return {"message": outbound_msg}
    if not isinstance(outbound_msg, Mapping) or "message" not in outbound_msg:
        raise ValueError("outbound_msg must be a dict with a 'message' key (and optional 'data', ...)")
    return outbound_msg


def _attachment_fields(msg: str, filename: str, attachment: AttachmentArg) -> dict[str, Any]:
    if not isinstance(msg, str):
        raise TypeError(f"msg must be a MessageML string, got {type(msg).__name__}")
    return {"message": msg, "attachment": (filename, read_attachment(attachment))}


class MessageClient(APIClient):
    def get_msg_from_stream(self, stream_id: str, since: int, **kwargs: Any) -> Any:
        """Messages of a stream since ``since`` (epoch ms); kwargs: ``skip``, ``limit``, ``until``."""
        return self._call("messages.list", {"sid": stream_id}, params={"since": since, **kwargs})

    async def get_msg_from_stream_async(self, stream_id: str, since: int, **kwargs: Any) -> Any:
        return await self._call_async("messages.list", {"sid": stream_id}, params={"since": since, **kwargs})

    def send_msg(self, stream_id: str, outbound_msg: Mapping[str, Any] | str) -> Any:
        """``outbound_msg`` is ``{"message": "<messageML>…</messageML>", "data": …}``: every
        key becomes a multipart field."""
        return self._call("messages.send", {"sid": stream_id}, files=_outbound_fields(outbound_msg))

    async def send_msg_async(self, stream_id: str, outbound_msg: Mapping[str, Any] | str) -> Any:
        return await self._call_async(
            "messages.send", {"sid": stream_id}, files=_outbound_fields(outbound_msg)
        )

    def send_msg_with_attachment(
        self, stream_id: str, msg: str, filename: str, path_to_attachment: AttachmentArg
    ) -> Any:
        """Send MessageML with one attachment given as a path, bytes or an open binary stream."""
        fields = _attachment_fields(msg, filename, path_to_attachment)
        return self._call("messages.send", {"sid": stream_id}, files=fields)

    async def send_msg_with_attachment_async(
        self, stream_id: str, msg: str, filename: str, path_to_attachment: AttachmentArg
    ) -> Any:
        """Async twin; unlike 1.x it keeps the message part."""
        fields = _attachment_fields(msg, filename, path_to_attachment)
        return await self._call_async("messages.send", {"sid": stream_id}, files=fields)

    def get_msg_attachment(self, stream_id: str, msg_id: str, file_id: str) -> Any:
        """The attachment body as the API sends it (base64 text)."""
        params = {"messageId": to_url_safe_id(msg_id), "fileId": file_id}
        request = self._request("messages.get_attachment", {"sid": stream_id}, params=params)
        # always text: a base64 body can look like JSON (digits only), which legacy_result would decode
        return self.bot_client.send_request(request).text

    def import_message(self, importedMessage: Any) -> Any:
        messages = importedMessage if isinstance(importedMessage, list) else [importedMessage]
        return self._call("messages.import_messages", json=messages)

    def suppress_message(self, id: str) -> Any:
        return self._call("messages.suppress", {"id": id})

    def post_msg_search(self, query: Mapping[str, Any], **kwargs: Any) -> Any:
        """Search with a JSON query; kwargs (skip, limit, scope, sortDir) become query parameters."""
        return self._call("messages.search", params=kwargs, json=dict(query))

    def get_msg_search(self, query: str, **kwargs: Any) -> Any:
        return self._call("messages.search_by_query", params={"query": query, **kwargs})

    def get_msg_status(self, msg_id: str) -> Any:
        return self._call("messages.get_status", {"mid": msg_id})

    def get_supported_attachment_types(self) -> Any:
        return self._call("messages.get_attachment_types")

    def get_msg_ids_by_timestamp(
        self, stream_id: str | None = None, msg_id: str | None = None, **kwargs: Any
    ) -> Any:
        """Message ids of a stream by time (``since``, ``to``, ``limit``, ``offset``). 1.x named the
        stream id argument ``msg_id``; both names work."""
        sid = stream_id if stream_id is not None else msg_id
        if sid is None:
            raise TypeError("get_msg_ids_by_timestamp() needs the stream id")
        return self._call("messages.list_ids_by_timestamp", {"streamId": sid}, params=kwargs)

    def list_msg_receipts(self, msg_id: str, **kwargs: Any) -> Any:
        """Read receipts of a message (broken in 1.x); kwargs: ``before``, ``after``."""
        return self._call("messages.list_receipts", {"messageId": msg_id}, params=kwargs)

    def list_stream_attachments(
        self,
        stream_id: str,
        since: int | None = None,
        to: int | None = None,
        limit: int = 50,
        sort_dir: str = "ASC",
    ) -> Any:
        params = {"since": since, "to": to, "limit": limit, "sortDir": sort_dir}
        return self._call("messages.list_attachments", {"sid": stream_id}, params=params)
