"""Reading a configuration document: lenient JSON, YAML, ``${ENV}`` expansion, ``SYM_*`` overrides.

This module turns a file (or a dict) into a plain ``dict`` of raw values; it knows nothing about
what the keys mean. :mod:`sym_api_client_python.core.config` gives the values their types.

Lenient JSON exists because the legacy SDK's README and samples carry ``//`` comments and the
odd trailing or missing comma, and people copied them into real bot configs for years.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import ConfigError

__all__ = [
    "ENV_PREFIX",
    "env_overrides",
    "expand_env",
    "parse_document",
    "read_document",
    "strip_json_extensions",
]

#: Prefix of the environment variables that override configuration keys.
ENV_PREFIX = "SYM_"

_YAML_SUFFIXES = (".yaml", ".yml")


def read_document(path: Path) -> dict[str, Any]:
    """Read and parse a JSON (with comments) or YAML config file into a dict."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found", source=str(path)) from None
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot read config file: {exc.strerror or exc}", source=str(path)
        ) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: config file is not UTF-8 text ({exc.reason})", source=str(path)) from exc
    return parse_document(text, source=str(path), yaml=path.suffix.lower() in _YAML_SUFFIXES)


def parse_document(text: str, *, source: str = "<string>", yaml: bool = False) -> dict[str, Any]:
    """Parse config text. JSON gets comments/trailing commas stripped first; YAML uses ``safe_load``."""
    if yaml:
        data = _parse_yaml(text, source)
    else:
        try:
            data = json.loads(strip_json_extensions(text))
        except json.JSONDecodeError as exc:
            raise ConfigError(
                f"{source}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}", source=source
            ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(
            f"{source}: the config must be an object of keys, got {type(data).__name__}", source=source
        )
    return data


def _parse_yaml(text: str, source: str) -> Any:
    import yaml  # lazy: pyyaml is only needed for YAML configs

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{source}: invalid YAML{where}: {problem}", source=source) from None


def strip_json_extensions(text: str) -> str:
    """Make lenient JSON strict: drop ``//`` and ``/* */`` comments and trailing commas, and insert
    the comma missing between two members written on separate lines.

    Comments are replaced by spaces (newlines kept) so that line/column numbers in a later
    ``JSONDecodeError`` still point into the original text. Text inside strings is never touched,
    so ``"https://host"`` keeps its ``//``.
    """
    out: list[str] = []
    i, n = 0, len(text)
    # end index in `out` of the last value that could be followed by a comma, and whether a
    # newline has been seen since: together they detect a missing comma between members
    last_value_end: int | None = None
    newline_since_value = False
    while i < n:
        ch = text[i]
        if ch == '"':
            if last_value_end is not None and newline_since_value:
                out.insert(last_value_end, ",")
            end = _string_end(text, i)
            out.append(text[i:end])
            i = end
            last_value_end, newline_since_value = len(out), False
            continue
        if ch == "/" and i + 1 < n and text[i + 1] == "/":
            end = text.find("\n", i)
            end = n if end == -1 else end
            out.append(" " * (end - i))
            i = end
            continue
        if ch == "/" and i + 1 < n and text[i + 1] == "*":
            end = text.find("*/", i + 2)
            end = n if end == -1 else end + 2
            out.append("".join(c if c == "\n" else " " for c in text[i:end]))
            newline_since_value = newline_since_value or "\n" in text[i:end]
            i = end
            continue
        if ch == ",":
            if last_value_end is not None and _next_significant(text, i + 1) in ("}", "]"):
                out.append(" ")  # trailing comma
            else:
                out.append(ch)
            last_value_end = None
            i += 1
            continue
        if ch in "}]":
            out.append(ch)
            last_value_end, newline_since_value = len(out), False
            i += 1
            continue
        if ch in "{[:":
            last_value_end = None
        elif ch == "\n":
            newline_since_value = True
        elif not ch.isspace():
            # a bare literal (number, true, false, null): it can end a member too. Always consume
            # at least this character: a lone "/" (e.g. a bare `a/b` URL) would otherwise loop forever.
            j = i + 1
            while j < n and not text[j].isspace() and text[j] not in ",}]/":
                j += 1
            out.append(text[i:j])
            i = j
            last_value_end, newline_since_value = len(out), False
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _string_end(text: str, start: int) -> int:
    """Index just past the closing quote of the JSON string starting at ``start``."""
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == '"' or text[i] == "\n":  # an unterminated string stops at the line end
            return i + 1
        i += 1
    return len(text)


def _next_significant(text: str, start: int) -> str:
    """The next character that is neither whitespace nor inside a comment."""
    i = start
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = len(text) if end == -1 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = len(text) if end == -1 else end + 2
        else:
            return ch
    return ""


_ENV_REFERENCE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-(.*?))?\}")


def expand_env(
    value: Any, env: Mapping[str, str], *, key: str = "", problems: list[tuple[str, str]] | None = None
) -> Any:
    """Replace ``${NAME}`` and ``${NAME:-default}`` in every string of ``value`` (recursively).

    ``$$`` is a literal ``$``. An unset variable without a default is reported in ``problems``
    as ``(key, message)`` and expands to an empty string.
    """
    if isinstance(value, str):
        if "$" not in value:
            return value

        def substitute(match: re.Match[str]) -> str:
            if match.group(0) == "$$":
                return "$"
            name, default = match.group(1), match.group(2)
            if name in env:
                return env[name]
            if default is not None:
                return default
            if problems is not None:
                problems.append((key, f"environment variable {name} is not set (use ${{{name}:-default}})"))
            return ""

        return _ENV_REFERENCE.sub(substitute, value)
    if isinstance(value, dict):
        return {
            k: expand_env(v, env, key=f"{key}.{k}" if key else str(k), problems=problems)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [expand_env(v, env, key=f"{key}[{i}]", problems=problems) for i, v in enumerate(value)]
    return value


def _normalise_key(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


def env_overrides(
    env: Mapping[str, str], known_keys: list[str]
) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Config values from ``SYM_*`` variables.

    The rule: drop the ``SYM_`` prefix, drop every ``_``, compare case-insensitively with the
    config key names. So ``SYM_POD_HOST``, ``SYM_PODHOST`` and ``SYM_podHost`` all set
    ``podHost``; ``SYM_BOT_PRIVATE_KEY_PATH`` sets ``botPrivateKeyPath``.

    Returns ``(overrides by key, variable name by key, unmatched variable names)``.
    """
    by_normalised = {_normalise_key(k): k for k in known_keys}
    overrides: dict[str, str] = {}
    names: dict[str, str] = {}
    unmatched: list[str] = []
    for name, value in sorted(env.items()):
        if not name.upper().startswith(ENV_PREFIX):
            continue
        key = by_normalised.get(_normalise_key(name[len(ENV_PREFIX) :]))
        if key is None:
            unmatched.append(name)
        else:
            overrides[key] = value
            names[key] = name
    return overrides, names, unmatched


def environ() -> Mapping[str, str]:
    """The process environment (a function so tests can see the seam)."""
    return os.environ
