"""Legacy ``DataFeedEventServiceV2``: the sync service pinned to datafeed v2."""

from __future__ import annotations

from .abstract_datafeed_event_service import AbstractDatafeedEventService


class DataFeedEventServiceV2(AbstractDatafeedEventService):
    """v2 feed: reuses the first listed feed (so several processes share it) or creates one,
    acks each batch after its listeners returned, recreates only when the agent says it is gone."""

    datafeed_version = "v2"
