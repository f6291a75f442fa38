"""Reading a BDK 2.x/3.x ``config.yaml`` (nested keys) as a bot config.

Bots migrating from the official BDK can keep their file: ``load_config("config.yaml")``
recognises the nested layout (``host``, ``bot: {username, privateKey: {path}}``, ``pod: {...}``)
and translates it to the flat keys of this SDK before validation. Problems name the BDK key
(``config.yaml (bot.privateKey.path): ...``).

Not carried over: ``app`` (extension apps), ``datahose``, ``manifest``, ``defaultHeaders`` and a
``sessionAuth.proxy`` (session auth uses the pod's proxy here); they are kept as unknown keys.
One difference: a BDK truststore *replaces* the system CAs, here it is added to them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["from_bdk", "looks_like_bdk"]

#: BDK component name -> prefix of the flat keys
_COMPONENTS = {"pod": "pod", "agent": "agent", "keyManager": "keyAuth", "sessionAuth": "sessionAuth"}
_PROXY_PREFIX = {"pod": "podProxy", "agent": "agentProxy", "keyManager": "keyManagerProxy"}
_COORDINATES = (("scheme", "Scheme"), ("host", "Host"), ("port", "Port"), ("context", "ContextPath"))


def looks_like_bdk(document: Mapping[str, Any]) -> bool:
    """A BDK config has a ``bot`` section or nested component sections; a flat one has neither."""
    if isinstance(document.get("bot"), Mapping):
        return True
    return any(isinstance(document.get(name), Mapping) for name in _COMPONENTS) or (
        "host" in document and "podHost" not in document
    )


def from_bdk(document: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Flat keys from a BDK document, and for each flat key the BDK path it came from."""
    flat: dict[str, Any] = {}
    origin: dict[str, str] = {}

    def put(key: str, value: Any, path: str) -> None:
        if value is not None:
            flat[key] = value
            origin[key] = path

    for component, prefix in _COMPONENTS.items():
        section = _section(document, component)
        for name, suffix in _COORDINATES:
            if name in section:
                put(prefix + suffix, section[name], f"{component}.{name}")
            elif name in document:
                put(prefix + suffix, document[name], name)
        if component in _PROXY_PREFIX:
            _proxy(_section(section, "proxy") or _section(document, "proxy"), _PROXY_PREFIX[component], put)

    bot = _section(document, "bot")
    put("botUsername", bot.get("username"), "bot.username")
    key = _section(bot, "privateKey")
    put("botPrivateKeyPath", key.get("path"), "bot.privateKey.path")
    put("botPrivateKey", key.get("content"), "bot.privateKey.content")
    certificate = _section(bot, "certificate")
    put("botCertPath", certificate.get("path"), "bot.certificate.path")
    put("botCertPassword", certificate.get("password"), "bot.certificate.password")

    put(
        "truststorePath", _section(_section(document, "ssl"), "trustStore").get("path"), "ssl.trustStore.path"
    )
    datafeed = _section(document, "datafeed")
    put("datafeedVersion", datafeed.get("version"), "datafeed.version")
    put("datafeedIdFilePath", datafeed.get("idFilePath"), "datafeed.idFilePath")

    retry = _section(document, "retry")
    attempts = retry.get("maxAttempts")
    if isinstance(attempts, int) and attempts >= 1:  # BDK's -1 (forever) has no equivalent for REST calls
        put("retryMaxAttempts", attempts, "retry.maxAttempts")
    for bdk_key, key_name in (
        ("initialIntervalMillis", "retryInitialDelay"),
        ("maxIntervalMillis", "retryMaxDelay"),
    ):
        value = retry.get(bdk_key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            put(key_name, value / 1000, f"retry.{bdk_key}")

    known = {"scheme", "host", "port", "context", "proxy", "bot", "ssl", "datafeed", "retry", *_COMPONENTS}
    flat.update({k: v for k, v in document.items() if k not in known})
    return flat, origin


def _section(document: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = document.get(name)
    return value if isinstance(value, Mapping) else {}


def _proxy(proxy: Mapping[str, Any], prefix: str, put: Any) -> None:
    host = proxy.get("host")
    if not host:
        return
    port = proxy.get("port")
    put(f"{prefix}URL", f"http://{host}:{port}" if port else f"http://{host}", "proxy.host")
    put(f"{prefix}Username", proxy.get("username"), "proxy.username")
    put(f"{prefix}Password", proxy.get("password"), "proxy.password")
