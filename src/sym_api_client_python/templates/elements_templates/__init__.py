"""Jinja2 snippets for each Elements control, and the legacy ``render_*`` helpers."""
