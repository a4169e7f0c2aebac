"""The reserved ``_meta`` answer key: what a draft remembers besides the citizen's answers.

It holds the change statement shown once (after a move to a new version) and what prefill
filled. Drafts started before store migration 16 also hold the field labels of the version they
started on (``labels``); since then those are kept once per version in the store
(``store.versions.keep_labels``), and a move to a new version reads either.
"""

from __future__ import annotations

from yijian.compiled.matter import CompiledMatter

META = "_meta"  # reserved top-level answer key: notices, prefill (older drafts: field labels)


def field_labels(m: CompiledMatter) -> dict[str, str]:
    return {k: f.label for k, f in m.fields.items() if k}
