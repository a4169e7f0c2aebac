"""Migration 6: applicants who broke a 容缺 commitment (a store-backed credit flag).

容缺受理 is not for an applicant "有不良信用记录或曾虚假承诺" until their credit is repaired
(domain reference §4.5). Real credit data comes from the province later; until then the window's
own record is kept here, by the sha256 of the applicant's ID number (never the number itself).
"""

SQL = """
CREATE TABLE broken_commitments (
    subject TEXT NOT NULL,
    case_no TEXT NOT NULL,
    at TEXT NOT NULL,
    repaired_at TEXT,
    PRIMARY KEY (subject, case_no)
) WITHOUT ROWID;
"""
