"""The fixed staff roles and their Chinese names (shown on staff pages and in the CLI list).

The set itself is the store's (``yijian.store.staff.ROLES``, mirrored by a CHECK constraint);
this module adds what the back office says about each role.
"""

from __future__ import annotations

from types import MappingProxyType

from yijian.store.staff import ROLES

__all__ = ["NEEDS_DEPARTMENT", "READ_ONLY", "ROLES", "ROLE_LABELS"]

ROLE_LABELS = MappingProxyType(
    {
        "clerk": "综合窗口",
        "reviewer": "部门审查",
        "approver": "负责人",
        "supervisor": "电子监察",
        "admin": "系统管理员",
    }
)
#: A reviewer works one department's queue; every other role spans its region.
NEEDS_DEPARTMENT = frozenset({"reviewer"})
#: Sees what its region sees, changes nothing.
READ_ONLY = frozenset({"supervisor"})

assert set(ROLE_LABELS) == set(ROLES)
