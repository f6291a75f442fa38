"""Render results: a plain-text table for the terminal and docs/benchmarks.md."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .machine import MachineInfo
from .results import ScenarioResult, format_value


def _figure_rows(result: ScenarioResult) -> list[tuple[str, str, str, str, str, str]]:
    rows = []
    for figure in result.figures:
        rows.append(
            (
                figure.metric,
                figure.subject,
                f"{format_value(figure.min)}",
                f"{format_value(figure.median)}",
                f"{format_value(figure.max)}",
                f"{figure.unit} (n={len(figure.samples)})",
            )
        )
    for missing in result.unavailable:
        rows.append((missing.metric, missing.subject, "n/a", "", "", _short(missing.reason)))
    return rows


def _short(reason: str, limit: int = 110) -> str:
    first_line = reason.strip().splitlines()[0] if reason.strip() else reason
    return first_line if len(first_line) <= limit else first_line[: limit - 1] + "…"


def _ratio_rows(result: ScenarioResult) -> list[tuple[str, str, str, str]]:
    rows = []
    for comparison in result.comparisons():
        advantage = comparison.advantage
        verdict = f"{advantage:.2f}x better" if advantage >= 1 else f"{1 / advantage:.2f}x worse"
        rows.append(
            (
                comparison.metric,
                f"{comparison.ours.subject} / {comparison.peer.subject}",
                f"{comparison.ratio:.3g}",
                verdict,
            )
        )
    return rows


def text_table(results: Sequence[ScenarioResult]) -> str:
    lines: list[str] = []
    for result in results:
        lines.append(f"\n== {result.title}")
        if result.error:
            lines.append(f"   scenario failed: {result.error}")
        rows = _figure_rows(result)
        if rows:
            widths = [max(len(row[i]) for row in rows) for i in range(6)]
            header = ("metric", "subject", "min", "median", "max", "unit")
            widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
            for row in (header, *rows):
                lines.append(
                    "   " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
                )
        for metric, pair, ratio, verdict in _ratio_rows(result):
            lines.append(f"   ratio {pair} on {metric}: {ratio} ({verdict})")
        for target in result.targets:
            state = {True: "met", False: "MISSED", None: "n/a"}[target.met]
            lines.append(f"   target {target.description}: {target.actual} [{state}]")
    return "\n".join(lines)


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def markdown(
    results: Sequence[ScenarioResult],
    *,
    machine: MachineInfo,
    versions: dict[str, str],
    repeats: int,
    quick: bool,
    started: dt.datetime,
    duration_s: float,
    notes: Sequence[str] = (),
) -> str:
    out: list[str] = [
        "# Benchmarks",
        "",
        "Written by `python -m benchmarks` (see *Reproduce* below); do not edit by hand. Every subject runs "
        "against the same emulator (`symbot pod` in its own process, loopback, HTTPS) in the same run.",
        "",
        "## Run",
        "",
        f"- Date: {started.strftime('%Y-%m-%d %H:%M UTC')}, {duration_s / 60:.1f} min",
        f"- Mode: {'quick (reduced sizes)' if quick else 'full'}, {repeats} repeats per figure "
        "unless a row says otherwise (n = samples)",
        *machine.lines(),
        "- Versions: " + ", ".join(f"{name} {version}" for name, version in versions.items()),
        *[f"- {note}" for note in notes],
        "",
        "Figures are min / median / max over the repeats. Ratios are ours / peer of the medians; "
        '"better" accounts for the direction of the metric (time and memory: lower; rates: higher).',
        "",
    ]
    for result in results:
        out += [f"## {result.title}", ""]
        if result.error:
            out += [f"Scenario failed: `{_md_escape(result.error)}`", ""]
        rows = _figure_rows(result)
        if rows:
            out += ["| metric | subject | min | median | max | unit |", "|---|---|---:|---:|---:|---|"]
            out += ["| " + " | ".join(_md_escape(cell) for cell in row) + " |" for row in rows]
            out.append("")
        ratios = _ratio_rows(result)
        if ratios:
            out += ["| metric | ours / peer | ratio | verdict |", "|---|---|---:|---|"]
            out += ["| " + " | ".join(_md_escape(cell) for cell in row) + " |" for row in ratios]
            out.append("")
        if result.targets:
            out += ["| target | measured | status |", "|---|---|---|"]
            for target in result.targets:
                state = {True: "met", False: "**missed**", None: "n/a"}[target.met]
                out.append(f"| {_md_escape(target.description)} | {target.actual} | {state} |")
            out.append("")
        out += [f"{note}" for note in result.notes]
        out.append("")
    out += [
        "## Reproduce",
        "",
        "```",
        "pip install -e '.[test,dev]'",
        "python -m benchmarks                 # full run, rewrites this file",
        "python -m benchmarks --quick         # < 2 minutes, prints the table only",
        "python -m benchmarks --only send --repeats 3",
        "```",
        "",
        "The peers are installed by `benchmarks/peers.py` in cached virtualenvs under "
        "`~/.cache/sym-peers` (`$SYM_PEERS_CACHE`): `sym-api-client-python==1.3.7` (plus "
        "`MarkupSafe<2.1`, without which its Jinja2 2.11 cannot be imported on current Python) and "
        "`symphony-bdk-python==3.0.0` with its own pins. Peer code runs in subprocesses of those "
        "interpreters (`benchmarks/peer_scripts/`).",
        "",
    ]
    return "\n".join(out)
