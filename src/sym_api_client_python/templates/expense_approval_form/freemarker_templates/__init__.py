"""The expense report model and the generators of its messages.

1.x sent Freemarker MessageML and let the pod render it from ``data``; these generators render
the final MessageML locally (same templates as ``jinja_templates``) and still return ``data``.
"""
