"""Legacy helpers (``SymMessageParser``, ``SymElementsParser``, ``MessageFormatter``), kept with
their 1.x names and return shapes, built on :mod:`sym_api_client_python.messages`."""
