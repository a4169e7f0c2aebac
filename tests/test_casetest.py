from pathlib import Path

from demo_root import make_root
from yijian.tools.casetest import collect, run_cases

CASES = """
cases:
  - name: 残疾人情形
    context: {today: 2025-09-30}
    answers:
      applicant: {name: 王芳, id_number: "11010519491231002X", disabled: true}
      members: [{name: 甲, age: 30}]
    expect:
      eligible: true
      failing: []
      situations: [disabled]
      materials: [id_copy, disability_card]
      uploads: [disability_card]
      steps: [accept, review, visit, decide]
      derived: {applicant.age: 75}
      complete: true
      deadline: 2025-10-14
  - name: 错误的期望
    context: {today: 2025-09-30}
    answers: {applicant: {disabled: false, income: 1500}}
    expect:
      failing: []
      hidden: [applicant.income]
"""


def test_cases_pass_and_failures_name_file_line_and_difference(tmp_path: Path, capsys) -> None:
    root = make_root(tmp_path, cases_yaml=CASES)
    _snap, runs, errors = collect(root)
    assert errors == []
    assert [r.ok for r in runs] == [True, False]
    report = runs[1].report()
    assert report.startswith("matters/demo/cases.yaml:18: demo: case '错误的期望' failed:")
    assert "failing: expected [], got ['income']" in report
    assert "hidden: 'applicant.income' is visible" in report
    assert run_cases(root, None) == 1
    assert "1 passed, 1 failed (2 cases in 1 folders)" in capsys.readouterr().out
