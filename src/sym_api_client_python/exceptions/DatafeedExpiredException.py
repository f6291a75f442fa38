"""Legacy name ``DatafeedExpiredException``: an alias of ``core.errors.DatafeedNotFoundError``.

Raised for the datafeed id is unknown or expired.

``except DatafeedExpiredException`` keeps working and also catches the 2.x subclasses.
"""

from ..core.errors import DatafeedNotFoundError

DatafeedExpiredException = DatafeedNotFoundError

__all__ = ["DatafeedExpiredException"]
