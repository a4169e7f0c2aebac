"""Migration 15: ``drafts.saved_ns``, the moment the draft's latest written save was called.

Why: two saves of one draft may run in two app processes (a browser's requests go to any of
them); a slow earlier save must never overwrite a later one. The order was kept in one
process's memory; now each save carries the wall-clock nanoseconds at which it was called and
writes only over an older one (``UPDATE … WHERE saved_ns IS NULL OR saved_ns <= ?``), which
holds across processes and machines whose clocks agree to well under the time between two of
one person's keystrokes.
"""

SQL = """
ALTER TABLE drafts ADD COLUMN saved_ns INTEGER;
"""
