"""The ``symbot`` command line.

Each sub-command lives in its own module exposing ``register(app)``; modules are discovered
here so that commands can be added without touching this file's logic.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import typer

from .. import __version__

# modules under sym_api_client_python.cli that contribute commands, in --help order
COMMAND_MODULES = ("demo_cmd", "pod_cmd", "config_cmd", "send_cmd", "feed_cmd")


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"symbot (sym-api-client-python) {__version__}")
        raise typer.Exit()


def build_app() -> typer.Typer:
    app = typer.Typer(
        name="symbot",
        help="Symphony bot SDK tools: run the local pod emulator and demo, check configs, send messages.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_show_locals=False,
    )

    @app.callback()
    def _root(
        version: bool = typer.Option(
            False, "--version", callback=_version_callback, is_eager=True, help="Show the version and exit."
        ),
    ) -> None:
        """Symphony bot SDK command line."""

    for module_name in COMMAND_MODULES:
        qualified = f"{__name__}.{module_name}"
        if importlib.util.find_spec(qualified) is None:
            continue
        importlib.import_module(qualified).register(app)
    return app


def main(argv: list[str] | None = None) -> None:
    app = build_app()
    app(args=argv if argv is not None else sys.argv[1:], prog_name="symbot")
