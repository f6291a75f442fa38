"""Typed bot configuration: :class:`BotConfig` and :func:`load_config`.

The keys are the legacy SDK's (``podHost``, ``botPrivateKeyPath`` ...; docs/configuration.md lists
them all) so that every existing ``bot-config.json`` keeps working, with the legacy bugs fixed:
an empty ``proxyURL`` no longer discards per-component proxies, a missing ``truststorePath`` is
fine, ``"false"`` is false, ``authTokenRefreshPeriod`` is honoured, proxy credentials are
URL-encoded, and every bad value is reported (all of them, at once) with its key and file.

Loading never touches the network; reading the key or certificate files happens at login (or in
``symbot config check``), so a config can be loaded on a machine that lacks them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, urlsplit

from .config_bdk import from_bdk, looks_like_bdk
from .config_fields import (
    COMPONENT_KEYS,
    KNOWN_KEYS,
    SECRET_KEYS,
    ConfigProblem,
    FieldReader,
    join_path,
)
from .config_source import env_overrides, environ, expand_env, read_document
from .errors import ConfigError
from .http import Component, RetryPolicy

__all__ = [
    "BotConfig",
    "ComponentConfig",
    "ConfigProblem",
    "ProxyConfig",
    "load_config",
]

logger = logging.getLogger(__name__)

DatafeedVersion = Literal["v1", "v2"]
AuthMode = Literal["rsa", "certificate"]

DEFAULT_PORT = 443


@dataclass(frozen=True)
class ProxyConfig:
    """An HTTP(S) proxy. The password never appears in ``repr``."""

    url: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    def url_with_credentials(self) -> str:
        """``scheme://user:password@host:port`` with both parts URL-encoded (legacy put them in raw,
        so ``p@ss`` broke the URL)."""
        if not self.username:
            return self.url
        parts = urlsplit(self.url)
        credentials = quote(self.username, safe="")
        if self.password:
            credentials += ":" + quote(self.password, safe="")
        return parts._replace(netloc=f"{credentials}@{parts.netloc}").geturl()

    def basic_auth_header(self) -> str | None:
        """``Proxy-Authorization`` value, or ``None`` without credentials."""
        if not self.username:
            return None
        import base64

        token = f"{self.username}:{self.password or ''}".encode()
        return "Basic " + base64.b64encode(token).decode("ascii")


@dataclass(frozen=True)
class ComponentConfig:
    """Where one Symphony service lives: ``scheme://host:port/contextPath`` and its proxy."""

    component: Component
    host: str
    port: int = DEFAULT_PORT
    context_path: str = ""
    scheme: str = "https"
    proxy: ProxyConfig | None = None

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host  # IPv6 literal
        return f"{self.scheme}://{host}:{self.port}{self.context_path}"


@dataclass(frozen=True)
class BotConfig:
    """A validated bot configuration. Build it with :func:`load_config`.

    Paths are absolute (resolved against the config file's folder). Secrets
    (``bot_cert_password``, ``bot_private_key``, proxy and app passwords, ``raw``) are left out of
    ``repr`` so a config can be logged.
    """

    pod: ComponentConfig
    agent: ComponentConfig
    session_auth: ComponentConfig
    key_auth: ComponentConfig
    bot_username: str | None = None
    bot_email_address: str | None = None
    #: RSA private key file (``botPrivateKeyPath`` + ``botPrivateKeyName``, or the older ``botRSA*``)
    bot_private_key_path: Path | None = None
    #: RSA private key given inline as PEM text (``botPrivateKey``), e.g. from an environment variable
    bot_private_key: str | None = field(default=None, repr=False)
    #: Client certificate, PKCS#12 (``.p12``/``.pfx``) or PEM (``botCertPath`` + ``botCertName``)
    bot_cert_path: Path | None = None
    bot_cert_password: str | None = field(default=None, repr=False)
    #: Private key of a PEM certificate when it is not in the certificate file (``botCertKeyPath``)
    bot_cert_key_path: Path | None = None
    app_cert_path: Path | None = None
    app_cert_password: str | None = field(default=None, repr=False)
    #: Re-login proactively after this many minutes (``authTokenRefreshPeriod``); ``None`` = only on 401
    auth_token_refresh_period: float | None = 30.0
    auth_max_retries: int = 5
    auth_retry_initial_delay: float = 1.0
    auth_retry_max_delay: float = 30.0
    truststore_path: Path | None = None
    datafeed_version: DatafeedVersion = "v2"
    reuse_datafeed_id: bool = True
    datafeed_id_file_path: Path | None = None
    datafeed_events_error_timeout: float = 30.0
    datafeed_events_error_max_timeout: float = 60.0
    #: Raise glibc's malloc thresholds before the first datafeed read (``datafeedTuneAllocator``)
    datafeed_tune_allocator: bool = True
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    retry_max_attempts: int = 4
    retry_initial_delay: float = 0.5
    retry_max_delay: float = 30.0
    #: The file this config was read from (``None`` for a dict)
    source: Path | None = None
    #: Keys this SDK does not know, kept as they were (the legacy ``SymConfig.data`` kept them too)
    extra: Mapping[str, Any] = field(default_factory=dict)
    #: The merged raw values (file + ``SYM_*`` overrides, ``${ENV}`` expanded); holds secrets
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)
    #: ``SYM_*`` variables that set a key, and those that matched no key (probably typos)
    env_overrides: tuple[str, ...] = ()
    unmatched_env: tuple[str, ...] = ()

    # ------------------------------------------------------------------ derived views
    def component(self, component: Component) -> ComponentConfig:
        return {
            Component.POD: self.pod,
            Component.AGENT: self.agent,
            Component.SESSION_AUTH: self.session_auth,
            Component.KEY_AUTH: self.key_auth,
        }[component]

    @property
    def auth_mode(self) -> AuthMode | None:
        """``"rsa"`` when a private key is configured, else ``"certificate"`` when a client
        certificate is, else ``None`` (the bot cannot log in)."""
        if self.bot_private_key_path is not None or self.bot_private_key:
            return "rsa"
        if self.bot_cert_path is not None:
            return "certificate"
        return None

    @property
    def retry_policy(self) -> RetryPolicy:
        """Backoff for REST calls (5xx, 429, network errors)."""
        return RetryPolicy(
            max_attempts=self.retry_max_attempts,
            initial_delay=self.retry_initial_delay,
            max_delay=self.retry_max_delay,
        )

    @property
    def login_retry_policy(self) -> RetryPolicy:
        """Backoff for logins: ``auth_max_retries`` retries after the first attempt (legacy: 5)."""
        return RetryPolicy(
            max_attempts=self.auth_max_retries + 1,
            initial_delay=self.auth_retry_initial_delay,
            max_delay=self.auth_retry_max_delay,
            retry_statuses=frozenset({429, 500, 502, 503, 504}),
        )

    @property
    def datafeed_id_folder(self) -> Path:
        """Folder of the v1 ``datafeed.id`` file: ``datafeedIdFilePath`` or the current directory."""
        return self.datafeed_id_file_path or Path.cwd()

    def validate(self, *, check_files: bool = True) -> list[ConfigProblem]:
        """Problems that loading does not report: missing credentials, and (``check_files``) key,
        certificate and truststore files that are missing or unreadable."""
        from .config_check import check_config  # lazy: pulls in cryptography

        return check_config(self, check_files=check_files)

    @property
    def problems(self) -> list[ConfigProblem]:
        """Every problem of this config, files included (what ``symbot config check`` prints)."""
        return self.validate(check_files=True)

    def display_items(self) -> list[tuple[str, str]]:
        """``(key, value)`` pairs of the resolved config with secrets masked, for humans."""
        from .config_check import display_items

        return display_items(self)


# ---------------------------------------------------------------------------------- loading
def load_config(
    source: str | PathLike[str] | Mapping[str, Any],
    *,
    relative_to: str | PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> BotConfig:
    """Load a bot config from a JSON/YAML file or a dict, and validate it.

    - ``relative_to``: folder (or a file in that folder, the legacy convention) against which
      relative paths are resolved; default: the config file's folder (the current directory
      for a dict).
    - ``env``: environment used for ``${VAR}`` expansion and ``SYM_*`` overrides (default:
      ``os.environ``; pass ``{}`` to ignore the environment).

    Raises :class:`ConfigError` listing every problem found (``.problems`` holds them).
    """
    config, problems = load_config_unchecked(source, relative_to=relative_to, env=env)
    if problems:
        raise config_error(problems)
    return config


def config_error(problems: list[ConfigProblem]) -> ConfigError:
    """One :class:`ConfigError` describing all problems (first problem's key and source attached)."""
    first = problems[0]
    message = (
        str(first)
        if len(problems) == 1
        else "\n  ".join([f"{len(problems)} configuration problems:", *(str(p) for p in problems)])
    )
    return ConfigError(message, key=first.key, source=first.source, problems=problems)


def load_config_unchecked(
    source: str | PathLike[str] | Mapping[str, Any],
    *,
    relative_to: str | PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    search_dirs: list[Path] | None = None,
) -> tuple[BotConfig, list[ConfigProblem]]:
    """Like :func:`load_config` but returns ``(config, problems)`` instead of raising on bad values
    (bad values fall back to their defaults). ``symbot config check`` uses it to show everything.

    ``search_dirs`` (legacy ``SymConfig`` only): folders tried in order for each relative path,
    the first where the file exists wins.
    """
    env = environ() if env is None else env
    if isinstance(source, Mapping):
        path: Path | None = None
        label = "<config dict>"
        document = dict(source)
        base = Path.cwd()
    else:
        path = Path(source).expanduser()
        label = str(source)
        document = read_document(path)
        base = path.resolve().parent
    if relative_to is not None:
        anchor = Path(relative_to).expanduser()
        base = (anchor if anchor.is_dir() else anchor.parent).resolve()
    dirs = search_dirs or [base]

    origins: dict[str, str] = {}
    if looks_like_bdk(document):  # a BDK config.yaml: translate its nested keys
        document, bdk_paths = from_bdk(document)
        origins = {key: f"{label} ({bdk_path})" for key, bdk_path in bdk_paths.items()}
    bdk_sources = set(origins.values())

    overrides, variable_names, unmatched = env_overrides(env, KNOWN_KEYS)
    merged: dict[str, Any] = {**document, **overrides}
    expansion_problems: list[tuple[str, str]] = []
    merged = expand_env(merged, env, problems=expansion_problems)

    origins.update({key: f"{variable_names[key]} (environment)" for key in overrides})
    reader = FieldReader(merged, source=label, origins=origins, search_dirs=dirs)
    for key, message in expansion_problems:
        reader.problem(key, message)
    config = _build(reader, path, tuple(variable_names.values()), unmatched)
    # report problems in the order of the file's keys (missing keys last): easier to fix top-down
    position = {key: index for index, key in enumerate(merged)}
    problems = sorted(reader.problems, key=lambda problem: position.get(problem.key, len(position)))
    # a BDK global value (``port``) feeds four keys: report its problem once
    seen: set[tuple[str, str]] = set()
    unique: list[ConfigProblem] = []
    for problem in problems:
        if problem.source in bdk_sources:
            marker = (problem.source, problem.message)
            if marker in seen:
                continue
            seen.add(marker)
        unique.append(problem)
    return config, unique


def _build(
    reader: FieldReader, path: Path | None, overrides: tuple[str, ...], unmatched: list[str]
) -> BotConfig:
    default_scheme = reader.choice("scheme", ("https", "http"), "https")
    global_proxy = _proxy(reader, "proxy")
    proxies = {
        "pod": _proxy(reader, "podProxy") or global_proxy,
        "agent": _proxy(reader, "agentProxy") or global_proxy,
        "keyManager": _proxy(reader, "keyManagerProxy") or global_proxy,
    }
    pod = _component(reader, "pod", Component.POD, default_scheme, None, proxies["pod"])
    components = {
        # the pod proxy also serves session auth, the key manager proxy serves key auth (legacy rule)
        "sessionAuth": _component(
            reader, "sessionAuth", Component.SESSION_AUTH, default_scheme, pod, proxies["pod"]
        ),
        "keyAuth": _component(
            reader, "keyAuth", Component.KEY_AUTH, default_scheme, pod, proxies["keyManager"]
        ),
        "agent": _component(reader, "agent", Component.AGENT, default_scheme, pod, proxies["agent"]),
    }

    # botPrivateKey* wins over the older botRSA* spelling (legacy processed it second)
    private_key_path = reader.path_pair("botPrivateKeyPath", "botPrivateKeyName") or reader.path_pair(
        "botRSAPath", "botRSAName"
    )
    refresh = reader.number("authTokenRefreshPeriod", 30.0, minimum=0.0)
    version = reader.choice("datafeedVersion", ("v1", "v2"), "v2", aliases={"1": "v1", "2": "v2"})
    config = BotConfig(
        pod=pod,
        agent=components["agent"],
        session_auth=components["sessionAuth"],
        key_auth=components["keyAuth"],
        bot_username=reader.string("botUsername"),
        bot_email_address=reader.string("botEmailAddress"),
        bot_private_key_path=private_key_path,
        bot_private_key=reader.string("botPrivateKey"),
        bot_cert_path=reader.path_pair("botCertPath", "botCertName"),
        bot_cert_password=reader.string("botCertPassword"),
        bot_cert_key_path=reader.path_pair("botCertKeyPath", None),
        app_cert_path=reader.path_pair("appCertPath", "appCertName"),
        app_cert_password=reader.string("appCertPassword"),
        auth_token_refresh_period=refresh if refresh else None,
        auth_max_retries=reader.integer("authMaxRetries", 5, minimum=0),
        auth_retry_initial_delay=reader.number("authRetryInitialDelay", 1.0, minimum=0.0),
        auth_retry_max_delay=reader.number("authRetryMaxDelay", 30.0, minimum=0.0),
        truststore_path=reader.path_pair("truststorePath", None),
        datafeed_version="v1" if version == "v1" else "v2",
        reuse_datafeed_id=reader.boolean("reuseDatafeedID", True),
        datafeed_id_file_path=reader.path_pair("datafeedIdFilePath", None, must_exist=False),
        datafeed_events_error_timeout=reader.number("datafeedEventsErrorTimeout", 30.0, minimum=0.0),
        datafeed_events_error_max_timeout=reader.number("datafeedEventsErrorMaxTimeout", 60.0, minimum=0.0),
        datafeed_tune_allocator=reader.boolean("datafeedTuneAllocator", True),
        connect_timeout=reader.number("connectTimeout", 10.0, minimum=0.001),
        read_timeout=reader.number("readTimeout", 60.0, minimum=0.001),
        retry_max_attempts=reader.integer("retryMaxAttempts", 4, minimum=1),
        retry_initial_delay=reader.number("retryInitialDelay", 0.5, minimum=0.0),
        retry_max_delay=reader.number("retryMaxDelay", 30.0, minimum=0.0),
        source=path.resolve() if path is not None else None,
        extra={k: v for k, v in reader.values.items() if k not in KNOWN_KEYS},
        raw=dict(reader.values),
        env_overrides=overrides,
        unmatched_env=tuple(unmatched),
    )
    if not config.bot_username and config.auth_mode == "rsa":
        reader.problem("botUsername", "is required for RSA authentication (it is the JWT subject)")
    return config


def _proxy(reader: FieldReader, prefix: str) -> ProxyConfig | None:
    url = reader.string(f"{prefix}URL")
    username = reader.string(f"{prefix}Username")
    password = reader.string(f"{prefix}Password")
    if not url:  # an empty URL means "no proxy here", never "override the others with nothing"
        return None
    if "://" not in url:
        url = "http://" + url  # a bare host:port is an HTTP proxy (what every Symphony doc means)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        reader.problem(f"{prefix}URL", f"must be a URL like http://proxy:8080, got {url!r}")
        return None
    return ProxyConfig(url=url, username=username or None, password=password or None)


def _component(
    reader: FieldReader,
    prefix: str,
    component: Component,
    default_scheme: str,
    fallback: ComponentConfig | None,
    proxy: ProxyConfig | None,
) -> ComponentConfig:
    keys = COMPONENT_KEYS[prefix]
    host = reader.string(keys.host)
    scheme = reader.choice(keys.scheme, ("https", "http"), default_scheme)
    port = reader.port(keys.port)
    if host and "://" in host:
        # a full URL (what the legacy SymConfig wrote back into *Host after loading)
        parts = urlsplit(host)
        scheme = parts.scheme or scheme
        host = parts.hostname or ""
        port = port or parts.port
        if parts.path and parts.path != "/" and reader.string(keys.context_path) is None:
            reader.values[keys.context_path] = parts.path
    context = normalise_context_path(reader.string(keys.context_path) or "")
    if not host:
        if fallback is None:
            reader.problem(keys.host, "is required (the pod's host name, e.g. acme.symphony.com)")
            host = "localhost"
        else:
            # sessionAuth/keyAuth/agent default to the pod's host, port and scheme (BDK rule)
            own_scheme = reader.values.get(keys.scheme) not in (None, "")
            return ComponentConfig(
                component,
                fallback.host,
                port or fallback.port,
                context,
                scheme if own_scheme else fallback.scheme,
                proxy,
            )
    return ComponentConfig(component, host, port or DEFAULT_PORT, context, scheme, proxy)


def normalise_context_path(value: str) -> str:
    """``ctx``, ``/ctx`` and ``/ctx/`` all give ``/ctx``; empty or ``/`` give no context."""
    value = value.strip().strip("/")
    return f"/{value}" if value else ""


__all__ += ["SECRET_KEYS", "join_path", "normalise_context_path"]
