"""GB/T 36904 identifiers: the standard's published sample checks, and ours are valid."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from yijian.runtime.licenceid import check_char, licence_id, valid

SAMPLE = "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U"


def test_the_published_sample_checks() -> None:
    assert valid(SAMPLE)
    assert check_char("11100000000013338W01111430000006122244L20230000403001") == "U"
    assert not valid(SAMPLE[:-1] + "V")  # a wrong check character
    assert not valid(SAMPLE.replace("20230000403", "20230000404"))  # a changed serial


@given(st.integers(1, 9_999_999), st.integers(1, 999))
def test_ours_are_valid_and_one_changed_digit_is_caught(serial: int, version: int) -> None:
    ident = licence_id("12440000MB2C79373X001", "11442000MB2C12345Q", f"2025{serial:07d}", version)
    assert valid(ident)
    i = ident.rindex(".") - 5  # a digit of the serial
    digit = ident[i]
    other = "0" if digit != "0" else "1"
    assert not valid(ident[:i] + other + ident[i + 1 :])
