"""Legacy helpers: ``load_from_env_var`` and ``configure_logging``, with the 1.x bugs fixed.

Fixed: ``configure_logging(directory=".")`` crashed with ``NameError``; logging to the console
still imported ``__main__`` (and failed in a REPL); the unknown-mode message carried a stray
``f``. The rest behaves as in 1.x.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .auth.auth import Auth
    from .auth.rsa_auth import SymBotRSAAuth
    from .configure.configure import SymConfig

__all__ = ["DEFAULT_LOG_FORMAT", "configure_logging", "load_from_env_var"]

DEFAULT_LOG_FORMAT = "%(asctime)s - %(name)s - %(levelname)s - %(message)s"


def load_from_env_var(env_var: str, delimiter: str = ":") -> tuple[SymConfig, SymBotRSAAuth | Auth]:
    """Load the config named by an environment variable holding ``RSA:<path>`` or ``CERT:<path>``
    (mode case-insensitive), authenticate, and return ``(config, auth)``.

    Paths in the config are relative to the config file. Raises ``ValueError`` when the variable
    is missing or malformed (``ConfigError``, a ``ValueError`` too, when the file is bad)."""
    from .auth.auth import Auth
    from .auth.rsa_auth import SymBotRSAAuth
    from .configure.configure import SymConfig

    value = os.environ.get(env_var)
    if value is None:
        raise ValueError(f"Unable to find environment variable at: {env_var}")
    parts = value.split(delimiter)
    if len(parts) == 1:
        raise ValueError(f"Did not find {delimiter} in environment variable {env_var}: {value}")
    if len(parts) > 2:
        if len(parts) == 3 and os.name == "nt":  # C:\path has a colon of its own
            parts = [parts[0], parts[1] + delimiter + parts[2]]
        else:
            raise ValueError(f"Found more than one {delimiter} in environment variable {env_var}: {value}")
    mode, path = parts[0].strip().lower(), parts[1]
    if mode not in ("rsa", "cert"):
        raise ValueError(f"Didn't recognise {parts[0]!r} in {env_var}, expected one of: RSA, CERT")
    logging.getLogger(__name__).debug("Loading config from %s with authentication mode %s", path, mode)

    config = SymConfig(path, path)
    config.load_config()
    auth: SymBotRSAAuth | Auth = SymBotRSAAuth(config) if mode == "rsa" else Auth(config)
    auth.authenticate()
    return config, auth


def configure_logging(
    filename: str | None = None,
    directory: str | None = None,
    log_level: int = logging.DEBUG,
    format: str | None = None,  # the 1.x keyword name, shadowing the builtin on purpose
    filemode: str = "a",
) -> str | None:
    """Set up ``logging.basicConfig`` and quiet urllib3; return the log file path (``None``: console).

    - both ``filename`` and ``directory`` None: log to the console;
    - ``directory`` None: the folder of the main script (the current directory in a REPL);
    - ``directory`` ".": the current directory;
    - no ``filename``: ``log.log``. Missing folders are created.
    """
    full_path: str | None = None
    if filename is not None or directory is not None:
        if directory is None:
            main_file = getattr(sys.modules.get("__main__"), "__file__", None)
            directory = os.path.dirname(os.path.abspath(main_file)) if main_file else os.getcwd()
        elif directory == ".":
            directory = os.getcwd()
        full_path = os.path.join(directory, filename or "log.log")
        os.makedirs(os.path.dirname(full_path) or ".", exist_ok=True)
    logging.basicConfig(
        filename=full_path,
        format=format or DEFAULT_LOG_FORMAT,
        filemode=filemode,
        level=log_level,
    )
    logging.getLogger("urllib3").setLevel(logging.WARNING)
    return full_path
