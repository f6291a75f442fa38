"""``symbot config ...``: configuration commands.

``symbot config check FILE`` prints the resolved configuration (secrets masked) and every
problem found, including unusable key, certificate and truststore files; it exits with 1 when
there is any problem. Other modules add commands to :data:`config_app` (e.g. ``init``).
"""

from __future__ import annotations

from pathlib import Path

import typer

__all__ = ["check", "config_app", "register"]

config_app = typer.Typer(
    name="config",
    help="Check (and create) bot configuration files.",
    no_args_is_help=True,
    add_completion=False,
)


@config_app.command("check")
def check(
    file: Path = typer.Argument(..., help="The bot config (JSON with comments, or YAML)."),
    ignore_env: bool = typer.Option(
        False,
        "--ignore-env",
        help="Do not apply ${VAR} expansion from, or SYM_* overrides of, the environment.",
    ),
) -> None:
    """Show the resolved config with secrets masked and list every problem (exit 1 if any)."""
    from rich.console import Console
    from rich.table import Table

    from ..core.config import load_config_unchecked
    from ..core.errors import ConfigError

    console = Console(highlight=False, soft_wrap=True)
    try:
        config, problems = load_config_unchecked(file, env={} if ignore_env else None)
    except ConfigError as exc:  # unreadable file or invalid JSON/YAML: nothing to show
        console.print(f"[red]✗[/red] {exc}")
        raise typer.Exit(1) from None

    table = Table(title=f"Resolved configuration: {file}", show_header=True, header_style="bold")
    table.add_column("setting")
    table.add_column("value", overflow="fold")
    for key, value in config.display_items():
        table.add_row(key, value)
    console.print(table)

    seen = {str(problem) for problem in problems}
    problems += [p for p in config.validate(check_files=True) if str(p) not in seen]
    if config.unmatched_env:
        ignored = ", ".join(config.unmatched_env)
        console.print(f"[yellow]![/yellow] SYM_* variables matching no config key (ignored): {ignored}")
    if not problems:
        console.print("[green]✓[/green] no problems found")
        return
    console.print(f"[red]✗[/red] {len(problems)} problem{'s' if len(problems) != 1 else ''}:")
    for problem in problems:
        console.print(f"  - {problem}", markup=False)
    raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Attach the ``config`` command group to the ``symbot`` app."""
    app.add_typer(config_app, name="config")
