"""Developer and author tools behind the CLI: the case runner, doc generation, JSON Schemas."""
