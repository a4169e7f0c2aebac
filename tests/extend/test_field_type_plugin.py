"""A third party adds a field type (车牌号) through the ``field_types`` extension point, and a
matter uses it: it loads, renders with the plugin's own control, validates in Chinese, and the
answer is saved typed and shown on check-your-answers — with no change to the platform."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from yijian.extend import FIELD_TYPES
from yijian.registry import Registry
from yijian.runtime.fieldtypes import FieldKind
from yijian.web import Settings, create_app

#: a partial copy of the example root: without its organisation (rules/org.yaml names
#: centres and departments of matters this root does not hold)
PARTIAL = shutil.ignore_patterns("__pycache__", "org.yaml")

REPO = Path(__file__).resolve().parents[2]
BIRTH = "birth-medical-certificate"
PLATE = re.compile(
    r"^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][A-HJ-NP-Z0-9]{5,6}$"
)


class Plate(FieldKind):
    """机动车号牌号码: upper-cased as typed, checked against the plate pattern."""

    name = "plate"
    template = "plate"
    renders = "one-line input for a 机动车号牌号码"
    checks = "a plate number such as 粤T12345 (新能源: 8 characters)"
    template_source: ClassVar[str | None] = (
        '<div class="yj-form-group{% if fv.error %} yj-form-group--error{% endif %}">'
        '<label class="yj-label" for="{{ fv.id }}">{{ fv.spec.label }}</label>'
        '{% if fv.error %}<p class="yj-error-message">{{ fv.error }}</p>{% endif %}'
        '<input class="yj-input yj-plate" id="{{ fv.id }}" name="{{ fv.name }}"'
        ' value="{{ fv.text_value or "" }}" autocapitalize="characters"></div>'
    )

    def parse(self, spec: Any, form: Any, name: str, regions: Any) -> Any:
        raw = super().parse(spec, form, name, regions)
        return raw.strip().upper().replace(" ", "") if raw is not None else None

    def check(self, spec: Any, value: Any) -> str | None:
        if isinstance(value, str) and PLATE.match(value):
            return None
        return f"{spec.label}格式不正确，例如 粤T12345"


@pytest.fixture
def plate() -> Iterator[None]:
    FIELD_TYPES.register("plate", Plate)
    try:
        yield
    finally:
        FIELD_TYPES.unregister("plate")


def _root(tmp_path: Path, kind: str = "plate") -> Path:
    root = tmp_path / "root"
    shutil.copytree(REPO / "matters" / BIRTH, root / "matters" / BIRTH)
    for name in ("forms", "rules"):
        shutil.copytree(REPO / name, root / name, ignore=PARTIAL)
    form = root / "matters" / BIRTH / "form.yaml"
    text = form.read_text(encoding="utf-8")
    field = (
        f"      - key: child.car\n        type: {kind}\n        label: 接送车辆号牌\n"
        "        required: true\n"
    )
    form.write_text(text.replace("    fields:\n", "    fields:\n" + field, 1), encoding="utf-8")
    return root


def test_an_unknown_type_is_a_located_error_without_the_plugin(tmp_path: Path) -> None:
    registry = Registry(_root(tmp_path))
    assert registry.load() is None
    found = [d.format() for d in registry.last_errors]
    assert any("unknown field type 'plate'" in d and "[E-FIELD-TYPE]" in d for d in found)


def test_a_plugin_field_type_works_end_to_end(plate: None, tmp_path: Path) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    app = create_app(Settings(root=_root(tmp_path), db_path=tmp_path / "var" / "y.db"))
    assert app.state.registry.current is not None, app.state.registry.last_errors
    with TestClient(app, headers={"sec-fetch-site": "same-origin"}) as client:
        r = client.post(f"/apply/{BIRTH}", follow_redirects=False)
        page = r.headers["location"]
        shown = client.get(page)
        assert shown.status_code == 200 and 'class="yj-input yj-plate"' in shown.text
        assert "接送车辆号牌" in shown.text
        bad = client.post(page, data={"child.car": "abc", "_f": ["child.car"]})
        assert "接送车辆号牌格式不正确，例如 粤T12345" in bad.text
        assert 'value="ABC"' in bad.text  # kept as typed (upper-cased by the plugin)
        client.post(page, data={"child.car": "粤t 12345", "_f": ["child.car"]})
        draft_id = page.split("/")[2]
        draft = app.state.store.drafts.get(draft_id)
        assert draft.answers["child"]["car"] == "粤T12345"
        review = client.get(f"/drafts/{draft_id}/review")
        assert "粤T12345" in review.text
        # the reference lists it with the plugin's own words
        from yijian.tools.docgen import fields_reference

        assert "| `plate` | one-line input for a 机动车号牌号码 |" in fields_reference()


def test_a_plugin_field_is_checked_live_and_submitted_with_the_case(
    plate: None, tmp_path: Path
) -> None:
    """The htmx change handler asks the plugin (a typed control posts after a pause), and the
    case carries the plugin's parsed value."""
    import sys
    import warnings

    sys.path.insert(0, str(REPO / "tests" / "web"))
    from webtools import BIRTH_PAGES, HTMX, with_markers

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    app = create_app(Settings(root=_root(tmp_path), db_path=tmp_path / "var" / "y.db"))
    spec = app.state.registry.current.matters[BIRTH].fields["child.car"]
    assert type(spec.kind) is Plate  # resolved once, when the matter was compiled
    with TestClient(app, headers={"sec-fetch-site": "same-origin"}) as client:
        page = client.post(f"/apply/{BIRTH}", follow_redirects=False).headers["location"]
        draft_id = page.split("/")[2]
        live = client.post(
            f"/drafts/{draft_id}/child/change?field=child.car",
            data={"child.car": "沪", "_f": ["child.car"]},
            headers=HTMX,
        )
        assert live.status_code == 200 and "接送车辆号牌格式不正确，例如 粤T12345" in live.text
        for name, values in BIRTH_PAGES.items():
            extra = {"child.car": "京a d1234"} if name == "child" else {}
            r = client.post(
                f"/drafts/{draft_id}/{name}", data=with_markers({**values, **extra}),
                follow_redirects=False,
            )  # fmt: skip
            assert r.status_code == 303, r.text
        r = client.post(f"/drafts/{draft_id}/submit", follow_redirects=False)
        assert r.status_code == 303, r.text
        case = app.state.store.cases.get(app.state.store.drafts.get(draft_id).case_no)
        assert case.answers["child"]["car"] == "京AD1234"


def test_a_plugin_says_what_a_field_of_its_type_must_hold(plate: None) -> None:
    """The definition model asks the plugin (``check_definition``) and the editor schema
    carries its fragment and its name."""
    from pydantic import ValidationError

    from yijian.defs.form import FieldDef
    from yijian.tools.schema import FILE_KINDS, schema_of

    class Strict(Plate):
        name = "strict_plate"

        def check_definition(self, fd: Any, in_library: bool) -> tuple[str, str] | None:
            if fd.placeholder is None:
                return "E-FIELD-INCOMPLETE", "a strict_plate field needs `placeholder`"
            return super().check_definition(fd, in_library)

        def schema(self) -> dict[str, Any]:
            return {"required": ["placeholder"]}

    FIELD_TYPES.register("strict_plate", Strict)
    try:
        with pytest.raises(ValidationError, match=r"needs `placeholder`.*E-FIELD-INCOMPLETE"):
            FieldDef(type="strict_plate", key="a.b", label="号牌")
        assert FieldDef(type="strict_plate", key="a.b", label="号牌", placeholder="粤T12345")
        with pytest.raises(ValidationError, match=r"did you mean 'strict_plate'.*E-FIELD-TYPE"):
            FieldDef(type="strict_plat", key="a.b", label="号牌")
        form = next(k for k in FILE_KINDS if k.name == "form")
        field = schema_of(form)["$defs"]["FieldDef"]
        assert {"plate", "strict_plate", "text"} <= set(
            field["properties"]["type"]["anyOf"][0]["enum"]
        )
        branch = next(
            b for b in field["allOf"] if b["if"]["properties"]["type"]["const"] == "strict_plate"
        )
        assert branch["then"] == {"required": ["placeholder"]}
    finally:
        FIELD_TYPES.unregister("strict_plate")
    assert (
        "strict_plate"
        not in schema_of(form)["$defs"]["FieldDef"]["properties"]["type"]["anyOf"][0]["enum"]
    )


class Vin(FieldKind):
    """车辆识别代号: reuses the built-in one-line text control, checks 17 characters."""

    name, template = "vin", "text"

    def check(self, spec: Any, value: Any) -> str | None:
        ok = isinstance(value, str) and re.fullmatch(r"[A-HJ-NPR-Z0-9]{17}", value)
        return None if ok else f"{spec.label}应为 17 位车辆识别代号"


def test_a_plugin_may_reuse_a_built_in_control(tmp_path: Path) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    FIELD_TYPES.register("vin", Vin)
    try:
        app = create_app(Settings(root=_root(tmp_path, "vin"), db_path=tmp_path / "y.db"))
        assert app.state.registry.current is not None, app.state.registry.last_errors
        with TestClient(app, headers={"sec-fetch-site": "same-origin"}) as client:
            page = client.post(f"/apply/{BIRTH}", follow_redirects=False).headers["location"]
            shown = client.get(page).text
            control = re.search(r'<input[^>]*id="f-child-car"[^>]*>', shown)
            assert control is not None, shown
            assert 'hx-trigger="change, keyup changed delay:500ms"' in control.group(0)
            assert 'class="yj-field yj-field--vin"' in shown
            bad = client.post(page, data={"child.car": "123", "_f": ["child.car"]})
            assert "接送车辆号牌应为 17 位车辆识别代号" in bad.text
    finally:
        FIELD_TYPES.unregister("vin")
