"""The work dir: everything a pod keeps between runs, and the client configs pointing at it.

Layout (created on first start, reused afterwards)::

    DIR/pod.db                 SQLite state (WAL)
    DIR/ca.pem, ca-key.pem     the private CA clients trust (truststorePath / ssl.trustStore.path)
    DIR/server.pem, server-key.pem
    DIR/token-signing-key.pem  signs the JWT-shaped session tokens
    DIR/rsa/bot-private.pem    the bot user's RSA key (and rsa/bot-public.pem)
    DIR/bot-config.json        legacy SymConfig format, rewritten on every start (the port may change)
    DIR/bdk-config.yaml        BDK 3.0 format, rewritten on every start
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .auth import SessionCache
from .events import FeedHub
from .faults import FaultRegistry
from .state import PodState, Settings
from .store import Store
from .tls import CertificateAuthority, generate_rsa_keypair, write_private

BOT_USERNAME = "bot"
BOT_DISPLAY_NAME = "Emulator Bot"
BOT_EMAIL = "bot@sympod.local"
DB_FILE = "pod.db"
SIGNING_KEY_FILE = "token-signing-key.pem"
BOT_PRIVATE_KEY = Path("rsa") / "bot-private.pem"
BOT_PUBLIC_KEY = Path("rsa") / "bot-public.pem"
LEGACY_CONFIG_FILE = "bot-config.json"
BOT_PROFILE: dict[str, Any] = {
    "display_name": BOT_DISPLAY_NAME,
    "email": BOT_EMAIL,
    "first_name": "Emulator",
    "last_name": "Bot",
    "cert_subject": BOT_USERNAME,
}
BDK_CONFIG_FILE = "bdk-config.yaml"


@dataclass
class PreparedWorkdir:
    pod: PodState
    cert_path: Path | None
    key_path: Path | None


def open_pod(settings: Settings, *, tls: bool = True) -> PreparedWorkdir:
    """Create or reopen the work dir's state: store, CA, token signing key, the bot user."""
    workdir = settings.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    store = Store(workdir / DB_FILE, group_commit=True)
    # the CA exists even over --http: the control API issues client certificates with it
    ca = CertificateAuthority.load_or_create(workdir)
    cert_path = key_path = None
    if tls:
        cert_path, key_path = ca.ensure_server_certificate(workdir)
    signing_path = workdir / SIGNING_KEY_FILE
    if not signing_path.exists():
        private, _ = generate_rsa_keypair()
        write_private(signing_path, private)
    bot = _ensure_bot(store, workdir)
    sessions = SessionCache()
    store.delete_expired_sessions()
    sessions.load(store.query("SELECT * FROM sessions"))
    pod = PodState(
        settings=settings,
        store=store,
        hub=FeedHub(),
        faults=FaultRegistry(store),
        ca=ca,
        token_signing_key=signing_path.read_bytes(),
        bot_user_id=bot["user_id"],
        sessions=sessions,
    )
    store.commit()
    return PreparedWorkdir(pod, cert_path, key_path)


def _ensure_bot(store: Store, workdir: Path) -> dict[str, Any]:
    private_path, public_path = workdir / BOT_PRIVATE_KEY, workdir / BOT_PUBLIC_KEY
    if not private_path.exists() or not public_path.exists():
        private, public = generate_rsa_keypair()
        write_private(private_path, private)
        public_path.write_bytes(public)
    public_pem = public_path.read_text()
    bot = store.get_user_by_username(BOT_USERNAME)
    if bot is None:
        bot = store.create_user(BOT_USERNAME, bot=True, public_key=public_pem, **BOT_PROFILE)
    elif bot["public_key"] != public_pem:
        store.update_user(bot["user_id"], public_key=public_pem)
        bot = store.get_user(bot["user_id"]) or bot
    store.set_meta("bot_user_id", str(bot["user_id"]))
    return bot


def restore_bot_profile(store: Store, bot_user_id: int) -> None:
    """Put the bot's profile back as on first start (reset: tests must not see an earlier test's
    roles, manifest, status or display name); its id, key and tokens stay."""
    store.update_user(
        bot_user_id,
        account_type="SYSTEM",
        active=1,
        roles_json="[]",
        features_json="{}",
        extra_json="{}",
        avatar_url=None,
        title=None,
        company=None,
        department=None,
        location=None,
        **BOT_PROFILE,
    )


def write_client_configs(workdir: Path, host: str, port: int, scheme: str) -> tuple[Path, Path]:
    """Write bot-config.json (legacy) and bdk-config.yaml (BDK) pointing at ``host:port``."""
    legacy: dict[str, Any] = {
        "sessionAuthHost": host,
        "sessionAuthPort": port,
        "keyAuthHost": host,
        "keyAuthPort": port,
        "podHost": host,
        "podPort": port,
        "agentHost": host,
        "agentPort": port,
        "botUsername": BOT_USERNAME,
        "botEmailAddress": BOT_EMAIL,
        "botPrivateKeyPath": str((workdir / BOT_PRIVATE_KEY).parent) + "/",
        "botPrivateKeyName": BOT_PRIVATE_KEY.name,
        "truststorePath": str(workdir / "ca.pem"),
        "datafeedVersion": "v2",
        "datafeedIdFilePath": str(workdir),
        "proxyURL": "",
    }
    if scheme == "http":
        legacy["scheme"] = "http"
    legacy_path = workdir / LEGACY_CONFIG_FILE
    _write_atomically(legacy_path, json.dumps(legacy, indent=2) + "\n")
    bdk: dict[str, Any] = {
        "scheme": scheme,
        "host": host,
        "port": port,
        "bot": {"username": BOT_USERNAME, "privateKey": {"path": str(workdir / BOT_PRIVATE_KEY)}},
        "datafeed": {"version": "v2"},
    }
    if scheme == "https":
        bdk["ssl"] = {"trustStore": {"path": str(workdir / "ca.pem")}}
    bdk_path = workdir / BDK_CONFIG_FILE
    _write_atomically(bdk_path, yaml.safe_dump(bdk, sort_keys=False))
    return legacy_path, bdk_path


def _write_atomically(path: Path, text: str) -> None:
    # readers (a bot starting while the pod restarts) never see a half-written config
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(text)
    temporary.replace(path)
