"""Peer virtualenvs: the real peers (marked ``peers``) and the cache/lock/error logic on a stand-in peer."""

from __future__ import annotations

import ensurepip
import subprocess
import threading
from pathlib import Path

import pytest
from benchmarks.peers import PEERS, PeerSpec, PeerUnavailable, ensure_peer_venv, peer_environment

from benchmarks import peers


def _peer_python_or_skip(name: str) -> Path:
    try:
        return ensure_peer_venv(name)
    except PeerUnavailable as exc:
        pytest.skip(f"peer {name} unavailable: {exc}")


@pytest.mark.peers
@pytest.mark.timeout(900)
def test_legacy_venv_imports_the_legacy_package_not_ours() -> None:
    python = _peer_python_or_skip("legacy")
    completed = subprocess.run(
        [
            str(python),
            "-I",
            "-c",
            "import importlib.metadata as m, sym_api_client_python as s, jinja2;"
            "from sym_api_client_python.processors.sym_message_parser import SymMessageParser;"
            "print(m.version('sym-api-client-python'), s.__file__)",
        ],
        capture_output=True,
        text=True,
        env=peer_environment(),
        check=True,
    )
    version, location = completed.stdout.split()
    assert version == "1.3.7"
    assert Path(location).is_relative_to(python.parent.parent), location
    assert "/work/main/src" not in location


@pytest.mark.peers
@pytest.mark.timeout(900)
def test_bdk_venv_imports_bdk() -> None:
    python = _peer_python_or_skip("bdk")
    completed = subprocess.run(
        [
            str(python),
            "-I",
            "-c",
            "import importlib.metadata as m;"
            "from symphony.bdk.core.symphony_bdk import SymphonyBdk;"
            "print(m.version('symphony-bdk-python'))",
        ],
        capture_output=True,
        text=True,
        env=peer_environment(),
        check=True,
    )
    assert completed.stdout.strip() == "3.0.0"


@pytest.mark.peers
def test_our_environment_never_gets_the_legacy_distribution() -> None:
    import importlib.metadata

    assert importlib.metadata.version("sym-api-client-python").startswith("2.")


def test_unknown_peer_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=r"unknown peer 'nope'.*bdk.*legacy"):
        ensure_peer_venv("nope")


def test_cache_root_honours_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SYM_PEERS_CACHE", str(tmp_path / "c"))
    assert peers.cache_root() == (tmp_path / "c").resolve()
    monkeypatch.delenv("SYM_PEERS_CACHE")
    assert peers.cache_root() == Path.home() / ".cache" / "sym-peers"


def test_peer_environment_hides_our_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", "/work/main/src")
    monkeypatch.setenv("VIRTUAL_ENV", "/somewhere")
    env = peer_environment({"EXTRA": "1"})
    assert "PYTHONPATH" not in env
    assert "VIRTUAL_ENV" not in env
    assert env["EXTRA"] == "1"


@pytest.fixture()
def offline_pip(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the stand-in peer builds hermetic: pip may only use what is already installed."""
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.delenv("PIP_FIND_LINKS", raising=False)


@pytest.mark.timeout(180)
def test_parallel_callers_build_once_and_reuse(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, offline_pip: None
) -> None:
    # Stand-in peer: "pip==<bundled version>" is already satisfied in a fresh venv, so no network.
    spec = PeerSpec(
        name="standin", distribution="pip", version=ensurepip.version(), import_check="import pip"
    )
    monkeypatch.setitem(PEERS, "standin", spec)
    builds: list[Path] = []
    real_build = peers._build

    def counting_build(spec_: PeerSpec, target: Path, pip_timeout: float) -> None:
        builds.append(target)
        real_build(spec_, target, pip_timeout)

    monkeypatch.setattr(peers, "_build", counting_build)
    results: list[Path] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            results.append(ensure_peer_venv("standin", cache_dir=tmp_path))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert len(builds) == 1
    expected = tmp_path / f"standin-{spec.version}"
    assert len(set(results)) == 1
    assert results[0].parent.parent == expected
    assert (expected / "sym-peer.json").is_file()
    # Only the final environment and its lock file remain: the temporary build dir was renamed.
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".standin-{spec.version}.lock", expected.name]
    # A fresh process (empty memo) reuses the cached environment without rebuilding.
    peers._verified.clear()
    assert ensure_peer_venv("standin", cache_dir=tmp_path) == results[0]
    assert len(builds) == 1


@pytest.mark.timeout(180)
def test_pip_failure_is_peer_unavailable_and_leaves_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, offline_pip: None
) -> None:
    spec = PeerSpec(name="broken", distribution="pip", version="0.0.0", import_check="import pip")
    monkeypatch.setitem(PEERS, "broken", spec)
    with pytest.raises(PeerUnavailable, match=r"pip could not install pip==0\.0\.0 for peer 'broken'"):
        ensure_peer_venv("broken", cache_dir=tmp_path)
    assert not (tmp_path / "broken-0.0.0").exists()
    assert not [p for p in tmp_path.iterdir() if "build" in p.name]


@pytest.mark.timeout(180)
def test_failed_import_check_is_peer_unavailable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, offline_pip: None
) -> None:
    spec = PeerSpec(
        name="noimport",
        distribution="pip",
        version=ensurepip.version(),
        import_check="import module_that_does_not_exist_anywhere",
    )
    monkeypatch.setitem(PEERS, "noimport", spec)
    with pytest.raises(PeerUnavailable, match=r"installed but does not import.*module_that_does_not_exist"):
        ensure_peer_venv("noimport", cache_dir=tmp_path)
    assert not (tmp_path / f"noimport-{spec.version}").exists()
