"""The compiled form of a definition: what the loader produces and the runtime evaluates."""

from yijian.compiled.matter import (
    CompiledMatter,
    EligibilitySpec,
    FieldSpec,
    MaterialSpec,
    PageSpec,
    StepSpec,
)

__all__ = [
    "CompiledMatter",
    "EligibilitySpec",
    "FieldSpec",
    "MaterialSpec",
    "PageSpec",
    "StepSpec",
]
