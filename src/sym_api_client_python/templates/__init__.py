"""Sample MessageML templates shipped with the SDK (rendered with
:func:`sym_api_client_python.messages.render_template`)."""
