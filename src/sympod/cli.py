"""The ``sympod`` command (also ``symbot pod``): serve the emulator until SIGINT/SIGTERM."""

from __future__ import annotations

import argparse
import gc
import logging
import signal
import sys
from pathlib import Path

from .state import DEFAULT_ACK_TIMEOUT_S, DEFAULT_LONG_POLL_S, DEFAULT_TOKEN_TTL_S, Settings

DEFAULT_PORT = 8443


def default_workdir() -> Path:
    import platformdirs

    return platformdirs.user_data_path("sympod") / "pod"


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    workdir: Path | None = None,
    http: bool = False,
    token_ttl: float = DEFAULT_TOKEN_TTL_S,
    long_poll: float = DEFAULT_LONG_POLL_S,
    ack_timeout: float = DEFAULT_ACK_TIMEOUT_S,
    max_feeds_per_user: int = 20,
    log_level: str = "warning",
) -> None:
    """Run the emulator in the foreground; prints ``ready <url>`` once it accepts connections."""
    from .server import build_server

    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings(
        workdir=(workdir or default_workdir()).resolve(),
        token_ttl_s=token_ttl,
        long_poll_s=long_poll,
        ack_timeout_s=ack_timeout,
        max_feeds_per_user=max_feeds_per_user,
    )
    holder: dict[str, str] = {}

    def announce() -> None:
        _freeze_startup_heap()
        print(f"ready {holder['url']}", flush=True)
        print(f"  work dir:         {settings.workdir}", flush=True)
        print(f"  legacy config:    {settings.workdir / 'bot-config.json'}", flush=True)
        print(f"  BDK config:       {settings.workdir / 'bdk-config.yaml'}", flush=True)
        print(f"  CA certificate:   {settings.workdir / 'ca.pem'}", flush=True)

    if host not in ("127.0.0.1", "::1", "localhost"):
        print(
            f"warning: listening on {host}: anyone who can reach it can use the control API "
            "(/_emulator/*, no authentication) and act as any user",
            file=sys.stderr,
            flush=True,
        )
    server = build_server(settings, host=host, port=port, http=http, on_ready=announce, log_level=log_level)
    holder["url"] = server.url
    # uvicorn shuts down gracefully on SIGTERM, then re-raises the signal with the handler that was
    # installed before it: make that a no-op so a requested stop exits with status 0
    signal.signal(signal.SIGTERM, lambda signum, frame: None)
    server.run()


def _freeze_startup_heap() -> None:
    """Leave what start-up made (modules, routes, TLS context: ~40,000 objects) out of every later
    full garbage collection.

    Each full collection of the serving process examined all of them, 15-25 ms during which no
    request was answered, about every 40 s under benchmark load. ``serve`` owns its process, so
    it may freeze the heap; the in-thread :class:`~sympod.Emulator` shares its host's process
    and does not. Collected first so that no start-up garbage is frozen with the rest.
    """
    gc.collect()
    gc.freeze()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sympod",
        description="Local Symphony pod emulator (pod, agent, "
        "login, key manager, datafeed v1/v2) for bots and tests.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (0 = a free port; default 8443)")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="state, keys and generated configs (default: the user data dir)",
    )
    parser.add_argument("--http", action="store_true", help="serve plain HTTP instead of HTTPS")
    parser.add_argument(
        "--token-ttl",
        type=float,
        default=DEFAULT_TOKEN_TTL_S,
        help="session token lifetime in seconds (default 3600)",
    )
    parser.add_argument(
        "--long-poll",
        type=float,
        default=DEFAULT_LONG_POLL_S,
        help="longest datafeed read wait in seconds (default 30)",
    )
    parser.add_argument(
        "--ack-timeout",
        type=float,
        default=DEFAULT_ACK_TIMEOUT_S,
        help="seconds before unacknowledged v2 events are redelivered (default 30)",
    )
    parser.add_argument("--max-feeds-per-user", type=int, default=20, help="active v2 datafeeds per user")
    parser.add_argument("--log-level", default="warning", choices=["debug", "info", "warning", "error"])
    return parser


def main(argv: list[str] | None = None) -> None:
    args = build_parser().parse_args(argv)
    for name in ("token_ttl", "long_poll", "ack_timeout"):
        if getattr(args, name) <= 0:
            sys.exit(f"sympod: --{name.replace('_', '-')} must be positive")
    if args.max_feeds_per_user < 1:
        sys.exit("sympod: --max-feeds-per-user must be at least 1")
    if not 0 <= args.port <= 65535:
        sys.exit(f"sympod: --port must be between 0 and 65535, got {args.port}")
    try:
        serve(
            host=args.host,
            port=args.port,
            workdir=args.workdir,
            http=args.http,
            token_ttl=args.token_ttl,
            long_poll=args.long_poll,
            ack_timeout=args.ack_timeout,
            max_feeds_per_user=args.max_feeds_per_user,
            log_level=args.log_level,
        )
    except OSError as exc:
        sys.exit(f"sympod: {exc}")
    except KeyboardInterrupt:
        pass
