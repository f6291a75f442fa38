"""What every scenario gets: run options, the shared emulator, the peer interpreters, peer scripts."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .peers import PeerUnavailable, ensure_peer_venv, peer_environment
from .pod import PodProcess
from .results import ComponentMissing

PEER_SCRIPTS = Path(__file__).resolve().parent / "peer_scripts"


@dataclass
class RunContext:
    quick: bool
    repeats: int
    workdir: Path
    soak_seconds: float = 0.0
    log: Any = field(default=print)
    _pod: PodProcess | None = None
    _pod_error: str | None = None
    _peers: dict[str, Path | PeerUnavailable] = field(default_factory=dict)

    def size(self, full: int, quick: int) -> int:
        return quick if self.quick else full

    def pod(self) -> PodProcess:
        """The emulator shared by every scenario of the run (started on first use)."""
        if self._pod is not None:
            return self._pod
        if self._pod_error is not None:
            raise ComponentMissing(self._pod_error)
        try:
            self._pod = PodProcess(self.workdir / "pod").start()
        except ComponentMissing as exc:
            self._pod_error = str(exc)
            raise
        return self._pod

    def peer_python(self, name: str) -> Path:
        """The peer's interpreter; raises :class:`PeerUnavailable` (cached) when it cannot be built."""
        known = self._peers.get(name)
        if known is None:
            try:
                known = ensure_peer_venv(name)
            except PeerUnavailable as exc:
                known = exc
            self._peers[name] = known
        if isinstance(known, PeerUnavailable):
            raise known
        return known

    def close(self) -> None:
        if self._pod is not None:
            self._pod.stop()
            self._pod = None


def python_for(ctx: RunContext, subject: str) -> Path:
    """Interpreter for ``subject``: ours (this interpreter) or a peer's virtualenv."""
    if subject in ("legacy", "bdk"):
        return ctx.peer_python(subject)
    return Path(sys.executable)


def script_environment(python: Path, peer: bool | None = None) -> dict[str, str] | None:
    """Peers get :func:`peer_environment` (our sources hidden); ours inherits this process's."""
    if peer is None:
        peer = Path(python) != Path(sys.executable)
    return peer_environment() if peer else None


def run_script(
    python: Path, script: str, args: Sequence[str] = (), *, timeout: float = 600.0, peer: bool | None = None
) -> Any:
    """Run ``peer_scripts/<script>`` with ``python`` and return the JSON of its last stdout line."""
    command = [str(python), str(PEER_SCRIPTS / script), *args]
    env = script_environment(python, peer)
    completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, check=False)
    if completed.returncode != 0:
        lines = completed.stderr.strip().splitlines() or ["(no stderr)"]
        tail = "\n".join(lines[-12:])
        raise RuntimeError(f"{script} exited with {completed.returncode}: {lines[-1]}\n{tail}")
    lines = [line for line in completed.stdout.splitlines() if line.strip()]
    if not lines:
        raise RuntimeError(f"{script} printed nothing")
    return json.loads(lines[-1])


class ScriptProcess:
    """A peer script driven line by line: the harness waits for named JSON messages on its stdout."""

    def __init__(
        self, python: Path, script: str, args: Sequence[str] = (), *, peer: bool | None = None
    ) -> None:
        # stderr goes to a file: peers log a lot, and a full pipe nobody reads would block them.
        self._stderr = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self._process = subprocess.Popen(
            [str(python), str(PEER_SCRIPTS / script), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            env=script_environment(python, peer),
        )
        self.script = script

    @property
    def pid(self) -> int:
        return self._process.pid

    def expect(self, event: str, timeout: float = 120.0) -> dict[str, Any]:
        """Read stdout until a JSON line with ``{"event": event}``; non-JSON lines are ignored."""
        assert self._process.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self._process.stdout.readline()
            if not line:
                raise RuntimeError(f"{self.script} ended before {event!r}:\n{self._stderr_tail()}")
            try:
                message = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(message, dict) and message.get("event") == event:
                return message
            if isinstance(message, dict) and message.get("event") == "error":
                raise RuntimeError(f"{self.script}: {message.get('message')}")
        raise TimeoutError(f"{self.script} did not report {event!r} within {timeout:.0f} s")

    def send(self, line: str) -> None:
        assert self._process.stdin is not None
        self._process.stdin.write(line + "\n")
        self._process.stdin.flush()

    def _stderr_tail(self) -> str:
        self._stderr.seek(0)
        return "\n".join(self._stderr.read().strip().splitlines()[-12:])

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait(timeout=10)
        for stream in (self._process.stdin, self._process.stdout):
            if stream is not None:
                stream.close()
        self._stderr.close()
