"""Drafts ready to submit, made through the application layer (no HTTP), for the scale-out
benchmarks: the birth example's first case answered page by page, as ``bench_submit_web``
does, but from several threads (on PostgreSQL each page save waits for a commit round trip;
one thread made 50 drafts in 4 s). ``phone_of(i)`` gives draft ``i`` its own mobile number,
so an SMS line in the worker's file names the draft it is for.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import yaml

from scale_common import REPO

BIRTH = "birth-medical-certificate"


def phone_of(i: int) -> str:
    return f"139{i:08d}"


def ready_drafts(
    target: str | Path, n: int, threads: int = 8, files: Path | None = None
) -> list[tuple[str, str]]:
    """``n`` drafts with every page answered on the store at ``target``: (draft id, the
    ``yj_drafts`` cookie that opens it, with the draft's secret) each."""
    from yijian.apply import drafts
    from yijian.apply.answering import answer_page
    from yijian.apply.services import Services
    from yijian.registry import Registry
    from yijian.runtime.answers import get
    from yijian.runtime.regions import RegionTable
    from yijian.store import Store

    registry = Registry(REPO)
    assert registry.load() is not None, registry.last_errors
    store = Store.open(target, files=files) if files else Store.open(target)
    services = Services(registry, store, RegionTable.load(), None)
    cases = yaml.safe_load((REPO / "matters" / BIRTH / "cases.yaml").read_text("utf-8"))
    wanted: dict[str, Any] = cases["cases"][0]["answers"]

    def one(i: int) -> tuple[str, str]:
        new = drafts.start(services, BIRTH, None)
        page = new.first_page
        while page != "review":
            draft, m = drafts.open_for_form(services, new.draft_id, None, [new.draft_id])
            spec = next(p for p in m.pages if p.id == page)
            values = {f.key: get(wanted, f.key) for f in spec.fields if f.key}
            values = {k: v for k, v in values.items() if v is not None}
            if "contact.phone" in values:
                values["contact.phone"] = phone_of(i)
            done = answer_page(services, draft, m, page, values)
            assert not done.errors, done.errors
            page = done.next  # type: ignore[assignment]
        secret = store.drafts.bind_secret(new.draft_id)
        return new.draft_id, f"yj_drafts={new.draft_id}~{secret}"

    try:
        with ThreadPoolExecutor(threads) as pool:
            return list(pool.map(one, range(n)))
    finally:
        store.close()
