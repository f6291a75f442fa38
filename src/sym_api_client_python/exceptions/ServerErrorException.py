"""Legacy name ``ServerErrorException``: an alias of ``core.errors.ServerError``.

Raised for 5xx answers.

``except ServerErrorException`` keeps working and also catches the 2.x subclasses.
"""

from ..core.errors import ServerError

ServerErrorException = ServerError

__all__ = ["ServerErrorException"]
