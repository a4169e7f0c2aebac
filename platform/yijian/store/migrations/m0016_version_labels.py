"""Migration 16: ``version_labels``, the field labels of each version drafts were started on.

Why: a draft remembers the labels of the version it started on, to tell the citizen which
questions changed if it must move to a new version (``apply.drafts.pinned``: only when its
version cannot be rebuilt). They were kept in the draft's own answers (``_meta.labels``): for a
200-field form 7 of its 8.5 KB, copied, encoded and written again on every answer change and
page post. They are the same for every draft of a version, so they are kept here once per
version (JSON, field key → label); a draft's matter and version already name its row. Drafts
written before this keep their labels inline, and those are still read first.
"""

SQL = """
CREATE TABLE version_labels (
    matter_id TEXT NOT NULL,
    version TEXT NOT NULL,
    labels TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (matter_id, version)
) WITHOUT ROWID;
"""
