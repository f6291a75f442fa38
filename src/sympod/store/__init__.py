"""SQLite persistence of the whole pod: :class:`Store` (see :mod:`sympod.store.base` for the design).

``Store`` is one class assembled from the parts in this package: ``base`` (connection, group
commit, transactions, generic queries), ``people`` (users, sessions), ``conversations`` (streams,
members, messages, attachments), ``feeds`` (datafeeds, event queues, fault rules).
"""

from __future__ import annotations

from collections.abc import Iterable

from .base import INT64_MAX, INT64_MIN, StoreBase, dumps, loads
from .conversations import ConversationStore
from .feeds import FeedStore
from .people import PeopleStore
from .schema import RESET_META_PATTERNS, RESET_TABLES, SCHEMA, SCHEMA_VERSION, USER_COLUMNS

__all__ = [
    "INT64_MAX",
    "INT64_MIN",
    "SCHEMA",
    "SCHEMA_VERSION",
    "USER_COLUMNS",
    "Store",
    "StoreBase",
    "dumps",
    "loads",
]


class Store(PeopleStore, ConversationStore, FeedStore):
    """The pod's state. Not thread-safe by design: use it from the server's loop thread only."""

    def reset(self, keep_user_ids: Iterable[int]) -> None:
        """Empty every table and the pod content kept in ``meta`` (apps, presence feeds), keeping
        the listed users (the bot) and their sessions."""
        keep = list(keep_user_ids)
        marks = ",".join("?" for _ in keep) or "NULL"
        self._forget_cached()
        self._forget_feed_memory()  # every feed row goes below
        with self.transaction():
            for table in RESET_TABLES:
                self.execute(f"DELETE FROM {table}")
            for pattern in RESET_META_PATTERNS:
                self.execute("DELETE FROM meta WHERE key LIKE ?", (pattern,))
            self.execute(f"DELETE FROM users WHERE user_id NOT IN ({marks})", keep)
            self.execute(f"DELETE FROM sessions WHERE user_id NOT IN ({marks})", keep)
