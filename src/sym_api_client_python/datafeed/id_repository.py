"""Where a datafeed v1 id is kept between runs: ``<folder>/datafeed.id`` holding ``id@agentUrl``.

Same file and format as the legacy SDK (legacy-sdk.md §5.4) so an existing bot keeps its feed
across the upgrade. Unlike the legacy SDK, an id stored for another agent URL is not reused.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

logger = logging.getLogger("sym_api_client_python.datafeed")

DATAFEED_ID_FILE = "datafeed.id"


class OnDiskDatafeedIdRepository:
    """Reads and writes the v1 feed id file."""

    def __init__(self, folder: str | os.PathLike[str] | None = None, agent_url: str = "") -> None:
        base = Path(folder) if folder else Path.cwd()
        path = base / DATAFEED_ID_FILE if base.suffix != ".id" or base.is_dir() else base
        if path.is_dir():  # legacy quirk kept: a *directory* named datafeed.id holds the file
            path = path / DATAFEED_ID_FILE
        self.path = path.absolute()
        self.agent_url = agent_url

    def read(self) -> str | None:
        """The stored id, or None (no file, unreadable, no ``@``, or stored for another agent)."""
        try:
            first_line = self.path.read_text(encoding="utf-8").splitlines()[0].strip()
        except (OSError, IndexError, UnicodeDecodeError):
            return None
        feed_id, sep, agent_url = first_line.partition("@")
        if not sep or not feed_id:
            return None
        if self.agent_url and agent_url and agent_url.rstrip("/") != self.agent_url.rstrip("/"):
            logger.info("ignoring stored datafeed id %s: it belongs to agent %s", feed_id, agent_url)
            return None
        return feed_id

    def write(self, feed_id: str) -> None:
        """Store the id atomically (a crash mid-write never leaves a truncated file)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(f"{feed_id}@{self.agent_url}", encoding="utf-8")
        os.replace(tmp, self.path)

    # legacy method names
    def read_datafeed_id_from_file(self) -> str | None:
        return self.read()

    def store_datafeed_id_to_file(self, feed_id: str, agent_url: str | None = None) -> None:
        if agent_url is not None:
            self.agent_url = agent_url
        self.write(feed_id)

    read_datafeed_id = read_datafeed_id_from_file
    store_datafeed_id = store_datafeed_id_to_file
