"""How staff sign in: an identity-provider interface, the built-in password provider, sessions.

A provider answers one question, "which staff member is this?", and nothing else: it never
creates accounts and never grants roles. Staff are provisioned by admins (``yijian staff add``
or the admin page); a province's unified login (统一身份认证, OIDC) only proves that the person
at the keyboard is the one whose login an admin registered. So a provider returns an existing,
enabled ``StaffMember`` or None, and the caller then opens a session with ``open_session``,
which is the same whoever proved the identity::

    member = await provider.authenticate(login, password)   # built-in password provider
    member = await oidc.authenticate(subject, id_token)      # an OIDC provider: the login is
                                                             # the verified subject / 工号
    session_id = open_session(store, member, via=provider.name)

The cookie, CSRF and redirect flow belong to the web adapter; this module has no HTTP in it.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import anyio.to_thread

from yijian.store import Store
from yijian.store.passwords import MAX_PASSWORD, Passwords
from yijian.store.staff import StaffMember

__all__ = ["PasswordStaffIdentity", "StaffIdentityProvider", "current_staff", "open_session"]


@runtime_checkable
class StaffIdentityProvider(Protocol):
    """Turns proof of identity into one of our (enabled) staff members, or None."""

    @property
    def name(self) -> str:
        """Recorded with each sign-in in the audit trail ("password", "oidc" …)."""
        ...

    async def authenticate(self, login: str, credential: str) -> StaffMember | None:
        """The member for a correct ``credential`` (a password, a verified token …); None for
        an unknown login, a wrong credential or a disabled member, alike."""
        ...


class PasswordStaffIdentity:
    """Login + password against the argon2id hash in ``staff.password_hash``."""

    name = "password"

    def __init__(self, store: Store, passwords: Passwords):
        self._store = store
        self._passwords = passwords

    async def authenticate(self, login: str, credential: str) -> StaffMember | None:
        if len(credential) > MAX_PASSWORD or len(login) > 64:
            return None
        member = await anyio.to_thread.run_sync(self._store.staff.by_login, login.strip().lower())
        stored = member.password_hash if member is not None and not member.disabled else None
        # an unknown or disabled member is verified against a dummy hash: the same time
        if not await self._passwords.verify_async(stored, credential):
            return None
        assert member is not None and stored is not None
        if self._passwords.needs_rehash(stored):
            fresh = await self._passwords.hash_async(credential)
            await anyio.to_thread.run_sync(self._store.staff.rehash, member.id, stored, fresh)
        return member


def open_session(store: Store, member: StaffMember, *, via: str) -> str | None:
    """A new staff session id (for the staff cookie), recorded as a sign-in; None when the
    member was disabled in the meantime."""
    return store.staff.create_session(member.id, via=via)


def current_staff(store: Store, session_id: str | None) -> StaffMember | None:
    """The signed-in, enabled member with their current grants, or None."""
    return store.staff.session(session_id) if session_id else None
