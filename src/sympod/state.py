"""The running pod: settings, store, feed hub and TLS material, shared by every route.

Route handlers get it with :func:`get_pod` (``request.app.state.pod``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.requests import HTTPConnection

from .events import FeedHub, publish_event
from .store import Store

if TYPE_CHECKING:
    from .auth import SessionCache
    from .faults import FaultRegistry
    from .tls import CertificateAuthority

DEFAULT_TOKEN_TTL_S = 3600.0
DEFAULT_LONG_POLL_S = 30.0
DEFAULT_ACK_TIMEOUT_S = 30.0
DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024
# how long after a datafeed read's answer was handed to the socket the writes it deferred run: the
# socket has drained by then, and a reader busy with its batch leaves the server idle
FEED_CLEANUP_DELAY_S = 0.0005

log = logging.getLogger("sympod")


@dataclass
class Settings:
    """Tunables (the CLI flags and ``Emulator(...)`` arguments map onto these)."""

    workdir: Path
    token_ttl_s: float = DEFAULT_TOKEN_TTL_S
    # longest a datafeed read waits for events before answering empty
    long_poll_s: float = DEFAULT_LONG_POLL_S
    # how long v2 events handed to a reader stay leased before being redelivered unless acked
    ack_timeout_s: float = DEFAULT_ACK_TIMEOUT_S
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    # most events one datafeed read returns
    read_batch_size: int = 500
    # JWTs the clients sign may expire at most this far ahead (real pods: about 5 minutes)
    max_jwt_lifetime_s: float = 360.0
    # datafeeds unread for this long are dropped (real pods: 30 minutes)
    feed_idle_ttl_s: float = 1800.0
    # active v2 datafeeds per user (real pods: 20; a 21st create gets 403)
    max_feeds_per_user: int = 20
    base_url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class PodState:
    settings: Settings
    store: Store
    hub: FeedHub
    faults: FaultRegistry
    ca: CertificateAuthority | None
    # RSA private key (PEM) signing the JWT-shaped session tokens
    token_signing_key: bytes
    bot_user_id: int
    sessions: SessionCache
    # set when the server shuts down: long-polls answer at once
    closing: bool = False
    _flush_waiter: asyncio.Future[None] | None = field(default=None, repr=False)
    _feed_cleanup: asyncio.TimerHandle | None = field(default=None, repr=False)

    async def flush(self) -> None:
        """Commit pending writes (group commit): the requests finishing in the same event-loop
        iteration wait for one shared COMMIT instead of one each."""
        if not self.store.has_uncommitted:
            return
        if self._flush_waiter is None:
            loop = asyncio.get_running_loop()
            self._flush_waiter = loop.create_future()
            loop.call_soon(self._commit_now)
        await asyncio.shield(self._flush_waiter)

    def _commit_now(self) -> None:
        if self.store.in_transaction_block:
            # a handler awaited inside a transaction block: commit once the block is complete
            asyncio.get_running_loop().call_later(0.001, self._commit_now)
            return
        waiter, self._flush_waiter = self._flush_waiter, None
        assert waiter is not None
        try:
            self.store.commit()
        except Exception as exc:  # surfaces as a 500 in every request waiting for this commit
            waiter.set_exception(exc)
        else:
            waiter.set_result(None)

    async def after_feed_read(self) -> None:
        """Run once a datafeed read's answer is sent (its response's background task): have the
        writes the read deferred run shortly, while the reader is busy with its batch (see
        FeedStore.apply_deferred_writes)."""
        if self._feed_cleanup is None and self.store.has_deferred_writes:
            loop = asyncio.get_running_loop()
            self._feed_cleanup = loop.call_later(FEED_CLEANUP_DELAY_S, self._write_feed_reads)

    def _write_feed_reads(self) -> None:
        self._feed_cleanup = None
        if self.store.in_transaction_block:  # a handler awaited inside a transaction block
            self._feed_cleanup = asyncio.get_running_loop().call_later(0.001, self._write_feed_reads)
            return
        try:
            self.store.apply_deferred_writes()
            self.store.commit()
        except Exception:  # the rows stay: only a restart would deliver those events again
            log.exception("could not write out datafeed reads")

    def publish_event(
        self,
        event_type: str,
        payload: dict[str, Any],
        initiator_user_id: int,
        member_user_ids: Iterable[int],
        *,
        message_id: str | None = None,
    ) -> dict[str, Any]:
        """See :func:`sympod.events.publish_event`."""
        return publish_event(
            self, event_type, payload, initiator_user_id, member_user_ids, message_id=message_id
        )


def get_pod(request: HTTPConnection) -> PodState:
    """The :class:`PodState` of the app serving ``request``."""
    pod: PodState = request.app.state.pod
    return pod
