"""YAML read with positions, and diagnostics that point at file:line:col (used by every loader)."""
