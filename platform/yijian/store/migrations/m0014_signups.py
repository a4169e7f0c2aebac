"""Migration 14: ``pending_signups``, a sign-up waiting for the code sent to its phone.

Why: sign-up must not tell anyone that a phone is registered (GOV.UK's answer: send a message
to the phone instead). Every sign-up gets the same reply, "we sent a code to your phone"; a new
phone gets the code, a registered one gets a message saying it is registered (and no code), so
only the holder of the phone learns anything. The account is created when the code comes back.
Only hashes are kept: of the browser's token and of the code; the password is already hashed.
"""

SQL = """
CREATE TABLE pending_signups (
    token_hash TEXT PRIMARY KEY,
    phone TEXT NOT NULL,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    code_hash TEXT NOT NULL,        -- '' when the phone was registered: no code was sent
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0
);
"""
