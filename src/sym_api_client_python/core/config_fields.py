"""The config key table and a reader that types raw values while collecting every problem."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

__all__ = [
    "COMPONENT_KEYS",
    "KNOWN_KEYS",
    "SECRET_KEYS",
    "ConfigProblem",
    "FieldReader",
    "join_path",
]


class ComponentKeys(NamedTuple):
    host: str
    port: str
    context_path: str
    scheme: str


COMPONENT_KEYS: dict[str, ComponentKeys] = {
    prefix: ComponentKeys(f"{prefix}Host", f"{prefix}Port", f"{prefix}ContextPath", f"{prefix}Scheme")
    for prefix in ("sessionAuth", "keyAuth", "pod", "agent")
}

_PROXY_KEYS = [
    f"{prefix}{suffix}"
    for prefix in ("proxy", "podProxy", "agentProxy", "keyManagerProxy")
    for suffix in ("URL", "Username", "Password")
]

#: Every key this SDK reads (``SYM_*`` overrides are matched against these names).
KNOWN_KEYS: list[str] = [
    *(key for keys in COMPONENT_KEYS.values() for key in keys),
    "scheme",
    "botUsername",
    "botEmailAddress",
    "botPrivateKeyPath",
    "botPrivateKeyName",
    "botPrivateKey",
    "botRSAPath",
    "botRSAName",
    "botCertPath",
    "botCertName",
    "botCertPassword",
    "botCertKeyPath",
    "appCertPath",
    "appCertName",
    "appCertPassword",
    "authTokenRefreshPeriod",
    "authMaxRetries",
    "authRetryInitialDelay",
    "authRetryMaxDelay",
    *_PROXY_KEYS,
    "proxyPort",  # in the legacy samples, never read (the port belongs in proxyURL)
    "truststorePath",
    "reuseDatafeedID",
    "datafeedIdFilePath",
    "datafeedVersion",
    "datafeedEventsErrorTimeout",
    "datafeedEventsErrorMaxTimeout",
    "datafeedTuneAllocator",
    "connectTimeout",
    "readTimeout",
    "retryMaxAttempts",
    "retryInitialDelay",
    "retryMaxDelay",
]

#: Keys whose values are never printed, logged or echoed in error messages.
SECRET_KEYS: frozenset[str] = frozenset(
    {
        "botCertPassword",
        "appCertPassword",
        "botPrivateKey",
        *(k for k in _PROXY_KEYS if k.endswith("Password")),
    }
)

_TRUE = frozenset({"true", "yes", "on", "1"})
_FALSE = frozenset({"false", "no", "off", "0"})

T = TypeVar("T")


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong with a config: which key, in which file, and what."""

    key: str
    message: str
    source: str

    def __str__(self) -> str:
        return f"{self.source}: {self.key} {self.message}" if self.key else f"{self.source}: {self.message}"


def join_path(folder: str, name: str | None) -> str:
    """Join the legacy ``...Path`` + ``...Name`` pair. The README's sample puts a leading ``/`` on
    the name (``"/bot-cert.p12"``), which must not make it absolute."""
    if not name:
        return folder
    if not folder:
        return name
    return os.path.join(folder, name.lstrip("/\\"))


class FieldReader:
    """Reads typed values out of a raw dict; a bad value becomes a :class:`ConfigProblem` and the
    default is used, so that one pass reports every problem."""

    def __init__(
        self,
        values: dict[str, Any],
        *,
        source: str,
        origins: Mapping[str, str] | None = None,
        search_dirs: Sequence[Path] = (),
    ) -> None:
        self.values = values
        self.source = source
        self.origins = dict(origins or {})
        self.search_dirs = list(search_dirs) or [Path.cwd()]
        self.problems: list[ConfigProblem] = []

    # ------------------------------------------------------------------ reporting
    def problem(self, key: str, message: str) -> None:
        self.problems.append(ConfigProblem(key, message, self.origins.get(key, self.source)))

    def _shown(self, key: str, value: Any) -> str:
        return "(hidden)" if key in SECRET_KEYS else repr(value)

    def _invalid(self, key: str, expected: str, value: Any, default: T) -> T:
        self.problem(key, f"must be {expected}, got {self._shown(key, value)}")
        return default

    # ------------------------------------------------------------------ typed getters
    def string(self, key: str) -> str | None:
        """A non-empty string, or ``None`` when absent, null or empty. Numbers are accepted as text."""
        value = self.values.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return self._invalid(key, "a string", value, None)
        return str(value)

    def integer(self, key: str, default: int, *, minimum: int | None = None) -> int:
        value = self.values.get(key)
        if value is None or value == "":
            return default
        parsed = _as_int(value)
        if parsed is None:
            return self._invalid(key, "an integer", value, default)
        if minimum is not None and parsed < minimum:
            return self._invalid(key, f"an integer >= {minimum}", value, default)
        return parsed

    def port(self, key: str) -> int | None:
        """A TCP port; absent, null or 0 mean "default" (``None``), as in the legacy SDK."""
        value = self.values.get(key)
        if value is None or value == "" or value == 0 or value == "0":
            return None
        parsed = _as_int(value)
        if parsed is None:
            return self._invalid(key, "an integer", value, None)
        if not 0 < parsed < 65536:
            return self._invalid(key, "a port number between 1 and 65535", value, None)
        return parsed

    def number(self, key: str, default: float, *, minimum: float | None = None) -> float:
        value = self.values.get(key)
        if value is None or value == "":
            return default
        try:
            if isinstance(value, bool):
                raise ValueError
            parsed = float(value)
        except (TypeError, ValueError):
            return self._invalid(key, "a number", value, default)
        if parsed != parsed or (minimum is not None and parsed < minimum):  # NaN or too small
            return self._invalid(key, f"a number >= {minimum:g}", value, default)
        return parsed

    def boolean(self, key: str, default: bool) -> bool:
        """``true``/``false`` as JSON booleans or strings (``"false"`` is false, unlike legacy)."""
        value = self.values.get(key)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str):
            lowered = value.strip().lower()
            if lowered in _TRUE:
                return True
            if lowered in _FALSE:
                return False
        return self._invalid(key, "true or false", value, default)

    def choice(
        self, key: str, options: Sequence[str], default: str, *, aliases: Mapping[str, str] | None = None
    ) -> str:
        value = self.values.get(key)
        if value is None or value == "":
            return default
        lowered = str(value).strip().lower()
        lowered = (aliases or {}).get(lowered, lowered)
        if isinstance(value, bool) or lowered not in options:
            return self._invalid(key, " or ".join(repr(o) for o in options), value, default)
        return lowered

    def path_pair(self, path_key: str, name_key: str | None, *, must_exist: bool = True) -> Path | None:
        """The file named by a legacy ``...Path`` (+ ``...Name``) pair, absolute.

        A relative path is looked up in each search folder in turn; the first folder where it
        exists wins, otherwise the first folder is used (``symbot config check`` then reports
        the missing file)."""
        folder = self.string(path_key) or ""
        name = self.string(name_key) if name_key else None
        if not folder and not name:
            return None
        joined = Path(os.path.expanduser(join_path(folder, name)))
        if joined.is_absolute():
            candidates = [Path(os.path.normpath(joined))]
        else:
            candidates = [Path(os.path.normpath(base / joined)) for base in self.search_dirs]
        if name_key and not name and (folder.endswith(("/", "\\")) or any(c.is_dir() for c in candidates)):
            # a folder without its file name names no file (1.x ignored the pair without a name):
            # such leftovers must not make a certificate bot look like an RSA one
            return None
        if must_exist:
            for candidate in candidates:
                if candidate.exists():
                    return candidate
        return candidates[0]


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("+-").isdigit():
            return int(text)
    return None
