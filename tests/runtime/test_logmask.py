"""No personal data in logs (issue 13, item 10): the mask, and a journey that logs everything.

The journey runs the birth example from the first page to the receipt with known values, with
every logger at DEBUG into one handler, and a draft page that fails (to log a traceback); no
line may hold the identity numbers, the phone or the draft id.
"""

from __future__ import annotations

import io
import logging
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))

from webtools import BIRTH, BIRTH_PAGES, FIXTURE, REPO, SAME_ORIGIN, TestClient, start, with_markers

from yijian.runtime.logmask import install, mask_text
from yijian.web import Settings, create_app

MOTHER_ID = BIRTH_PAGES["parents"]["mother.id_number"]
FATHER_ID = BIRTH_PAGES["parents"]["father.id_number"]
PHONE = BIRTH_PAGES["parents"]["contact.phone"]


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"answer {MOTHER_ID} saved", "answer 1101**********002X saved"),
        ("old id 110105490101002 x", "old id 1101*******1002 x"),
        (f"sms to {PHONE} queued", "sms to 138****8000 queued"),
        ("sms to +86 138-0013-8000", "sms to 861******8000"),
        ("GET /drafts/Zx3_kQ9vL2mN8pR4tY7wAa/child", "GET /drafts/[secret]/child"),
        ("version 6a8bcca0517a9f72 in 12 ms", "version 6a8bcca0517a9f72 in 12 ms"),
        ("module yijian_registry_reload_watcher", "module yijian_registry_reload_watcher"),
        (
            "at 2026-12-05 14:27:45,123 pid 1733400000123",
            "at 2026-12-05 14:27:45,123 pid 1733400000123",
        ),
    ],
)
def test_mask_text(text: str, masked: str) -> None:
    assert mask_text(text) == masked


def test_any_logger_args_and_tracebacks_are_masked() -> None:
    install()
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    logger = logging.getLogger("some.library.nobody.configured")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        try:
            raise ValueError(f"bad value {MOTHER_ID}")
        except ValueError:
            logger.exception("saving %s for %s failed", PHONE, {"id": FATHER_ID})
    finally:
        logger.removeHandler(handler)
    text = out.getvalue()
    assert "138****8000" in text and "ValueError: bad value 1101**********002X" in text
    assert MOTHER_ID not in text and FATHER_ID not in text and PHONE not in text


def test_a_whole_journey_logs_no_personal_data(tmp_path: Path) -> None:
    install()
    import shutil

    root = tmp_path / "root"
    shutil.copytree(REPO / "matters" / BIRTH, root / "matters" / BIRTH)
    shutil.copytree(FIXTURE / "matters", root / "matters", dirs_exist_ok=True)
    shutil.copytree(REPO / "forms", root / "forms")
    shutil.copytree(REPO / "rules", root / "rules", ignore=shutil.ignore_patterns("org.yaml"))
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    top = logging.getLogger()
    level = top.level
    top.addHandler(handler)
    top.setLevel(logging.DEBUG)
    try:
        app = create_app(Settings(root=root, db_path=tmp_path / "var" / "yijian.db"))
        with TestClient(app, headers=SAME_ORIGIN) as client:
            draft, _url = start(client, BIRTH)
            for page, values in BIRTH_PAGES.items():
                r = client.post(f"/drafts/{draft}/{page}", data=with_markers(values))
                assert r.status_code in (200, 303), r.text
            client.get(f"/drafts/{draft}/review")
            client.post(f"/drafts/{draft}/submit")
            client.get(f"/drafts/{draft}/no-such-page")
            logging.getLogger("yijian.test").info("draft %s answers %s", draft, BIRTH_PAGES)
    finally:
        top.removeHandler(handler)
        top.setLevel(level)
    text = out.getvalue()
    assert text.count("\n") > 3, text  # the journey did log
    for secret in (MOTHER_ID, FATHER_ID, PHONE, draft):
        assert secret not in text, f"{secret} in the logs:\n{text}"
