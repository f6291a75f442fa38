"""Cached virtualenvs holding the peer SDKs we compare against.

The legacy SDK (``sym-api-client-python==1.3.7``) has the same distribution *and* import name as this
project, so it can never be installed next to it: every peer lives in its own virtualenv under
``~/.cache/sym-peers/<name>-<version>`` (or ``$SYM_PEERS_CACHE``), and peer code only ever runs in a
subprocess using that virtualenv's interpreter.

A virtualenv is built in a temporary directory beside its final place and renamed into place once the
peer imports, so a half-built environment is never visible. A file lock serialises builders (several
pytest-xdist workers may ask for the same peer at once); later callers reuse the cached environment
as long as its import check passes.

Typical use::

    from benchmarks.peers import PeerUnavailable, ensure_peer_venv
    try:
        python = ensure_peer_venv("bdk")
    except PeerUnavailable as exc:
        pytest.skip(str(exc))
    subprocess.run([str(python), "peer_script.py"], env=peer_environment(), check=True)
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import venv
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "PEERS",
    "PeerSpec",
    "PeerUnavailable",
    "cache_root",
    "ensure_peer_venv",
    "peer_environment",
    "run_peer_script",
]

CACHE_ENV_VAR = "SYM_PEERS_CACHE"
DEFAULT_PIP_TIMEOUT_S = 900.0
_MARKER_FILE = "sym-peer.json"
# PYTHONDONTWRITEBYTECODE is dropped too: import-time figures must use the .pyc caches, as users do.
_LEAKING_VARIABLES = frozenset(
    {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PYTHONSAFEPATH", "PYTHONDONTWRITEBYTECODE"}
)


class PeerUnavailable(RuntimeError):
    """A peer SDK environment could not be built or used (no network, pip failure, broken install).

    Tests turn this into a skip; the benchmark harness reports the peer's figures as unavailable.
    """


@dataclass(frozen=True)
class PeerSpec:
    """How to install one peer SDK and how to tell that the installation works."""

    name: str
    distribution: str
    version: str
    import_check: str
    """Python source run with ``python -I -c``; it must exit 0 when the peer is usable."""
    extra_requirements: tuple[str, ...] = ()
    """Pins needed on top of the peer's own metadata for it to import on today's Python."""
    description: str = ""

    @property
    def requirement(self) -> str:
        return f"{self.distribution}=={self.version}"

    @property
    def directory_name(self) -> str:
        return f"{self.name}-{self.version}"


PEERS: dict[str, PeerSpec] = {
    "legacy": PeerSpec(
        name="legacy",
        distribution="sym-api-client-python",
        version="1.3.7",
        # 1.3.7 pins Jinja2~=2.11.3, which imports markupsafe.soft_unicode (removed in MarkupSafe 2.1);
        # without this pin SymMessageParser (which imports jinja2) cannot even be imported.
        extra_requirements=("MarkupSafe<2.1",),
        import_check=(
            "import importlib.metadata as m, sym_api_client_python\n"
            "assert m.version('sym-api-client-python') == '1.3.7', m.version('sym-api-client-python')\n"
            "from sym_api_client_python.clients.sym_bot_client import SymBotClient\n"
            "from sym_api_client_python.auth.rsa_auth import SymBotRSAAuth\n"
            "from sym_api_client_python.configure.configure import SymConfig\n"
            "from sym_api_client_python.processors.sym_message_parser import SymMessageParser\n"
        ),
        description="legacy sym_api_client_python 1.3.7 (same import name as ours)",
    ),
    "bdk": PeerSpec(
        name="bdk",
        distribution="symphony-bdk-python",
        version="3.0.0",
        import_check=(
            "import importlib.metadata as m\n"
            "assert m.version('symphony-bdk-python') == '3.0.0', m.version('symphony-bdk-python')\n"
            "from symphony.bdk.core.symphony_bdk import SymphonyBdk\n"
            "from symphony.bdk.core.config.loader import BdkConfigLoader\n"
        ),
        description="Symphony BDK for Python 3.0.0",
    ),
}

# Per-process memo of environments already checked, so repeated calls do not pay the peer's import
# time (about a second for the BDK) again.
_verified: dict[Path, Path] = {}
_verified_lock = threading.Lock()


def cache_root() -> Path:
    """The directory holding every peer virtualenv: ``$SYM_PEERS_CACHE`` or ``~/.cache/sym-peers``."""
    configured = os.environ.get(CACHE_ENV_VAR)
    if configured:
        return Path(configured).expanduser().resolve()
    return Path.home() / ".cache" / "sym-peers"


def peer_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment variables for running a peer interpreter.

    Strips variables that would let *our* package leak into the peer's ``sys.path`` (``PYTHONPATH``,
    ``PYTHONHOME``, an active ``VIRTUAL_ENV``) and forces UTF-8, unbuffered output.
    """
    env = {key: value for key, value in os.environ.items() if key not in _LEAKING_VARIABLES}
    env["PYTHONUTF8"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    if extra:
        env.update(extra)
    return env


def _venv_python(root: Path) -> Path:
    if sys.platform == "win32":
        return root / "Scripts" / "python.exe"
    return root / "bin" / "python"


def _spec(name: str) -> PeerSpec:
    try:
        return PEERS[name]
    except KeyError:
        raise ValueError(f"unknown peer {name!r}; known peers: {', '.join(sorted(PEERS))}") from None


def _import_check_error(python: Path, spec: PeerSpec, timeout: float = 120.0) -> str | None:
    """Run the peer's import check; ``None`` when it passes, otherwise the reason it failed."""
    if not python.exists():
        return f"{python} does not exist"
    try:
        completed = subprocess.run(
            [str(python), "-I", "-c", spec.import_check],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=peer_environment(),
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"could not run {python}: {exc}"
    if completed.returncode != 0:
        return (completed.stderr.strip() or completed.stdout.strip() or "no output").splitlines()[-1]
    return None


@contextlib.contextmanager
def _exclusive_lock(lock_path: Path) -> Iterator[None]:
    """An inter-process lock on ``lock_path`` (fcntl on POSIX, msvcrt on Windows); blocks until held."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+b") as handle:
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _build(spec: PeerSpec, target: Path, pip_timeout: float) -> None:
    """Build the virtualenv in a temporary sibling of ``target`` and rename it into place."""
    build_dir = Path(tempfile.mkdtemp(prefix=f".{spec.directory_name}-build-", dir=target.parent))
    try:
        try:
            venv.EnvBuilder(with_pip=True, symlinks=sys.platform != "win32", clear=True).create(build_dir)
        except (OSError, subprocess.CalledProcessError) as exc:
            raise PeerUnavailable(f"could not create a virtualenv for peer {spec.name!r}: {exc}") from exc
        python = _venv_python(build_dir)
        # Always `python -m pip`: the pip launcher script's shebang points into the build directory,
        # which no longer exists once renamed.
        command = [
            str(python),
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--no-input",
            spec.requirement,
            *spec.extra_requirements,
        ]
        try:
            completed = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=pip_timeout,
                env=peer_environment(),
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise PeerUnavailable(
                f"pip did not finish installing {spec.requirement} within {pip_timeout:.0f} s"
            ) from exc
        if completed.returncode != 0:
            raise PeerUnavailable(
                f"pip could not install {spec.requirement} for peer {spec.name!r} "
                f"(exit status {completed.returncode}):\n{_tail(completed.stderr or completed.stdout)}"
            )
        failure = _import_check_error(python, spec)
        if failure is not None:
            raise PeerUnavailable(
                f"peer {spec.name!r} ({spec.requirement}) installed but does not import: {failure}"
            )
        (build_dir / _MARKER_FILE).write_text(
            json.dumps(
                {
                    "name": spec.name,
                    "requirement": spec.requirement,
                    "extra_requirements": list(spec.extra_requirements),
                    "python": sys.version.split()[0],
                }
            ),
            encoding="utf-8",
        )
        if target.exists():  # a broken leftover: we hold the lock, so nobody else is using it
            shutil.rmtree(target)
        os.replace(build_dir, target)
    finally:
        if build_dir.exists():
            shutil.rmtree(build_dir, ignore_errors=True)


def ensure_peer_venv(
    name: str,
    *,
    cache_dir: Path | None = None,
    pip_timeout: float = DEFAULT_PIP_TIMEOUT_S,
) -> Path:
    """Return the python executable of the cached virtualenv holding peer ``name``.

    ``name`` is ``"legacy"`` or ``"bdk"`` (see :data:`PEERS`). The environment is built on first use
    (a few tens of seconds with network access) and reused while its import check passes.

    Raises:
        ValueError: ``name`` is not a known peer.
        PeerUnavailable: the environment could not be built (pip failure, no network) or is broken.
    """
    spec = _spec(name)
    root = cache_dir.expanduser().resolve() if cache_dir is not None else cache_root()
    target = root / spec.directory_name
    python = _venv_python(target)
    with _verified_lock:
        if target in _verified:
            return _verified[target]
    if (target / _MARKER_FILE).exists() and _import_check_error(python, spec) is None:
        return _remember(target, python)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PeerUnavailable(f"cannot create the peer cache directory {root}: {exc}") from exc
    with _exclusive_lock(root / f".{spec.directory_name}.lock"):
        # Another process may have finished the build while we waited for the lock.
        if (target / _MARKER_FILE).exists() and _import_check_error(python, spec) is None:
            return _remember(target, python)
        _build(spec, target, pip_timeout)
    return _remember(target, python)


def _remember(target: Path, python: Path) -> Path:
    with _verified_lock:
        _verified[target] = python
    return python


def run_peer_script(
    name: str,
    script: Path | str,
    args: Sequence[str] = (),
    *,
    timeout: float = 600.0,
    env: Mapping[str, str] | None = None,
) -> Any:
    """Run ``script`` with peer ``name``'s interpreter and return the JSON it prints last.

    The script must print one JSON document on its last non-empty stdout line. Raises
    :class:`PeerUnavailable` when the environment cannot be built, and :class:`RuntimeError` (with
    the script's stderr) when the script fails or prints no JSON.
    """
    python = ensure_peer_venv(name)
    command = [str(python), str(script), *args]
    try:
        completed = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=peer_environment(env),
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"peer script {script} ({name}) did not finish within {timeout:.0f} s") from exc
    if completed.returncode != 0:
        raise RuntimeError(
            f"peer script {script} ({name}) exited with status {completed.returncode}:\n"
            f"{_tail(completed.stderr)}"
        )
    lines = [line for line in completed.stdout.splitlines() if line.strip()]
    if not lines:
        raise RuntimeError(
            f"peer script {script} ({name}) printed nothing; stderr:\n{_tail(completed.stderr)}"
        )
    try:
        return json.loads(lines[-1])
    except json.JSONDecodeError as exc:
        raise RuntimeError(
            f"peer script {script} ({name}) did not end with a JSON line: {lines[-1][:200]!r}"
        ) from exc
