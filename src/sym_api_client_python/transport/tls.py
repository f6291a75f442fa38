"""TLS contexts, client certificates and per-component routes.

Trust: the system CAs, plus the PEM bundle of ``truststorePath`` when one is set. (The legacy SDK
*replaced* the system CAs with the truststore; adding to them lets a bot reach an on-prem pod
with a private CA and a cloud service with a public certificate through the same config.)

Client certificates (certificate auth): a PKCS#12 file is converted to PEM in memory with
``cryptography``; ``ssl`` can only load a certificate chain from files, so the PEM is written to
a private temporary file (mode 0600) that is deleted as soon as it has been loaded.
"""

from __future__ import annotations

import contextlib
import os
import ssl
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.config_check import read_credential_file
from ..core.errors import ConfigError
from ..core.http import Component
from .base import Route

if TYPE_CHECKING:
    from ..core.config import BotConfig

__all__ = [
    "ClientCertificate",
    "build_routes",
    "build_ssl_context",
    "load_client_certificate",
]

_PKCS12_SUFFIXES = (".p12", ".pfx")
#: components that take part in certificate authentication (mTLS)
AUTH_COMPONENTS = (Component.SESSION_AUTH, Component.KEY_AUTH)


@dataclass(frozen=True)
class ClientCertificate:
    """A client certificate chain and its unencrypted private key, as PEM."""

    cert_pem: bytes
    key_pem: bytes = field(repr=False)
    source: Path | None = None


def load_client_certificate(
    path: Path, password: str | None = None, key_path: Path | None = None
) -> ClientCertificate:
    """Read a PKCS#12 (``.p12``/``.pfx``) or PEM client certificate.

    A PEM file may hold the key too; otherwise ``key_path`` names it. Raises ``ValueError`` with a
    message naming the file (never the password) when it cannot be used."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    data = read_credential_file(path, "certificate")
    secret = password.encode() if password else None

    if path.suffix.lower() in _PKCS12_SUFFIXES or not data.lstrip().startswith(b"-----"):
        from cryptography.hazmat.primitives.serialization import pkcs12

        try:
            key, cert, extra = pkcs12.load_key_and_certificates(data, secret)
        except (ValueError, TypeError):
            raise ValueError(
                f"certificate {path} cannot be opened: wrong botCertPassword or not a PKCS#12 file"
            ) from None
        if key is None or cert is None:
            raise ValueError(f"certificate {path} must hold both a certificate and its private key")
        chain = [cert, *(extra or [])]
        cert_pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in chain)
        key_pem = _key_to_pem(key)
        return ClientCertificate(cert_pem, key_pem, path)

    try:
        certificates = x509.load_pem_x509_certificates(data)
    except ValueError:
        raise ValueError(f"certificate {path} holds no PEM certificate") from None
    cert_pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates)
    key_source, key_data = path, data
    if key_path is not None:
        try:
            key_source, key_data = key_path, key_path.read_bytes()
        except OSError as exc:
            raise ValueError(
                f"certificate key file {key_path} cannot be read: {exc.strerror or exc}"
            ) from None
    if b"PRIVATE KEY-----" not in key_data:
        raise ValueError(f"certificate {path} has no private key in it: set botCertKeyPath")
    try:
        key = serialization.load_pem_private_key(key_data, secret)
    except (ValueError, TypeError):
        raise ValueError(
            f"private key in {key_source} cannot be loaded (wrong botCertPassword or not a PEM key)"
        ) from None
    return ClientCertificate(cert_pem, _key_to_pem(key), path)


def _key_to_pem(key: object) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def build_ssl_context(
    truststore_path: Path | None = None, client_certificate: ClientCertificate | None = None
) -> ssl.SSLContext:
    """A verifying client context: system CAs + ``truststore_path``, optional client certificate."""
    context = ssl.create_default_context()
    if truststore_path is not None:
        try:
            context.load_verify_locations(cafile=str(truststore_path))
        except FileNotFoundError:
            raise ConfigError(
                f"truststorePath: file {truststore_path} does not exist", key="truststorePath"
            ) from None
        except (ssl.SSLError, OSError) as exc:
            raise ConfigError(
                f"truststorePath: {truststore_path} is not a PEM certificate bundle ({exc})",
                key="truststorePath",
            ) from None
    if client_certificate is not None:
        _load_cert_chain(context, client_certificate)
    return context


def _load_cert_chain(context: ssl.SSLContext, certificate: ClientCertificate) -> None:
    # ssl.SSLContext.load_cert_chain only reads files: write a 0600 file in a private folder and
    # remove it right after loading, so the key lives on disk for microseconds
    folder = tempfile.mkdtemp(prefix="symbot-cert-")  # mode 0700
    path = os.path.join(folder, "client.pem")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(certificate.cert_pem)
            handle.write(certificate.key_pem)
        context.load_cert_chain(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        os.rmdir(folder)


def build_routes(
    config: BotConfig, *, client_certificate: ClientCertificate | None = None
) -> dict[Component, Route]:
    """One :class:`Route` per component. The client certificate is presented only to the
    session-auth and key-auth hosts, where certificate authentication happens."""
    plain_context: ssl.SSLContext | None = None
    cert_context: ssl.SSLContext | None = None
    routes: dict[Component, Route] = {}
    for component in Component:
        settings = config.component(component)
        context: ssl.SSLContext | None = None
        if settings.scheme == "https":
            if client_certificate is not None and component in AUTH_COMPONENTS:
                cert_context = cert_context or build_ssl_context(config.truststore_path, client_certificate)
                context = cert_context
            else:
                plain_context = plain_context or build_ssl_context(config.truststore_path)
                context = plain_context
        routes[component] = Route(component, settings.base_url, settings.proxy, context)
    return routes
