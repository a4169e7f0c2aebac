"""Masking personal data (runtime.mask)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from yijian.runtime.mask import mask_email, mask_id, mask_name, mask_phone


def test_examples() -> None:
    assert mask_name("王小明") == "王**"
    assert mask_name("欧阳") == "欧*"
    assert mask_id("11010519491231002x") == "1101**********002X"
    assert mask_phone("138 1234 5678") == "138****5678"
    assert mask_email("wangxm@example.cn") == "w*****@example.cn"
    assert mask_name(None) == mask_id(3) == mask_phone("") == mask_email(None) == ""


@given(st.text(min_size=9, max_size=30).filter(lambda t: t.strip() == t and t.strip()))
def test_an_id_keeps_its_length_and_never_its_middle(text: str) -> None:
    masked = mask_id(text)
    assert len(masked) == len(text)
    assert set(masked[4:-4]) <= {"*"}


@given(st.text(min_size=1, max_size=10).filter(lambda t: t.strip() == t and t))
def test_a_name_shows_one_character_at_most(text: str) -> None:
    masked = mask_name(text)
    assert masked[0] == text[0] and set(masked[1:]) <= {"*"}
