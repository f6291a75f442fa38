"""Legacy certificate authentication: ``Auth(config)``.

Logs in over mutual TLS with the bot's certificate (``botCertPath`` + ``botCertName``, PKCS#12
with ``botCertPassword``, or PEM) by body-less POSTs to ``/sessionauth/v1/authenticate`` and
``/keyauth/v1/authenticate``. As in 1.x the certificate is read by the constructor, so a missing
file or a wrong password fails there (with a ``ConfigError`` naming the key, not a bare
``FileNotFoundError``).
"""

from __future__ import annotations

from typing import Any

from ..client import SyncApiClient
from ._legacy import LegacyAuth

__all__ = ["Auth"]


class Auth(LegacyAuth):
    _mode = "certificate"

    def __init__(self, config: Any, *, api_client: SyncApiClient | None = None) -> None:
        super().__init__(config, api_client=api_client)
        self.agentConfig = config  # 1.x attribute
        self.api_client.routes  # noqa: B018 - loads the certificate now: fail early, as 1.x did
