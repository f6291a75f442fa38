"""Pod behaviour behind the REST routes: queries and commands over the store, returning spec shapes.

Route modules parse HTTP input and call these functions; the control API reuses them (e.g.
:func:`sympod.domain.messages.create_message`), so both paths behave the same. Functions raise
:class:`sympod.errors.ApiError` with Symphony's status and a message naming the problem.
"""
