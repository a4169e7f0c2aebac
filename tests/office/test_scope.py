"""Scopes: region nesting (province → city → county → township → village), departments for
reviewers, read-only supervisors, admins who see accounts but not cases."""

from __future__ import annotations

import pytest

from yijian.office import scope
from yijian.runtime.regions import RegionTable
from yijian.store.staff import Grant, StaffMember


def staff(*grants: tuple[str, str, str | None], disabled: bool = False, id: int = 1) -> StaffMember:
    return StaffMember(
        id=id,
        login=f"s{id}",
        name="王芳",
        disabled=disabled,
        grants=tuple(Grant(i, id, r, reg, d) for i, (r, reg, d) in enumerate(grants, 1)),
    )


@pytest.mark.parametrize(
    ("grant", "region", "expected"),
    [
        ("110105", "110105", True),  # itself
        ("110105", "110105001", True),  # a street of 朝阳区
        ("110105", "110105001001", True),  # a community below it
        ("110105", "110105001000", True),  # the street in 12 digits
        ("110105", "110106", False),  # the next district
        ("110105", "110000", False),  # the municipality above
        ("110105", "1101050", False),  # malformed
        ("110000", "110105", True),  # 北京市 covers its districts (no 市辖区 level)
        ("110000", "110105002", True),
        ("110000", "120101", False),  # 天津
        ("440000", "442000", True),  # 广东 → 中山
        ("442000", "442000001", True),  # 中山 has townships directly below the city
        ("442000", "442001", True),
        ("442000", "441900", False),  # 东莞 is not 中山
        ("440300", "440305", True),  # 深圳 → 南山区
        ("440305", "440300", False),
        ("420000", "429004", True),  # 湖北 → 仙桃 (省直辖县级)
        ("110105001", "110105001", True),  # a street grant
        ("110105001", "110105001003", True),
        ("110105001", "110105002", False),
        ("110105001", "110105", False),  # not up to its district
        ("110105001000", "110105001007", True),
        ("110105000000", "110105003", True),  # a district written in 12 digits
        ("abcdef", "110105", False),
        ("110105", "", False),
    ],
)
def test_covers(grant: str, region: str, expected: bool) -> None:
    assert scope.covers(grant, region) is expected


def test_significant_prefixes() -> None:
    assert scope.significant("440000") == "44"
    assert scope.significant("440300") == "4403"
    assert scope.significant("440305") == "440305"
    assert scope.significant("440305000") == "440305"
    assert scope.significant("440305001") == "440305001"
    assert scope.significant("440305001000") == "440305001"
    assert scope.significant("440305001002") == "440305001002"
    with pytest.raises(ValueError):
        scope.significant("4403")


def test_covers_agrees_with_the_region_table() -> None:
    """For every pair of 6-digit codes in one province, covers() is the table's ancestry."""
    table = RegionTable.load()
    codes = [r.code for r in table if r.code.startswith(("11", "42", "44", "46", "50", "65"))]
    for region in codes:
        ancestors = {r.code for r in table.path(region)}
        for grant in codes:
            assert scope.covers(grant, region) is (grant in ancestors), (grant, region)


def test_reviewers_see_their_department_only() -> None:
    reviewer = staff(("reviewer", "110105", "mca"))
    assert scope.can_see(reviewer, "110105001", "mca")
    assert not scope.can_see(reviewer, "110105001", "hrss")
    assert not scope.can_see(reviewer, "110105", None)
    assert scope.can_act(reviewer, "reviewer", "110105", "mca")
    assert not scope.can_act(reviewer, "reviewer", "110106", "mca")
    assert not scope.can_act(reviewer, "clerk", "110105", "mca")
    assert scope.sees_queue(reviewer, "110105", "mca")
    assert not scope.sees_queue(reviewer, "110105", "hrss")


def test_clerks_and_approvers_span_departments_in_their_region() -> None:
    clerk = staff(("clerk", "110105", None))
    approver = staff(("approver", "110000", None))
    assert scope.can_see(clerk, "110105", "mca") and scope.can_see(clerk, "110105", None)
    assert not scope.can_see(clerk, "110106", "mca")  # a clerk of another county
    assert not scope.sees_queue(clerk, "110105", "mca")  # the window is not a department
    assert scope.can_act(approver, "approver", "110106", "hrss")
    assert scope.sees_queue(approver, "110106", "hrss")


def test_supervisors_read_only_and_admins_see_no_cases() -> None:
    supervisor = staff(("supervisor", "110105", None))
    assert scope.can_see(supervisor, "110105003", "mca")
    assert scope.sees_queue(supervisor, "110105", "mca")
    assert not scope.can_act(supervisor, "supervisor", "110105", None)
    assert not scope.can_act(supervisor, "clerk", "110105", None)
    admin = staff(("admin", "110000", None))
    assert not scope.can_see(admin, "110105", None)
    assert scope.manages(admin, "110105")


def test_visible_is_none_outside_the_scope_and_for_the_disabled() -> None:
    case = object()
    clerk = staff(("clerk", "110105", None))
    assert scope.visible(clerk, case, "110105", "mca") is case
    assert scope.visible(clerk, case, "120101", "mca") is None
    assert scope.visible(None, case, "110105", "mca") is None  # a citizen or anonymous
    gone = staff(("clerk", "110105", None), disabled=True)
    assert scope.visible(gone, case, "110105", "mca") is None


def test_region_prefixes_for_queries() -> None:
    member = staff(
        ("clerk", "110105", None),
        ("clerk", "110105001", None),  # inside the first: merged away
        ("clerk", "440000", None),
        ("reviewer", "120101", "mca"),
        ("supervisor", "310000", None),
    )
    assert scope.region_prefixes(member, ["clerk"]) == ("110105", "44")
    assert scope.region_prefixes(member, ["reviewer"], "mca") == ("120101",)
    assert scope.region_prefixes(member, ["reviewer"], "hrss") == ()
    assert scope.region_prefixes(member, scope.CASE_ROLES, "mca") == (
        "110105",
        "120101",
        "31",
        "44",
    )
    assert scope.region_prefixes(None, ["clerk"]) == ()


def test_admins_manage_accounts_within_their_regions() -> None:
    county_admin = staff(("admin", "110105", None), id=1)
    city_admin = staff(("admin", "110000", None), id=2)
    clerk = staff(("clerk", "110105001", None), id=3)
    wide = staff(("clerk", "110105", None), ("clerk", "110106", None), id=4)
    bare = staff(id=5)
    assert scope.visible_staff(county_admin, clerk) is clerk
    assert scope.visible_staff(county_admin, wide) is None  # one grant is outside
    assert scope.visible_staff(city_admin, wide) is wide
    assert scope.visible_staff(county_admin, bare) is None  # no region: the shell's only
    assert scope.visible_staff(county_admin, county_admin) is None  # not oneself
    assert scope.visible_staff(city_admin, county_admin) is county_admin
    assert scope.visible_staff(county_admin, city_admin) is None
    assert scope.visible_staff(clerk, bare) is None  # not an admin
    assert not scope.manages(county_admin, "110106")
