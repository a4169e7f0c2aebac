"""yijian (一件): declarative matters and 一件事 bundles for county government services."""

from yijian.rules.functions import rule_function

__all__ = ["rule_function"]
__version__ = "0.1.0"
