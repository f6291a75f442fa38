"""Describe the machine a run happened on, and measure process memory."""

from __future__ import annotations

import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class MachineInfo:
    uname: str
    cpu_model: str
    cores: int
    ram_gib: float
    python: str

    def lines(self) -> list[str]:
        return [
            f"- Machine: `{self.uname}`",
            f"- CPU: {self.cpu_model}, {self.cores} cores",
            f"- RAM: {self.ram_gib:.1f} GiB",
            f"- Python: {self.python}",
        ]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _ram_gib() -> float:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / (1024 * 1024)
    except OSError:
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    except (ValueError, OSError, AttributeError):
        return 0.0


def describe_machine() -> MachineInfo:
    uname = " ".join(platform.uname())
    return MachineInfo(
        uname=uname,
        cpu_model=_cpu_model(),
        cores=os.cpu_count() or 1,
        ram_gib=_ram_gib(),
        python=f"{platform.python_implementation()} {sys.version.split()[0]}",
    )


def rss_mb(pid: int | None = None) -> float:
    """Resident set size in MB (10^6 bytes) of ``pid`` (default: this process), from /proc."""
    status = Path(f"/proc/{pid or 'self'}/status")
    try:
        for line in status.read_text(encoding="utf-8").splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    import resource  # fallback: peak, not current, RSS (macOS reports bytes, Linux KiB)

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6
