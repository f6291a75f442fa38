"""Legacy name ``ForbiddenException``: an alias of ``core.errors.ForbiddenError``.

Raised for 403 and 405 answers.

``except ForbiddenException`` keeps working and also catches the 2.x subclasses.
"""

from ..core.errors import ForbiddenError

ForbiddenException = ForbiddenError

__all__ = ["ForbiddenException"]
