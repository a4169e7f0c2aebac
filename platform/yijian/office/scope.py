"""Scopes: which cases, tasks, queues and colleagues a staff member may see. Pure functions.

A grant is (role, region, department). Its region covers itself and every region below it;
a reviewer's grant covers only its department. Codes nest by prefix, the way this project
numbers regions (``yijian.runtime.regions``, GB/T 2260) and the way the statistical codes
extend them below the county (GB/T 10114: 9-digit township/street codes, 12-digit
village/community codes)::

    440000  province  → every code starting "44"
    442000  city      → every code starting "4420" (中山, a city with no counties, has
                        townships 442000001… directly below it)
    110105  county    → "110105" and its townships 110105001…, villages 110105001001…
    110105001         → township (街道/乡镇) and its villages
    110105001000      → the same township written in 12 digits

A 直辖市's districts (110105) sit directly below the municipality in the region table; the
prefix "11" of 110000 covers them without the dropped 市辖区 placeholder 110100.

Results outside a scope are ``None`` (``visible``), so the web answers 404, not 403: a
member outside the scope cannot tell an object that exists from one that does not.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from yijian.office.roles import READ_ONLY
from yijian.store.staff import Grant, StaffMember

__all__ = [
    "CASE_ROLES",
    "can_act",
    "can_see",
    "covers",
    "manages",
    "region_prefixes",
    "sees_queue",
    "significant",
    "visible",
    "visible_staff",
]

#: Roles that see cases at all. ``admin`` manages accounts only: a person who also works
#: cases holds a second grant (least privilege; an admin's scope is staff, not citizens' data).
CASE_ROLES = frozenset({"clerk", "reviewer", "approver", "supervisor"})
#: Roles that see a department's queue (reviewers only their own department).
QUEUE_ROLES = frozenset({"reviewer", "approver", "supervisor"})

T = TypeVar("T")


def significant(code: str) -> str:
    """The prefix that a region code's subregions share: '440000' → '44', '110105001000' →
    '110105001'. Raises ``ValueError`` for anything but 6, 9 or 12 digits."""
    if not (code.isascii() and code.isdigit() and len(code) in (6, 9, 12)):
        raise ValueError(f"region code must be 6, 9 or 12 digits, got {code!r}")
    if len(code) == 12:
        if not code.endswith("000"):
            return code  # a village / community
        code = code[:9]
    if len(code) == 9:
        if not code.endswith("000"):
            return code  # a township / street
        code = code[:6]
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def covers(grant_region: str, region: str) -> bool:
    """Whether a grant on ``grant_region`` reaches ``region`` (itself or anything below it).

    A malformed code on either side covers nothing (never raises: request input reaches it).
    """
    try:
        return significant(region).startswith(significant(grant_region))
    except ValueError:
        return False


def _fits(grant: Grant, region: str, department: str | None) -> bool:
    if not covers(grant.region, region):
        return False
    return grant.role != "reviewer" or (department is not None and grant.department == department)


def _grants(member: StaffMember | None, roles: Iterable[str]) -> list[Grant]:
    if member is None or member.disabled:
        return []
    wanted = set(roles)
    return [g for g in member.grants if g.role in wanted]


def can_act(member: StaffMember | None, role: str, region: str, department: str | None) -> bool:
    """Whether the member holds ``role`` for this region (and department, for a reviewer).

    ``supervisor`` is read-only: nobody acts as a supervisor.
    """
    if role in READ_ONLY:
        return False
    return any(_fits(g, region, department) for g in _grants(member, (role,)))


def can_see(member: StaffMember | None, region: str, department: str | None) -> bool:
    """Whether any case role of the member reaches a case (or task) in region/department."""
    return any(_fits(g, region, department) for g in _grants(member, CASE_ROLES))


def visible(member: StaffMember | None, item: T, region: str, department: str | None) -> T | None:
    """``item`` if the member may see it, else None (the caller answers 404)."""
    return item if can_see(member, region, department) else None


def sees_queue(member: StaffMember | None, region: str, department: str) -> bool:
    """Whether the member may open the queue of ``department`` in ``region``."""
    return any(_fits(g, region, department) for g in _grants(member, QUEUE_ROLES))


def region_prefixes(
    member: StaffMember | None, roles: Iterable[str], department: str | None = None
) -> tuple[str, ...]:
    """The region prefixes a query filters on (``region LIKE prefix || '%'``) for these roles;
    reviewer grants count only for ``department``. Nested prefixes are merged; empty = none."""
    found = sorted(
        {
            significant(g.region)
            for g in _grants(member, roles)
            if g.role != "reviewer" or g.department == department
        }
    )
    merged: list[str] = []
    for prefix in found:  # sorted: a covering prefix comes before what it covers
        if not any(prefix.startswith(m) for m in merged):
            merged.append(prefix)
    return tuple(merged)


def manages(admin: StaffMember | None, region: str) -> bool:
    """Whether ``admin`` holds an admin grant covering ``region`` (to grant or revoke there)."""
    return any(covers(g.region, region) for g in _grants(admin, ("admin",)))


def visible_staff(admin: StaffMember | None, member: StaffMember) -> StaffMember | None:
    """``member`` if ``admin`` manages every region it holds a grant in, else None (404).

    A member with no grants belongs to no region, so to no admin: only the shell (``yijian
    staff``) reaches it, and admins cannot revoke a member's last grant (they disable
    instead). Otherwise any admin anywhere could take over such an account. An admin never
    manages themselves through this, so they cannot lock themselves out or widen their scope.
    """
    if admin is None or admin.disabled or member.id == admin.id or not member.grants:
        return None
    return member if all(manages(admin, g.region) for g in member.grants) else None
