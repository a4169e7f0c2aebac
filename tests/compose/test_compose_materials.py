"""One set of materials: merged by id or licence type, passed along from producers."""

from __future__ import annotations

from compose_helpers import material

from yijian.compose.materials import Flow, MemberMaterials, merge_materials


def test_merge_by_id_keeps_one_material_and_every_asker() -> None:
    m = merge_materials(
        [
            MemberMaterials(
                "a", [material("id_card", source="电子证照", licence_type="居民身份证")]
            ),
            MemberMaterials(
                "b", [material("id_card", source="电子证照", licence_type="居民身份证")]
            ),
        ]
    )
    assert [(s.material.id, s.matters) for s in m.specs] == [("id_card", ("a", "b"))]
    assert [mid for mid, _ in m.conditions["id_card"]] == ["a", "b"]


def test_merge_by_licence_type_when_unambiguous() -> None:
    m = merge_materials(
        [
            MemberMaterials("a", [material("licence", source="电子证照", licence_type="营业执照")]),
            MemberMaterials("b", [material("biz", source="电子证照", licence_type="营业执照")]),
        ]
    )
    assert [(s.material.id, s.matters) for s in m.specs] == [("licence", ("a", "b"))]
    assert m.aliases[("b", "biz")] == "licence"


def test_two_materials_of_one_licence_type_in_a_member_stay_two() -> None:
    ids = [
        material("mother_id", source="电子证照", licence_type="居民身份证"),
        material("father_id", source="电子证照", licence_type="居民身份证"),
    ]
    m = merge_materials(
        [
            MemberMaterials("a", ids),
            MemberMaterials(
                "b", [material("guardian_id", source="电子证照", licence_type="居民身份证")]
            ),
        ]
    )
    assert [s.material.id for s in m.specs] == ["mother_id", "father_id", "guardian_id"]


def test_passed_along_by_result_licence_type() -> None:
    cert = material("birth_cert", source="电子证照", licence_type="出生医学证明电子证照")
    m = merge_materials(
        [
            MemberMaterials("bmc", [], produces="出生医学证明电子证照"),
            MemberMaterials("reg", [cert]),
        ]
    )
    (spec,) = m.specs
    assert spec.passed_from == "bmc"
    assert m.flows == (Flow("bmc", "reg", "birth_cert"),)


def test_passed_along_by_produced_by() -> None:
    book = material("book", source="前序事项产出", produced_by="reg")
    m = merge_materials(
        [
            MemberMaterials("reg", []),
            MemberMaterials("ins", [book]),
            MemberMaterials("card", [book]),
        ]
    )
    assert m.specs[0].passed_from == "reg"
    assert [f.consumer for f in m.flows] == ["ins", "card"]


def test_a_producer_outside_the_bundle_passes_nothing() -> None:
    book = material("book", source="前序事项产出", produced_by="elsewhere")
    assert merge_materials([MemberMaterials("ins", [book])]).specs[0].passed_from is None


def test_strictest_necessity_wins_and_optional_askers_are_not_conditions() -> None:
    m = merge_materials(
        [
            MemberMaterials("a", [material("photo", necessity="非必要")]),
            MemberMaterials("b", [material("photo", necessity="必要")]),
        ]
    )
    assert m.specs[0].material.necessity.value == "必要"
    assert [mid for mid, _ in m.conditions["photo"]] == ["b"]
