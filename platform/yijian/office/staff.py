"""Staff administration: add, list, disable, set a password, grant and revoke, validated.

Callers are the CLI (someone with shell access to the database: ``Operator.shell``) and the
admin pages (a signed-in admin: ``Operator.admin_member``). An admin may only touch accounts
and grants inside their own admin regions (``scope.visible_staff`` / ``scope.manages``);
anything outside is reported as not found, like every object outside a scope. The shell
operator may do anything, including creating the first admin.

Errors are ``StaffError`` with a Chinese message, the same text on the admin page and in the
CLI. Passwords are hashed here with the shared ``yijian.store.passwords.Passwords`` (blocking:
call from a worker thread in async code, or use ``hash_async`` and pass the hash).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from yijian.office import scope
from yijian.office.roles import NEEDS_DEPARTMENT, ROLE_LABELS, ROLES
from yijian.rules.builtins.cnid import mobile_valid
from yijian.runtime.regions import RegionTable
from yijian.store import Store
from yijian.store.passwords import MAX_PASSWORD, Passwords
from yijian.store.staff import GrantExists, LoginTaken, StaffMember
from yijian.store.weakpasswords import weak_password

__all__ = [
    "MIN_PASSWORD",
    "GrantSpec",
    "Operator",
    "StaffError",
    "add_staff",
    "check_grant",
    "check_password",
    "grant",
    "list_staff",
    "member",
    "revoke",
    "set_disabled",
    "set_password",
]

#: Staff passwords guard personal data of many citizens: longer than a citizen's (8).
MIN_PASSWORD = 10
_LOGIN = re.compile(r"[a-z][a-z0-9._-]{1,31}")


class StaffError(ValueError):
    """A refused staff change; ``message`` is Chinese and safe to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class GrantSpec:
    role: str
    region: str
    department: str | None = None


@dataclass(frozen=True, slots=True)
class Operator:
    """Who makes a change: ``actor`` goes into the audit trail; ``admin`` limits the scope."""

    actor: str
    admin: StaffMember | None = None  # None: shell access to the database (the CLI)

    @classmethod
    def shell(cls, os_user: str) -> Operator:
        return cls(f"cli:{os_user}")

    @classmethod
    def admin_member(cls, admin: StaffMember) -> Operator:
        return cls(f"staff:{admin.id}", admin)


def normalise_login(login: str) -> str:
    text = login.strip().lower()
    if not _LOGIN.fullmatch(text):
        raise StaffError("登录名须为 2-32 位小写字母、数字或 . _ -，以字母开头")
    return text


def _phone(phone: str | None) -> str | None:
    if phone is None or not phone.strip():
        return None
    digits = re.sub(r"[\s-]", "", phone)
    digits = digits[3:] if digits.startswith("+86") else digits
    if not mobile_valid(digits) or len(digits) != 11:
        raise StaffError("手机号码格式不正确")
    return digits


def check_password(password: str, login: str = "") -> None:
    if len(password) < MIN_PASSWORD:
        raise StaffError(f"密码至少 {MIN_PASSWORD} 位")
    if len(password) > MAX_PASSWORD:
        raise StaffError(f"密码不能超过 {MAX_PASSWORD} 位")
    problem = weak_password(password, account=login)  # common or trivial (issue 13)
    if problem is not None:
        raise StaffError(problem)


def check_grant(
    spec: GrantSpec,
    regions: RegionTable,
    departments: Collection[str] | None,
    operator: Operator,
) -> GrantSpec:
    """The grant, checked: a known role, a known region (a township's county must be known),
    a department exactly for reviewers and, when ``departments`` (from the org definitions)
    is given, one that exists; an admin operator only inside their admin regions."""
    if spec.role not in ROLES:
        raise StaffError(f"未知角色 {spec.role}；可选：{', '.join(ROLES)}")
    region = spec.region.strip()
    try:
        scope.significant(region)
    except ValueError:
        raise StaffError(f"区划代码须为 6、9 或 12 位数字：{region}") from None
    if not regions.is_valid(region[:6]):
        raise StaffError(f"未知区划代码 {region}")
    department = (spec.department or "").strip() or None
    if spec.role in NEEDS_DEPARTMENT and department is None:
        raise StaffError(f"{ROLE_LABELS[spec.role]}（{spec.role}）须指定部门")
    if spec.role not in NEEDS_DEPARTMENT and department is not None:
        raise StaffError(f"只有部门审查（reviewer）按部门授权，{spec.role} 不指定部门")
    if department is not None and departments is not None and department not in departments:
        raise StaffError(f"未知部门 {department}")
    if operator.admin is not None and not scope.manages(operator.admin, region):
        raise StaffError(f"无权在区划 {region} 授权")
    return GrantSpec(spec.role, region, department)


def member(store: Store, login: str, operator: Operator) -> StaffMember:
    """The member an operator may manage, or ``StaffError`` "not found" (also when outside
    the admin's scope: the same answer, like a 404)."""
    found = store.staff.by_login(login.strip().lower())
    if found is not None and operator.admin is not None:
        found = scope.visible_staff(operator.admin, found)
    if found is None:
        raise StaffError(f"没有登录名为 {login} 的工作人员")
    return found


def add_staff(
    store: Store,
    passwords: Passwords,
    *,
    login: str,
    name: str,
    password: str,
    operator: Operator,
    regions: RegionTable,
    grants: Iterable[GrantSpec] = (),
    phone: str | None = None,
    departments: Collection[str] | None = None,
) -> StaffMember:
    """A new member with its grants, all in one transaction (and one audit entry each)."""
    login = normalise_login(login)
    name = name.strip()
    if not name or len(name) > 50:
        raise StaffError("姓名不能为空，且不超过 50 字")
    checked = [check_grant(g, regions, departments, operator) for g in grants]
    if operator.admin is not None and not checked:
        raise StaffError("请至少授予一个角色")  # else it would be outside every admin's scope
    phone = _phone(phone)
    check_password(password, login)
    try:
        return store.staff.add(
            login,
            name,
            passwords.hash(password),
            actor=operator.actor,
            phone=phone,
            grants=[(g.role, g.region, g.department) for g in checked],
        )
    except LoginTaken:
        raise StaffError(f"登录名 {login} 已被使用") from None


def list_staff(store: Store, operator: Operator) -> list[StaffMember]:
    """Every member the operator may manage, by login."""
    everyone = store.staff.members()
    if operator.admin is None:
        return everyone
    return [m for m in everyone if scope.visible_staff(operator.admin, m) is not None]


def grant(
    store: Store,
    login: str,
    spec: GrantSpec,
    operator: Operator,
    regions: RegionTable,
    departments: Collection[str] | None = None,
) -> StaffMember:
    target = member(store, login, operator)
    checked = check_grant(spec, regions, departments, operator)
    try:
        store.staff.grant(
            target.id, checked.role, checked.region, checked.department, actor=operator.actor
        )
    except GrantExists:
        raise StaffError(f"{target.login} 已有此授权") from None
    updated = store.staff.get(target.id)
    assert updated is not None
    return updated


def revoke(store: Store, login: str, spec: GrantSpec, operator: Operator) -> StaffMember:
    target = member(store, login, operator)
    department = (spec.department or "").strip() or None
    wanted = (spec.role, spec.region.strip(), department)
    held = [g for g in target.grants if (g.role, g.region, g.department) == wanted]
    if not held:
        raise StaffError(f"{target.login} 没有此授权")
    if operator.admin is not None and len(target.grants) == 1:
        raise StaffError("不能撤销最后一项授权；不再需要此账号时请停用")
    store.staff.revoke(held[0].id, actor=operator.actor)
    updated = store.staff.get(target.id)
    assert updated is not None
    return updated


def set_disabled(store: Store, login: str, disabled: bool, operator: Operator) -> bool:
    """Disable (every session ends at once) or enable; False when it already was so."""
    target = member(store, login, operator)
    return store.staff.set_disabled(target.id, disabled, actor=operator.actor)


def set_password(
    store: Store, passwords: Passwords, login: str, password: str, operator: Operator
) -> None:
    """A new password set by an admin; the member's sessions end."""
    target = member(store, login, operator)
    check_password(password, target.login)
    store.staff.set_password_hash(target.id, passwords.hash(password), actor=operator.actor)
