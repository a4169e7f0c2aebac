"""The calendar file format: what a county admin can get wrong, and how we tell them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from yijian.calendar import CalendarError, CalendarYear, WorkCalendar
from yijian.calendar.loader import read_calendar_file
from yijian.calendar.model import Holiday, MakeupWorkday, region_chain

RULES = Path(__file__).resolve().parents[2] / "rules" / "calendar"

GOOD = """\
year: 2025
region: cn
source: 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）
holidays:
  - {name: 元旦, from: 2025-01-01, to: 2025-01-01}
  - {name: 春节, from: 2025-01-28, to: 2025-02-04}
workdays:
  - {date: 2025-01-26, name: 春节调休}
  - {date: 2025-02-08, name: 春节调休}
"""


def data(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "year": 2025,
        "region": "cn",
        "source": "test notice",
        "holidays": [{"name": "春节", "from": date(2025, 1, 28), "to": date(2025, 2, 4)}],
        "workdays": [{"date": date(2025, 1, 26), "name": "春节调休"}],
    }
    base.update(changes)
    return base


def write(tmp_path: Path, text: str, name: str = "cn-2025.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- model ---------------------------------------------------------------------------------


def test_valid_year_parses_and_expands_dates() -> None:
    cal = CalendarYear.model_validate(data())
    assert cal.verified is True
    assert len(cal.rest_days()) == 8
    assert cal.work_days() == {date(2025, 1, 26)}
    assert cal.file_name == "cn-2025.yaml"


def test_models_are_frozen() -> None:
    cal = CalendarYear.model_validate(data())
    with pytest.raises(ValidationError):
        cal.year = 2026  # type: ignore[misc]


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        (
            {"holidays": [{"name": "春节", "from": date(2025, 2, 4), "to": date(2025, 1, 28)}]},
            "is after 'to'",
        ),
        ({"workdays": [{"date": date(2025, 1, 21), "name": "x"}]}, "is a Tuesday"),
        (
            {"holidays": [{"name": "元旦", "from": date(2024, 12, 31), "to": date(2025, 1, 1)}]},
            "2024-12-31 is not in 2025",
        ),
        ({"workdays": [{"date": date(2026, 1, 4), "name": "x"}]}, "2026-01-04 is not in 2025"),
        (
            {"workdays": [{"date": date(2025, 2, 1), "name": "x"}]},
            "both a rest day (春节) and a make-up workday",
        ),
        (
            {"workdays": [{"date": date(2025, 1, 26), "name": "x"}] * 2},
            "2025-01-26 is listed twice",
        ),
        (
            {
                "holidays": [
                    {"name": "a", "from": date(2025, 5, 1), "to": date(2025, 5, 3)},
                    {"name": "b", "from": date(2025, 5, 3), "to": date(2025, 5, 5)},
                ]
            },
            "listed in two holidays",
        ),
        ({"region": "45"}, "neither 'cn' nor a 6-digit region code"),
        ({"region": "CN"}, "neither 'cn' nor a 6-digit region code"),
        ({"region": "045000"}, "neither 'cn' nor a 6-digit region code"),
        ({"colour": "red"}, "Extra inputs are not permitted"),
        ({"year": 1990}, "greater than or equal to 2000"),
    ],
)
def test_invalid_years_are_refused(changes: dict[str, object], fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        CalendarYear.model_validate(data(**changes))
    assert fragment in str(info.value)


def test_region_code_may_be_written_unquoted() -> None:
    assert CalendarYear.model_validate(data(region=450000)).region == "450000"


def test_unknown_key_inside_an_entry_is_refused() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        Holiday.model_validate(
            {"name": "x", "from": date(2025, 1, 1), "to": date(2025, 1, 1), "a": 1}
        )


@pytest.mark.parametrize("model", [CalendarYear, Holiday, MakeupWorkday])
def test_every_field_is_documented(model: type[BaseModel]) -> None:
    # The descriptions become the YAML reference docs.
    for name, info in model.model_fields.items():
        assert info.description, f"{model.__name__}.{name} has no description"


def test_region_chain_goes_from_nation_to_county() -> None:
    assert region_chain(None) == ("cn",)
    assert region_chain("cn") == ("cn",)
    assert region_chain("450000") == ("cn", "450000")
    assert region_chain("450100") == ("cn", "450000", "450100")
    assert region_chain("450102") == ("cn", "450000", "450100", "450102")


# --- files ---------------------------------------------------------------------------------


def test_shipped_files_are_valid_and_name_their_notice() -> None:
    files = sorted(RULES.glob("*.yaml"))
    assert {"cn-2025.yaml", "cn-2026.yaml", "450000-2025.yaml"} <= {p.name for p in files}
    for path in files:
        cal = read_calendar_file(path)
        assert "通知" in cal.source
    assert "国办发明电〔2024〕12号" in read_calendar_file(RULES / "cn-2025.yaml").source


def test_unconfirmed_overlay_is_marked_and_says_what_to_check() -> None:
    cal = read_calendar_file(RULES / "450000-2025.yaml")
    if not cal.verified:
        assert cal.note and "广西" in cal.note


def test_good_file_loads(tmp_path: Path) -> None:
    cal = read_calendar_file(write(tmp_path, GOOD))
    assert cal.year == 2025 and len(cal.workdays) == 2


@pytest.mark.parametrize(
    ("old", "new", "line", "fragment"),
    [
        ("2025-02-08, name", "2025-02-11, name", 9, "workdays[1]: 2025-02-11 is a Tuesday"),
        ("to: 2025-02-04", "to: 2026-02-04", 6, "holidays[1].to: 2026-02-04 is not in 2025"),
        ("{name: 元旦,", "{name: 元旦, form: 2025-01-01,", 5, "holidays[0]: unknown key 'form'"),
        ("source:", "sourse:", 3, "unknown key 'sourse' (did you mean 'source'?)"),
        ("2025-01-26, name", "2025-02-01, name", 8, "both a rest day (春节)"),
        ("to: 2025-02-04", "to: 2025-01-04", 6, "holidays[1]: 春节: 'from' 2025-01-28 is after"),
        ("year: 2025", "year: '2025x'", 1, "year: Input should be a valid integer"),
    ],
)
def test_invalid_file_reports_file_line_and_problem(
    tmp_path: Path, old: str, new: str, line: int, fragment: str
) -> None:
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(CalendarError) as info:
        WorkCalendar.load(tmp_path)
    error = info.value
    assert error.path == path
    assert error.line == line
    assert str(error).startswith(f"{path}:{line}: ")
    assert fragment in str(error)


def test_file_name_must_match_its_content(tmp_path: Path) -> None:
    write(tmp_path, GOOD, name="cn-2026.yaml")
    with pytest.raises(CalendarError, match=r"cn-2026\.yaml:1: file says region 'cn', year 2025"):
        WorkCalendar.load(tmp_path)


def test_stray_file_name_is_refused(tmp_path: Path) -> None:
    write(tmp_path, GOOD, name="cn-2025-draft.yaml")
    with pytest.raises(CalendarError, match=r"cn-2025-draft\.yaml: file name must be"):
        WorkCalendar.load(tmp_path)


def test_broken_yaml_reports_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("{name: 元旦,", "{name: [元旦,"))
    with pytest.raises(CalendarError, match="not valid YAML") as info:
        read_calendar_file(path)
    assert info.value.line == 5


def test_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CalendarError, match="expected a mapping"):
        read_calendar_file(write(tmp_path, "# nothing yet\n"))


def test_missing_folder_is_a_calendar_error(tmp_path: Path) -> None:
    with pytest.raises(CalendarError, match="calendar folder not found"):
        WorkCalendar.load(tmp_path / "nope")
