"""``sympod.Emulator``: a pod for tests and scripts, in a background thread or a subprocess.

    with Emulator() as pod:                       # HTTPS on a free 127.0.0.1 port, temp work dir
        alice = pod.create_user("alice")
        pod.send_message("alice", "hello", to="bot")
        run_my_bot(pod.bot_config_path)

Every operation goes through the control API over HTTP(S), so both modes behave the same and the
server's state is only ever touched by its own event loop.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote, urlsplit

from .state import DEFAULT_ACK_TIMEOUT_S, DEFAULT_LONG_POLL_S, DEFAULT_TOKEN_TTL_S, Settings
from .workdir import BDK_CONFIG_FILE, LEGACY_CONFIG_FILE

START_TIMEOUT_S = 60.0


class EmulatorError(RuntimeError):
    """A control-API call failed; carries the HTTP status and the emulator's message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"HTTP {status}: {message}")
        self.status = status
        self.message = message


def _with_given(body: dict[str, Any], **optional: Any) -> dict[str, Any]:
    """``body`` plus the optional fields that are not None; the others stay absent, so the control
    API applies its own defaults to them."""
    return {**body, **{key: value for key, value in optional.items() if value is not None}}


class Emulator:
    def __init__(
        self,
        workdir: str | os.PathLike[str] | None = None,
        http: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        mode: str = "thread",
        token_ttl: float = DEFAULT_TOKEN_TTL_S,
        long_poll: float = DEFAULT_LONG_POLL_S,
        ack_timeout: float = DEFAULT_ACK_TIMEOUT_S,
        max_feeds_per_user: int = 20,
    ) -> None:
        if mode not in ("thread", "subprocess"):
            raise ValueError(f"mode must be 'thread' or 'subprocess', got {mode!r}")
        self._own_workdir = workdir is None
        self.workdir = Path(workdir) if workdir is not None else Path(tempfile.mkdtemp(prefix="sympod-"))
        self.http = http
        self.host = host
        self.port = port
        self.mode = mode
        self.token_ttl = token_ttl
        self.long_poll = long_poll
        self.ack_timeout = ack_timeout
        self.max_feeds_per_user = max_feeds_per_user
        self.url = ""
        self.bot: dict[str, Any] = {}
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._process: subprocess.Popen[str] | None = None
        self._connection: HTTPConnection | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ paths
    @property
    def ca_path(self) -> Path:
        return self.workdir / "ca.pem"

    @property
    def bot_config_path(self) -> Path:
        return self.workdir / LEGACY_CONFIG_FILE

    @property
    def bdk_config_path(self) -> Path:
        return self.workdir / BDK_CONFIG_FILE

    @property
    def bot_private_key_path(self) -> Path:
        return self.workdir / "rsa" / "bot-private.pem"

    @property
    def running(self) -> bool:
        if self._thread is not None:
            return self._thread.is_alive()
        return self._process is not None and self._process.poll() is None

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> Emulator:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self) -> Emulator:
        if self.running:
            raise RuntimeError("the emulator is already running")
        if self.mode == "thread":
            self._start_thread()
        else:
            self._start_subprocess()
        # later restarts reuse the same port, so configs and clients keep working
        self.port = urlsplit(self.url).port or self.port
        self.bot = self._call("GET", "/_emulator/info")["bot"]
        return self

    def _settings(self) -> Settings:
        return Settings(
            workdir=self.workdir,
            token_ttl_s=self.token_ttl,
            long_poll_s=self.long_poll,
            ack_timeout_s=self.ack_timeout,
            max_feeds_per_user=self.max_feeds_per_user,
        )

    def _start_thread(self) -> None:
        from .server import build_server

        ready = threading.Event()
        server = build_server(
            self._settings(), host=self.host, port=self.port, http=self.http, on_ready=ready.set
        )
        self._server = server
        self.url = server.url
        self._thread = threading.Thread(target=server.run, name="sympod-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not ready.wait(0.05):
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the emulator server thread failed to start (see the log above)")

    def _start_subprocess(self) -> None:
        options = {
            "--host": self.host,
            "--port": self.port,
            "--workdir": self.workdir,
            "--token-ttl": self.token_ttl,
            "--long-poll": self.long_poll,
            "--ack-timeout": self.ack_timeout,
            "--max-feeds-per-user": self.max_feeds_per_user,
        }
        command = [sys.executable, "-m", "sympod"]
        for flag, value in options.items():
            command += [flag, str(value)]
        if self.http:
            command.append("--http")
        self._process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, bufsize=1)
        assert self._process.stdout is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        for line in self._process.stdout:
            if line.startswith("ready "):
                self.url = line.split(None, 1)[1].strip()
                break
            if time.monotonic() > deadline:
                break
        if not self.url:
            self._process.kill()
            raise RuntimeError(
                f"the emulator subprocess did not report ready (exit code {self._process.poll()})"
            )
        # keep draining stdout so the child never blocks on a full pipe
        threading.Thread(target=self._drain, args=(self._process,), daemon=True).start()

    @staticmethod
    def _drain(process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for _ in process.stdout:
            pass

    def stop(self) -> None:
        """Stop the server (graceful; long-polls answer at once). Idempotent."""
        self._close_connection()
        if self._thread is not None:
            self._server.request_shutdown()
            self._thread.join(timeout=30)
            self._thread = None
        if self._process is not None:
            if self._process.poll() is None:
                self._process.send_signal(signal.SIGTERM)
                try:
                    self._process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait()
            self._process = None

    def kill(self) -> None:
        """SIGKILL the subprocess server (no shutdown at all), to test crash durability."""
        if self._process is None:
            raise RuntimeError("kill() needs mode='subprocess'")
        self._close_connection()
        self._process.kill()
        self._process.wait()
        self._process = None

    def close(self) -> None:
        """Stop, and delete the work dir if the emulator created it."""
        self.stop()
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    # ------------------------------------------------------------------ control API
    def _close_connection(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def _new_connection(self) -> HTTPConnection:
        parts = urlsplit(self.url)
        host, port = parts.hostname or self.host, parts.port
        if parts.scheme == "https":
            context = ssl.create_default_context(cafile=str(self.ca_path))
            return HTTPSConnection(host, port, timeout=60, context=context)
        return HTTPConnection(host, port, timeout=60)

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        payload = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if payload is not None else {}
        with self._lock:
            for attempt in (1, 2):
                if self._connection is None:
                    self._connection = self._new_connection()
                try:
                    self._connection.request(method, path, body=payload, headers=headers)
                    response = self._connection.getresponse()
                    raw = response.read()
                    break
                except (HTTPException, ConnectionError):
                    # a kept-alive connection closed by the server: retry once on a fresh one
                    self._connection.close()
                    self._connection = None
                    if attempt == 2:
                        raise
        data = json.loads(raw) if raw else None
        if response.status >= 400:
            message = (
                data.get("message", raw.decode(errors="replace")) if isinstance(data, dict) else str(data)
            )
            raise EmulatorError(response.status, message)
        return data

    def health(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "/_emulator/health")
        return result

    def create_user(
        self,
        username: str,
        display_name: str | None = None,
        email: str | None = None,
        bot: bool = False,
        public_key: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Create a user; a bot without ``public_key`` gets a generated key (``privateKey`` in the result)."""
        body = _with_given(
            {"username": username, "bot": bot, **extra},
            displayName=display_name,
            email=email,
            publicKey=public_key,
        )
        result: dict[str, Any] = self._call("POST", "/_emulator/users", body)
        return result

    def get_user(self, ref: str | int) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", f"/_emulator/users/{quote(str(ref), safe='')}")
        return result

    def issue_certificate(self, user: str | int, password: str | None = None) -> dict[str, Any]:
        """A client certificate (PEM + base64 PKCS#12) for mTLS auth as ``user``."""
        body = {"password": password} if password else {}
        result: dict[str, Any] = self._call(
            "POST", f"/_emulator/users/{quote(str(user), safe='')}/certificate", body
        )
        return result

    def send_message(
        self,
        sender: str | int,
        message: str,
        stream_id: str | None = None,
        to: str | int | None = None,
        data: Any = None,
    ) -> dict[str, Any]:
        """Post as ``sender`` into ``stream_id``, or into the IM with ``to``; returns the V4Message."""
        body = _with_given({"from": sender, "message": message}, streamId=stream_id, to=to, data=data)
        result: dict[str, Any] = self._call("POST", "/_emulator/messages", body)
        return result

    def stream_messages(self, stream_id: str) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call(
            "GET", f"/_emulator/streams/{quote(stream_id, safe='')}/messages"
        )
        return result

    def submit_form(
        self, sender: str | int, form_message_id: str, form_id: str, form_values: dict[str, Any]
    ) -> dict[str, Any]:
        """Inject a SYMPHONYELEMENTSACTION as ``sender`` clicking a button (``form_values['action']``)."""
        result: dict[str, Any] = self._call(
            "POST",
            "/_emulator/elements",
            {"from": sender, "formMessageId": form_message_id, "formId": form_id, "formValues": form_values},
        )
        return result

    def datafeeds(self, user: str | int) -> list[dict[str, Any]]:
        """The datafeeds ``user`` has created (id, version 1|2, queuedEvents...)."""
        result: list[dict[str, Any]] = self._call(
            "GET", f"/_emulator/datafeeds?user={quote(str(user), safe='')}"
        )
        return result

    def add_fault(
        self,
        path: str,
        method: str | None = None,
        status: int | None = None,
        delay_ms: int | None = None,
        drop: bool = False,
        times: int | None = None,
        retry_after: int | None = None,
    ) -> dict[str, Any]:
        """Add a fault rule (see docs/emulator.md); ``retry_after`` (seconds, with status 429 or
        503) is sent as the answer's ``Retry-After`` header."""
        body = _with_given(
            {"path": path, "drop": drop},
            method=method,
            status=status,
            delayMs=delay_ms,
            times=times,
            retryAfter=retry_after,
        )
        result: dict[str, Any] = self._call("POST", "/_emulator/faults", body)
        return result

    def clear_faults(self) -> None:
        self._call("DELETE", "/_emulator/faults")

    def expire_sessions(self) -> None:
        self._call("POST", "/_emulator/sessions/expire")

    def reset(self) -> None:
        self._call("POST", "/_emulator/reset")
