"""``symbot demo``: the emulator, the demo bot and the chat page, in one command.

The emulator speaks HTTPS with its own CA (the bot verifies it through the generated
bot-config.json's truststorePath). Browsers do not trust that CA, so the demo also serves the chat
page over plain HTTP on 127.0.0.1 through a small forwarding server (see
``sym_api_client_python.demo.page_server``): no certificate warning, and nothing leaves the machine.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import webbrowser
from pathlib import Path
from typing import Any

import typer

from .config_init import register_config_init

__all__ = ["default_workdir", "register", "run_demo"]

log = logging.getLogger(__name__)

DEMO_LONG_POLL_S = 2.0
DEMO_USERS = (("alice", "Alice Example"), ("bob", "Bob Example"))


def default_workdir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("symbot")) / "demo"


def _ensure_demo_users(emulator: Any) -> None:
    """People to chat as: created on the first run, kept across restarts (the work dir persists)."""
    from sympod import EmulatorError

    from ..testing.pod import SymphonyPod

    pod = SymphonyPod(emulator)
    existing = {user["username"] for user in pod.control("GET", "/_emulator/chat/users")}
    for username, display_name in DEMO_USERS:
        if username not in existing:
            try:
                emulator.create_user(username, display_name=display_name)
            except EmulatorError:  # created concurrently by another demo on the same work dir
                log.debug("demo user %s already exists", username)


def _wait_for_datafeed(emulator: Any, bot_thread: threading.Thread, timeout: float = 30.0) -> None:
    """Messages sent before the bot's datafeed exists would never reach it: wait for the feed."""
    from ..testing.pod import SymphonyPod

    pod = SymphonyPod(emulator)
    deadline = time.monotonic() + timeout
    while not pod.datafeed_ids(pod.bot):
        if not bot_thread.is_alive():
            raise typer.Exit(1)
        if time.monotonic() > deadline:
            typer.secho(
                f"warning: the demo bot opened no datafeed within {timeout:.0f}s", fg="yellow", err=True
            )
            return
        time.sleep(0.05)


def run_demo(
    workdir: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    page_port: int = 0,
    open_browser: bool = True,
    stop: threading.Event | None = None,
) -> None:
    """Run the demo until ``stop`` is set or Ctrl-C; prints the chat page URL."""
    from sympod import Emulator

    from ..demo.bot import build_demo_bot
    from ..demo.page_server import PageServer

    stop = stop or threading.Event()
    workdir.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as cleanup:
        # a short datafeed long-poll keeps Ctrl-C snappy: the bot stops when its pending read returns
        emulator = cleanup.enter_context(
            Emulator(workdir=workdir, host=host, port=port, long_poll=DEMO_LONG_POLL_S)
        )
        _ensure_demo_users(emulator)
        page = cleanup.enter_context(
            PageServer(emulator.url, Path(emulator.ca_path), host=host, port=page_port)
        )
        bot = build_demo_bot(emulator.bot_config_path)
        bot_thread = threading.Thread(target=bot.run, name="demo-bot", daemon=True)
        bot_thread.start()
        # stopped first (callbacks run last-in first-out): the bot must not outlive its pod
        cleanup.callback(bot_thread.join, 10)
        cleanup.callback(bot.stop)
        _wait_for_datafeed(emulator, bot_thread)
        typer.echo(f"sympod emulator: {emulator.url} (work dir {workdir})")
        typer.echo(f"demo bot: @{emulator.bot['username']} (config {emulator.bot_config_path})")
        typer.echo(f"chat page: {page.url}")
        typer.echo("Pick a user (alice or bob), click 'Chat with the bot' and try /joke or /expense.")
        typer.echo("Press Ctrl-C to stop.", err=True)
        if open_browser:
            webbrowser.open(page.url)
        try:
            while not stop.wait(0.5):
                if not bot_thread.is_alive():
                    typer.secho("error: the demo bot stopped; see the log above", fg="red", err=True)
                    raise typer.Exit(1)
        except KeyboardInterrupt:
            typer.echo("stopping...", err=True)


def demo(
    workdir: Path = typer.Option(None, help="Emulator work dir (default: the user data dir's symbot/demo)."),
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(0, help="Emulator HTTPS port (0 = a free port)."),
    page_port: int = typer.Option(0, help="Chat page HTTP port (0 = a free port)."),
    no_browser: bool = typer.Option(False, "--no-browser", help="Do not open a browser."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log the bot's activity."),
) -> None:
    """Start the pod emulator, a demo bot (jokes and expense forms) and the chat page."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        run_demo(
            workdir or default_workdir(),
            host=host,
            port=port,
            page_port=page_port,
            open_browser=not no_browser,
        )
    except OSError as exc:
        typer.secho(f"error: {exc}", fg="red", err=True)
        raise typer.Exit(1) from None


def _config_group(app: typer.Typer) -> typer.Typer | None:
    """The foundation's ``symbot config`` group, to which ``init`` is added."""
    try:
        from . import config_cmd
    except ImportError:
        return None
    group = getattr(config_cmd, "config_app", None)
    return group if isinstance(group, typer.Typer) else None


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
    group = _config_group(app)
    if group is not None:
        register_config_init(group)
    else:  # no `config` group yet: offer `init` under our own
        config_app = typer.Typer(help="Bot configuration files.", no_args_is_help=True)
        register_config_init(config_app)
        app.add_typer(config_app, name="config")
