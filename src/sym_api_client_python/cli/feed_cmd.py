"""``symbot feed --config FILE``: tail the bot's datafeed, one pretty line per event.

It runs the same datafeed engine as a bot (feed creation or reuse, acks, retries), so what it
prints is exactly what a bot with this config would receive.
"""

from __future__ import annotations

import contextlib
import json
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import typer

from ._common import CONFIG_OPTION_HELP, EXIT_USAGE, fail

__all__ = ["EVENT_TYPES", "describe_event", "register"]

EVENT_TYPES = (
    "MESSAGESENT", "MESSAGESUPPRESSED", "SYMPHONYELEMENTSACTION", "SHAREDPOST", "INSTANTMESSAGECREATED",
    "ROOMCREATED", "ROOMUPDATED", "ROOMDEACTIVATED", "ROOMREACTIVATED", "USERJOINEDROOM", "USERLEFTROOM",
    "ROOMMEMBERPROMOTEDTOOWNER", "ROOMMEMBERDEMOTEDFROMOWNER", "CONNECTIONREQUESTED", "CONNECTIONACCEPTED",
    "USERREQUESTEDTOJOINROOM", "GENERICSYSTEMEVENT",
)  # fmt: skip

_STYLES = {"MESSAGESENT": "cyan", "SYMPHONYELEMENTSACTION": "magenta", "MESSAGESUPPRESSED": "red"}


def _message_text(presentation_ml: str, data: Any) -> str:
    from ..messages.parser import parse_message

    try:
        return str(parse_message(presentation_ml, data).text)
    except Exception:  # an unparsable body is shown raw rather than hiding the event
        return presentation_ml


def _user_name(user: dict[str, Any] | None) -> str:
    if not user:
        return "?"
    return str(user.get("displayName") or user.get("username") or user.get("userId") or "?")


def describe_event(event: dict[str, Any]) -> tuple[str, str, str, str]:
    """(time, type, who/where, what) for one raw V4Event."""
    timestamp = event.get("timestamp")
    when = datetime.fromtimestamp(timestamp / 1000).strftime("%H:%M:%S") if isinstance(timestamp, int) else ""
    event_type = str(event.get("type", "?"))
    initiator = _user_name((event.get("initiator") or {}).get("user"))
    payload: dict[str, Any] = next(iter((event.get("payload") or {}).values()), {}) or {}
    stream = payload.get("stream") or (payload.get("message") or {}).get("stream") or {}
    where = f"{initiator} in {stream.get('streamType', '')} {stream.get('streamId', '')}".strip()
    if event_type in ("MESSAGESENT", "SHAREDPOST"):
        message = payload.get("message") or {}
        what = _message_text(str(message.get("message", "")), message.get("data"))
    elif event_type == "SYMPHONYELEMENTSACTION":
        what = f"form {payload.get('formId')!r}: {json.dumps(payload.get('formValues', {}), sort_keys=True)}"
    elif "affectedUser" in payload:
        what = _user_name(payload["affectedUser"])
    elif "roomProperties" in payload or "newRoomProperties" in payload:
        what = str((payload.get("roomProperties") or payload.get("newRoomProperties") or {}).get("name", ""))
    else:
        what = ""
    return when, event_type, where, what


def feed(
    config: Path = typer.Option(..., "--config", "-c", help=CONFIG_OPTION_HELP),
    raw: bool = typer.Option(False, "--raw", help="Print each event as one line of JSON."),
    limit: int = typer.Option(0, help="Stop after this many events (0 = run until Ctrl-C)."),
) -> None:
    """Tail the bot's datafeed and print every event it receives."""
    from rich.console import Console
    from rich.markup import escape

    from ..bot import Bot
    from ..core.errors import ConfigError

    if not config.is_file():
        raise fail(f"config file {config} does not exist (create one with `symbot config init`)", EXIT_USAGE)
    console = Console(highlight=False)
    try:
        bot = Bot(config)
    except ConfigError as exc:
        raise fail(str(exc), EXIT_USAGE) from None
    seen = 0
    lock = threading.Lock()

    def show(ctx: Any) -> None:
        nonlocal seen
        event = ctx.event.raw
        with lock:
            if raw:
                # one line per event when piped (for jq), indented on a terminal
                if console.is_terminal:
                    console.print_json(json.dumps(event))
                else:
                    print(json.dumps(event), flush=True)
            else:
                when, event_type, where, what = describe_event(event)
                style = _STYLES.get(event_type, "green")
                console.print(f"[dim]{when}[/] [{style}]{event_type}[/] {escape(where)}  {escape(what)}")
            seen += 1
            if limit and seen >= limit:
                bot.stop()

    for event_type in EVENT_TYPES:
        bot.on_event(event_type)(show)
    console.print(f"[dim]tailing the datafeed of {config} (Ctrl-C to stop)[/]", style="dim")
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is the normal way out
        bot.run()


def register(app: typer.Typer) -> None:
    app.command("feed")(feed)
