"""Cases of any example matter, required materials included (a one-page PDF each), made
through ``apply.submit`` as a citizen's (imported as ``casefixtures``; see ``taskfixtures``)."""

from __future__ import annotations

from typing import Any

from yijian.apply import materials
from yijian.apply.services import Services
from yijian.apply.submit import submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def submitted(services: Services, matter: str, answers: dict[str, Any]) -> str:
    """A submitted case of ``matter`` with a file for every material the upload step asks."""
    m = services.registry.current.matter(matter)
    draft = services.store.drafts.create(m.id, m.version, None)
    services.store.drafts.save(draft.id, answers, "review")
    for _ in range(2):
        done = submit(services, services.store.drafts.get(draft.id), m)
        if not done.missing_materials:
            break
        for spec in materials.pending(m, done.out):
            ref = services.store.files.put(PDF, "a.pdf", None, draft.id, spec.material.id)
            assert not isinstance(ref, str), ref
    assert done.case is not None, (done.out.errors if done.out else None, done)
    return done.case.case_no
