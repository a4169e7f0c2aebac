"""The compile fast paths give exactly what the long way gives.

Resolved ``use:`` fields are shared per build when their overrides are plain scalars, rules are
memoised by their ``repr``, the version is computed before compiling, and folder listings and
read-ahead bytes are kept under string paths. Each test compares with what the straightforward
code computes, or proves that errors are still reported once per place they occur.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from yijian.defs.form import FieldDef
from yijian.load import source
from yijian.load.build import _MemoEngine
from yijian.load.compiler import Library, MatterCompiler, resolve_field
from yijian.load.source import FileCache, SourceFile, prefetch_folders, read_folder
from yijian.registry.snapshot import Registry
from yijian.rules.engine import RuleEngine, builtin_functions

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from gen_matters import files_for, generate, write_folder

LIB_FIELD = FieldDef.model_validate(
    {"type": "text", "label": "姓名", "max_length": 20}, context={"library": True}
)


def _lib() -> Library:
    return Library({"person.name": (LIB_FIELD, "forms/person.yaml")}, {})


def _src() -> SourceFile:
    return SourceFile("matters/x/form.yaml", "pages: []\n", "d", None, ())


def _long_way(f: FieldDef) -> FieldDef:
    """The merge as it was written before the cache."""
    base = LIB_FIELD.model_dump(exclude_unset=True, by_alias=True)
    base.update(f.model_dump(exclude_unset=True, by_alias=True))
    base.pop("use", None)
    base.setdefault("key", f.use)
    return FieldDef.model_validate(base)


def test_plain_overrides_are_resolved_once_and_shared() -> None:
    lib, out = _lib(), []
    f1 = FieldDef.model_validate({"use": "person.name", "key": "a.name", "required": True})
    f2 = FieldDef.model_validate({"use": "person.name", "key": "a.name", "required": True})
    r1 = resolve_field(f1, lib, _src(), ("pages", 0, "fields", 0), out)
    r2 = resolve_field(f2, lib, _src(), ("pages", 0, "fields", 0), out)
    assert out == [] and r1 is r2
    assert r1 == _long_way(f1)
    assert r1.model_fields_set == _long_way(f1).model_fields_set


def test_override_values_and_types_are_part_of_the_key() -> None:
    lib, out = _lib(), []
    loc = ("pages", 0, "fields", 0)
    a = resolve_field(FieldDef.model_validate({"use": "person.name"}), lib, _src(), loc, out)
    b = resolve_field(
        FieldDef.model_validate({"use": "person.name", "label": "母亲姓名"}), lib, _src(), loc, out
    )
    c = resolve_field(
        FieldDef.model_validate({"use": "person.name", "key": "person.name"}), lib, _src(), loc, out
    )
    assert a is not None and b is not None and c is not None
    assert (a.key, a.label, b.label) == ("person.name", "姓名", "母亲姓名")
    # setting key explicitly to what the default gives is another key (fields set differ)
    assert c is not a and c == _long_way(FieldDef.model_validate({"use": "person.name"}))


def test_rule_overrides_take_the_long_way_every_time() -> None:
    lib, out = _lib(), []
    rule = {"==": [{"var": "a.has"}, True]}
    f = FieldDef.model_validate({"use": "person.name", "key": "a.n", "visible_if": rule})
    r1 = resolve_field(f, lib, _src(), ("pages", 0, "fields", 0), out)
    r2 = resolve_field(f, lib, _src(), ("pages", 0, "fields", 0), out)
    assert r1 is not r2 and r1 == r2 == _long_way(f)
    assert lib.resolved == {}


def test_a_failing_merge_is_reported_at_every_use() -> None:
    """Failures are never cached: two matters with the same bad override each get their error."""
    lib, out = _lib(), []
    bad = FieldDef.model_validate({"use": "person.name", "key": "a.n", "type": "select"})
    for i in range(2):
        assert resolve_field(bad, lib, _src(), ("pages", i, "fields", 0), out) is None
    assert [(d.code, d.loc) for d in out] == [
        ("E-FIELD-OPTIONS", "pages[0].fields[0]"),
        ("E-FIELD-OPTIONS", "pages[1].fields[0]"),
    ]


def test_memo_engine_keys_tell_apart_what_json_would_not() -> None:
    memo = _MemoEngine(RuleEngine(list(builtin_functions()), {}))
    one = memo.compile({"==": [{"var": "x"}, 1]})
    assert memo.compile({"==": [{"var": "x"}, 1]}) is one
    true = memo.compile({"==": [{"var": "x"}, True]})
    assert true is not one
    assert one.evaluate({"x": 1}) is True
    assert memo.check({"nope": [1]}) == memo.engine.check({"nope": [1]})


def test_public_compiler_methods_for_bundles() -> None:
    for name in ("form", "compile_form_rules", "derived"):
        assert callable(getattr(MatterCompiler, name)), name
        assert not hasattr(MatterCompiler, f"_{name}")


def test_prefetched_files_are_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate(tmp_path, 3)
    folders = sorted((tmp_path / "matters").iterdir())
    cache = FileCache()
    prefetch_folders(tmp_path, folders, cache)
    parsed: list[str] = []
    real = source._parse_and_validate

    def counting(model: object, rel: str, text: str) -> object:
        parsed.append(rel)
        return real(model, rel, text)  # type: ignore[arg-type]

    monkeypatch.setattr(source, "_parse_and_validate", counting)
    read = [read_folder(tmp_path, f, cache) for f in folders]
    assert parsed == []  # every file came from the read-ahead, under the same name
    assert [sorted(r.files) for r in read] == [
        ["form.yaml", "matter.yaml", "routing.yaml", "rules.yaml"]
    ] * 3
    assert read[0].files["form.yaml"].rel == "matters/bench-00000/form.yaml"
    # without a prefetch (a hot reload of one folder) the folder is listed and read itself
    fresh = read_folder(tmp_path, folders[1], FileCache())
    assert fresh.files.keys() == read[1].files.keys() and fresh.digest == read[1].digest


def test_unknown_files_are_still_reported(tmp_path: Path) -> None:
    generate(tmp_path, 1)
    folder = tmp_path / "matters" / "bench-00000"
    (folder / "extra.yml").write_text("a: 1\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not a definition\n", encoding="utf-8")
    got = read_folder(tmp_path, folder, FileCache())
    assert [(d.path, d.code) for d in got.diagnostics] == [
        ("matters/bench-00000/extra.yml", "E-FILE-UNKNOWN")
    ]


def test_version_names_the_library_files_used(tmp_path: Path) -> None:
    """The version is computed before compiling now; it must still change with a used library
    file and not with an unused one."""
    generate(tmp_path, 2)
    reg = Registry(tmp_path, disk_cache=False)
    first = reg.load()
    assert first is not None
    v = {k: m.version for k, m in first.matters.items()}
    bank = tmp_path / "forms" / "bank.yaml"
    bank.write_text(bank.read_text(encoding="utf-8") + "\n# unused by the matters\n", "utf-8")
    assert {k: m.version for k, m in reg.load().matters.items()} == v  # type: ignore[union-attr]
    person = tmp_path / "forms" / "person.yaml"
    person.write_text(person.read_text(encoding="utf-8") + "\n# edited\n", "utf-8")
    after = reg.load()
    assert after is not None
    assert all(after.matters[k].version != v[k] for k in v)


def test_shared_fields_across_matters_in_one_build(tmp_path: Path) -> None:
    generate(tmp_path, 1)
    write_folder(tmp_path / "matters" / "bench-00001", files_for(1))
    snap = Registry(tmp_path, disk_cache=False).load()
    assert snap is not None
    a, b = snap.matters["bench-00000"], snap.matters["bench-00001"]
    # same library field and overrides: one FieldDef; each matter still has its own FieldSpec
    assert a.fields["applicant.name"].definition is b.fields["applicant.name"].definition
    assert a.fields["applicant.name"] is not b.fields["applicant.name"]
    # a field written out in full stays per matter
    assert a.fields["applicant.income"].definition is not b.fields["applicant.income"].definition
