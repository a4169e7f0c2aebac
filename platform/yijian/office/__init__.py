"""The back office: staff accounts, their scopes and (later) the window and department queues.

An application layer like ``yijian.apply`` (plain functions over the store and the registry,
no HTTP), placed above it so that staff actions can reuse the citizen journey (帮办代办 runs
the same form code). The web adapter and the CLI call it; see docs/staff.md.
"""
