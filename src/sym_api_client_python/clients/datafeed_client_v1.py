"""Legacy ``DataFeedClientV1``: create and read a v1 feed."""

from __future__ import annotations

from typing import Any

from ..core.datafeed import CreateFeed, ReadFeed, build_request, parse_response
from ..datafeed.legacy_bridge import async_requester_of, sync_requester_of


class DataFeedClientV1:
    version = "v1"

    def __init__(self, bot_client: Any) -> None:
        self.bot_client = bot_client

    def _call(self, action: Any) -> Any:
        response = sync_requester_of(self.bot_client).request(build_request(action, version=self.version))
        return parse_response(action, response, version=self.version)

    def create_datafeed(self) -> str:
        """Create a feed; returns its id."""
        return self._call(CreateFeed())

    def read_datafeed(self, datafeed_id: str, *ack_id: Any) -> list[dict[str, Any]]:
        """One long-poll read; events as dicts (``[]`` when the agent answers 204)."""
        return [event.raw for event in self._call(ReadFeed(datafeed_id)).events]

    async def read_datafeed_async(self, datafeed_id: str) -> list[dict[str, Any]]:
        action = ReadFeed(datafeed_id)
        response = await async_requester_of(self.bot_client).request(
            build_request(action, version=self.version)
        )
        return [event.raw for event in parse_response(action, response, version=self.version).events]

    def list_datafeed_id(self) -> list[Any]:
        raise TypeError("datafeed v1 has no list operation (use datafeedVersion v2)")

    def delete_datafeed(self, datafeed_id: str) -> None:
        raise TypeError("datafeed v1 has no delete operation (use datafeedVersion v2)")

    def get_ack_id(self) -> str:
        raise TypeError("datafeed v1 has no ackId (use datafeedVersion v2)")
