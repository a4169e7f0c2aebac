"""Migration 4: the definition files of every version a draft or case may be pinned to.

Content-addressed: a file's bytes are kept once under their sha256, however many versions use
them; a version's manifest maps each root-relative path to its hash. With these, a server
restarted after the definitions changed rebuilds the version a case was submitted on.
"""

SQL = """
CREATE TABLE definition_blobs (
    sha256 TEXT PRIMARY KEY,
    data BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE definition_versions (
    matter_id TEXT NOT NULL,
    version TEXT NOT NULL,
    manifest TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (matter_id, version)
) WITHOUT ROWID;
"""
