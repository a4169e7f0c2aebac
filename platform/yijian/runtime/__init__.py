"""The form runtime: evaluating a compiled matter or bundle on answers (pure, no I/O)."""
