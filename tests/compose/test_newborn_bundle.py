"""新生儿出生一件事 end to end: what cases.yaml cannot name yet (member rule ids, plan steps),
the computed savings and the loader's bundle errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from yijian.defs.cases import CasesDef
from yijian.load.source import FileCache
from yijian.registry.snapshot import Registry
from yijian.runtime.answers import nest
from yijian.runtime.evaluate import Context, evaluate
from yijian.tools.casetest import promised_deadline

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def snap():
    reg = Registry(REPO)
    reg.load()
    assert reg.current is not None
    return reg.current


@pytest.fixture(scope="module")
def bundle(snap):
    return snap.matters["newborn-bundle"]


def case(name: str) -> dict:
    cases = FileCache().read(REPO, REPO / "matters/newborn-bundle/cases.yaml", CasesDef).model
    return nest(next(c for c in cases.cases if c.name.startswith(name)).answers)


def run(bundle, answers: dict, today: date = date(2025, 9, 30)):
    return evaluate(bundle, answers, Context(today), validate=True)


def test_member_rules_are_reported_with_their_matter(bundle) -> None:
    assert run(bundle, case("R1")).failing == ["birth-medical-certificate.R1"]
    assert run(bundle, case("R2")).failing == ["birth-medical-certificate.R2"]
    out = run(bundle, case("2 "))
    assert out.failing == ["R3", "birth-registration.B1"]  # B1 only warns
    assert not out.eligible


def test_optional_member_without_bank_card_drops_out_with_its_reason(bundle) -> None:
    out = run(bundle, case("8 "))
    assert out.eligible and "maternity-medical-reimbursement" not in out.matters
    member = out.extra["members"]["maternity-medical-reimbursement"]
    assert member["selected"] and not member["included"] and not member["eligible"]
    assert member["failing"][0]["id"] == "maternity-medical-reimbursement.R7"


def test_plan_steps_and_materials_passed_along(bundle) -> None:
    out = run(bundle, case("5 "))
    assert [f"{s.matter}.{s.step.id}" if s.matter else s.step.id for s in out.steps] == [
        "accept",
        "birth-medical-certificate.issue",
        "vaccination-certificate.issue",
        "birth-registration.register",
        "resident-medical-insurance.enrol",
        "social-security-card.review",
        "social-security-card.make_card",
        "close",
    ]
    assert out.extra["passed"] == {
        "birth_certificate": "birth-medical-certificate",
        "newborn_household_register": "birth-registration",
    }
    assert out.uploads == []
    assert out.extra["promised_days"] == 3  # without the optional reimbursement


def test_promised_limit_is_derived_and_counts_on_the_calendar(bundle, snap) -> None:
    assert bundle.extra["promised_days"] == 5
    assert bundle.extra["critical_path"] == [
        "accept",
        "maternity-medical-reimbursement.review",
        "maternity-medical-reimbursement.pay",
        "close",
    ]
    for accepted, deadline in (
        (date(2025, 9, 30), date(2025, 10, 14)),
        (date(2026, 2, 13), date(2026, 2, 27)),
    ):
        assert promised_deadline(bundle, snap, Context(accepted)) == deadline


def test_savings_of_the_whole_bundle(bundle) -> None:
    s = bundle.extra["savings"]
    # 户口簿 x2; 授权委托书 (出生登记, only for a 委托代理人) counts once on each side
    assert s["materials"] == {"separate": 26, "bundled": 9, "saved": 17}
    assert s["steps"] == {"separate": 19, "bundled": 13, "saved": 6}
    assert s["days"] == {"separate": 10, "bundled": 5, "saved": 5}
    assert s["visits"] == {"separate": 1, "bundled": 1, "saved": 0}
    assert s["questions"]["bundled"] < s["questions"]["separate"]


def test_one_form_asks_each_key_once_and_shared_identity_comes_first(bundle) -> None:
    keys = [f.key for p in bundle.pages for f in p.fields if f.key]
    assert len(keys) == len(set(keys))
    ids = [p.id for p in bundle.pages]
    assert ids[:4] == ["situation", "bundle-optional", "shared-child", "shared-parents"]
    assert ids[-1] == "shared-declaration"


def test_members_are_pinned_to_their_versions(bundle, snap) -> None:
    for m in bundle.members:
        assert bundle.extra["members"][m.id]["version"] == snap.matters[m.id].version
