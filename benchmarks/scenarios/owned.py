"""Bridge to the benchmark modules other parts of the project own (bench_send, bench_datafeed...).

Each exposes ``run(...)``; we pass the keyword arguments its signature accepts out of a fixed set
(the shared emulator, quick flag, repeats, sizes) and turn a missing module into
:class:`ComponentMissing`, so a scenario reports "n/a (component missing)" instead of failing.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Mapping
from typing import Any

from ..context import RunContext
from ..results import ComponentMissing


def call_owned(module_name: str, ctx: RunContext, *, share_pod: bool = True, **extra: Any) -> Any:
    """Call ``benchmarks.<module_name>.run`` with the arguments it accepts.

    ``share_pod=False`` lets the module start its own emulator (for modules whose protocol resets or
    reconfigures the pod in ways the other scenarios must not see).
    """
    try:
        module = importlib.import_module(f"benchmarks.{module_name}")
    except ImportError as exc:
        raise ComponentMissing(f"benchmarks/{module_name}.py is not there yet ({exc})") from exc
    runner = getattr(module, "run", None)
    if not callable(runner):
        raise ComponentMissing(f"benchmarks/{module_name}.py has no run()")
    offered: dict[str, Any] = {"quick": ctx.quick, "repeats": ctx.repeats, **extra}
    parameters = inspect.signature(runner).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return runner(**offered)
    if share_pod and ("pod" in parameters or "emulator" in parameters):
        pod = ctx.pod()
        offered.setdefault("pod", pod)
        offered.setdefault("emulator", pod)
    if share_pod and "url" in parameters:
        offered.setdefault("url", ctx.pod().url)
    return runner(**{name: value for name, value in offered.items() if name in parameters})


def numbers(value: Any, prefix: str = "") -> dict[str, float]:
    """Flatten a nested result into ``{"a.b": number}``; lists of numbers become ``a.b[0]``, ``a.b[1]``."""
    flat: dict[str, float] = {}
    if isinstance(value, Mapping):
        for key, item in value.items():
            flat.update(numbers(item, f"{prefix}{key}."))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        flat[prefix.rstrip(".")] = float(value)
    elif isinstance(value, (list, tuple)):  # repeated samples: "rate[0]", "rate[1]"...
        for index, item in enumerate(value):
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                flat[f"{prefix.rstrip('.')}[{index}]"] = float(item)
    elif hasattr(value, "__dict__") and not isinstance(value, type):
        flat.update(numbers(vars(value), prefix))
    return flat
