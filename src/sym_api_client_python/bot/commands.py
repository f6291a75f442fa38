"""Slash-command patterns: ``"/buy {qty:int} {ticker}"`` → handler keyword arguments.

Unlike the BDK, static words are matched literally (``/c++`` works), arguments are typed
(``int``, ``float``, ``str``, and ``rest`` for the remainder of the line), arguments may be
quoted (``/say "hello world"``), and a message that names the command with bad arguments gets a
usage reply instead of silence.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_PARAM = re.compile(r"^\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::(?P<kind>[a-z]+))?\}$")

_CONVERTERS: dict[str, Callable[[str], Any]] = {"str": str, "int": int, "float": float}
_KIND_WORDS = {"int": "an integer", "float": "a number", "str": "a word", "rest": "some text"}


class CommandUsageError(ValueError):
    """The message names a command but its arguments do not fit; ``usage`` is the reply."""

    def __init__(self, problem: str, usage: str) -> None:
        self.problem = problem
        self.usage = usage
        super().__init__(f"{problem}. Usage: {usage}")


@dataclass(frozen=True, slots=True)
class _Param:
    name: str
    kind: str


@dataclass(frozen=True)
class CommandPattern:
    """A parsed pattern. ``name`` is its first word (``/buy``)."""

    pattern: str
    name: str
    parts: tuple[str | _Param, ...]

    @classmethod
    def parse(cls, pattern: str) -> CommandPattern:
        words = pattern.split()
        if not words or _PARAM.match(words[0]):
            raise ValueError(f"command pattern {pattern!r} must start with the command word, e.g. '/joke'")
        parts: list[str | _Param] = []
        seen: set[str] = set()
        for index, word in enumerate(words[1:], start=1):
            found = _PARAM.match(word)
            if found is None:
                if "{" in word or "}" in word:
                    raise ValueError(
                        f"command pattern {pattern!r}: malformed argument {word!r} "
                        "(expected {name} or {name:int|float|str|rest})"
                    )
                parts.append(word)
                continue
            name, kind = found["name"], found["kind"] or "str"
            if kind not in (*_CONVERTERS, "rest"):
                raise ValueError(
                    f"command pattern {pattern!r}: unknown type {kind!r} for {name!r} "
                    "(use int, float, str or rest)"
                )
            if kind == "rest" and index != len(words) - 1:
                raise ValueError(f"command pattern {pattern!r}: {{{name}:rest}} must be the last argument")
            if name in seen:
                raise ValueError(f"command pattern {pattern!r}: argument {name!r} appears twice")
            seen.add(name)
            parts.append(_Param(name, kind))
        return cls(pattern, words[0], tuple(parts))

    @property
    def argument_names(self) -> set[str]:
        return {part.name for part in self.parts if isinstance(part, _Param)}

    @property
    def usage(self) -> str:
        return self.pattern

    def names_command(self, text: str) -> bool:
        first = text.split(maxsplit=1)[0] if text.strip() else ""
        return first.lower() == self.name.lower()

    def match(self, text: str) -> dict[str, Any] | None:
        """Keyword arguments when ``text`` is this command; None when it is another message.

        :raises CommandUsageError: the command word is there but the arguments do not fit.
        """
        if not self.names_command(text):
            return None
        remainder = text.strip()[len(self.name) :].strip()
        values: dict[str, Any] = {}
        tokens = _split(remainder)
        for part in self.parts:
            if isinstance(part, _Param) and part.kind == "rest":
                if not remainder:
                    raise CommandUsageError(f"missing {part.name}", self.usage)
                values[part.name] = remainder
                return values
            if not tokens:
                label = part.name if isinstance(part, _Param) else repr(part)
                raise CommandUsageError(f"missing {label}", self.usage)
            token = tokens.pop(0)
            remainder = remainder[remainder.find(token) + len(token) :].strip() if token in remainder else ""
            if isinstance(part, str):
                if token.lower() != part.lower():
                    raise CommandUsageError(f"expected {part!r}, got {token!r}", self.usage)
                continue
            try:
                values[part.name] = _CONVERTERS[part.kind](token)
            except ValueError:
                raise CommandUsageError(
                    f"{part.name} must be {_KIND_WORDS[part.kind]}, got {token!r}", self.usage
                ) from None
        if tokens:
            raise CommandUsageError(f"unexpected {' '.join(tokens)!r}", self.usage)
        return values


def _split(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:  # an unbalanced quote: fall back to plain words
        return text.split()


def strip_leading_mention(text: str, bot_names: tuple[str, ...]) -> str:
    """``"@My Bot /joke"`` → ``"/joke"`` when the message starts by addressing the bot."""
    stripped = text.lstrip()
    for name in bot_names:
        if name and stripped.lower().startswith(f"@{name.lower()}"):
            return stripped[len(name) + 1 :].lstrip(" ,:")
    return stripped
