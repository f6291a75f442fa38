"""Helpers shared by the user-facing commands (send, feed): config loading and error reporting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

CONFIG_OPTION_HELP = "Bot config file (legacy bot-config.json or BDK-style YAML)."

# exit codes: 1 = the pod refused / network, 2 = bad usage or config (typer's own convention)
EXIT_API_ERROR = 1
EXIT_USAGE = 2


def fail(message: str, code: int) -> typer.Exit:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code)


@contextmanager
def authenticated_client(config_path: Path) -> Iterator[Any]:
    """A logged-in ``SyncApiClient`` for ``config_path``; errors become a message and an exit code."""
    from ..client import SyncApiClient
    from ..core.errors import ConfigError, SymphonyError

    if not config_path.is_file():
        raise fail(
            f"config file {config_path} does not exist (create one with `symbot config init`)", EXIT_USAGE
        )
    try:
        client = SyncApiClient.from_config(config_path)
    except ConfigError as exc:
        raise fail(str(exc), EXIT_USAGE) from None
    try:
        client.authenticate()
        yield client
    except ConfigError as exc:
        raise fail(str(exc), EXIT_USAGE) from None
    except SymphonyError as exc:
        raise fail(str(exc), EXIT_API_ERROR) from None
    except OSError as exc:
        raise fail(f"cannot reach the pod: {exc}", EXIT_API_ERROR) from None
    finally:
        client.close()
