"""HTTP transports: urllib3 (sync, :mod:`.sync_urllib3`) and aiohttp (async, :mod:`.async_aiohttp`).

They only move bytes; building requests and deciding about retries lives in :mod:`.base`, TLS
contexts, client certificates and per-component routes in :mod:`.tls`. Importing this package
does not import urllib3 or aiohttp (each costs ~100-170 ms): import the submodule you need.
"""
