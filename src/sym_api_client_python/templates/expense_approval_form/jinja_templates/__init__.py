"""Jinja2 versions of the expense approval messages."""
