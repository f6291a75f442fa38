"""Legacy listener interfaces (one module per kind, same names as the legacy SDK) and the sample
implementations the legacy README imports.

Each interface is an ABC whose methods default to doing nothing, so a listener implements only
the callbacks it needs (the legacy ABCs forced every method). A listener method may be ``def`` or
``async def`` under either service: the sync service runs coroutines to completion on its worker
thread, the async service runs plain methods in a worker thread so they never block the loop.
"""
