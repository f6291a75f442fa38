"""Legacy name ``UnauthorizedException``: an alias of ``core.errors.AuthError``.

Raised for 401 answers that a re-login did not cure.

``except UnauthorizedException`` keeps working and also catches the 2.x subclasses.
"""

from ..core.errors import AuthError

UnauthorizedException = AuthError

__all__ = ["UnauthorizedException"]
