"""Migration 13: ``licences``, the e-licence library (电子证照库).

A licence is issued in the same transaction as the decision that grants it (``office.licences``)
and is what later matters' materials with source 电子证照 of that type are fetched from, what a
citizen's 我的证照 lists and what the verification page looks up by its GB/T 36904 identifier.
The holder is kept as a hash of the ID number (to find a person's licences) and masked for
display; status is read from the granting case's events (revoked), never stored twice.
"""

SQL = """
CREATE TABLE licences (
    identifier TEXT PRIMARY KEY,     -- GB/T 36904
    type_name TEXT NOT NULL,
    type_code TEXT NOT NULL,
    issuer TEXT NOT NULL,            -- department name
    issuer_code TEXT NOT NULL,       -- its unified social credit code
    holder_key TEXT NOT NULL,        -- sha256 of the holder's ID number ('' when none)
    holder_masked TEXT NOT NULL,
    owner_id INTEGER,                -- the citizen's account, for 我的证照
    case_no TEXT NOT NULL,           -- the (sub-)case whose decision granted it
    issued_on TEXT NOT NULL,
    valid_until TEXT                 -- NULL: 长期
);
CREATE INDEX licences_holder ON licences (holder_key, type_name);
CREATE INDEX licences_owner ON licences (owner_id);
CREATE TABLE licence_serials (
    issuer_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (issuer_code, year)
);
"""
