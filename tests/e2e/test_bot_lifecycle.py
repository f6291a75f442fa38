"""``bot.run()`` in a real process: Ctrl-C (SIGINT) and SIGTERM stop the bot cleanly, after the
handler in flight finished, for Bot and AsyncBot."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

SCRIPT = textwrap.dedent(
    """
    import sys, threading, time
    from sym_api_client_python.bot import AsyncBot, Bot

    kind, config = sys.argv[1], sys.argv[2]
    if kind == "legacy":  # main_RSA.py wiring with a slow IM listener
        from sym_api_client_python.auth.rsa_auth import SymBotRSAAuth
        from sym_api_client_python.clients.sym_bot_client import SymBotClient
        from sym_api_client_python.configure.configure import SymConfig
        from sym_api_client_python.listeners.im_listener import IMListener

        class Slow(IMListener):
            def on_im_message(self, message):
                print("handling", message["messageId"], flush=True)
                time.sleep(1.0)
                print("handled", message["messageId"], flush=True)

        configure = SymConfig(config)
        configure.load_config()
        auth = SymBotRSAAuth(configure)
        auth.authenticate()
        service = SymBotClient(auth, configure).get_datafeed_event_service()
        service.add_im_listener(Slow())

        def announce_legacy():
            while service.datafeed_id is None:
                time.sleep(0.02)
            print("ready", flush=True)

        threading.Thread(target=announce_legacy, daemon=True).start()
        try:
            service.start_datafeed()
        except KeyboardInterrupt:
            print("interrupted after a graceful stop", flush=True)
        sys.exit(0)
    bot = (AsyncBot if kind == "async" else Bot)(config, max_backoff=0.5)

    @bot.on_message()
    def slow(ctx):
        print("handling", ctx.text, flush=True)
        time.sleep(1.0)          # still running when the signal arrives
        print("handled", ctx.text, flush=True)

    def announce():
        while bot.feed_id is None:
            time.sleep(0.02)
        print("ready", flush=True)

    threading.Thread(target=announce, daemon=True).start()
    bot.run()
    print("stopped cleanly", flush=True)
    """
)


@pytest.mark.parametrize(
    ("kind", "sig"), [("sync", signal.SIGINT), ("async", signal.SIGTERM), ("legacy", signal.SIGINT)]
)
def test_run_stops_cleanly_on_signals(
    pod: Any, bot_config_file: Path, tmp_path: Path, kind: str, sig: int
) -> None:
    script = tmp_path / "bot.py"
    script.write_text(SCRIPT)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen(
        [sys.executable, str(script), kind, str(bot_config_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    lines: list[str] = []
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        while line and not line.startswith("ready"):
            lines.append(line)
            line = process.stdout.readline()
        assert line.startswith("ready"), "".join(lines)
        pod.create_user("gus", "Gus G")
        pod.send_message("gus", "work", to=pod.bot["userId"])
        assert process.stdout.readline().startswith("handling")
        started = time.monotonic()
        process.send_signal(sig)
        output, _ = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert "handled" in output, output  # the in-flight handler finished
    ending = "interrupted after a graceful stop" if kind == "legacy" else "stopped cleanly"
    assert output.rstrip().endswith(ending), output
    assert "Traceback" not in output, output
    assert time.monotonic() - started < 10
