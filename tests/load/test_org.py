"""rules/org.yaml: the example organisation checks clean and answers the back office's lookups;
a root without it checks nothing against it; a broken edit keeps the last good snapshot."""

from __future__ import annotations

import shutil
from pathlib import Path

from yijian.registry import Registry
from yijian.registry.reload import apply_changes

REPO = Path(__file__).resolve().parents[2]


def test_the_example_organisation() -> None:
    registry = Registry(REPO)
    snap = registry.load()
    assert snap is not None, registry.last_errors
    org = snap.org
    assert org.defined
    health = org.department("县卫生健康局")
    assert health is not None and health.id == "health"
    assert org.department("助产机构") is health  # an alias
    assert org.department("health") is health  # the id staff grants use
    assert org.posts()["户籍窗口"] == "clerk" and org.posts()["人口家庭科负责人"] == "approver"
    every = ["county", "shiqi", "shiqi-community-1"]
    assert [c.id for c in org.centres_for("442000001001")] == every
    assert [c.id for c in org.centres_for("442000001002")] == ["county", "shiqi"]
    assert [c.id for c in org.centres_for("442000002")] == ["county"]
    assert [c.id for c in org.centres_for("442000")] == ["county"]
    assert [c.level for c in org.centres] == ["county", "township", "village"]
    shiqi = org.centre("shiqi")
    assert shiqi is not None and org.accepts(shiqi, "birth-medical-certificate")
    assert not org.accepts(shiqi, "food-business-licence")
    county = org.centre("county")
    assert county is not None and org.accepts(county, "food-business-licence")
    assert [w.name for w in county.windows][:2] == ["1号综合窗口", "2号综合窗口"]
    assert all(w.post in org.posts() for c in org.centres for w in c.windows)
    assert org.centre("nowhere") is None and org.department("无此部门") is None
    # the department owning a matter (实施主体) and a bundle (牵头部门)
    birth = org.department_of(snap.matters["birth-medical-certificate"])
    assert birth is health
    bundle = snap.matters["newborn-bundle"]
    lead = org.department_of(bundle)
    assert lead is not None and lead is org.department(bundle.definition.lead_department)
    # every department a matter names exists
    for m in snap.matters.values():
        name = getattr(getattr(m.definition, "department", None), "name", None)
        assert name is None or org.department(name) is not None, (m.id, name)


def test_a_root_without_an_organisation_checks_nothing_against_it(tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(REPO / "matters" / "birth-medical-certificate", root / "matters" / "b")
    shutil.copytree(REPO / "forms", root / "forms")
    shutil.copytree(REPO / "rules" / "calendar", root / "rules" / "calendar")
    registry = Registry(root)
    snap = registry.load()
    assert snap is not None, registry.last_errors
    assert not snap.org.defined and snap.org.department("县卫生健康局") is None


def test_a_broken_organisation_keeps_the_last_good_snapshot(tmp_path: Path) -> None:
    root = tmp_path / "root"
    for name in ("matters", "forms", "rules"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    registry = Registry(root)
    good = registry.load()
    assert good is not None
    org = root / "rules" / "org.yaml"
    org.write_text(org.read_text("utf-8").replace("name: 户籍窗口", "name: 户籍窗"), "utf-8")
    assert registry.load() is None
    lines = [d.format() for d in registry.last_errors]
    assert any("unknown post '户籍窗口'" in d and "[E-ORG-ROLE]" in d for d in lines), lines
    assert registry.current is good


def test_an_unknown_window_post_is_located_with_a_hint(tmp_path: Path) -> None:
    root = tmp_path / "root"
    for name in ("matters", "forms", "rules"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    org = root / "rules" / "org.yaml"
    text = org.read_text("utf-8")
    lineno = text.splitlines().index("      - {name: 2号综合窗口, post: 综合窗口}") + 1
    text = text.replace("{name: 2号综合窗口, post: 综合窗口}", "{name: 2号, post: 综合窗}")
    org.write_text(text, "utf-8")
    registry = Registry(root)
    assert registry.load() is None
    lines = [d.format() for d in registry.last_errors]
    assert len(lines) == 1, lines
    line = lines[0]
    assert line.startswith(f"rules/org.yaml:{lineno}:") and "[E-ORG-ROLE]" in line, line
    assert "unknown post '综合窗'" in line and "did you mean '综合窗口'" in line, line


def test_a_saved_organisation_is_served_by_the_next_reload(tmp_path: Path) -> None:
    """Hot reload: the org file is a definition like the matters; saving it rebuilds."""
    root = tmp_path / "root"
    for name in ("matters", "forms", "rules"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    registry = Registry(root, disk_cache=False)
    before = registry.load()
    assert before is not None
    org = root / "rules" / "org.yaml"
    text = org.read_text("utf-8").replace("name: 石岐街道便民服务中心", "name: 石岐便民服务中心")
    org.write_text(text, "utf-8")
    line = apply_changes(registry, [org])
    assert line.startswith("reloaded"), line
    shiqi = registry.current.org.centre("shiqi")
    assert shiqi is not None and shiqi.name == "石岐便民服务中心"
    # the matters are unchanged, but what the site serves is a new version
    assert registry.current.version != before.version
    assert line.endswith(f"version {registry.current.version}")


def _errors_after(tmp_path: Path, old: str, new: str) -> list[str]:
    root = tmp_path / "root"
    for name in ("matters", "forms", "rules"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    org = root / "rules" / "org.yaml"
    text = org.read_text("utf-8")
    assert old in text
    org.write_text(text.replace(old, new, 1), "utf-8")
    registry = Registry(root)
    assert registry.load() is None
    return [d.format() for d in registry.last_errors]


def test_a_window_named_twice_in_a_centre_is_a_duplicate(tmp_path: Path) -> None:
    lines = _errors_after(tmp_path, "name: 2号综合窗口", "name: 1号综合窗口")
    assert len(lines) == 1 and "[E-ORG-DUPLICATE]" in lines[0], lines
    assert "window '1号综合窗口' is named twice in centre 'county'" in lines[0], lines


def test_a_post_name_means_one_staff_role(tmp_path: Path) -> None:
    """分管负责人 is an approver in three departments; a reviewer of that name is ambiguous."""
    lines = _errors_after(
        tmp_path, "{name: 分管负责人, role: approver}", "{name: 分管负责人, role: reviewer}"
    )
    # the first department sets the role; each later one that differs is located
    assert len(lines) == 2 and all("[E-ORG-DUPLICATE]" in line for line in lines), lines
    msg = "post '分管负责人' has role approver here but reviewer in an earlier department"
    assert all(msg in line for line in lines), lines


def test_a_centre_region_fits_its_level(tmp_path: Path) -> None:
    """A township centre written on its county's code would cover every township."""
    lines = _errors_after(tmp_path, 'region: "442000001"', 'region: "442000"')
    assert len(lines) == 1 and "[E-ORG-REGION]" in lines[0], lines
    assert "a township centre's region has 9 digits, not 6" in lines[0], lines
