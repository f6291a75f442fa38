"""Legacy RSA authentication: ``SymBotRSAAuth(config)``.

    configure = SymConfig('config.json'); configure.load_config()
    auth = SymBotRSAAuth(configure)
    auth.authenticate()

Logs in with an RS512 JWT (``sub`` = ``botUsername``, 290 s lifetime, ``iat`` set) posted to
``/login/pubkey/authenticate`` and ``/relay/pubkey/authenticate``.
"""

from __future__ import annotations

from ._legacy import LegacyAuth

__all__ = ["SymBotRSAAuth"]


class SymBotRSAAuth(LegacyAuth):
    _mode = "rsa"

    def create_jwt(self) -> str:
        """A freshly signed login JWT (raises ``ConfigError`` when the key cannot be used)."""
        return self.api_client.login_flow.create_jwt()
