"""Legacy ``DataFeedClientV2``: list, create, read (with ackId) and delete v2 feeds."""

from __future__ import annotations

from typing import Any

from ..core.datafeed import CreateFeed, DeleteFeed, ListFeeds, ReadFeed, build_request, parse_response
from ..datafeed.legacy_bridge import async_requester_of, sync_requester_of


class DataFeedClientV2:
    """Keeps the last ``ackId`` like the legacy client: each read acknowledges the previous one."""

    version = "v2"

    def __init__(self, bot_client: Any) -> None:
        self.bot_client = bot_client
        self.ackid = ""

    def _call(self, action: Any) -> Any:
        response = sync_requester_of(self.bot_client).request(build_request(action, version=self.version))
        return parse_response(action, response, version=self.version)

    def create_datafeed(self) -> str:
        return self._call(CreateFeed())

    def list_datafeed_id(self) -> list[dict[str, Any]]:
        """The bot's feeds, as ``[{"id": ..., ...}]``."""
        return self._call(ListFeeds())

    def delete_datafeed(self, datafeed_id: str) -> None:
        self._call(DeleteFeed(datafeed_id))

    def get_ack_id(self) -> str:
        return self.ackid

    def read_datafeed(self, datafeed_id: str, *ack_id: Any) -> list[dict[str, Any]]:
        """One read acknowledging the previous batch (or the ``ack_id`` given); returns events."""
        result = self._call(ReadFeed(datafeed_id, ack_id[0] if ack_id else self.ackid))
        if result.ack_id is not None:
            self.ackid = result.ack_id
        return [event.raw for event in result.events]

    async def read_datafeed_async(self, datafeed_id: str, *ack_id: Any) -> list[dict[str, Any]]:
        action = ReadFeed(datafeed_id, ack_id[0] if ack_id else self.ackid)
        response = await async_requester_of(self.bot_client).request(
            build_request(action, version=self.version)
        )
        result = parse_response(action, response, version=self.version)
        if result.ack_id is not None:
            self.ackid = result.ack_id
        return [event.raw for event in result.events]
