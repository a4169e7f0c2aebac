"""Casework: what happens to a case after submission, as pure functions over its events.

The event vocabulary (``kinds``), the case clock (promised deadline, suspensions, extensions,
lights, the §32 five-working-day window limit) and the state a case is in. Nothing here reads
the store or the wall clock: callers pass events, a calendar and "today".
"""
