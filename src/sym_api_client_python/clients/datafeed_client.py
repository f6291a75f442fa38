"""Legacy ``DataFeedClient``: picks the v1 or v2 client from the config (default v2)."""

from __future__ import annotations

from typing import Any

from ..datafeed.legacy_bridge import config_of
from ..datafeed.settings import DatafeedSettings
from .datafeed_client_v1 import DataFeedClientV1
from .datafeed_client_v2 import DataFeedClientV2


class DataFeedClient:
    def __init__(self, bot_client: Any) -> None:
        self.bot_client = bot_client
        version = DatafeedSettings.from_config(config_of(bot_client)).version
        self.datafeed_client: DataFeedClientV1 | DataFeedClientV2 = (
            DataFeedClientV1(bot_client) if version == "v1" else DataFeedClientV2(bot_client)
        )

    def create_datafeed(self) -> str:
        return self.datafeed_client.create_datafeed()

    def read_datafeed(self, datafeed_id: str, *ack_id: Any) -> list[dict[str, Any]]:
        return self.datafeed_client.read_datafeed(datafeed_id, *ack_id)

    async def read_datafeed_async(self, datafeed_id: str) -> list[dict[str, Any]]:
        return await self.datafeed_client.read_datafeed_async(datafeed_id)

    def list_datafeed_id(self) -> list[Any]:
        return self.datafeed_client.list_datafeed_id()

    def delete_datafeed(self, datafeed_id: str) -> None:
        self.datafeed_client.delete_datafeed(datafeed_id)

    def get_ack_id(self) -> str:
        return self.datafeed_client.get_ack_id()
