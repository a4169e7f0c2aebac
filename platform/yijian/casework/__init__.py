"""Casework: what happens to a case after submission, as pure functions over its events.

The event vocabulary (``kinds``), what the window may do (``window``), the case clock
(``clock``, over ``facts``, ``count``, ``lights``, ``extension``, ``recount``: promised deadline,
suspensions, extensions, lights, the §32 five-working-day window limit, calendar changes) and
the citizen's timeline. Nothing here reads the store or the wall clock: callers pass events, a
calendar and "today".
"""
