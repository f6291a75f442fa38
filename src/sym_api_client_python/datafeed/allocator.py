"""Keep the C allocator from handing a datafeed reader's large buffers back to the kernel.

Every v2 read brings one body of a few hundred kilobytes (about 430 KB for 500 messages), which
the TLS layer, the HTTP client and the decoder each hold for a moment in a buffer of that size.
With glibc's default settings the memory those buffers free at the top of the heap is returned
to the kernel (``M_TRIM_THRESHOLD`` follows the largest freed block, here under 1 MB) and asked
for again by the next read: 108-240 page faults per 500-event read, each page zeroed by the
kernel; keeping them cut that to ~20 and gave 17% more events/s over the wire on this project's
benchmark machine (see docs/decisions.md, "Allocator").

Raising the two thresholds once per process keeps that memory in the heap for the next read:
blocks under ``MMAP_THRESHOLD`` come from the heap instead of their own ``mmap``, and the heap's
free top is only trimmed beyond ``TRIM_THRESHOLD``. The cost is at most that much freed memory
kept mapped. It is process-wide, so it is skipped when the process's owner already tuned
malloc through the environment, when the C library is not glibc, and when the bot opts out
(``tune_allocator=False``).
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
import threading
from collections.abc import Callable

logger = logging.getLogger("sym_api_client_python.datafeed")

# glibc's <malloc.h>
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3

# above the largest body a read brings in practice (500 events of a few KB each)
MMAP_THRESHOLD = 4 * 1024 * 1024
# the heap's free top kept for reuse: a few reads' worth of buffers
TRIM_THRESHOLD = 16 * 1024 * 1024

_ENVIRONMENT_TUNING = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_")

_lock = threading.Lock()
_outcome: str | None = None


def _is_glibc() -> bool:
    # os.confstr answers at once; platform.libc_ver() would scan the interpreter's binary
    try:
        return os.confstr("CS_GNU_LIBC_VERSION") is not None
    except (ValueError, OSError, AttributeError):  # not a GNU libc, or no confstr (Windows)
        return False


def _glibc_mallopt() -> Callable[[int, int], int] | None:
    if not sys.platform.startswith("linux") or not _is_glibc():
        return None
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return None
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return mallopt


def _tuned_by_environment(environ: dict[str, str] | os._Environ[str]) -> str | None:
    for name in _ENVIRONMENT_TUNING:
        if name in environ:
            return name
    if "glibc.malloc." in environ.get("GLIBC_TUNABLES", ""):
        return "GLIBC_TUNABLES"
    return None


def tune_allocator_for_batches(
    *,
    mallopt: Callable[[int, int], int] | None = None,
    environ: dict[str, str] | os._Environ[str] | None = None,
) -> str:
    """Raise glibc's mmap and trim thresholds, once per process; returns what was done (for the
    log and tests). ``mallopt`` and ``environ`` are for tests."""
    global _outcome
    with _lock:
        if _outcome is not None:
            return _outcome
        owner_setting = _tuned_by_environment(os.environ if environ is None else environ)
        setter = None if owner_setting is not None else mallopt or _glibc_mallopt()
        if owner_setting is not None:
            _outcome = f"skipped: malloc already tuned by {owner_setting}"
        elif setter is None:
            _outcome = "skipped: not glibc"
        elif setter(M_MMAP_THRESHOLD, MMAP_THRESHOLD) != 1 or setter(M_TRIM_THRESHOLD, TRIM_THRESHOLD) != 1:
            _outcome = "failed: mallopt refused the thresholds"
        else:
            _outcome = (
                f"tuned: mmap threshold {MMAP_THRESHOLD >> 20} MiB, trim threshold {TRIM_THRESHOLD >> 20} MiB"
            )
        logger.debug("allocator for datafeed batches: %s", _outcome)
        return _outcome


def _forget_outcome_for_tests() -> None:
    global _outcome
    with _lock:
        _outcome = None


__all__ = ["MMAP_THRESHOLD", "TRIM_THRESHOLD", "tune_allocator_for_batches"]
