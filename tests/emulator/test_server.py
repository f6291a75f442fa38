"""The server process: CLI, generated work dir, restart persistence, SIGKILL durability, shutdown."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import urllib3
import yaml

from sympod import Emulator

from .podclient import PodClient


def _start_cli(command: list[str]) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("ready "):
        process.kill()
        raise AssertionError(f"no ready line: {line!r} {process.stderr.read() if process.stderr else ''}")
    return process, line.split()[1]


def _stop(process: subprocess.Popen[str]) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=15)


@pytest.mark.parametrize("command", [[sys.executable, "-m", "sympod"], ["symbot", "pod"]])
def test_cli_writes_the_work_dir_and_stops_on_sigterm(tmp_path: Path, command: list[str]) -> None:
    process, url = _start_cli([*command, "--port", "0", "--workdir", str(tmp_path)])
    try:
        assert url.startswith("https://127.0.0.1:")
        port = int(url.rsplit(":", 1)[1])
        for name in (
            "ca.pem",
            "rsa/bot-private.pem",
            "rsa/bot-public.pem",
            "bot-config.json",
            "bdk-config.yaml",
        ):
            assert (tmp_path / name).is_file(), name
        assert (tmp_path / "rsa/bot-private.pem").stat().st_mode & 0o077 == 0  # secret: owner only
        legacy = json.loads((tmp_path / "bot-config.json").read_text())
        for key in ("sessionAuth", "keyAuth", "pod", "agent"):
            assert legacy[f"{key}Host"] == "127.0.0.1" and legacy[f"{key}Port"] == port
        assert legacy["botUsername"] == "bot"
        assert Path(legacy["botPrivateKeyPath"], legacy["botPrivateKeyName"]).is_file()
        assert Path(legacy["truststorePath"]).is_file()
        assert legacy["datafeedVersion"] == "v2"
        bdk = yaml.safe_load((tmp_path / "bdk-config.yaml").read_text())
        assert (bdk["scheme"], bdk["host"], bdk["port"]) == ("https", "127.0.0.1", port)
        assert Path(bdk["bot"]["privateKey"]["path"]).is_file()
        assert Path(bdk["ssl"]["trustStore"]["path"]).is_file()
    finally:
        started = time.monotonic()
        assert _stop(process) == 0
        assert time.monotonic() - started < 10


def test_cli_http_mode_and_bad_flags(tmp_path: Path) -> None:
    process, url = _start_cli(
        [sys.executable, "-m", "sympod", "--port", "0", "--http", "--workdir", str(tmp_path)]
    )
    try:
        assert url.startswith("http://")
        legacy = json.loads((tmp_path / "bot-config.json").read_text())
        assert legacy["scheme"] == "http"
        assert yaml.safe_load((tmp_path / "bdk-config.yaml").read_text())["scheme"] == "http"
    finally:
        _stop(process)
    bad = subprocess.run([sys.executable, "-m", "sympod", "--port", "70000"], capture_output=True, text=True)
    assert bad.returncode != 0 and "--port" in bad.stderr


def test_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    with Emulator(workdir=tmp_path / "a") as running:
        port = str(running.port)
        result = subprocess.run(
            [sys.executable, "-m", "sympod", "--port", port, "--workdir", str(tmp_path / "b")],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode != 0 and f"cannot listen on 127.0.0.1:{port}" in result.stderr


def test_restart_keeps_users_streams_messages_and_tokens(tmp_path: Path) -> None:
    with Emulator(workdir=tmp_path) as emulator:
        bot_key = emulator.bot_private_key_path.read_bytes()
        emulator.create_user("alice")
        message = emulator.send_message("alice", "remember me", to="bot")
        port = emulator.port
    with Emulator(workdir=tmp_path, port=port) as emulator:
        assert emulator.bot_private_key_path.read_bytes() == bot_key
        assert emulator.get_user("alice")["username"] == "alice"
        history = emulator.stream_messages(message["stream"]["streamId"])
        assert [m["messageId"] for m in history] == [message["messageId"]]
        relogged = PodClient(emulator).login_bot(emulator)
        assert relogged.request("GET", "/pod/v2/sessioninfo").status == 200


def test_tokens_survive_a_restart(tmp_path: Path) -> None:
    with Emulator(workdir=tmp_path) as emulator:
        tokens = PodClient(emulator).login_bot(emulator)
        port = emulator.port
    with Emulator(workdir=tmp_path, port=port) as emulator:
        client = PodClient(emulator)
        client.session_token, client.km_token = tokens.session_token, tokens.km_token
        assert client.request("GET", "/pod/v2/sessioninfo").status == 200


def test_sigkill_mid_traffic_loses_nothing_acknowledged(tmp_path: Path) -> None:
    emulator = Emulator(workdir=tmp_path, mode="subprocess")
    emulator.start()
    emulator.create_user("alice")
    stream_id = emulator.send_message("alice", "first", to="bot")["stream"]["streamId"]
    acknowledged: list[str] = []
    stop = threading.Event()

    def traffic() -> None:
        client = PodClient(emulator)
        for index in range(5000):  # bounded
            if stop.is_set():
                return
            body = {"from": "alice", "message": f"m{index}", "streamId": stream_id}
            try:
                reply = client.request("POST", "/_emulator/messages", json_body=body)
            except urllib3.exceptions.HTTPError:  # the server died under us: expected
                return
            if reply.status != 200:
                return
            acknowledged.append(reply.json["messageId"])

    worker = threading.Thread(target=traffic)
    worker.start()
    deadline = time.monotonic() + 10
    while len(acknowledged) < 100 and time.monotonic() < deadline:
        time.sleep(0.01)
    emulator.kill()
    stop.set()
    worker.join(timeout=10)
    assert len(acknowledged) >= 100
    restarted = Emulator(workdir=tmp_path, port=emulator.port)
    with restarted:
        stored = {m["messageId"] for m in restarted.stream_messages(stream_id)}
    missing = [mid for mid in acknowledged if mid not in stored]
    assert not missing, f"{len(missing)} acknowledged messages lost"


def test_emulator_subprocess_mode_and_stop(tmp_path: Path) -> None:
    emulator = Emulator(workdir=tmp_path, mode="subprocess")
    with emulator:
        assert emulator.health() == {"status": "ok"}
        pid_alive = emulator.running
    assert pid_alive and not emulator.running
    with pytest.raises(ValueError, match="mode"):
        Emulator(mode="fork")


def test_owned_workdir_is_removed_on_close() -> None:
    emulator = Emulator()
    emulator.start()
    workdir = emulator.workdir
    assert (workdir / "pod.db").exists()
    emulator.close()
    assert not workdir.exists()
    assert os.environ.get("SYMPOD_NEVER_SET") is None


def test_emulator_over_plain_http(tmp_path: Path) -> None:
    with Emulator(workdir=tmp_path, http=True) as emulator:
        assert emulator.url.startswith("http://127.0.0.1:")
        client = PodClient(emulator).login_bot(emulator)
        assert client.request("GET", "/pod/v2/sessioninfo").json["username"] == "bot"
        cert_auth = client.request("POST", "/sessionauth/v1/authenticate", auth=False)
        assert cert_auth.status == 401 and "HTTPS" in cert_auth.error()["message"]


def test_serve_freezes_the_start_up_heap_once_ready(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from sympod import cli, server

    frozen_when_ready: list[int] = []

    class FakeServer:
        url = "https://127.0.0.1:1"

        def __init__(self, on_ready) -> None:  # type: ignore[no-untyped-def]
            self._on_ready = on_ready

        def run(self) -> None:
            self._on_ready()
            frozen_when_ready.append(gc.get_freeze_count())

    monkeypatch.setattr(server, "build_server", lambda *a, on_ready, **k: FakeServer(on_ready))
    monkeypatch.setattr(cli.signal, "signal", lambda *a: None)
    assert gc.get_freeze_count() == 0
    try:
        cli.serve(workdir=tmp_path)
    finally:
        gc.unfreeze()
    assert frozen_when_ready and frozen_when_ready[0] > 10_000  # modules, classes, routes...
