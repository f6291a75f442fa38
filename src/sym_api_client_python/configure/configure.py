"""Legacy ``SymConfig``: the 1.x configuration object, backed by :class:`~..core.config.BotConfig`.

    configure = SymConfig('../resources/config.json')
    configure.load_config()
    configure.data['podUrl']        # 'https://pod.acme.com:443'

``data`` holds the file's keys (unknown ones included) plus the keys 1.x derived from them
(``podUrl``, ``agentUrl``, ``sessionAuthUrl``, ``keyAuthUrl``, ``botRSAPath``, ``p.12``, the
``*ProxyRequestObject`` dicts), and the ``*Host`` keys are rewritten to full URLs as 1.x did.

Differences from 1.x (bugs fixed): an empty ``proxyURL`` no longer wipes per-component proxies;
a missing ``truststorePath`` is fine; ``reuseDatafeedID: "false"`` is false; proxy credentials
are URL-encoded; the ``p.12`` path is not doubled; bad values raise ``ConfigError`` naming the key.
Relative paths: with ``relative_to`` they are resolved against that file's folder, as in 1.x;
without it, against the current directory (1.x) and, when the file is not there, against the
config file's folder.

Kept on purpose: when ``datafeedVersion`` is absent the legacy default **v1** applies here
(``is_datafeed_v1()`` is true and ``bot_config.datafeed_version == "v1"``); the typed
``load_config`` defaults to v2.
"""

from __future__ import annotations

import dataclasses
import os
from os import PathLike
from pathlib import Path
from typing import Any

from ..core.config import BotConfig, ComponentConfig, ProxyConfig, config_error, load_config_unchecked

__all__ = ["SymConfig"]

_COMPONENT_PREFIXES = (
    ("sessionAuth", "session_auth"),
    ("keyAuth", "key_auth"),
    ("pod", "pod"),
    ("agent", "agent"),
)


class SymConfig:
    """The 1.x configuration object. ``load_config()`` must be called before use (as in 1.x);
    :attr:`bot_config` loads on demand."""

    def __init__(
        self, path_to_config: str | PathLike[str], relative_to: str | PathLike[str] | None = None
    ) -> None:
        self.path_to_config = str(path_to_config)
        if relative_to is not None:
            anchor = str(relative_to)
            self.relative_to = anchor if os.path.isdir(anchor) else (os.path.dirname(anchor) or os.curdir)
        else:
            self.relative_to = os.curdir
        self._explicit_base = relative_to is not None
        self.data: dict[str, Any] = {}
        self._bot_config: BotConfig | None = None

    # ------------------------------------------------------------------ loading
    def load_config(self) -> None:
        """Read the file into :attr:`data` and build :attr:`bot_config`. Raises ``ConfigError``."""
        config_folder = Path(self.path_to_config).expanduser().resolve().parent
        if self._explicit_base:
            search_dirs = [Path(self.relative_to).resolve()]
        else:
            search_dirs = [Path.cwd(), config_folder]
        config, problems = load_config_unchecked(self.path_to_config, search_dirs=search_dirs)
        if problems:
            raise config_error(problems)
        if "datafeedVersion" not in config.raw or config.raw.get("datafeedVersion") in (None, ""):
            config = dataclasses.replace(config, datafeed_version="v1")  # the 1.x default
        self._bot_config = config
        self.data = self._legacy_data(config)

    @property
    def bot_config(self) -> BotConfig:
        """The typed config behind this object (loads the file on first access)."""
        if self._bot_config is None:
            self.load_config()
        assert self._bot_config is not None
        return self._bot_config

    @staticmethod
    def _legacy_data(config: BotConfig) -> dict[str, Any]:
        data: dict[str, Any] = dict(config.raw)
        for prefix, attribute in _COMPONENT_PREFIXES:
            component: ComponentConfig = getattr(config, attribute)
            data[f"{prefix}Url"] = component.base_url
            data[f"{prefix}Host"] = component.base_url  # 1.x rewrote *Host to the full URL
        if config.bot_private_key_path is not None:
            data["botRSAPath"] = str(config.bot_private_key_path)
        if config.bot_cert_path is not None:
            data["p.12"] = str(config.bot_cert_path)
        data["truststorePath"] = str(config.truststore_path) if config.truststore_path else ""
        proxies = {"pod": config.pod.proxy, "agent": config.agent.proxy, "keyManager": config.key_auth.proxy}
        for prefix, proxy in proxies.items():
            data[f"{prefix}ProxyURL"] = proxy.url if proxy else ""
            data[f"{prefix}ProxyUsername"] = (proxy.username or "") if proxy else ""
            data[f"{prefix}ProxyPassword"] = (proxy.password or "") if proxy else ""
            data[f"{prefix}ProxyRequestObject"] = _requests_proxies(proxy)
        data["datafeedVersion"] = config.datafeed_version
        data["reuseDatafeedID"] = config.reuse_datafeed_id
        return data

    # ------------------------------------------------------------------ 1.x accessors
    def get_agent_url(self) -> str:
        return str(self.data["agentUrl"])

    def is_datafeed_v1(self) -> bool:
        """True unless ``datafeedVersion`` is v2 (absent means v1, the 1.x default)."""
        return self.bot_config.datafeed_version == "v1"

    def is_datafeed_id_reused(self) -> bool:
        """``reuseDatafeedID``: absent means true; ``"false"`` is false (1.x: truthiness)."""
        return self.bot_config.reuse_datafeed_id

    def should_store_datafeed_id(self) -> bool:
        """The datafeed id file is used only by datafeed v1 with id reuse on."""
        return self.is_datafeed_v1() and self.is_datafeed_id_reused()

    def get_datafeed_id_folder_path(self) -> str:
        """``datafeedIdFilePath`` when set, else the current directory (evaluated now)."""
        return str(self.bot_config.datafeed_id_folder)

    def __repr__(self) -> str:
        return f"SymConfig({self.path_to_config!r}, loaded={self._bot_config is not None})"


def _requests_proxies(proxy: ProxyConfig | None) -> dict[str, str]:
    """The ``{'http': url, 'https': url}`` dict 1.x handed to requests (credentials URL-encoded)."""
    if proxy is None:
        return {}
    url = proxy.url_with_credentials()
    return {"http": url, "https": url}
