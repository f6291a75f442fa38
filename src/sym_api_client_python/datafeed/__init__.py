"""The datafeed engine: drivers of :mod:`sym_api_client_python.core.datafeed`, dispatchers,
the duplicate filter and the v1 feed id file."""

from .async_driver import AsyncDatafeedRunner
from .dedup import DedupWindow
from .dispatcher import AsyncDispatcher, DispatchStats, EventGate, SyncDispatcher
from .id_repository import DATAFEED_ID_FILE, OnDiskDatafeedIdRepository
from .settings import DatafeedSettings
from .sync_driver import SyncDatafeedRunner

__all__ = [
    "DATAFEED_ID_FILE",
    "AsyncDatafeedRunner",
    "AsyncDispatcher",
    "DatafeedSettings",
    "DedupWindow",
    "DispatchStats",
    "EventGate",
    "OnDiskDatafeedIdRepository",
    "SyncDatafeedRunner",
    "SyncDispatcher",
]
