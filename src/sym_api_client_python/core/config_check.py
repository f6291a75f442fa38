"""Checks that need the files a config points to (keys, certificates, truststore) and a masked
view of a config for humans. Used by :meth:`BotConfig.validate` and ``symbot config check``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config_fields import ConfigProblem

if TYPE_CHECKING:
    from .config import BotConfig

__all__ = ["check_config", "display_items", "read_credential_file", "read_private_key"]

MASK = "********"


def check_config(config: BotConfig, *, check_files: bool = True) -> list[ConfigProblem]:
    source = str(config.source) if config.source else "<config dict>"
    problems: list[ConfigProblem] = []

    def problem(key: str, message: str) -> None:
        problems.append(ConfigProblem(key, message, source))

    if config.auth_mode is None:
        problem(
            "",
            "no credentials: set botPrivateKeyPath + botPrivateKeyName (RSA) "
            "or botCertPath + botCertName + botCertPassword (certificate)",
        )
    if config.auth_mode == "rsa" and not config.bot_username:
        problem("botUsername", "is required for RSA authentication (it is the JWT subject)")
    if config.datafeed_events_error_max_timeout < config.datafeed_events_error_timeout:
        problem(
            "datafeedEventsErrorMaxTimeout",
            f"({config.datafeed_events_error_max_timeout:g}) is smaller than datafeedEventsErrorTimeout "
            f"({config.datafeed_events_error_timeout:g})",
        )
    if not check_files:
        return problems

    if config.auth_mode == "rsa":
        try:
            read_private_key(config)
        except ValueError as exc:
            problem("botPrivateKeyPath", f"is unusable: {exc}")
    elif config.auth_mode == "certificate" and config.bot_cert_path is not None:
        try:
            from ..transport.tls import load_client_certificate

            load_client_certificate(config.bot_cert_path, config.bot_cert_password, config.bot_cert_key_path)
        except ValueError as exc:
            problem("botCertPath", f"is unusable: {exc}")
    if config.truststore_path is not None:
        message = _check_truststore(config.truststore_path)
        if message:
            problem("truststorePath", f"is unusable: {message}")
    return problems


def read_credential_file(path: Path, what: str) -> bytes:
    """The bytes of a key or certificate file; ``ValueError`` naming ``what`` and the file if it
    is missing or unreadable."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ValueError(f"{what} file {path} does not exist") from None
    except OSError as exc:
        raise ValueError(f"{what} file {path} cannot be read: {exc.strerror or exc}") from None


def read_private_key(config: BotConfig) -> Any:
    """The bot's RSA private key (a ``cryptography`` key object: parsing a PEM key is slow,
    ~50 ms with its consistency checks, so callers keep this object).

    Raises ``ValueError`` with a message naming the file (never the key material)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    if config.bot_private_key:
        pem = config.bot_private_key.encode()
        where = "botPrivateKey"
    elif config.bot_private_key_path is not None:
        path = config.bot_private_key_path
        where = str(path)
        pem = read_credential_file(path, "private key")
    else:
        raise ValueError("no RSA private key configured")
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        reason = (
            "it is encrypted (use an unencrypted PEM key)"
            if isinstance(exc, TypeError)
            else ("it is not a PEM private key")
        )
        raise ValueError(f"private key {where} cannot be loaded: {reason}") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError(f"private key {where} is not an RSA key (Symphony needs RSA for RS512)")
    return key


def _check_truststore(path: Path) -> str | None:
    from cryptography import x509

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return f"file {path} does not exist"
    except OSError as exc:
        return f"file {path} cannot be read: {exc.strerror or exc}"
    try:
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError:
        return f"file {path} holds no PEM certificate (convert JKS/p12 to PEM, see docs/configuration.md)"
    return None if certificates else f"file {path} holds no PEM certificate"


def display_items(config: BotConfig) -> list[tuple[str, str]]:
    """The resolved config as ``(key, value)`` rows, secrets masked."""

    def proxy(value: object) -> str:
        if value is None:
            return "-"
        url = getattr(value, "url", "")
        user = getattr(value, "username", None)
        return f"{url} (user {user}, password {MASK})" if user else str(url)

    def text(value: object) -> str:
        return "-" if value is None or value == "" else str(value)

    rows: list[tuple[str, str]] = []
    for name, component in (
        ("pod", config.pod),
        ("agent", config.agent),
        ("sessionAuth", config.session_auth),
        ("keyAuth", config.key_auth),
    ):
        rows.append((f"{name} URL", component.base_url))
        rows.append((f"{name} proxy", proxy(component.proxy)))
    rows += [
        ("auth mode", text(config.auth_mode)),
        ("botUsername", text(config.bot_username)),
        ("botEmailAddress", text(config.bot_email_address)),
        ("private key", MASK + " (inline)" if config.bot_private_key else text(config.bot_private_key_path)),
        ("botCertPath", text(config.bot_cert_path)),
        ("botCertPassword", MASK if config.bot_cert_password else "-"),
        ("truststorePath", text(config.truststore_path) if config.truststore_path else "- (system CAs)"),
        (
            "authTokenRefreshPeriod",
            f"{config.auth_token_refresh_period:g} min"
            if config.auth_token_refresh_period
            else "- (on 401 only)",
        ),
        (
            "auth retries",
            f"{config.auth_max_retries} (delay {config.auth_retry_initial_delay:g}"
            f"..{config.auth_retry_max_delay:g} s)",
        ),
        ("datafeedVersion", config.datafeed_version),
        ("reuseDatafeedID", str(config.reuse_datafeed_id).lower()),
        (
            "datafeedIdFilePath",
            text(config.datafeed_id_file_path) if config.datafeed_id_file_path else "- (current directory)",
        ),
        (
            "datafeed error backoff",
            f"{config.datafeed_events_error_timeout:g}..{config.datafeed_events_error_max_timeout:g} s",
        ),
        ("datafeedTuneAllocator", str(config.datafeed_tune_allocator).lower()),
        ("timeouts", f"connect {config.connect_timeout:g} s, read {config.read_timeout:g} s"),
        (
            "REST retries",
            f"{config.retry_max_attempts} attempts (delay {config.retry_initial_delay:g}"
            f"..{config.retry_max_delay:g} s)",
        ),
    ]
    if config.env_overrides:
        rows.append(("from environment", ", ".join(config.env_overrides)))
    if config.unmatched_env:
        rows.append(("ignored SYM_* variables", ", ".join(config.unmatched_env)))
    if config.extra:
        rows.append(("unknown keys (kept)", ", ".join(sorted(config.extra))))
    return rows
