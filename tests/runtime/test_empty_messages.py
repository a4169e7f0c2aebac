"""What an unanswered question says (issue 15, item 10): a label that is a statement takes the
type's verb (请选择落户方); a label that is a question is not glued to it ("请选择有刺身吗？"),
it is asked again."""

from __future__ import annotations

import pytest

from yijian.runtime.fieldcheck import empty_message


@pytest.mark.parametrize(
    ("ftype", "label", "message"),
    [
        ("radio", "落户方", "请选择落户方"),
        ("text", "新生儿姓名", "请填写新生儿姓名"),
        ("radio", "有刺身吗？", "请回答“有刺身吗？”"),
        ("boolean", "是否经营卷烟?", "请回答“是否经营卷烟?”"),
        ("checkboxes", "经营哪些食品？", "请回答“经营哪些食品？”（至少选择一项）"),
    ],
)
def test_empty_message(ftype: str, label: str, message: str) -> None:
    assert empty_message(ftype, label) == message
