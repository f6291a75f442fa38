"""The datafeed's malloc tuning: what it sets, when it steps aside, and that it works for real."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap

import pytest

from sym_api_client_python.core.config import load_config
from sym_api_client_python.datafeed import AsyncDatafeedRunner, AsyncDispatcher, DatafeedSettings, allocator
from sym_api_client_python.datafeed.allocator import (
    M_MMAP_THRESHOLD,
    M_TRIM_THRESHOLD,
    MMAP_THRESHOLD,
    TRIM_THRESHOLD,
    tune_allocator_for_batches,
)

from .helpers import AsyncScripted, ScriptedRequester, event, ok

FAST = {"initial_backoff": 0.01, "max_backoff": 0.02}


@pytest.fixture(autouse=True)
def fresh_outcome():
    allocator._forget_outcome_for_tests()
    yield
    allocator._forget_outcome_for_tests()


class FakeMallopt:
    def __init__(self, answer: int = 1) -> None:
        self.calls: list[tuple[int, int]] = []
        self.answer = answer

    def __call__(self, param: int, value: int) -> int:
        self.calls.append((param, value))
        return self.answer


def test_sets_both_thresholds_once_per_process():
    mallopt = FakeMallopt()
    first = tune_allocator_for_batches(mallopt=mallopt, environ={})
    again = tune_allocator_for_batches(mallopt=mallopt, environ={})
    assert mallopt.calls == [(M_MMAP_THRESHOLD, MMAP_THRESHOLD), (M_TRIM_THRESHOLD, TRIM_THRESHOLD)]
    assert first == again and first.startswith("tuned: mmap threshold 4 MiB, trim threshold 16 MiB")


@pytest.mark.parametrize(
    "environ, named",
    [
        ({"MALLOC_TRIM_THRESHOLD_": "0"}, "MALLOC_TRIM_THRESHOLD_"),
        ({"MALLOC_MMAP_THRESHOLD_": "65536"}, "MALLOC_MMAP_THRESHOLD_"),
        ({"GLIBC_TUNABLES": "glibc.malloc.trim_threshold=0"}, "GLIBC_TUNABLES"),
    ],
)
def test_leaves_an_owner_tuned_malloc_alone(environ, named):
    mallopt = FakeMallopt()
    outcome = tune_allocator_for_batches(mallopt=mallopt, environ=environ)
    assert mallopt.calls == [] and outcome == f"skipped: malloc already tuned by {named}"


def test_unrelated_glibc_tunables_do_not_count_as_tuning():
    mallopt = FakeMallopt()
    tune_allocator_for_batches(mallopt=mallopt, environ={"GLIBC_TUNABLES": "glibc.rtld.nns=2"})
    assert len(mallopt.calls) == 2


def test_a_refused_mallopt_is_reported_not_raised():
    assert tune_allocator_for_batches(mallopt=FakeMallopt(answer=0), environ={}).startswith("failed")


def test_opt_out_from_config_and_keyword(tmp_path):
    assert DatafeedSettings.from_config({}).tune_allocator is True
    assert DatafeedSettings.from_config({"datafeedTuneAllocator": "false"}).tune_allocator is False
    assert DatafeedSettings.from_config({}, tune_allocator=False).tune_allocator is False
    path = tmp_path / "config.json"
    path.write_text('{"podHost": "pod.example.com", "botUsername": "bot", "datafeedTuneAllocator": false}')
    assert DatafeedSettings.from_config(load_config(path)).tune_allocator is False


@pytest.mark.parametrize("tune", [True, False])
async def test_runner_tunes_before_its_first_read_unless_told_not_to(monkeypatch, tune):
    from sym_api_client_python.datafeed import _runner

    requester = ScriptedRequester()
    tuned_at: list[int] = []
    record = lambda: tuned_at.append(len(requester.reads()))  # noqa: E731
    monkeypatch.setattr(_runner, "tune_allocator_for_batches", record)

    async def handler(ev):
        runner.stop()

    requester.push("read", ok({"events": [event("e1")], "ackId": "A"}))
    runner = AsyncDatafeedRunner(
        AsyncScripted(requester),
        DatafeedSettings(**FAST).machine(),
        AsyncDispatcher(handler),
        tune_allocator=tune,
    )
    await asyncio.wait_for(runner.run(), 5)
    assert tuned_at == ([0] if tune else [])


PAGE_FAULTS = textwrap.dedent(
    """
    import resource, sys
    from sym_api_client_python.datafeed.allocator import tune_allocator_for_batches
    if sys.argv[1] == "tuned":
        print(tune_allocator_for_batches(), file=sys.stderr)
    def one_read():  # what a read leaves: a few body-sized buffers, freed together
        buffers = [bytes(440_000) for _ in range(3)]
        del buffers
    one_read()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(100):
        one_read()
    print((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 100)
    """
)


def _faults_per_read(mode: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", PAGE_FAULTS, mode],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    return float(done.stdout)


@pytest.mark.skipif(allocator._glibc_mallopt() is None, reason="glibc only")
def test_freed_read_buffers_are_reused_instead_of_faulted_in_again():
    # the same allocation pattern, default glibc vs tuned: the kernel no longer maps and zeroes
    # the body-sized buffers again for every read
    default, tuned = _faults_per_read("default"), _faults_per_read("tuned")
    assert default > 20 and tuned < default / 4, (default, tuned)
