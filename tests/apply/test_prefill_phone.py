"""The signed-in phone fills the library's phone fields wherever they are used (issue 15)."""

from __future__ import annotations

from pathlib import Path

from test_journey import REPO, _services

from yijian.apply import drafts
from yijian.runtime.answers import get


def test_every_library_phone_field_is_prefilled_from_the_account(tmp_path: Path) -> None:
    services = _services(REPO, tmp_path)
    user = services.store.users.create("13912345678", "not-a-real-hash", "王芳")
    snapshot = services.registry.current
    phones = {
        m.id: f.key
        for m in snapshot.matters.values()
        for f in m.fields.values()
        if str(f.type) == "phone" and f.definition.prefill is not None
    }
    assert {"social-security-card", "housing-fund-seal", "outdoor-signboard"} <= set(phones)
    for matter_id in ("social-security-card", "housing-fund-seal", "outdoor-signboard"):
        new = drafts.start(services, matter_id, user)
        assert get(new.answers, phones[matter_id]) == "13912345678", matter_id
