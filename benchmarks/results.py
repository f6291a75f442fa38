"""Result values of a benchmark run: figures (repeated samples), comparisons, targets.

Kept free of I/O so the report writer and the tests can build them by hand.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

OURS = "ours"


class ComponentMissing(Exception):
    """A part of the SDK a scenario needs has not landed (yet); the scenario reports n/a."""


@dataclass
class Figure:
    """One measured quantity for one subject (``ours``, ``bdk``, ``legacy``, ``raw aiohttp``...).

    ``samples`` holds one value per repeat; tables show min/median/max of them.
    """

    metric: str
    subject: str
    unit: str
    samples: list[float] = field(default_factory=list)
    higher_is_better: bool = False
    note: str = ""

    @property
    def min(self) -> float:
        return min(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def max(self) -> float:
        return max(self.samples)

    def add(self, value: float) -> None:
        self.samples.append(float(value))


@dataclass
class Unavailable:
    """A subject that could not be measured in a scenario, with the reason shown in the table."""

    metric: str
    subject: str
    reason: str


@dataclass
class Comparison:
    """``ours`` against a peer on one metric: the ratio of medians, and how many times better we are."""

    metric: str
    ours: Figure
    peer: Figure

    @property
    def ratio(self) -> float:
        """ours / peer, of medians (for times and memory below 1 is better; for rates above 1)."""
        if self.peer.median == 0:
            return float("inf")
        return self.ours.median / self.peer.median

    @property
    def advantage(self) -> float:
        """How many times better ``ours`` is (> 1 means better whichever way the metric goes)."""
        ratio = self.ratio
        if self.ours.higher_is_better:
            return ratio
        return float("inf") if ratio == 0 else 1 / ratio


@dataclass
class Target:
    """A goal from the brief, checked against a median; ``met`` is ``None`` when not measurable."""

    description: str
    met: bool | None
    actual: str


@dataclass
class ScenarioResult:
    name: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    unavailable: list[Unavailable] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    def figure(self, metric: str, subject: str) -> Figure | None:
        for figure in self.figures:
            if figure.metric == metric and figure.subject == subject:
                return figure
        return None

    def add_figure(
        self,
        metric: str,
        subject: str,
        unit: str,
        samples: Iterable[float],
        *,
        higher_is_better: bool = False,
        note: str = "",
    ) -> Figure:
        figure = Figure(metric, subject, unit, [float(s) for s in samples], higher_is_better, note)
        if not figure.samples:
            raise ValueError(f"figure {metric!r} for {subject!r} has no samples")
        self.figures.append(figure)
        return figure

    def mark_unavailable(self, metric: str, subject: str, reason: str) -> None:
        self.unavailable.append(Unavailable(metric, subject, reason))

    def comparisons(self) -> list[Comparison]:
        """Every (ours-variant, peer) pair measured on the same metric."""
        pairs: list[Comparison] = []
        metrics = dict.fromkeys(f.metric for f in self.figures)
        for metric in metrics:
            same = [f for f in self.figures if f.metric == metric]
            mine = [f for f in same if f.subject.startswith(OURS)]
            others = [f for f in same if not f.subject.startswith(OURS)]
            pairs.extend(Comparison(metric, a, b) for a in mine for b in others)
        return pairs

    def check(
        self,
        description: str,
        metric: str,
        subject: str,
        *,
        at_most: float | None = None,
        at_least: float | None = None,
        versus: str | None = None,
    ) -> None:
        """Record a target on a median (or, with ``versus``, on the advantage over that subject)."""
        figure = self.figure(metric, subject)
        other = self.figure(metric, versus) if versus else None
        if figure is None or (versus is not None and other is None):
            self.targets.append(Target(description, None, "n/a"))
            return
        if other is not None:
            value = Comparison(metric, figure, other).advantage
            actual = f"{value:.2f}x"
        else:
            value = figure.median
            actual = f"{format_value(value)} {figure.unit}"
        met = (at_most is None or value <= at_most) and (at_least is None or value >= at_least)
        self.targets.append(Target(description, met, actual))


def format_value(value: float) -> str:
    """Three significant figures, with thousands separators for large values."""
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (``fraction`` in 0..1) of a non-empty sequence."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1))
    return ordered[rank]
