"""A whole citizen journey through the application layer, with no HTTP at all.

Start a draft, answer every page, add and remove repeat rows, upload the materials the upload
step asks for, check the answers, submit: the same functions the web handlers call, over a real
registry and a real SQLite store. This is what a window clerk's 帮办代办 or a batch job reuses.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from demo_root import make_root
from yijian.apply import drafts, materials
from yijian.apply.answering import answer_page
from yijian.apply.errors import AlreadySubmitted, NotFound
from yijian.apply.services import Services
from yijian.apply.submission import submission
from yijian.apply.submit import submit
from yijian.calendar.clock import CHINA_TZ, fixed_clock
from yijian.registry import Registry
from yijian.runtime.answers import get
from yijian.runtime.regions import RegionTable
from yijian.store import Store

REPO = Path(__file__).resolve().parents[2]
BIRTH = "birth-medical-certificate"
PDF = b"%PDF-1.4\n% a material\n%%EOF\n"
NOON = fixed_clock(datetime(2025, 9, 30, 10, 0, tzinfo=CHINA_TZ))


def _services(root: Path, tmp_path: Path) -> Services:
    registry = Registry(root)
    assert registry.load() is not None, registry.last_errors
    store = Store.open(tmp_path / "db" / "yijian.db", clock=NOON)
    return Services(registry, store, RegionTable.load(), "442000", clock=NOON)


def _first_case_answers(matter: str) -> dict[str, Any]:
    cases = yaml.safe_load((REPO / "matters" / matter / "cases.yaml").read_text("utf-8"))
    return cases["cases"][0]["answers"]


def _upload_all(services: Services, draft_id: str, m: Any, out: Any) -> None:
    specs = materials.pending(m, out)
    for ms in specs:
        ref = services.store.files.put(PDF, f"{ms.material.id}.pdf", None, draft_id, ms.material.id)
        assert not isinstance(ref, str), ref
    assert not materials.missing(specs, materials.uploaded(services.store, draft_id))


def test_birth_example_from_start_to_case(tmp_path: Path) -> None:
    services = _services(REPO, tmp_path)
    new = drafts.start(services, BIRTH, None)
    wanted = _first_case_answers(BIRTH)
    page, seen = new.first_page, []
    while page not in ("review", materials.UPLOAD_PAGE):
        draft = drafts.may_open(services, new.draft_id, None, [new.draft_id])
        m, draft = drafts.pinned(services, draft)
        spec = next(p for p in m.pages if p.id == page)
        values = {f.key: get(wanted, f.key) for f in spec.fields if f.key}
        done = answer_page(
            services, draft, m, page, {k: v for k, v in values.items() if v is not None}
        )
        assert done.errors == {}, (page, done.errors)
        seen.append(page)
        page = done.next
    assert seen == [p.id for p in m.pages if p.id in done.out.pages]  # every page shown, once
    draft, m = drafts.open_for_form(services, new.draft_id, None, [new.draft_id])
    if page == materials.UPLOAD_PAGE:
        _upload_all(services, draft.id, m, done.out)
    _, out = submission(services, m, draft.answers)  # check your answers
    assert out.errors == {} and out.eligible
    result = submit(services, draft, m)
    assert result.case is not None
    case = services.store.cases.get(result.case.case_no)
    assert case is not None and case.matter_id == BIRTH
    assert case.case_no.startswith("442000" + "20250930")
    assert case.summary["deadline"] == "2025-09-30"  # 即办件: the same day
    assert case.summary["department"]
    again = submit(services, services.store.drafts.get(draft.id), m)  # a double click
    assert again.case.case_no == case.case_no
    with pytest.raises(AlreadySubmitted):
        drafts.open_for_form(services, draft.id, None, [draft.id])


def test_repeat_rows_uploads_and_a_refused_stranger(tmp_path: Path) -> None:
    services = _services(make_root(tmp_path / "root"), tmp_path)
    new = drafts.start(services, "demo", None)
    with pytest.raises(NotFound):  # another browser (no remembered id) cannot open it
        drafts.may_open(services, new.draft_id, None, [])
    draft, m = drafts.open_for_form(services, new.draft_id, None, [new.draft_id])
    who = {
        "applicant.name": "王芳",
        "applicant.id_number": "11010519491231002X",
        "applicant.disabled": True,
    }
    done = answer_page(services, draft, m, "who", who)
    assert done.errors == {} and done.next == "family"
    for action in ("add:members", "add:members", "add:members", "add:members", "remove:members:0"):
        draft = services.store.drafts.get(new.draft_id)
        answer_page(services, draft, m, "family", {}, action=action)
    draft = services.store.drafts.get(new.draft_id)
    assert len(get(draft.answers, "members")) == 2  # max_items 3, then one removed
    rows = [{"name": "李明", "age": 40}, {"name": "李小安", "age": 200}]
    done = answer_page(services, draft, m, "family", {"members": rows})
    assert done.errors == {"members.1.age": "第 2 项成员：年龄填写有误"}  # saved, judged, not lost
    assert get(services.store.drafts.get(new.draft_id).answers, "members.1.age") == 200
    rows[1]["age"] = 2
    done = answer_page(
        services, services.store.drafts.get(new.draft_id), m, "family", {"members": rows}
    )
    assert done.errors == {} and done.next == materials.UPLOAD_PAGE
    draft = services.store.drafts.get(new.draft_id)
    early = submit(services, draft, m)
    assert early.case is None and early.missing_materials  # 必要 materials not uploaded yet
    _upload_all(services, draft.id, m, done.out)
    result = submit(services, draft, m)
    assert result.case is not None
    assert services.store.cases.get(result.case.case_no).answers["members"][1]["age"] == 2
