"""(a) Import time and idle RSS of a configured, authenticated bot: ours, BDK 3.0.0, legacy 1.3.7."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from ..context import RunContext, python_for, run_script, script_environment
from ..peers import PeerUnavailable
from ..results import ComponentMissing, ScenarioResult

LEGACY_IMPORT = (
    "from sym_api_client_python.configure.configure import SymConfig; "
    "from sym_api_client_python.auth.rsa_auth import SymBotRSAAuth; "
    "from sym_api_client_python.clients.sym_bot_client import SymBotClient; "
    "from sym_api_client_python.datafeed_event_service import DataFeedEventService"
)
# subject -> (interpreter owner, statement a bot needs to start)
IMPORTS: dict[str, tuple[str, str]] = {
    "ours (Bot)": ("ours", "from sym_api_client_python import Bot"),
    "ours (legacy API)": ("ours", LEGACY_IMPORT),
    "legacy": ("legacy", LEGACY_IMPORT),
    "bdk": ("bdk", "from symphony.bdk.core.symphony_bdk import SymphonyBdk"),
}
_IMPORTTIME_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def importtime_cumulative_s(python: Path, statement: str) -> float:
    """Cumulative ``-X importtime`` of ``statement``, without the interpreter's own start-up imports."""
    return _importtime_total_s(python, statement) - _importtime_total_s(python, "pass")


def _importtime_total_s(python: Path, statement: str) -> float:
    """Sum of the cumulative times of the top-level imports that ``python -X importtime`` reports."""
    completed = subprocess.run(
        [str(python), "-X", "importtime", "-c", statement],
        capture_output=True,
        text=True,
        env=script_environment(python),
        timeout=120,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(completed.stderr.strip().splitlines()[-1])
    total_us = 0
    for line in completed.stderr.splitlines():
        match = _IMPORTTIME_LINE.match(line)
        if match and match.group(3) == " ":  # one space of indent: imported by the statement itself
            total_us += int(match.group(2))
    return total_us / 1e6


def run(ctx: RunContext) -> ScenarioResult:
    result = ScenarioResult("startup", "(a) Import time and idle memory")
    repeats = 1 if ctx.quick else ctx.repeats
    for subject, (owner, statement) in IMPORTS.items():
        try:
            python = python_for(ctx, owner)
            wall = []
            cumulative = []
            for _ in range(repeats):
                wall.append(run_script(python, "import_probe.py", [statement])["seconds"])
                cumulative.append(importtime_cumulative_s(python, statement))
        except PeerUnavailable as exc:
            result.mark_unavailable("import wall time", subject, f"peer unavailable: {exc}")
            continue
        except RuntimeError as exc:
            result.mark_unavailable("import wall time", subject, f"n/a (component missing): {exc}")
            continue
        result.add_figure("import wall time", subject, "s", wall)
        result.add_figure("import -X importtime cumulative", subject, "s", cumulative)

    idle_scripts = {
        "ours": ("ours", "ours_idle.py", "bot_config_path"),
        "ours (legacy API)": ("ours", "legacy_idle.py", "bot_config_path"),
        "legacy": ("legacy", "legacy_idle.py", "bot_config_path"),
        "bdk": ("bdk", "bdk_idle.py", "bdk_config_path"),
    }
    for subject, (owner, script, config_attribute) in idle_scripts.items():
        try:
            pod = ctx.pod()
            python = python_for(ctx, owner)
            config = str(getattr(pod, config_attribute))
            samples = [run_script(python, script, [config]) for _ in range(repeats)]
        except PeerUnavailable as exc:
            result.mark_unavailable("idle RSS, authenticated bot", subject, f"peer unavailable: {exc}")
            continue
        except (ComponentMissing, RuntimeError) as exc:
            result.mark_unavailable("idle RSS, authenticated bot", subject, f"n/a (component missing): {exc}")
            continue
        result.add_figure("idle RSS, authenticated bot", subject, "MB", [s["rss_mb"] for s in samples])
        # import + config + login together: a lazy-importing SDK pays part of its import at login
        result.add_figure(
            "import + config + login", subject, "s", [s["import_s"] + s["ready_s"] for s in samples]
        )
    result.check("ours import ≤ 0.15 s", "import wall time", "ours (Bot)", at_most=0.15)
    result.check("ours idle RSS ≤ 35 MB", "idle RSS, authenticated bot", "ours", at_most=35)
    result.notes.append(
        "Import wall time: perf_counter around the statement in a fresh interpreter (.pyc warm). "
        "Cumulative: `-X importtime` top-level entries of the statement minus those of `pass`. Idle RSS: "
        "VmRSS after config load and RSA login (session + key manager) and a session-info call, before "
        "the datafeed starts. Subjects: ours (Bot) = `from sym_api_client_python import Bot`; ours "
        "(legacy API) = the legacy README's imports run on our package; legacy = the same on 1.3.7; "
        "bdk = `SymphonyBdk`."
    )
    return result
