"""The live set of definitions: immutable snapshots swapped whole, and hot reload."""

from yijian.registry.snapshot import Registry, Snapshot

__all__ = ["Registry", "Snapshot"]
