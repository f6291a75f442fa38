"""The emulator the benchmarks run against, in its own process, and a small control-API client.

The server runs as a subprocess (``symbot pod --port 0``) so that it does not share the GIL with the
client under test; every subject (ours and the peers) talks to the same server in one run. The control
client only uses the standard library so that it adds nothing to what is being measured.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import signal
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from .results import ComponentMissing

READY_PREFIX = "ready "
START_TIMEOUT_S = 60.0


class PodProcess:
    """``symbot pod`` on 127.0.0.1 with a free port, in a work directory of its own."""

    def __init__(self, workdir: Path, *, http: bool = False) -> None:
        self.workdir = workdir
        self.http = http
        self.url = ""
        self._process: subprocess.Popen[str] | None = None
        self._output: list[str] = []

    @property
    def ca_path(self) -> Path:
        return self.workdir / "ca.pem"

    @property
    def bot_config_path(self) -> Path:
        return self.workdir / "bot-config.json"

    @property
    def bdk_config_path(self) -> Path:
        return self.workdir / "bdk-config.yaml"

    def bot_username(self) -> str:
        """The bot user the emulator created, as named in its bot-config.json."""
        return str(json.loads(self.bot_config_path.read_text(encoding="utf-8"))["botUsername"])

    @property
    def pid(self) -> int:
        if self._process is None:
            raise RuntimeError("the emulator is not running")
        return self._process.pid

    def start(self) -> PodProcess:
        self.workdir.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            "-c",
            "import sys; from sym_api_client_python.cli import main; main(sys.argv[1:])",
            "pod",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--workdir",
            str(self.workdir),
        ]
        if self.http:
            command.append("--http")
        self._process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, args=(lines,), daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.2)
            except queue.Empty:
                continue
            if line is None:
                break
            if line.startswith(READY_PREFIX):
                self.url = line[len(READY_PREFIX) :].strip().rstrip("/")
                return self
        self.stop()
        tail = "\n".join(self._output[-15:])
        raise ComponentMissing(f"the emulator did not print 'ready <url>' (symbot pod):\n{tail}")

    def _pump(self, lines: queue.Queue[str | None]) -> None:
        assert self._process is not None and self._process.stdout is not None
        for line in self._process.stdout:
            self._output.append(line.rstrip())
            del self._output[:-200]  # keep a bounded tail for error messages
            lines.put(line.strip())
        lines.put(None)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def __enter__(self) -> PodProcess:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def control(self) -> ControlClient:
        return ControlClient(self.url, self.ca_path if not self.http else None)


class ControlClient:
    """The emulator's ``/_emulator`` control API over one keep-alive connection."""

    def __init__(self, base_url: str, ca_path: Path | None) -> None:
        parsed = urllib.parse.urlsplit(base_url)
        self._host = parsed.hostname or "127.0.0.1"
        self._port = parsed.port or (443 if parsed.scheme == "https" else 80)
        self._https = parsed.scheme == "https"
        self._context = ssl.create_default_context(cafile=str(ca_path)) if ca_path else None
        self._connection: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        if self._connection is None:
            if self._https:
                self._connection = http.client.HTTPSConnection(
                    self._host, self._port, context=self._context, timeout=60
                )
            else:
                self._connection = http.client.HTTPConnection(self._host, self._port, timeout=60)
        return self._connection

    def call(self, method: str, path: str, body: Any = None) -> Any:
        payload = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if payload is not None else {}
        for attempt in (1, 2):  # one reconnect when the server closed an idle keep-alive connection
            connection = self._connect()
            try:
                connection.request(method, f"/_emulator{path}", body=payload, headers=headers)
                response = connection.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 2:
                    raise
                continue
            if response.status >= 400:
                raise RuntimeError(
                    f"emulator control {method} {path} -> HTTP {response.status}: {data[:300]!r}"
                )
            return json.loads(data) if data else None
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def create_user(self, username: str, *, bot: bool = False, display_name: str | None = None) -> Any:
        body: dict[str, Any] = {"username": username, "bot": bot}
        if display_name:
            body["displayName"] = display_name
        return self.call("POST", "/users", body)

    def send_message(
        self, sender: str, message: str, *, stream_id: str | None = None, to: str | None = None
    ) -> Any:
        body: dict[str, Any] = {"from": sender, "message": message}
        if stream_id:
            body["streamId"] = stream_id
        if to:
            body["to"] = to
        return self.call("POST", "/messages", body)

    def stream_messages(self, stream_id: str) -> Any:
        return self.call("GET", f"/streams/{urllib.parse.quote(stream_id, safe='')}/messages")

    def reset(self) -> None:
        self.call("POST", "/reset", {})

    def add_fault(self, **rule: Any) -> Any:
        return self.call("POST", "/faults", rule)

    def clear_faults(self) -> None:
        self.call("DELETE", "/faults")

    def expire_sessions(self) -> None:
        self.call("POST", "/sessions/expire", {})


def inject_messages(
    control_factory: Callable[[], ControlClient],
    sender: str,
    stream_id: str,
    count: int,
    *,
    connections: int = 4,
    text: str = "<messageML>benchmark message</messageML>",
) -> float:
    """Post ``count`` messages into ``stream_id`` through the control API; returns the seconds taken.

    Several keep-alive connections in parallel, so queuing events is not the slow part of a run.
    """
    started = time.perf_counter()
    shares = [count // connections + (1 if i < count % connections else 0) for i in range(connections)]
    errors: list[BaseException] = []

    def worker(share: int) -> None:
        client = control_factory()
        try:
            for _ in range(share):
                client.send_message(sender, text, stream_id=stream_id)
        except BaseException as exc:  # reported by the caller
            errors.append(exc)
        finally:
            client.close()

    threads = [threading.Thread(target=worker, args=(share,)) for share in shares if share]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"injecting messages failed: {errors[0]}") from errors[0]
    return time.perf_counter() - started
