"""The benchmark scenarios, in the order the harness runs and reports them."""

from __future__ import annotations

from collections.abc import Callable

from ..context import RunContext
from ..results import ScenarioResult
from . import datafeed, emulator, memory, parser, send, startup

Scenario = Callable[[RunContext], ScenarioResult]

SCENARIOS: dict[str, Scenario] = {
    "startup": startup.run,
    "datafeed": datafeed.run,
    "send": send.run,
    "parser": parser.run,
    "memory": memory.memory,
    "scaling": memory.scaling,
    "emulator": emulator.run,
}
