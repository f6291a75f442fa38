"""Legacy name ``MaxRetryException``: an alias of ``core.errors.MaxRetryError``.

Raised when authentication gave up after its bounded retries.

``except MaxRetryException`` keeps working and also catches the 2.x subclasses.
"""

from ..core.errors import MaxRetryError

MaxRetryException = MaxRetryError

__all__ = ["MaxRetryException"]
