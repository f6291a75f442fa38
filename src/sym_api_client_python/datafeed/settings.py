"""Datafeed settings, read from whichever config object the caller has."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.datafeed import (
    DEFAULT_INITIAL_BACKOFF,
    DEFAULT_MAX_BACKOFF,
    DEFAULT_READ_TIMEOUT,
    DatafeedMachine,
)
from ..core.http import RetryPolicy
from .dedup import DEFAULT_DEDUP_WINDOW
from .dispatcher import DEFAULT_MAX_CONCURRENCY, DEFAULT_MAX_WORKERS
from .id_repository import OnDiskDatafeedIdRepository


@dataclass(frozen=True)
class DatafeedSettings:
    """How the datafeed runs. ``max_backoff`` caps the retry sleep; the loop never gives up."""

    version: str = "v2"
    reuse_feed_id: bool = True
    id_folder: str | None = None
    agent_url: str = ""
    initial_backoff: float = DEFAULT_INITIAL_BACKOFF
    max_backoff: float = DEFAULT_MAX_BACKOFF
    read_timeout: float = DEFAULT_READ_TIMEOUT
    max_workers: int = DEFAULT_MAX_WORKERS
    max_concurrency: int = DEFAULT_MAX_CONCURRENCY
    dedup_window: int = DEFAULT_DEDUP_WINDOW
    # raise glibc's malloc thresholds before the first read (see allocator.py); process-wide
    tune_allocator: bool = True

    def __post_init__(self) -> None:
        if self.version.lower() not in ("v1", "v2"):
            raise ValueError(f"datafeedVersion must be 'v1' or 'v2', got {self.version!r}")
        if self.initial_backoff <= 0 or self.max_backoff < self.initial_backoff:
            raise ValueError(
                f"datafeed backoff needs 0 < initial ({self.initial_backoff}) <= max ({self.max_backoff})"
            )

    @classmethod
    def from_config(cls, config: Any, **overrides: Any) -> DatafeedSettings:
        """Settings from a ``BotConfig``, a legacy ``SymConfig`` (its ``data`` dict) or a plain dict,
        with keyword overrides (``None`` values are ignored)."""
        values: dict[str, Any] = {}
        data = _as_mapping(config)
        version = _first(config, data, "datafeed_version", "datafeedVersion")
        if version:
            values["version"] = str(version).lower()
        reuse = _first(config, data, "reuse_datafeed_id", "reuseDatafeedID")
        if reuse is not None:
            values["reuse_feed_id"] = _as_bool(reuse)
        folder = _first(config, data, "datafeed_id_file_path", "datafeedIdFilePath")
        if folder:
            values["id_folder"] = str(folder)
        agent_url = _agent_url(config, data)
        if agent_url:
            values["agent_url"] = agent_url
        initial = _first(config, data, "datafeed_events_error_timeout", "datafeedEventsErrorTimeout")
        maximum = _first(config, data, "datafeed_events_error_max_timeout", "datafeedEventsErrorMaxTimeout")
        if maximum not in (None, ""):
            values["max_backoff"] = float(maximum)
        if initial not in (None, ""):
            # The legacy first sleep was a fixed 30 s (a one-off 503 cost 30 s of silence). The
            # engine starts at 0.5 s and grows to the cap; the legacy value only lowers the start.
            values["initial_backoff"] = min(
                float(initial) or DEFAULT_INITIAL_BACKOFF, DEFAULT_INITIAL_BACKOFF
            )
        tune = _first(config, data, "datafeed_tune_allocator", "datafeedTuneAllocator")
        if tune is not None:
            values["tune_allocator"] = _as_bool(tune)
        values.update({k: v for k, v in overrides.items() if v is not None})
        initial_value = values.get("initial_backoff", DEFAULT_INITIAL_BACKOFF)
        max_value = values.get("max_backoff", DEFAULT_MAX_BACKOFF)
        if initial_value > max_value:  # a small cap (tests, impatient bots) lowers the start too
            values["initial_backoff"] = max_value
        return cls(**values)

    def machine(self) -> DatafeedMachine:
        return DatafeedMachine(
            self.version,
            reuse_feed_id=self.reuse_feed_id,
            backoff=RetryPolicy(
                max_attempts=None, initial_delay=self.initial_backoff, max_delay=self.max_backoff
            ),
        )

    def id_repository(self) -> OnDiskDatafeedIdRepository:
        return OnDiskDatafeedIdRepository(self.id_folder, self.agent_url)


def _as_mapping(config: Any) -> dict[str, Any]:
    if isinstance(config, dict):
        return config
    data = getattr(config, "data", None)
    return data if isinstance(data, dict) else {}


def _agent_url(config: Any, data: dict[str, Any]) -> str | None:
    agent = getattr(config, "agent", None) if not isinstance(config, dict) else None
    base = getattr(agent, "base_url", None)
    if callable(base):
        base = base()
    if isinstance(base, str) and base:
        return base
    value = data.get("agentUrl")
    return str(value) if value else None


def _first(config: Any, data: dict[str, Any], attr: str, key: str) -> Any:
    if not isinstance(config, dict):
        value = getattr(config, attr, None)
        if callable(value):
            value = value()
        if value is not None:
            return getattr(value, "value", value)  # enums (DatafeedVersion) → their value
    return data.get(key)


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("false", "0", "no", "off", "")
    return bool(value)
