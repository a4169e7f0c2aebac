from types import SimpleNamespace

import pytest

from yijian.defs.form import FieldDef, FieldType
from yijian.runtime.fieldcheck import check_value, empty_message


def spec(**kw):
    f = FieldDef.model_validate({"key": "a.b", "label": "数值", **kw})
    return SimpleNamespace(definition=f, type=f.type, label=f.label, options=f.options)


@pytest.mark.parametrize(
    ("kw", "value", "expected"),
    [
        ({"type": "number", "min": 1, "max": 10}, "11", "不能大于 10"),
        ({"type": "number"}, "abc", "必须是数字"),
        ({"type": "number"}, "NaN", "必须是数字"),
        ({"type": "money"}, "1.234", "两位小数"),
        ({"type": "text", "max_length": 3}, "四个字符", "不能超过 3 个字"),
        ({"type": "date"}, "2025-02-30", "有效日期"),
        ({"type": "id_card"}, "110105194912310021", "公民身份号码"),
        ({"type": "phone"}, "12345", "11 位手机号码"),
        ({"type": "uscc"}, "91350100M000100Y4X", "统一社会信用代码"),
        ({"type": "bank_card"}, "6222020200000000001", "银行卡号"),
        ({"type": "radio", "options": ["男", "女"]}, "其他", "请从列表中选择"),
        ({"type": "checkboxes", "options": ["a", "b"]}, ["a", "c"], "请从列表中选择"),
    ],
)
def test_bad_values_get_chinese_messages(kw, value, expected) -> None:
    message = check_value(spec(**kw), value)
    assert message is not None and expected in message


@pytest.mark.parametrize(
    ("kw", "value"),
    [
        ({"type": "number", "min": 1, "max": 10}, "10"),
        ({"type": "money"}, "1,234.50"),
        ({"type": "date"}, "2024-02-29"),
        ({"type": "datetime"}, "2025-09-28T08:30"),
        ({"type": "id_card"}, "11010519491231002X"),
        ({"type": "phone"}, "+86 138-0013-8000"),
        ({"type": "radio", "options": ["男", "女"]}, "女"),
    ],
)
def test_good_values_pass(kw, value) -> None:
    assert check_value(spec(**kw), value) is None


def test_empty_messages_name_the_field_and_the_action() -> None:
    assert empty_message(FieldType.text, "姓名") == "请填写姓名"
    assert empty_message(FieldType.radio, "性别") == "请选择性别"
    assert empty_message(FieldType.file, "户口簿") == "请上传户口簿"


def test_region_must_be_known_and_deep_enough() -> None:
    county = spec(type="region", region_level="county")
    assert check_value(county, "440106") is None  # 广州市天河区
    assert check_value(county, "440100") == "请选择数值的区（县）"
    assert check_value(county, "440000") == "请选择数值的市"
    assert check_value(county, "442000") is None  # 中山市 has no counties
    assert check_value(county, "999999") == "请选择数值"
    assert check_value(spec(type="region", region_level="city"), "440100") is None
