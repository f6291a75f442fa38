"""Legacy ``DataFeedEventServiceV1``: the sync service pinned to datafeed v1."""

from __future__ import annotations

from .abstract_datafeed_event_service import AbstractDatafeedEventService


class DataFeedEventServiceV1(AbstractDatafeedEventService):
    """v1 feed (create, read with long polling, id kept in ``datafeed.id`` when
    ``reuseDatafeedID``); recreated only when the agent says it is gone."""

    datafeed_version = "v1"
