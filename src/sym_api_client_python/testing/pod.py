"""``SymphonyPod``: the emulator as a test sees it (users, IMs, rooms, conversations)."""

from __future__ import annotations

import itertools
import json
import os
import ssl
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .conversation import Conversation

if TYPE_CHECKING:  # pragma: no cover
    from sympod import Emulator

__all__ = ["ControlApiError", "SymphonyPod"]

UserRef = dict[str, Any] | str | int


class ControlApiError(RuntimeError):
    """The emulator refused a control call; the message carries its status and reason."""


def _user_id_or_name(user: UserRef) -> str | int:
    if isinstance(user, dict):
        return int(user["userId"])
    return user


class SymphonyPod:
    """A running emulator plus the helpers a bot test needs.

    ``pod.im(user)`` opens an IM between ``user`` and the bot and returns a :class:`Conversation`;
    ``pod.room("name", owner, members)`` does the same for a room. Everything else the emulator can
    do stays reachable through :attr:`emulator`.
    """

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self._ssl_context = (
            ssl.create_default_context(cafile=str(emulator.ca_path)) if self.url.startswith("https") else None
        )
        self._names = itertools.count(1)

    # -- facts --------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return str(self.emulator.url)

    @property
    def ca_path(self) -> Path:
        return Path(self.emulator.ca_path)

    @property
    def bot_config_path(self) -> Path:
        """The legacy-format bot-config.json pointing at this pod (with its truststore)."""
        return Path(self.emulator.bot_config_path)

    @property
    def bdk_config_path(self) -> Path:
        return Path(self.emulator.bdk_config_path)

    @property
    def bot(self) -> dict[str, Any]:
        """The bot user (``userId``, ``username``, ...)."""
        return dict(self.emulator.bot)

    # -- state --------------------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget users (except the bot), streams, messages and faults."""
        self.emulator.reset()

    def create_user(
        self,
        username: str | None = None,
        display_name: str | None = None,
        email: str | None = None,
        *,
        bot: bool = False,
    ) -> dict[str, Any]:
        """Create a user; without ``username`` a unique one (``user-<pid>-<n>``) is made up."""
        name = username or f"user-{os.getpid()}-{next(self._names)}"
        return dict(self.emulator.create_user(name, display_name=display_name, email=email, bot=bot))

    def im(self, user: UserRef, with_user: UserRef | None = None) -> Conversation:
        """Open (or reuse) the IM between ``user`` and ``with_user`` (the bot by default), as ``user``."""
        other = with_user if with_user is not None else self.bot
        stream = self.control(
            "POST", "/_emulator/chat/im", {"user": _user_id_or_name(user), "with": [_user_id_or_name(other)]}
        )
        return Conversation(self.emulator, self._user(user), str(stream["streamId"]))

    def room(
        self,
        name: str,
        owner: UserRef,
        members: list[UserRef] | tuple[UserRef, ...] = (),
        *,
        with_bot: bool = True,
    ) -> Conversation:
        """Create a room owned by ``owner`` with ``members`` (plus the bot unless ``with_bot=False``)."""
        invited = [_user_id_or_name(member) for member in members]
        if with_bot:
            invited.append(int(self.bot["userId"]))
        stream = self.control(
            "POST",
            "/_emulator/chat/rooms",
            {"user": _user_id_or_name(owner), "name": name, "members": invited},
        )
        return Conversation(self.emulator, self._user(owner), str(stream["streamId"]))

    def conversation(self, user: UserRef, stream_id: str) -> Conversation:
        """A conversation on an existing stream, seen from ``user``."""
        return Conversation(self.emulator, self._user(user), stream_id)

    def datafeed_ids(self, user: UserRef) -> set[str]:
        """Ids of the datafeeds (v1 and v2) ``user`` currently owns on the pod."""
        ref = _user_id_or_name(user)
        feeds = self.control("GET", f"/_emulator/chat/datafeeds?user={urllib.parse.quote(str(ref))}")
        return {str(feed["id"]) for feed in feeds}

    def _user(self, user: UserRef) -> dict[str, Any]:
        if isinstance(user, dict):
            return user
        for known in self.control("GET", "/_emulator/chat/users"):
            if user in (known["userId"], known["username"], str(known["userId"])):
                return dict(known)
        raise LookupError(f"no user {user!r} on this pod")

    # -- raw control API ------------------------------------------------------------------------------
    def control(self, method: str, path: str, body: Any = None) -> Any:
        """Call the emulator's HTTP control API and return the decoded JSON."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.url.rstrip("/") + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"} if data is not None else {},
        )
        try:
            with urllib.request.urlopen(request, timeout=10, context=self._ssl_context) as response:
                payload = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode(errors="replace")
            raise ControlApiError(f"{method} {path}: HTTP {exc.code}: {detail}") from None
        return json.loads(payload) if payload else None
