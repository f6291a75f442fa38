"""pytest plugin (entry point ``pytest11``): test a bot against a local pod emulator.

Fixtures:
- ``symphony_pod``: a :class:`~sym_api_client_python.testing.SymphonyPod` (one emulator per test
  session on a free port, reset before each test);
- ``bot_config``: path of a bot-config.json for the bot user of that pod;
- ``user_factory``: ``user_factory("jane", display_name="Jane Doe")`` creates a user;
- ``bot_runner``: ``bot_runner.start(bot)`` runs a ``Bot``/``AsyncBot`` (or legacy datafeed service)
  in the background until the test ends.

``SYMPHONY_TEST_CONFIG=RSA:path/to/config.json`` (the legacy SDK's convention) points the tests at a
real pod instead: ``bot_config`` returns that file and tests that need the emulator's control API
(``symphony_pod``, ``user_factory``) are skipped with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # pragma: no cover
    from sympod import Emulator

    from .pod import SymphonyPod
    from .runner import BotRunner

ENV_VAR = "SYMPHONY_TEST_CONFIG"
_AUTH_MODES = ("RSA", "CERT")
TEST_LONG_POLL_S = 0.5


@dataclass(frozen=True)
class RealPodConfig:
    """What ``SYMPHONY_TEST_CONFIG`` names: the auth mode and the config file of a real pod."""

    auth: str
    path: Path


def real_pod_config(environ: dict[str, str] | None = None) -> RealPodConfig | None:
    """Parse ``SYMPHONY_TEST_CONFIG`` (``RSA:path`` or ``CERT:path``); None when unset or empty.

    The path may contain ':' (Windows drive letters): only the first ':' separates the mode.
    """
    value = (environ if environ is not None else os.environ).get(ENV_VAR, "").strip()
    if not value:
        return None
    mode, separator, path = value.partition(":")
    if not separator or not path:
        raise pytest.UsageError(f"{ENV_VAR}={value!r}: expected RSA:<config path> or CERT:<config path>")
    if mode.upper() not in _AUTH_MODES:
        raise pytest.UsageError(f"{ENV_VAR}={value!r}: unknown auth mode {mode!r} (expected RSA or CERT)")
    config_path = Path(path).expanduser()
    if not config_path.is_file():
        raise pytest.UsageError(f"{ENV_VAR}: config file {config_path} does not exist")
    return RealPodConfig(mode.upper(), config_path.resolve())


def _skip_on_real_pod(what: str) -> None:
    config = real_pod_config()
    if config is not None:
        pytest.skip(
            f"{ENV_VAR} points at a real pod ({config.path}); {what} needs the emulator's control API"
        )


# fixtures of this kit that need the emulator's control API; projects add theirs with the ini option
_EMULATOR_FIXTURES = ("symphony_pod", "symphony_emulator", "user_factory")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini(
        "symphony_emulator_fixtures",
        type="linelist",
        default=[],
        help="extra fixture names that need the sympod emulator: tests using them are skipped when "
        f"{ENV_VAR} points at a real pod",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    real_pod = real_pod_config()
    if real_pod is None:
        return
    emulator_fixtures = {*_EMULATOR_FIXTURES, *config.getini("symphony_emulator_fixtures")}
    for item in items:
        used = emulator_fixtures.intersection(getattr(item, "fixturenames", ()))
        if used:
            reason = (
                f"{ENV_VAR} points at a real pod ({real_pod.path}); "
                f"{', '.join(sorted(used))} needs the emulator's control API"
            )
            item.add_marker(pytest.mark.skip(reason=reason))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "emulator_only: the test drives the pod through the emulator's control API"
    )
    real_pod_config()  # a malformed SYMPHONY_TEST_CONFIG is a usage error up front, not N skipped tests


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("emulator_only") is not None:
        _skip_on_real_pod(item.name)


@pytest.fixture(scope="session")
def symphony_test_config() -> RealPodConfig | None:
    """The real pod named by ``SYMPHONY_TEST_CONFIG``, or None (tests then use the emulator)."""
    return real_pod_config()


@pytest.fixture(scope="session")
def symphony_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """One running emulator (HTTPS, free port) for the whole session."""
    _skip_on_real_pod("symphony_emulator")
    from sympod import Emulator

    # Short long-polls: a bot asked to stop returns once its in-flight datafeed read does, so tests
    # that start and stop bots stay fast. Delivery is unaffected (events wake a waiting read at once).
    with Emulator(workdir=tmp_path_factory.mktemp("symphony-pod"), long_poll=TEST_LONG_POLL_S) as emulator:
        yield emulator


@pytest.fixture
def symphony_pod(symphony_emulator: Emulator) -> SymphonyPod:
    """The session's emulator, emptied (users except the bot, streams, messages, faults)."""
    from .pod import SymphonyPod

    symphony_emulator.reset()
    return SymphonyPod(symphony_emulator)


@pytest.fixture
def bot_config(request: pytest.FixtureRequest, symphony_test_config: RealPodConfig | None) -> Path:
    """Path of the bot's config: the real pod's when ``SYMPHONY_TEST_CONFIG`` is set, else the emulator's."""
    if symphony_test_config is not None:
        return symphony_test_config.path
    pod: SymphonyPod = request.getfixturevalue("symphony_pod")
    return pod.bot_config_path


@pytest.fixture
def user_factory(symphony_pod: SymphonyPod) -> Callable[..., dict[str, Any]]:
    """``user_factory(username=None, display_name=None, email=None, bot=False)`` → the new user."""
    return symphony_pod.create_user


@pytest.fixture
def bot_runner(
    request: pytest.FixtureRequest, symphony_test_config: RealPodConfig | None
) -> Iterator[BotRunner]:
    """Runs bots in the background for this test and stops them (re-raising their crashes) after it."""
    from .runner import BotRunner

    if symphony_test_config is None:
        pod: SymphonyPod = request.getfixturevalue("symphony_pod")
        runner = BotRunner(lambda: pod.datafeed_ids(pod.bot))
    else:
        runner = BotRunner()
    yield runner
    runner.stop_all()
