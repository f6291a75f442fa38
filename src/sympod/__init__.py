"""sympod: a local Symphony pod emulator (login, pod, agent, datafeed v1/v2 over HTTPS).

It never imports ``sym_api_client_python``: it is the independent party the SDK is tested against.
"""

__version__ = "2.0.0"
