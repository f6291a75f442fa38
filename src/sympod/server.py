"""Serving the app with uvicorn (httptools + uvloop), over HTTPS with optional client certs.

:func:`build_server` prepares the work dir, binds the socket (port 0 = a free port, known
before serving so the client configs carry it) and returns a :class:`PodServer`, which the CLI
runs in the main thread (SIGINT/SIGTERM → clean shutdown) and :class:`sympod.Emulator` runs in a
background thread.
"""

from __future__ import annotations

import logging
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .app import TRANSPORT_KEY, create_app
from .state import PodState, Settings
from .workdir import open_pod, write_client_configs

log = logging.getLogger("sympod")

# let graceful shutdown finish in-flight requests, but never wait out a 30 s long-poll
GRACEFUL_SHUTDOWN_S = 3


class SympodHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, exposing the transport to the app (``scope["extensions"]``):
    the fault injector closes connections with it and cert auth reads the peer certificate."""

    _closing_server = False

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.scope["extensions"] = {TRANSPORT_KEY: self.transport}  # type: ignore[dict-item,unused-ignore]

    # On shutdown, close connections without the TLS close_notify exchange: an idle keep-alive
    # client never answers it, and uvicorn would wait out its graceful-shutdown timeout.
    def shutdown(self) -> None:
        self._closing_server = True
        if self.cycle is None or self.cycle.response_complete:
            self.transport.abort()
        else:
            super().shutdown()

    def on_response_complete(self) -> None:
        if self._closing_server and not self.transport.is_closing():
            self.transport.abort()
            return
        super().on_response_complete()


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, pod: PodState, on_ready: Callable[[], None] | None) -> None:
        super().__init__(config)
        self._pod = pod
        self._on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and self._on_ready is not None:
            self._on_ready()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        # long-polling datafeed reads return at once instead of holding the shutdown
        self._pod.closing = True
        self._pod.hub.notify_all()
        await super().shutdown(sockets)


@dataclass
class PodServer:
    pod: PodState
    url: str
    host: str
    port: int
    legacy_config_path: Path
    bdk_config_path: Path
    _server: _Server
    _socket: socket.socket

    def run(self) -> None:
        """Serve until shutdown (blocking); installs SIGINT/SIGTERM handlers in the main thread."""
        try:
            self._server.run(sockets=[self._socket])
        finally:
            self.pod.store.close()

    def request_shutdown(self) -> None:
        """Ask the serving loop to stop (thread-safe: it only sets a flag the loop polls)."""
        self._server.should_exit = True

    @property
    def started(self) -> bool:
        return bool(self._server.started)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise OSError(exc.errno, f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def build_server(
    settings: Settings,
    *,
    host: str = "127.0.0.1",
    port: int = 8443,
    http: bool = False,
    on_ready: Callable[[], None] | None = None,
    log_level: str = "warning",
) -> PodServer:
    prepared = open_pod(settings, tls=not http)
    pod = prepared.pod
    sock = _bind(host, port)
    actual_port = sock.getsockname()[1]
    scheme = "http" if http else "https"
    url_host = f"[{host}]" if ":" in host else host
    url = f"{scheme}://{url_host}:{actual_port}"
    settings.base_url = url
    legacy_path, bdk_path = write_client_configs(settings.workdir, host, actual_port, scheme)
    options: dict[str, Any] = {}
    if not http:
        assert prepared.cert_path is not None and prepared.key_path is not None and pod.ca is not None
        options = {
            "ssl_certfile": str(prepared.cert_path),
            "ssl_keyfile": str(prepared.key_path),
            # client certificates are optional: they only matter to /sessionauth and /keyauth
            "ssl_cert_reqs": ssl.CERT_OPTIONAL,
            "ssl_ca_certs": str(pod.ca.ca_path),
        }
    config = uvicorn.Config(
        create_app(pod),
        loop="uvloop",
        http=SympodHttpProtocol,
        ws="none",
        lifespan="off",
        log_level=log_level,
        access_log=False,
        server_header=False,
        proxy_headers=False,  # nothing sits in front of a local emulator
        timeout_keep_alive=60,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
        **options,
    )
    server = _Server(config, pod, on_ready)
    return PodServer(pod, url, host, actual_port, legacy_path, bdk_path, server, sock)
