"""Every stable error code is documented and proven.

A code found in the platform's source must have an entry in ``yijian.load.codes``, a section
in ``docs/reference/errors.md`` and a broken definitions root under
``tests/fixtures/invalid/<CODE>/`` whose ``expected.txt`` prints it; a catalog entry no code
uses is stale. Codes added by other parts of the platform (bundles, …) are held to the same
rule as soon as they appear in the source.
"""

from __future__ import annotations

import re
from pathlib import Path

from yijian.load.codes import CATALOG, CODES

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "platform" / "yijian"
ERRORS_MD = REPO / "docs" / "reference" / "errors.md"
FIXTURES = REPO / "tests" / "fixtures" / "invalid"
#: Roots that pass `yijian check` with one warning of the code named (tests/load/test_analysis.py).
WARNING_FIXTURES = REPO / "tests" / "fixtures" / "warnings"
CODE = re.compile(r"""["'](E-[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*)["']""")

#: Codes proven by a direct test instead of a fixture folder, and why.
NO_FIXTURE = {
    # A fixture would be a committed YAML file over 512 KiB. Proven through the checker by
    # tests/load/test_invalid_fixtures.py::test_oversized_file_is_refused (a file written in
    # tmp_path) and by tests/load/test_yamlsrc.py::test_size_limit.
    "E-YAML-SIZE",
    # A warning (the fixture tests expect `yijian check` to fail) that depends on today's date:
    # proven by tests/runtime/test_rule_faults.py (test_check_warns_of_a_promised_limit_…).
    "E-CALENDAR-HORIZON",
    # A warning too (the definitions load): proven by tests/load/test_placeholders.py, which
    # also keeps the example root free of it.
    "E-PLACEHOLDER",
    # A warning too: proven by tests/load/test_authoring_checks.py (the catalog label with it).
    "E-ONLINE-DEPTH",
}


def codes_in_source() -> set[str]:
    """Every code literal in the platform's Python, except the catalog that lists them."""
    found = set()
    for path in SOURCE.rglob("*.py"):
        if path == SOURCE / "load" / "codes.py":
            continue
        found |= set(CODE.findall(path.read_text(encoding="utf-8")))
    return found


def test_the_source_uses_codes() -> None:
    assert {"E-YAML-SYNTAX", "E-RULE-VAR", "E-CALENDAR"} <= codes_in_source()


def test_every_code_in_the_source_has_a_catalog_entry() -> None:
    missing = sorted(codes_in_source() - CODES.keys())
    assert not missing, f"add these to yijian/load/codes.py, then run `yijian docs`: {missing}"


def test_no_catalog_entry_is_unused() -> None:
    stale = sorted(CODES.keys() - codes_in_source())
    assert not stale, f"no code in platform/yijian uses these catalog entries: {stale}"


def test_catalog_entries_are_unique_and_complete() -> None:
    assert len(CATALOG) == len(CODES)
    for entry in CATALOG:
        assert entry.title and entry.meaning and entry.fix, entry.code
        assert bool(entry.before) == bool(entry.after), f"{entry.code}: before without after"


def test_every_code_has_a_section_in_the_error_reference() -> None:
    sections = set(re.findall(r"^### (E-[A-Z0-9-]+)$", ERRORS_MD.read_text(encoding="utf-8"), re.M))
    missing = sorted(codes_in_source() - sections)
    assert not missing, f"docs/reference/errors.md lacks {missing}: run `yijian docs`"


def test_every_code_has_a_broken_fixture() -> None:
    missing = []
    for code in sorted(codes_in_source() - NO_FIXTURE):
        expected = FIXTURES / code / "expected.txt"
        if not expected.is_file():
            expected = WARNING_FIXTURES / code / "expected.txt"
        if not expected.is_file() or f"[{code}]" not in expected.read_text(encoding="utf-8"):
            missing.append(code)
    assert not missing, f"add tests/fixtures/invalid/<CODE>/ with expected.txt for {missing}"


def test_allow_list_holds_only_codes_without_fixture() -> None:
    assert codes_in_source() >= NO_FIXTURE
    assert not [code for code in NO_FIXTURE if (FIXTURES / code).exists()]


def test_no_fixture_for_a_code_that_does_not_exist() -> None:
    folders = {
        p.name
        for base in (FIXTURES, WARNING_FIXTURES)
        for p in base.iterdir()
        if p.is_dir() and p.name.startswith("E-")
    }
    assert not sorted(folders - codes_in_source())
