"""``symbot pod``: serve the local pod emulator (the same server as the ``sympod`` command)."""

from __future__ import annotations

from pathlib import Path

import typer

# flag defaults mirror sympod.cli; sympod is imported only when the command runs (keeps --help fast)
DEFAULT_PORT = 8443


def register(app: typer.Typer) -> None:
    @app.command("pod")
    def pod(
        host: str = typer.Option("127.0.0.1", help="Address to bind."),
        port: int = typer.Option(DEFAULT_PORT, min=0, max=65535, help="Port (0 picks a free port)."),
        workdir: Path | None = typer.Option(
            None, help="State, keys and generated bot configs (default: the user data dir)."
        ),
        http: bool = typer.Option(False, "--http", help="Serve plain HTTP instead of HTTPS."),
        token_ttl: float = typer.Option(3600.0, min=0.001, help="Session token lifetime, seconds."),
        long_poll: float = typer.Option(30.0, min=0.001, help="Longest datafeed read wait, seconds."),
        ack_timeout: float = typer.Option(
            30.0, min=0.001, help="Seconds before unacknowledged v2 events are redelivered."
        ),
        max_feeds_per_user: int = typer.Option(20, min=1, help="Active v2 datafeeds per user."),
        log_level: str = typer.Option("warning", help="debug, info, warning or error."),
    ) -> None:
        """Run the Symphony pod emulator; prints 'ready <url>' once it accepts connections.

        The work dir gets ca.pem, the bot user's key (rsa/bot-private.pem), bot-config.json (legacy
        format) and bdk-config.yaml pointing at this pod. Stop with Ctrl-C.
        """
        from sympod.cli import serve

        if log_level.lower() not in ("debug", "info", "warning", "error"):
            raise typer.BadParameter(f"unknown log level {log_level!r}", param_hint="--log-level")
        try:
            serve(
                host=host,
                port=port,
                workdir=workdir,
                http=http,
                token_ttl=token_ttl,
                long_poll=long_poll,
                ack_timeout=ack_timeout,
                log_level=log_level.lower(),
            )
        except OSError as exc:
            typer.echo(f"symbot pod: {exc}", err=True)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            pass
