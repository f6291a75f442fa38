"""Legacy name ``SymException``: an alias of ``core.errors.SymphonyError``.

The root of every SDK error.

``except SymException`` keeps working and also catches the 2.x subclasses.
"""

from ..core.errors import SymphonyError

SymException = SymphonyError

__all__ = ["SymException"]
