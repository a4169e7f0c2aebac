"""Staff administration and sign-in through the application layer, on a real store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from argon2 import PasswordHasher

from yijian.office import staff as office
from yijian.office.identity import (
    PasswordStaffIdentity,
    StaffIdentityProvider,
    current_staff,
    open_session,
)
from yijian.office.staff import GrantSpec, Operator, StaffError
from yijian.runtime.regions import RegionTable
from yijian.store import Store
from yijian.store.passwords import Passwords

SHELL = Operator.shell("root")
REGIONS = RegionTable.load()
PASSWORD = "correct horse 1"


def cheap_passwords() -> Passwords:
    """Real argon2id with small parameters, so the tests stay fast."""
    return Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "y.db") as s:
        yield s


def add(store: Store, login: str, *grants: GrantSpec, operator: Operator = SHELL, **kw: object):
    return office.add_staff(
        store,
        kw.pop("passwords", None) or cheap_passwords(),  # type: ignore[arg-type]
        login=login,
        name=str(kw.pop("name", "王芳")),
        password=str(kw.pop("password", PASSWORD)),
        operator=operator,
        regions=REGIONS,
        grants=grants,
        **kw,  # type: ignore[arg-type]
    )


def test_add_validates_and_normalises(store: Store) -> None:
    wang = add(store, " Wang ", GrantSpec("clerk", "110105"), phone="+86 138-0013-8000")
    assert wang.login == "wang" and wang.phone == "13800138000"
    assert wang.password_hash.startswith("$argon2id$")
    for login, grants, kw, message in [
        ("wang", (), {}, "已被使用"),
        ("1wang", (), {}, "登录名"),
        ("li", (), {"password": "short"}, "密码至少 10 位"),
        ("li", (), {"password": "1234567890"}, "太常见"),  # issue 13: a common password
        ("li", (), {"password": "abababababab"}, "重复或连续"),
        ("li", (), {"name": " "}, "姓名"),
        ("li", (), {"phone": "12345"}, "手机号码"),
        ("li", (GrantSpec("boss", "110105"),), {}, "未知角色"),
        ("li", (GrantSpec("clerk", "999999"),), {}, "未知区划代码 999999"),
        ("li", (GrantSpec("clerk", "11010"),), {}, "6、9 或 12 位"),
        ("li", (GrantSpec("reviewer", "110105"),), {}, "须指定部门"),
        ("li", (GrantSpec("clerk", "110105", "mca"),), {}, "不指定部门"),
        (
            "li",
            (GrantSpec("reviewer", "110105", "nope"),),
            {"departments": {"mca"}},
            "未知部门 nope",
        ),
    ]:
        with pytest.raises(StaffError, match=message):
            add(store, login, *grants, **kw)
    assert [m.login for m in store.staff.members()] == ["wang"]  # nothing half-made
    li = add(store, "li", GrantSpec("reviewer", "110105001", "mca"), departments={"mca"})
    assert [(g.role, g.region, g.department) for g in li.grants] == [
        ("reviewer", "110105001", "mca")
    ]


def test_grant_revoke_disable_password_are_audited_with_the_actor(store: Store) -> None:
    add(store, "wang", GrantSpec("clerk", "110105"))
    wang = office.grant(store, "wang", GrantSpec("approver", "110105"), SHELL, REGIONS)
    assert {g.role for g in wang.grants} == {"clerk", "approver"}
    with pytest.raises(StaffError, match="已有此授权"):
        office.grant(store, "wang", GrantSpec("approver", "110105"), SHELL, REGIONS)
    wang = office.revoke(store, "wang", GrantSpec("clerk", "110105"), SHELL)
    assert [g.role for g in wang.grants] == ["approver"]
    with pytest.raises(StaffError, match="没有此授权"):
        office.revoke(store, "wang", GrantSpec("clerk", "110105"), SHELL)
    passwords = cheap_passwords()
    office.set_password(store, passwords, "wang", "another secret", SHELL)
    assert office.set_disabled(store, "wang", True, SHELL)
    assert not office.set_disabled(store, "wang", True, SHELL)
    with pytest.raises(StaffError, match="没有登录名为 nobody"):
        office.set_disabled(store, "nobody", True, SHELL)
    trail = store.staff.audit(wang.id)
    assert [e.kind for e in trail] == [
        "staff_added",
        "grant_added",
        "grant_added",
        "grant_revoked",
        "password_set",
        "staff_disabled",
    ]
    assert {e.actor for e in trail} == {"cli:root"}


def test_an_admin_works_inside_their_region_only(store: Store) -> None:
    admin = add(store, "boss", GrantSpec("admin", "110105"))
    other_county = add(store, "far", GrantSpec("clerk", "110106"))
    as_admin = Operator.admin_member(admin)
    assert as_admin.actor == f"staff:{admin.id}"
    near = add(store, "near", GrantSpec("clerk", "110105001"), operator=as_admin)
    with pytest.raises(StaffError, match="无权在区划 110106"):
        add(store, "xu", GrantSpec("clerk", "110106"), operator=as_admin)
    with pytest.raises(StaffError, match="至少授予一个角色"):
        add(store, "yu", operator=as_admin)
    assert [m.login for m in office.list_staff(store, as_admin)] == ["near"]
    # outside the scope is "not found", exactly like a login that does not exist
    with pytest.raises(StaffError, match="没有登录名为 far"):
        office.set_disabled(store, "far", True, as_admin)
    with pytest.raises(StaffError, match="没有登录名为 boss"):  # not oneself either
        office.grant(store, "boss", GrantSpec("admin", "110000"), as_admin, REGIONS)
    with pytest.raises(StaffError, match="无权在区划 110000"):
        office.grant(store, "near", GrantSpec("clerk", "110000"), as_admin, REGIONS)
    with pytest.raises(StaffError, match="不能撤销最后一项授权"):
        office.revoke(store, "near", GrantSpec("clerk", "110105001"), as_admin)
    near = office.grant(store, "near", GrantSpec("approver", "110105"), as_admin, REGIONS)
    near = office.revoke(store, "near", GrantSpec("clerk", "110105001"), as_admin)
    assert [g.role for g in near.grants] == ["approver"]
    assert office.set_disabled(store, "near", True, as_admin)
    assert store.staff.get(other_county.id).disabled is False  # type: ignore[union-attr]
    assert store.staff.audit(near.id)[-1].actor == f"staff:{admin.id}"


def _run(fn, *args):  # type: ignore[no-untyped-def]
    """``anyio.run`` on a thread of its own: whatever async state an earlier test left in this
    worker's main thread ("Already running asyncio in this thread" under xdist), it is not
    this test's concern."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(anyio.run, fn, *args).result()


def test_password_sign_in_sessions_and_disable(store: Store) -> None:
    passwords = cheap_passwords()
    add(store, "wang", GrantSpec("clerk", "110105"), passwords=passwords)
    provider = PasswordStaffIdentity(store, passwords)
    assert isinstance(provider, StaffIdentityProvider)

    async def attempt(login: str, password: str):  # type: ignore[no-untyped-def]
        return await provider.authenticate(login, password)

    assert _run(attempt, "wang", "wrong password") is None
    assert _run(attempt, "nobody", PASSWORD) is None
    assert _run(attempt, "wang", "x" * 200) is None
    member = _run(attempt, "WANG", PASSWORD)
    assert member is not None and member.login == "wang"
    sid = open_session(store, member, via=provider.name)
    assert sid is not None
    signed_in = current_staff(store, sid)
    assert signed_in is not None and [g.role for g in signed_in.grants] == ["clerk"]
    assert current_staff(store, None) is None
    assert store.staff.audit(member.id)[-1].kind == "signed_in"
    assert store.staff.audit(member.id)[-1].data == {"via": "password"}

    office.set_disabled(store, "wang", True, SHELL)
    assert current_staff(store, sid) is None  # revoked on disable
    assert _run(attempt, "wang", PASSWORD) is None  # and no new sign-in
    assert open_session(store, member, via="password") is None


def test_sign_in_rehashes_after_a_parameter_change(store: Store) -> None:
    weak = Passwords(PasswordHasher(time_cost=1, memory_cost=512, parallelism=1))
    add(store, "wang", GrantSpec("clerk", "110105"), passwords=weak)
    stronger = cheap_passwords()
    provider = PasswordStaffIdentity(store, stronger)
    old = store.staff.by_login("wang").password_hash  # type: ignore[union-attr]
    assert stronger.needs_rehash(old)
    assert _run(provider.authenticate, "wang", PASSWORD) is not None
    new = store.staff.by_login("wang").password_hash  # type: ignore[union-attr]
    assert new != old and not stronger.needs_rehash(new)
    assert _run(provider.authenticate, "wang", PASSWORD) is not None
