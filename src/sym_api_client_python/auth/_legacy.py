"""What ``SymBotRSAAuth`` and ``Auth`` share: a :class:`SyncApiClient` that owns the tokens.

The legacy SymBotClient finds that client as ``auth.api_client`` and sends every call through
it, so one login serves the auth object, the REST clients and the datafeed.
"""

from __future__ import annotations

import time
from typing import Any, Literal

from ..client import SyncApiClient, coerce_config
from ..core.errors import MaxRetryError


class LegacyAuth:
    """Base of the 1.x auth classes (1.x attributes kept: ``config``, ``last_auth_time`` in ms,
    ``auth_retries``, ``session_token``, ``key_manager_token``, ``auth_session``,
    ``key_manager_auth_session``)."""

    _mode: Literal["rsa", "certificate"]

    def __init__(self, config: Any, *, api_client: SyncApiClient | None = None) -> None:
        self.config = config
        self.api_client = api_client or SyncApiClient(coerce_config(config), auth_mode=self._mode)
        self.last_auth_time = 0
        self.auth_retries = 0
        # 1.x exposed two requests.Session objects here; the client plays their role now
        self.auth_session = self.api_client
        self.key_manager_auth_session = self.api_client

    def authenticate(self) -> None:
        """Fetch both tokens, retrying transient failures (bounded: ``authMaxRetries``).

        Raises ``MaxRetryError`` (legacy ``MaxRetryException``) with the cause when it gives up.
        Unlike 1.x there is no 30 s wait when called twice in a row, no recursion, and the retry
        counter starts afresh at each call."""
        self.last_auth_time = int(time.time() * 1000)
        try:
            self.api_client.authenticate()
        except MaxRetryError as exc:
            self.auth_retries = exc.attempts
            raise
        self.auth_retries = 0

    def session_authenticate(self) -> str:
        """Fetch and store the session token (one request, no retry)."""
        return self.api_client.login_step("session")

    def key_manager_authenticate(self) -> str:
        """Fetch and store the key manager token (one request, no retry)."""
        return self.api_client.login_step("keyManager")

    @property
    def session_token(self) -> str | None:
        return self.api_client.session_token

    @property
    def key_manager_token(self) -> str | None:
        return self.api_client.key_manager_token

    def get_session_token(self) -> str | None:
        return self.session_token

    def get_key_manager_token(self) -> str | None:
        return self.key_manager_token
