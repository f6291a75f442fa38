"""Unmodified legacy 1.3.7 and BDK 3.0.0 bots against the emulator: RSA login, datafeed v1 and v2,
a message from a user, the bot's reply, and an Elements form submission."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from sympod import Emulator

pytestmark = [pytest.mark.peers, pytest.mark.timeout(300)]

SCRIPTS = Path(__file__).resolve().parent / "scripts"
FORM = (
    '<messageML><form id="peer-form"><text-field name="answer" placeholder="?"/>'
    '<button name="send" type="action">Send</button></form></messageML>'
)


def _peer_python(name: str) -> Path:
    try:
        from benchmarks.peers import PeerUnavailable, ensure_peer_venv
    except ImportError as exc:  # pragma: no cover - the benchmarks package ships with the repo
        pytest.skip(f"benchmarks.peers is not available: {exc}")
    try:
        return ensure_peer_venv(name)
    except PeerUnavailable as exc:
        pytest.skip(f"peer SDK {name!r} unavailable (PyPI unreachable?): {exc}")


def _environment() -> dict[str, str]:
    from benchmarks.peers import peer_environment

    return peer_environment()


class PeerProcess:
    """The peer bot subprocess, its JSON lines collected by a reader thread."""

    def __init__(self, command: list[str]) -> None:
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_environment()
        )
        self.lines: list[dict[str, Any]] = []
        self._stderr: list[str] = []
        self._readers = [
            threading.Thread(target=self._read_stdout, daemon=True),
            threading.Thread(target=self._read_stderr, daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("{"):
                self.lines.append(json.loads(line))

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self._stderr.append(line)

    def wait_until(self, what: str, condition: Callable[[], Any], timeout: float = 90) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            if self.process.poll() is not None:
                # the peer may print its last line and exit between two checks: read its output
                # to the end (the readers stop at EOF) before deciding it never came
                for reader in self._readers:
                    reader.join(timeout=5)
                value = condition()
                if value:
                    return value
                raise AssertionError(
                    f"peer exited ({self.process.returncode}) before {what}:\n{self.stderr()}"
                )
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}:\n{self.stderr()}")

    def event(self, name: str) -> dict[str, Any] | None:
        return next((line for line in self.lines if line.get("event") == name), None)

    def stderr(self) -> str:
        return "".join(self._stderr[-40:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


def _legacy_config(pod: Emulator, tmp_path: Path, version: str) -> Path:
    config = json.loads(pod.bot_config_path.read_text())
    config["datafeedVersion"] = version
    config["datafeedIdFilePath"] = str(tmp_path)
    path = tmp_path / "bot-config.json"
    path.write_text(json.dumps(config))
    return path


def _bdk_config(pod: Emulator, tmp_path: Path, version: str) -> Path:
    config = yaml.safe_load(pod.bdk_config_path.read_text())
    config["datafeed"] = {"version": version, "idFilePath": str(tmp_path)}
    path = tmp_path / "bdk-config.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def _converse(pod: Emulator, peer: PeerProcess, version: int) -> dict[str, Any]:
    """Drive the conversation once the bot's datafeed exists; returns the peer's final JSON line."""
    peer.wait_until(
        f"a v{version} datafeed of the bot",
        lambda: any(feed["version"] == version for feed in pod.datafeeds("bot")),
    )
    pod.create_user("alice", display_name="Alice Peer", email="alice@peer.test")
    im = pod.send_message("alice", "<messageML>ping</messageML>", to="bot")["stream"]["streamId"]
    peer.wait_until(
        "the bot's reply",
        lambda: any(
            "pong" in m["message"] and m["user"]["username"] == "bot" for m in pod.stream_messages(im)
        ),
    )
    form = pod.send_message("bot", FORM, stream_id=im)
    pod.submit_form("alice", form["messageId"], "peer-form", {"answer": "42", "action": "send"})
    result = peer.wait_until("the Elements submission", lambda: peer.event("elements"))
    assert result["formId"] == "peer-form"
    assert result["initiator"] == "alice"
    assert result["streamId"] == im
    assert any("ping" in message for message in result["messages"])
    return result


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_legacy_bot_end_to_end(pod: Emulator, tmp_path: Path, version: str) -> None:
    python = _peer_python("legacy")
    peer = PeerProcess(
        [str(python), str(SCRIPTS / "legacy_bot.py"), str(_legacy_config(pod, tmp_path, version))]
    )
    try:
        result = _converse(pod, peer, int(version[1]))
        assert result["action"] == "send"
        assert result["values"]["answer"] == "42"
        assert result["actionStreamId"] == result["streamId"]
    finally:
        peer.stop()


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_bdk_bot_end_to_end(pod: Emulator, tmp_path: Path, version: str) -> None:
    python = _peer_python("bdk")
    peer = PeerProcess([str(python), str(SCRIPTS / "bdk_bot.py"), str(_bdk_config(pod, tmp_path, version))])
    try:
        result = _converse(pod, peer, int(version[1]))
        assert result["values"] == {"answer": "42", "action": "send"}
    finally:
        peer.stop()
