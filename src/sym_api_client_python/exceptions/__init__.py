"""Legacy exception modules (``exceptions.<Name>.<Name>``), aliases of :mod:`..core.errors`.

| legacy name               | 2.x class               |
| ------------------------- | ----------------------- |
| APIClientErrorException   | ClientError             |
| DatafeedExpiredException  | DatafeedNotFoundError   |
| ForbiddenException        | ForbiddenError          |
| MaxRetryException         | MaxRetryError           |
| ServerErrorException      | ServerError             |
| UnauthorizedException     | AuthError               |
| SymException              | SymphonyError           |
"""

from .APIClientErrorException import APIClientErrorException
from .DatafeedExpiredException import DatafeedExpiredException
from .ForbiddenException import ForbiddenException
from .MaxRetryException import MaxRetryException
from .ServerErrorException import ServerErrorException
from .SymException import SymException
from .UnauthorizedException import UnauthorizedException

__all__ = [
    "APIClientErrorException",
    "DatafeedExpiredException",
    "ForbiddenException",
    "MaxRetryException",
    "ServerErrorException",
    "SymException",
    "UnauthorizedException",
]
