"""A county root holding only its own matters: the platform's field library (数据元), calendar
and themes come from the package; the root adds and overrides (issue 12, items 1 and 9).

Before the package shipped them, ``use: person.name`` in such a root failed with
``unknown library field`` and ``yijian test`` with ``no working-day calendar``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from yijian.cli import main
from yijian.registry.snapshot import Registry


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out + err


@pytest.fixture
def county(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """An empty directory after ``yijian new matter disability-card``."""
    status, out = run(capsys, "--root", str(tmp_path), "new", "matter", "disability-card")
    assert status == 0, out
    assert not (tmp_path / "forms").exists() and not (tmp_path / "rules").exists()
    return tmp_path


def test_new_matter_checks_and_passes_its_cases(
    county: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = sorted(p.name for p in (county / "matters" / "disability-card").iterdir())
    assert files == ["cases.yaml", "form.yaml", "matter.yaml", "routing.yaml", "rules.yaml"]
    for name in files:  # every file says what it is and where its keys are documented
        text = (county / "matters" / "disability-card" / name).read_text(encoding="utf-8")
        assert text.startswith("# ") and "docs/" in text, name
    status, out = run(capsys, "--root", str(county), "check")
    assert status == 0 and out.startswith("ok: 1 matters, 0 bundles"), out
    status, out = run(capsys, "--root", str(county), "test")
    assert status == 0 and "6 passed, 0 failed" in out, out


def test_new_bundle_scaffolds_missing_members_and_passes(
    county: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ("--root", str(county), "new", "bundle", "disability")
    status, out = run(capsys, *argv, "--members", "disability-card", "care-subsidy")
    assert status == 0, out
    assert "wrote matters/care-subsidy/matter.yaml" in out
    assert "wrote matters/disability-card/" not in out  # an existing member is left alone
    status, out = run(capsys, "--root", str(county), "check")
    assert status == 0 and out.startswith("ok: 2 matters, 1 bundles"), out
    status, out = run(capsys, "--root", str(county), "test")
    assert status == 0 and "15 passed, 0 failed" in out, out


def test_new_refuses_an_existing_folder_or_a_bad_id(
    county: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = run(capsys, "--root", str(county), "new", "matter", "disability-card")
    assert status == 2 and "already exists" in out
    status, out = run(capsys, "--root", str(county), "new", "matter", "残疾证")
    assert status == 2 and "is not a folder id" in out


def test_library_fields_come_from_the_package_and_the_root_overrides(county: Path) -> None:
    reg = Registry(county, disk_cache=False)
    snap = reg.load()
    assert snap is not None, reg.last_errors
    m = snap.matter("disability-card")
    labels = {k: f.label for k, f in m.fields.items()}
    assert labels["applicant.name"] == "姓名"  # the national person.name
    (county / "forms").mkdir()
    (county / "forms" / "person.yaml").write_text(
        "fields:\n  name: {type: text, label: 姓名（与户口簿一致）, max_length: 30}\n"
        "  guardian: {type: text, label: 监护人姓名}\n",
        encoding="utf-8",
    )
    form = county / "matters" / "disability-card" / "form.yaml"
    text = form.read_text(encoding="utf-8")
    form.write_text(
        text.replace(
            "      - use: person.phone\n",
            "      - use: person.guardian\n        key: applicant.guardian\n"
            "      - use: person.phone\n",
        ),
        encoding="utf-8",
    )
    reg = Registry(county, disk_cache=False)
    snap = reg.load()
    assert snap is not None, reg.last_errors
    fields = snap.matter("disability-card").fields
    assert fields["applicant.name"].label == "姓名（与户口簿一致）"  # overridden by the root
    assert fields["applicant.guardian"].label == "监护人姓名"  # added by the root
    assert fields["applicant.id_number"].label == "公民身份号码"  # still the national one


def test_calendar_comes_from_the_package_and_a_root_overlay_applies(county: Path) -> None:
    snap = Registry(county, disk_cache=False).load()
    assert snap is not None and {2025, 2026} <= snap.calendar.years
    from datetime import date

    assert snap.calendar.is_workday(date(2026, 4, 20))
    (county / "rules" / "calendar").mkdir(parents=True)
    (county / "rules" / "calendar" / "442000-2026.yaml").write_text(
        "year: 2026\nregion: '442000'\nsource: 县政府通知\n"
        "holidays:\n  - {name: 县庆, from: 2026-04-20, to: 2026-04-20}\n",
        encoding="utf-8",
    )
    snap = Registry(county, region="442000", disk_cache=False).load()
    assert snap is not None
    assert not snap.calendar.is_workday(date(2026, 4, 20))


def test_a_case_in_a_year_without_calendar_is_found_by_check(
    county: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = county / "matters" / "disability-card" / "cases.yaml"
    text = cases.read_text(encoding="utf-8")
    cases.write_text(text.replace("today: 2026-03-02}", "today: 2031-03-03}", 1), "utf-8")
    status, out = run(capsys, "--root", str(county), "check")
    assert status == 1, out
    assert "matters/disability-card/cases.yaml:" in out
    assert "2031, which has no working-day calendar" in out and "[E-CASE-CALENDAR]" in out


def test_site_file_names_the_site(county: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import warnings

    with warnings.catch_warnings():  # starlette nudges towards httpx2 at import
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from yijian.load.site import read_site
    from yijian.web.app import create_app
    from yijian.web.settings import Settings

    (county / "site.yaml").write_text(
        "name: 某县政务服务网\nhotline: '0760-12345'\nregion: '442000'\n", encoding="utf-8"
    )
    site, errors = read_site(county)
    assert site is not None and not errors
    settings = Settings(
        root=county, db_path=county / "var" / "y.db", site_name=site.name, hotline=site.hotline
    )
    with TestClient(create_app(settings)) as client:
        page = client.get("/")
    assert page.status_code == 200
    assert "某县政务服务网" in page.text and "0760-12345" in page.text
    (county / "site.yaml").write_text("name: 某县\nhotline: 12345\ncolour: red\n", "utf-8")
    status, out = run(capsys, "--root", str(county), "check")
    assert status == 1 and "site.yaml:3:1" in out and "colour" in out, out
    (county / "site.yaml").write_text("name: 某县\ntheme: mycounty\n", "utf-8")
    status, out = run(capsys, "--root", str(county), "check")
    assert status == 1 and "site.yaml:2:8: theme: themes/mycounty/ is not in" in out, out
    (county / "themes" / "mycounty" / "templates").mkdir(parents=True)
    status, out = run(capsys, "--root", str(county), "check")
    assert status == 0, out


def test_every_address_docs_county_md_publishes_answers(county: Path) -> None:
    """docs/county.md lists the addresses a county can link to: each one answers on a root
    holding one matter (public ones with the page, signed-in ones with the sign-in)."""
    import re
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from yijian.web.app import create_app
    from yijian.web.settings import Settings

    page = (Path(__file__).resolve().parents[1] / "docs" / "county.md").read_text("utf-8")
    rows = re.findall(r"^\| `(/[^`]*)` \|[^|]*\| ([^|]*) \|$", page, re.M)
    assert len(rows) >= 10, rows
    settings = Settings(root=county, db_path=county / "var" / "y.db")
    with TestClient(create_app(settings)) as client:
        for address, who in rows:
            url = (
                address.replace("<id>", "disability-card")
                .replace("<words>", "新事项")
                .replace("<case no>", "YJ-0000")
            )
            r = client.get(url.split("#")[0], follow_redirects=False)
            if who.strip() == "anyone":
                assert r.status_code in (200, 303), (address, r.status_code)
                if r.status_code == 303:
                    assert not r.headers["location"].startswith("/account"), address
            else:  # a citizen's own pages: the sign-in first, or not found (a case number)
                assert (r.status_code == 303 and "signin" in r.headers["location"]) or (
                    r.status_code == 404 and "<case no>" in address
                ), (address, r.status_code)
        r = client.get("/apply/disability-card", follow_redirects=False)
        assert r.headers["location"] == "/matters/disability-card#start"
        assert "新事项 disability-card" in client.get("/?q=新事项").text
