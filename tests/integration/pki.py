"""A throw-away PKI for tests: CA, server certificate for 127.0.0.1, client certificates, RSA keys."""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def key_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def public_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


@dataclass
class Pki:
    folder: Path
    ca_key: rsa.RSAPrivateKey
    ca_cert: x509.Certificate

    @property
    def ca_path(self) -> Path:
        return self.folder / "ca.pem"

    def issue(self, common_name: str, *, server: bool) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
        key = new_key()
        now = dt.datetime.now(dt.timezone.utc)
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name))
            .issuer_name(self.ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        )
        if server:
            builder = builder.add_extension(
                x509.SubjectAlternativeName(
                    [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
                ),
                critical=False,
            ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        else:
            builder = builder.add_extension(
                x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False
            )
        return key, builder.sign(self.ca_key, hashes.SHA256())

    def write_server_files(self) -> tuple[Path, Path]:
        key, cert = self.issue("127.0.0.1", server=True)
        cert_path, key_path = self.folder / "server.pem", self.folder / "server-key.pem"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(key_pem(key))
        return cert_path, key_path

    def write_client_p12(self, common_name: str, password: str) -> Path:
        key, cert = self.issue(common_name, server=False)
        data = pkcs12.serialize_key_and_certificates(
            common_name.encode(),
            key,
            cert,
            [self.ca_cert],
            serialization.BestAvailableEncryption(password.encode()),
        )
        path = self.folder / f"{common_name}.p12"
        path.write_bytes(data)
        return path

    def write_client_pem(self, common_name: str) -> Path:
        key, cert = self.issue(common_name, server=False)
        path = self.folder / f"{common_name}.pem"
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM) + key_pem(key))
        return path


def make_pki(folder: Path) -> Pki:
    folder.mkdir(parents=True, exist_ok=True)
    key = new_key()
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("symbot test CA"))
        .issuer_name(_name("symbot test CA"))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    pki = Pki(folder, key, cert)
    pki.ca_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return pki
