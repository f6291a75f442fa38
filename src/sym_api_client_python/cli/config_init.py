"""``symbot config init``: write a commented bot-config.json and a fresh RSA key pair.

The file is in the legacy ``SymConfig`` format (what every 1.x bot already has), with ``//``
comments explaining each group of keys; the SDK's config loader accepts comments.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import typer

__all__ = [
    "ConfigInitOptions",
    "generate_rsa_key_pair",
    "register_config_init",
    "render_config",
    "write_config",
]

_USERNAME = re.compile(r"^[A-Za-z0-9._@+-]{1,128}$")
_HOST = re.compile(r"^[A-Za-z0-9.-]+$")
PRIVATE_KEY_NAME = "bot-private.pem"
PUBLIC_KEY_NAME = "bot-public.pem"


@dataclass(frozen=True)
class ConfigInitOptions:
    """What ``config init`` writes. ``host`` serves every component (how Symphony cloud pods work)."""

    output: Path
    host: str
    port: int
    username: str
    email: str
    agent_host: str | None = None
    key_size: int = 4096
    datafeed_version: str = "v2"

    def validate(self) -> None:
        if not _HOST.match(self.host):
            raise ValueError(
                f"--host {self.host!r} is not a host name (e.g. mycompany.symphony.com, no https://)"
            )
        if self.agent_host is not None and not _HOST.match(self.agent_host):
            raise ValueError(f"--agent-host {self.agent_host!r} is not a host name")
        if not 0 < self.port < 65536:
            raise ValueError(f"--port {self.port} is out of range (1-65535)")
        if not _USERNAME.match(self.username):
            raise ValueError(f"--username {self.username!r}: use letters, digits and . _ @ + - only")
        if self.key_size < 2048:
            raise ValueError(
                f"--key-size {self.key_size}: Symphony needs at least 2048 bits (4096 recommended)"
            )
        if self.datafeed_version not in ("v1", "v2"):
            raise ValueError(f"--datafeed {self.datafeed_version!r}: expected v1 or v2")


def generate_rsa_key_pair(key_size: int = 4096) -> tuple[bytes, bytes]:
    """A new RSA key pair as (private PKCS#8 PEM, public SubjectPublicKeyInfo PEM)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private_pem, public_pem


def render_config(options: ConfigInitOptions, key_dir: str) -> str:
    """The commented JSON text of the config (paths relative to the config file)."""
    agent_host = options.agent_host or options.host

    def value(item: object) -> str:
        return json.dumps(item)

    return f"""{{
  // Where the pod is. On Symphony cloud pods every component answers on the same host.
  "sessionAuthHost": {value(options.host)},
  "sessionAuthPort": {options.port},
  "keyAuthHost": {value(options.host)},
  "keyAuthPort": {options.port},
  "podHost": {value(options.host)},
  "podPort": {options.port},
  // The agent may be on-premises: change agentHost/agentPort if yours is.
  "agentHost": {value(agent_host)},
  "agentPort": {options.port},

  // RSA authentication. The private key never leaves this machine; paste the PUBLIC key
  // (printed by `symbot config init`, saved as {key_dir}{PUBLIC_KEY_NAME}) into the bot's
  // service account in the admin portal. Paths are relative to this file.
  "botPrivateKeyPath": {value(key_dir)},
  "botPrivateKeyName": {value(PRIVATE_KEY_NAME)},
  "botUsername": {value(options.username)},
  "botEmailAddress": {value(options.email)},

  // A PEM bundle of the CAs to trust (on-premises pods, TLS-inspecting proxies). Empty: system CAs.
  "truststorePath": "",

  // Optional proxy for all traffic, e.g. "http://proxy.example.com:8080".
  "proxyURL": "",
  "proxyUsername": "",
  "proxyPassword": "",

  // v2 is the current datafeed; v1 is deprecated by Symphony.
  "datafeedVersion": {value(options.datafeed_version)}
}}
"""


def write_config(options: ConfigInitOptions, *, force: bool = False) -> tuple[Path, Path, bytes]:
    """Write the config and the key pair; returns (private key path, public key path, public PEM).

    Refuses to overwrite an existing config or key unless ``force``: a regenerated key would lock
    out a bot whose public key is already registered.
    """
    options.validate()
    config_path = options.output
    key_dir = config_path.parent / "rsa"
    private_path = key_dir / PRIVATE_KEY_NAME
    public_path = key_dir / PUBLIC_KEY_NAME
    if not force:
        for existing in (config_path, private_path):
            if existing.exists():
                raise FileExistsError(f"{existing} already exists (use --force to overwrite)")
    private_pem, public_pem = generate_rsa_key_pair(options.key_size)
    key_dir.mkdir(parents=True, exist_ok=True)
    # the private key is created owner-only from the start, never world-readable even briefly
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(private_pem)
    public_path.write_bytes(public_pem)
    config_path.parent.mkdir(parents=True, exist_ok=True)
    config_path.write_text(render_config(options, "rsa/"), encoding="utf-8")
    return private_path, public_path, public_pem


def _ask(value: str | None, prompt: str, default: str | None, interactive: bool, option: str) -> str:
    if value:
        return value
    if interactive:
        answer: str = typer.prompt(prompt, default=default) if default is not None else typer.prompt(prompt)
        return answer
    if default is not None:
        return default
    raise typer.BadParameter(f"{option} is required when not running interactively", param_hint=option)


def config_init(
    output: Path = typer.Option(Path("bot-config.json"), "--output", "-o", help="Config file to write."),
    host: str | None = typer.Option(None, help="Pod host name, e.g. mycompany.symphony.com."),
    port: int = typer.Option(443, help="HTTPS port of the pod, key manager and agent."),
    agent_host: str | None = typer.Option(None, help="Agent host, when it is not the pod host."),
    username: str | None = typer.Option(None, help="The bot's service account username."),
    email: str | None = typer.Option(None, help="The bot's email address (informational)."),
    key_size: int = typer.Option(4096, help="RSA key size in bits."),
    datafeed: str = typer.Option("v2", help="Datafeed version: v2 (current) or v1 (deprecated)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing config and key pair."),
    no_input: bool = typer.Option(False, "--no-input", help="Never prompt; fail on missing values."),
) -> None:
    """Write a commented bot-config.json and a new RSA key pair, then print the public key."""
    interactive = not no_input and sys.stdin.isatty()
    options = ConfigInitOptions(
        output=output,
        host=_ask(host, "Pod host (e.g. mycompany.symphony.com)", None, interactive, "--host"),
        port=port,
        username=_ask(username, "Bot username", None, interactive, "--username"),
        email=_ask(email, "Bot email address", "", interactive, "--email"),
        agent_host=agent_host,
        key_size=key_size,
        datafeed_version=datafeed,
    )
    try:
        private_path, public_path, public_pem = write_config(options, force=force)
    except (ValueError, FileExistsError) as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from None
    typer.echo(f"wrote {output}")
    typer.echo(f"wrote {private_path} (private key, mode 600: keep it secret)")
    typer.echo(f"wrote {public_path}")
    typer.echo("\nRegister this public key on the bot's service account (admin portal → RSA public key):\n")
    typer.echo(public_pem.decode().rstrip())
    typer.echo(f"\nThen check it with: symbot config check {output}")


def register_config_init(config_app: typer.Typer) -> None:
    """Add ``init`` to the ``symbot config`` group."""
    config_app.command("init")(config_init)
