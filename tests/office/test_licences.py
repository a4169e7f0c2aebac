"""The e-licence library: the newborn bundle's 出生医学证明 is issued into it with the member's
approval, and 出生登记 (the next member) reads it from there; identifiers are GB/T 36904."""

from __future__ import annotations

from pathlib import Path

from taskfixtures import NEWBORN, case_answers, member, services, submitted

from yijian.office import taskactions as ta
from yijian.office.review import TaskRef
from yijian.office.taskview import view_task
from yijian.office.window import accept
from yijian.runtime.licenceid import valid

CLERK = member(1, "wang", ("clerk", "442000", None))
HEALTH = member(2, "li", ("reviewer", "442000", "health"))
POLICE = member(3, "zhou", ("reviewer", "442000", "police"))


def test_the_certificate_goes_into_the_library_and_the_registration_reads_it(
    tmp_path: Path,
) -> None:
    s = services(tmp_path)
    case_no = submitted(s, NEWBORN, case_answers(NEWBORN))
    accept(s, CLERK, case_no)
    reg = TaskRef(case_no, "birth-registration", "register")
    before = {m["id"]: m["source"] for m in view_task(s, POLICE, _open(s, case_no)).materials}
    assert "尚无" in before["birth_certificate"]
    ta.pass_step(s, HEALTH, TaskRef(case_no, "birth-medical-certificate", "issue"), "签发", {})
    [licence] = s.store.licences.of_case(case_no)
    assert licence.type_name == "出生医学证明电子证照" and valid(licence.identifier)
    assert licence.identifier.startswith("1.2.156.3005.2.12100000MB0000001X001.11442000MB2C12345Q.")
    assert licence.holder_masked == "王*" and licence.issuer == "县卫生健康局"
    view = view_task(s, POLICE, reg)
    got = {m["id"]: m["source"] for m in view.materials}
    assert licence.identifier in got["birth_certificate"]  # fetched, not uploaded
    ta.pass_step(s, POLICE, reg, "登记完成", {}, approve=True)
    types = {x.type_name for x in s.store.licences.of_case(case_no)}
    assert types == {"出生医学证明电子证照", "新生儿户口簿电子证照"}
    # a second application of the same family finds the first certificate in the library
    assert s.store.licences.of_holder("11010519491231002X", "出生医学证明电子证照")


def _open(s, case_no):  # type: ignore[no-untyped-def]
    return TaskRef(case_no, "birth-registration", "register")
