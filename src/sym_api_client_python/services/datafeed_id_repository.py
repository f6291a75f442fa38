"""Legacy module path of the datafeed v1 id file repository."""

from ..datafeed.id_repository import DATAFEED_ID_FILE, OnDiskDatafeedIdRepository

__all__ = ["DATAFEED_ID_FILE", "OnDiskDatafeedIdRepository"]
