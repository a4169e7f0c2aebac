"""form.yaml ``applicant`` and ``on_receipt`` name fields of the form (or, for ``applicant``,
derived values), checked at load time (E-REF-FIELD), and reach the compiled matter."""

from __future__ import annotations

import shutil
from pathlib import Path

from yijian.registry import Registry

FORM = "matters/demo/form.yaml"
DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "invalid" / "E-REF-FIELD"


def _root(tmp_path: Path, head: str) -> Path:
    root = tmp_path / "root"
    shutil.copytree(DEMO / "matters", root / "matters")
    matter = root / "matters" / "demo" / "matter.yaml"
    matter.write_text(matter.read_text("utf-8").replace("nmae", "name"), "utf-8")
    form = root / "matters" / "demo" / "form.yaml"
    form.write_text(head + form.read_text("utf-8"), "utf-8")
    return root


def test_applicant_and_receipt_keys_reach_the_matter(tmp_path: Path) -> None:
    registry = Registry(
        _root(tmp_path, "applicant: {name: applicant.name}\non_receipt: [applicant.name]\n")
    )
    snapshot = registry.load()
    assert snapshot is not None, registry.last_errors
    m = snapshot.matter("demo")
    assert m.applicant == ("applicant.name", None) and m.on_receipt == ("applicant.name",)


def test_unknown_keys_are_named_where_written(tmp_path: Path) -> None:
    head = (
        "applicant: {name: applicant.nmae, id_number: applicant.id}\non_receipt: [applicant.nam]\n"
    )
    registry = Registry(_root(tmp_path, head))
    assert registry.load() is None
    found = {(d.code, d.path, d.loc, d.line) for d in registry.last_errors}
    assert ("E-REF-FIELD", FORM, "applicant.name", 1) in found
    assert ("E-REF-FIELD", FORM, "applicant.id_number", 1) in found
    assert ("E-REF-FIELD", FORM, "on_receipt[0]", 2) in found
    messages = " ".join(d.message for d in registry.last_errors)
    assert "did you mean 'applicant.name'" in messages


RADIO = """      - key: result.delivery
        type: radio
        label: 领取方式
        options: [邮寄, 窗口领取]
"""


def test_an_answer_printed_on_the_receipt_is_read(tmp_path: Path) -> None:
    """An optional choice no rule reads is data nobody uses, unless the receipt prints it."""
    from yijian.load.analysis.usage import unused

    keys = []
    for i, head in enumerate(("", "on_receipt: [result.delivery]\n")):
        root = _root(tmp_path / str(i), head)
        form = root / "matters" / "demo" / "form.yaml"
        form.write_text(form.read_text("utf-8") + RADIO, "utf-8")
        registry = Registry(root)
        snapshot = registry.load()
        assert snapshot is not None, registry.last_errors
        keys.append([f.key for f in unused(snapshot.matter("demo"))])
    assert keys == [["result.delivery"], []]
