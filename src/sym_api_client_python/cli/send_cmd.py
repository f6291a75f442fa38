"""``symbot send TARGET MESSAGE --config FILE``: send one message as the bot."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import typer

from ._common import CONFIG_OPTION_HELP, EXIT_API_ERROR, EXIT_USAGE, authenticated_client, fail

__all__ = ["register", "resolve_stream", "to_messageml"]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def to_messageml(message: str) -> str:
    """MessageML as given; plain text is escaped and wrapped (so ``a < b`` is sent literally)."""
    from ..messages.escape import escape_text

    stripped = message.strip()
    if stripped.startswith("<messageML>"):
        return stripped
    return f"<messageML>{escape_text(message)}</messageML>"


def resolve_stream(services: Any, target: str) -> str:
    """A stream id for ``target``: ``@username``, an email or a numeric user id open an IM with
    that user; anything else is taken as a stream id."""
    user_id: int | None = None
    if target.isdigit():
        user_id = int(target)
    elif target.startswith("@") or _EMAIL.match(target):
        lookup = {"username": target[1:]} if target.startswith("@") else {"email": target}
        user = services.users.get(**lookup)
        if user is None or user.id is None:
            raise LookupError(f"no user {target} on this pod")
        user_id = user.id
    if user_id is None:
        return target
    stream = services.streams.create_im(user_id)
    if not stream.id:
        raise LookupError(f"the pod returned no IM stream for user {target}")
    return str(stream.id)


def send(
    target: str = typer.Argument(..., help="Stream id, @username, email address or numeric user id."),
    message: str = typer.Argument(..., help="Plain text (escaped) or <messageML>...</messageML>."),
    config: Path = typer.Option(..., "--config", "-c", help=CONFIG_OPTION_HELP),
    data: str | None = typer.Option(None, help="EntityJSON for the message, as a JSON string."),
    json_output: bool = typer.Option(False, "--json", help="Print the sent V4Message as JSON."),
) -> None:
    """Send a message as the bot to a stream or, by user, to an IM."""
    from ..core.errors import SymphonyError
    from ..rest import SyncServices

    if data is not None:
        try:
            json.loads(data)
        except json.JSONDecodeError as exc:
            raise fail(f"--data is not valid JSON: {exc}", EXIT_USAGE) from None
    with authenticated_client(config) as client:
        services = SyncServices(client)
        try:
            stream_id = resolve_stream(services, target)
            sent = services.messages.send(stream_id, to_messageml(message), data=data)
        except LookupError as exc:
            raise fail(str(exc), EXIT_API_ERROR) from None
        except SymphonyError as exc:
            raise fail(f"sending to {target}: {exc}", EXIT_API_ERROR) from None
    if json_output:
        import msgspec

        typer.echo(msgspec.json.encode(sent).decode())
    else:
        typer.echo(f"sent message {sent.message_id} to stream {stream_id}")


def register(app: typer.Typer) -> None:
    app.command("send")(send)
