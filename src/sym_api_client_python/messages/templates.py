"""Jinja2 templates for MessageML, autoescaped the MessageML way.

``render_template("elements_templates/forms/button.html", name="ok", text="OK")`` renders a
template shipped in ``sym_api_client_python/templates``; a filesystem path works too.
Every ``{{ value }}`` is escaped with :func:`~.escape.escape_text` (so ``<``, ``&`` and the
Freemarker ``{`` are safe); :class:`~.escape.Fragment` and ``Markup`` values, such as the
helpers available in every template (``mention``, ``hashtag``, ``cashtag``, ``emoji``, ``link``, ``bold``,
``italic``, ``table``...), are inserted as markup. Undefined variables are errors.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import builder
from .escape import escape_text

if TYPE_CHECKING:  # pragma: no cover
    import jinja2

TEMPLATES_PACKAGE = "sym_api_client_python"
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"

_HELPERS = {
    name: getattr(builder, name)
    for name in (
        "bold", "italic", "code", "pre", "mention", "hashtag", "cashtag", "link", "emoji",
        "bullet_list", "numbered_list", "table", "card", "expandable_card",
    )
}  # fmt: skip


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "__html__"):
        return value
    return escape_text(value)


@functools.lru_cache(maxsize=1)
def template_environment() -> jinja2.Environment:
    """The shared environment: package loader, autoescape, strict undefined, our helpers."""
    import jinja2  # imported here: Jinja2 costs ~30 ms and most bots never render a template

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(_HELPERS)
    env.filters["messageml"] = escape_text
    return env


@functools.lru_cache(maxsize=64)
def _environment_for(directory: str) -> jinja2.Environment:
    import jinja2

    base = template_environment()
    assert base.loader is not None
    return base.overlay(loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(directory), base.loader]))


def render_template(name_or_path: str | os.PathLike[str], /, **data: Any) -> str:
    """Render a shipped template (path relative to the ``templates`` package) or a template
    file; returns the MessageML text with surrounding whitespace removed.

    :raises jinja2.TemplateNotFound: no such template; :raises jinja2.UndefinedError: a
        variable the template uses was not given.
    """
    path = Path(name_or_path)
    if path.is_file():
        env = _environment_for(str(path.resolve().parent))
        template = env.get_template(path.name)
    else:
        template = template_environment().get_template(Path(name_or_path).as_posix())
    return template.render(**data).strip()


def render_string(source: str, /, **data: Any) -> str:
    """Render a template given as a string, with the same escaping rules."""
    return template_environment().from_string(source).render(**data).strip()


__all__ = ["TEMPLATES_DIR", "render_string", "render_template", "template_environment"]
