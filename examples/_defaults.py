"""Where the examples find their config when ``--config`` is not given.

Default: the bot-config.json that ``symbot pod`` writes into its work dir, so that

    symbot pod &                      # terminal 1: the local pod emulator
    python examples/main_RSA.py      # terminal 2: the example bot, no flags

just works. ``SYMBOT_CONFIG=/path/to/bot-config.json`` overrides it (e.g. for a real pod).
"""

from __future__ import annotations

import argparse
import base64
import json
import logging
import os
import ssl
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sym_api_client_python.clients.sym_bot_client import SymBotClient
    from sym_api_client_python.datafeed_event_service import DataFeedEventService


def emulator_workdir() -> Path:
    from sympod.cli import default_workdir

    return Path(default_workdir())


def default_config() -> str:
    """``$SYMBOT_CONFIG``, else the running ``symbot pod``'s generated bot-config.json."""
    override = os.environ.get("SYMBOT_CONFIG")
    if override:
        return override
    return str(emulator_workdir() / "bot-config.json")


def config_from_args(script_doc: str) -> str:
    """The bot config path from ``--config`` (default: :func:`default_config`); ``--help`` shows
    the first line of the script's docstring."""
    parser = argparse.ArgumentParser(description=script_doc.splitlines()[0])
    parser.add_argument("--config", default=default_config())
    return str(parser.parse_args().config)


def configure_logging(log_dir: str = "logs") -> None:
    """The legacy examples' logging: DEBUG to ./logs/example.log, urllib3 quiet."""
    Path(log_dir).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(
        filename=os.path.join(log_dir, "example.log"),
        format="%(asctime)s - %(name)s - %(levelname)s - %(message)s",
        filemode="w",
        level=logging.DEBUG,
    )
    logging.getLogger("urllib3").setLevel(logging.WARNING)


def ensure_certificate_config(rsa_config_path: str, password: str = "changeit") -> str:
    """A certificate-auth config next to an emulator's RSA config, created on first use.

    The emulator's control API issues a client certificate (PKCS#12) for the bot user, signed by
    the emulator's CA; the config then uses ``botCertPath``/``botCertName``/``botCertPassword``
    instead of the RSA key, as a legacy certificate bot's config does.
    """
    rsa_path = Path(rsa_config_path).resolve()
    cert_config = rsa_path.with_name("cert-config.json")
    if cert_config.exists():
        return str(cert_config)
    from sym_api_client_python.core.config_source import read_document

    settings = read_document(rsa_path)
    scheme = settings.get("scheme", "https")
    base = f"{scheme}://{settings['podHost']}:{settings['podPort']}"
    truststore = settings.get("truststorePath") or ""
    context = None
    if scheme == "https":
        context = ssl.create_default_context(cafile=str(rsa_path.parent / truststore) if truststore else None)
    request = urllib.request.Request(
        f"{base}/_emulator/users/{settings['botUsername']}/certificate",
        data=json.dumps({"password": password}).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10, context=context) as response:
        bundle = json.loads(response.read())
    cert_dir = rsa_path.parent / "certs"
    cert_dir.mkdir(exist_ok=True)
    (cert_dir / "bot.p12").write_bytes(base64.b64decode(bundle["pkcs12"]))
    settings.pop("botPrivateKeyPath", None)
    settings.pop("botPrivateKeyName", None)
    settings.update({"botCertPath": "certs/", "botCertName": "bot.p12", "botCertPassword": password})
    cert_config.write_text(json.dumps(settings, indent=2))
    return str(cert_config)


def legacy_rsa_bot_client(config_path: str) -> SymBotClient:
    """The 1.x boot: SymConfig + SymBotRSAAuth, then SymBotClient(auth, config)."""
    from sym_api_client_python.auth.rsa_auth import SymBotRSAAuth
    from sym_api_client_python.clients.sym_bot_client import SymBotClient
    from sym_api_client_python.configure.configure import SymConfig

    configure = SymConfig(config_path, config_path)
    configure.load_config()
    auth = SymBotRSAAuth(configure)
    auth.authenticate()
    return SymBotClient(auth, configure)


def run_datafeed(service: DataFeedEventService) -> None:
    """Read the datafeed until Ctrl-C; the example tests expect these two lines."""
    print("Starting datafeed", flush=True)
    try:
        service.start_datafeed()
    except KeyboardInterrupt:
        print("Stopped")
