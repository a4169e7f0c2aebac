"""The application layer: the citizen journey as plain functions over the registry and the store."""
