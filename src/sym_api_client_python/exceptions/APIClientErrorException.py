"""Legacy name ``APIClientErrorException``: an alias of ``core.errors.ClientError``.

Raised for any 4xx answer that is not 401, 403, 405 or datafeed-not-found.

``except APIClientErrorException`` keeps working and also catches the 2.x subclasses.
"""

from ..core.errors import ClientError

APIClientErrorException = ClientError

__all__ = ["APIClientErrorException"]
