"""Every Python snippet of the legacy SDK's README, run against the emulator.

The snippets are stored verbatim in ``snippets/*.snippet`` (checked against the README when it is
available). They run unchanged: the test lays out the directories they assume (``../resources/
config.json`` next to the working directory, ``./logs/``, a package for the relative import of the
Elements snippet) and writes the emulator's config there with absolute paths. The only edits are
the ones the README leaves to the reader, each named where it is made: the ``#do something``
placeholder gets a statement, and the async "key changes" are spliced into the RSA main.
"""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest

from sym_api_client_python.testing import SymphonyPod

pytestmark = [pytest.mark.emulator_only, pytest.mark.slow]

SNIPPETS = Path(__file__).parent / "snippets"
README = Path(__file__).resolve().parents[3] / "shared" / "seed" / "legacy-sdk-README.md"


def snippet(name: str) -> str:
    return (SNIPPETS / f"{name}.snippet").read_text()


def test_stored_snippets_are_verbatim_copies_of_the_readme() -> None:
    if not README.exists():
        pytest.skip(f"the legacy README is not available at {README}")
    readme = README.read_text()
    for path in SNIPPETS.glob("*.snippet"):
        text = path.read_text().strip()
        indented = textwrap.indent(text, "    ").replace("\n    \n", "\n\n")
        if path.stem in ("main_async_changes",):
            indented = textwrap.indent(text, "        ").replace("\n        \n", "\n\n")
        assert text in readme or indented in readme, f"{path.name} differs from the README"


def _legacy_layout(root: Path, pod: SymphonyPod, *, cert: bool = False) -> Path:
    """``root/resources/config.json`` (absolute paths) and ``root/bot/logs``; returns ``root/bot``."""
    settings = json.loads(pod.bot_config_path.read_text())
    base = pod.bot_config_path.parent
    settings["truststorePath"] = str(base / settings["truststorePath"])
    if cert:
        bundle = pod.emulator.issue_certificate(pod.bot["username"], "s3cret")
        (root / "certs").mkdir(parents=True)
        (root / "certs" / "bot.p12").write_bytes(base64.b64decode(bundle["pkcs12"]))
        settings.pop("botPrivateKeyPath")
        settings.pop("botPrivateKeyName")
        settings.update(
            {"botCertPath": str(root / "certs"), "botCertName": "bot.p12", "botCertPassword": "s3cret"}
        )
    else:
        settings["botPrivateKeyPath"] = str(base / settings["botPrivateKeyPath"]) + "/"
    (root / "resources").mkdir(parents=True, exist_ok=True)
    (root / "resources" / "config.json").write_text(json.dumps(settings, indent=2))
    workdir = root / "bot"
    (workdir / "logs").mkdir(parents=True)
    return workdir


class Script:
    def __init__(self, process: subprocess.Popen[str], output: Path) -> None:
        self.process, self.output_path = process, output

    def output(self) -> str:
        return self.output_path.read_text(errors="replace")


@pytest.fixture
def run_script(symphony_pod: SymphonyPod) -> Iterator[object]:
    started: list[Script] = []

    def run(workdir: Path, source: str, name: str = "main.py") -> Script:
        (workdir / name).write_text(source)
        feeds_before = symphony_pod.datafeed_ids(symphony_pod.bot)
        output = workdir / "output.txt"
        with output.open("w") as sink:
            process = subprocess.Popen(
                [sys.executable, name],
                cwd=workdir,
                stdout=sink,
                stderr=subprocess.STDOUT,
                text=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        script = Script(process, output)
        started.append(script)
        deadline = time.monotonic() + 30
        while not (symphony_pod.datafeed_ids(symphony_pod.bot) - feeds_before):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"{name} did not open its datafeed:\n{script.output()}")
            time.sleep(0.05)
        return script

    yield run
    for script in started:
        if script.process.poll() is None:
            script.process.send_signal(signal.SIGINT)
            try:
                script.process.wait(3)
            except subprocess.TimeoutExpired:
                script.process.kill()
                script.process.wait()


def test_example_main_class_rsa(tmp_path: Path, symphony_pod: SymphonyPod, run_script: object) -> None:
    workdir = _legacy_layout(tmp_path, symphony_pod)
    script = run_script(workdir, snippet("main_rsa"))  # type: ignore[operator]
    chat = symphony_pod.im(symphony_pod.create_user("jane", display_name="Jane Doe"))
    chat.send("Hello bot")
    assert chat.next_reply(timeout=10).text == "Hello Jane Doe, hope you are doing well!"
    assert "Python Client runs using RSA authentication\nStarting datafeed" in script.output()
    assert "DEBUG" in (workdir / "logs" / "example.log").read_text()


def test_example_main_class_certificate(
    tmp_path: Path, symphony_pod: SymphonyPod, run_script: object
) -> None:
    workdir = _legacy_layout(tmp_path, symphony_pod, cert=True)
    run_script(workdir, snippet("main_certificate"))  # type: ignore[operator]
    room = symphony_pod.room("README", symphony_pod.create_user("jane", display_name="Jane Doe"))
    room.send("Hello room")
    assert room.next_reply(timeout=10).text == "Hello Jane Doe, hope you are doing well!"


def test_elements_listener_and_action_processor(
    tmp_path: Path, symphony_pod: SymphonyPod, run_script: object
) -> None:
    workdir = _legacy_layout(tmp_path, symphony_pod)
    package = workdir / "mybot"
    (package / "processors").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "processors" / "__init__.py").write_text("")
    (package / "elements_listener_test_imp.py").write_text(snippet("elements_listener_test_imp"))
    # the README leaves "#do something" to the reader: our statement answers in the form's stream
    processor = snippet("action_processor").replace(
        "#do something\n",
        "#do something\n                    self.bot_client.get_message_client().send_msg(\n"
        "                        SymElementsParser().get_stream_id(action),\n"
        "                        MessageFormatter().format_message('submit received'))\n",
    )
    (package / "processors" / "action_processor.py").write_text(processor)
    # the README's RSA main, with the Elements listener registered beside the others
    main = snippet("main_rsa").replace(
        "    # Create and read the datafeed",
        "    from mybot.elements_listener_test_imp import ElementsListenerTestImp\n"
        "    datafeed_event_service.add_elements_listener(ElementsListenerTestImp(bot_client))\n\n"
        "    # Create and read the datafeed",
    )
    run_script(workdir, main)  # type: ignore[operator]
    jane = symphony_pod.create_user("jane")
    room = symphony_pod.room("Forms", jane)
    symphony_pod.emulator.send_message(
        symphony_pod.bot["userId"],
        '<messageML><form id="approve"><text-field name="note"/>'
        '<button name="submit" type="action">Submit</button></form></messageML>',
        stream_id=room.stream_id,
    )
    room.next_reply(timeout=5)  # the form itself
    room.submit_form({"note": "ok"}, action="submit")
    assert room.next_reply(timeout=10).text == "submit received"


def test_async_key_changes_and_async_im_listener(
    tmp_path: Path, symphony_pod: SymphonyPod, run_script: object
) -> None:
    workdir = _legacy_layout(tmp_path, symphony_pod)
    changes = snippet("main_async_changes")
    service_line, rest = changes.split("\n...\n")
    main = snippet("main_rsa")
    main = main.replace(
        "    datafeed_event_service = bot_client.get_datafeed_event_service()\n",
        textwrap.indent(service_line.strip(), "    ") + "\n",
    )
    # the README's listener class, with the imports its module needs
    listener = (
        "import asyncio\nimport logging\n"
        "from sym_api_client_python.listeners.im_listener import IMListener\n"
        "from sym_api_client_python.processors.sym_message_parser import SymMessageParser\n\n"
        + snippet("async_im_listener")
    )
    (workdir / "async_listener.py").write_text(listener)
    blocking_start = "    print('Starting datafeed')\n    datafeed_event_service.start_datafeed()\n"
    main = main.replace(
        "    # Create and read the datafeed\n" + blocking_start,
        "    import asyncio\n" + textwrap.indent(rest.strip(), "    ") + "\n",
    )
    script = run_script(workdir, main)  # type: ignore[operator]
    chat = symphony_pod.im(symphony_pod.create_user("jane", display_name="Jane Doe"))
    chat.send("hello async")
    assert chat.next_reply(timeout=10).text == "Hello Jane Doe, hope you are doing well!"
    deadline = time.monotonic() + 5
    while "Ding" not in script.output() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "Ding" in script.output()

    # the README's AsyncImListenerImp, called with a message the pod delivered
    sys.path.insert(0, str(workdir))
    try:
        import async_listener  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(workdir))
    from sym_api_client_python.loaders import load_from_env_var

    os.environ["README_CONFIG"] = f"RSA:{tmp_path / 'resources' / 'config.json'}"
    try:
        config, auth = load_from_env_var("README_CONFIG")
    finally:
        del os.environ["README_CONFIG"]
    from sym_api_client_python.clients.sym_bot_client import SymBotClient

    listener_instance = async_listener.AsyncImListenerImp(SymBotClient(auth, config))
    message = chat.messages()[0].raw

    async def no_wait(_: float) -> None:
        return None

    # the README's 5 s pause, skipped: only this module's view of asyncio changes (the emulator
    # runs in this process and needs the real asyncio.sleep)
    async_listener.asyncio = SimpleNamespace(sleep=no_wait)

    import asyncio

    asyncio.run(listener_instance.on_im_msg(message))
    assert chat.next_reply(timeout=5).text == "Hello Jane Doe, sorry to keep you waiting!"


def test_windows_proxy_workaround_is_harmless_here() -> None:
    import asyncio

    exec(snippet("windows_proxy_workaround"), {"sys": sys, "asyncio": asyncio})


def test_symphony_test_config_runs_tests_against_the_named_pod(
    tmp_path: Path, symphony_pod: SymphonyPod
) -> None:
    """``SYMPHONY_TEST_CONFIG=RSA:path pytest``: bot_config is that pod's; emulator-only tests skip."""
    (tmp_path / "test_user_suite.py").write_text(
        textwrap.dedent(
            """
            from sym_api_client_python.loaders import load_from_env_var

            def test_authenticates_with_the_named_config(bot_config):
                config, auth = load_from_env_var("SYMPHONY_TEST_CONFIG")
                assert auth.get_session_token()
                assert str(bot_config).endswith("bot-config.json")

            def test_needs_the_control_api(symphony_pod):
                raise AssertionError("must be skipped")

            def test_uses_a_project_emulator_fixture(pod):
                raise AssertionError("must be skipped too (declared in pytest.ini)")
            """
        )
    )
    (tmp_path / "conftest.py").write_text("import pytest\n\n@pytest.fixture\ndef pod():\n    return None\n")
    (tmp_path / "pytest.ini").write_text("[pytest]\nsymphony_emulator_fixtures =\n    pod\n")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "SYMPHONY_TEST_CONFIG": f"RSA:{symphony_pod.bot_config_path}"},
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed, 2 skipped" in result.stdout
    assert re.search(r"SKIPPED .*SYMPHONY_TEST_CONFIG points at a real pod", result.stdout)
