"""The reserved ``_meta`` answer key: what a draft remembers besides the citizen's answers.

It holds the field labels of the version the draft was started on (so a move to a new version
can say which questions changed), the change statement shown once, and what prefill filled.
"""

from __future__ import annotations

from yijian.compiled.matter import CompiledMatter

META = "_meta"  # reserved top-level answer key: field labels of the pinned version, notices


def field_labels(m: CompiledMatter) -> dict[str, str]:
    return {k: f.label for k, f in m.fields.items() if k}
