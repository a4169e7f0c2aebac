"""The pure identifier checks the forms and the rules share."""

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yijian.rules.builtins import cnid

TODAY = date(2025, 6, 30)
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make_id(region: str, birth: date, serial: int) -> str:
    """A valid 身份证号: region, birth date, 3-digit sequence, GB 11643 check character."""
    first17 = f"{region}{birth:%Y%m%d}{serial:03d}"
    return first17 + cnid.id_card_check_char(first17)


def luhn_complete(body: str) -> str:
    """``body`` plus its Luhn check digit, computed independently of the code under test."""
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c) * (1 if i % 2 else 2)  # the check digit will take position 0
        total += d - 9 if d > 9 else d
    return body + str(-total % 10)


births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
regions = st.from_regex(r"[1-9][0-9]{5}", fullmatch=True)
serials = st.integers(min_value=0, max_value=999)


class TestIdCard:
    def test_known_number(self) -> None:
        number = make_id("110101", date(1990, 3, 7), 123)
        assert number == "110101199003071233"
        assert cnid.id_card_valid(number, today=TODAY)
        assert cnid.id_card_birth_date(number, today=TODAY) == date(1990, 3, 7)
        assert cnid.id_card_sex(number, today=TODAY) == "男"  # 17th digit 3 is odd

    def test_sex_from_17th_digit(self) -> None:
        assert cnid.id_card_sex(make_id("110101", date(1990, 3, 7), 121), today=TODAY) == "男"
        assert cnid.id_card_sex(make_id("110101", date(1990, 3, 7), 122), today=TODAY) == "女"

    def test_lowercase_x_and_whitespace(self) -> None:
        number = "44030519850101001X"
        assert make_id("440305", date(1985, 1, 1), 1) == number
        assert cnid.id_card_valid(number.lower(), today=TODAY)
        assert cnid.id_card_valid(f"  {number} ", today=TODAY)
        assert cnid.id_card_birth_date(number.lower(), today=TODAY) == date(1985, 1, 1)

    @pytest.mark.parametrize(
        "value",
        [
            "11010519900307123",  # 17 characters
            "110105900307123",  # 15-digit legacy number
            "11010X199003071233",
            "110101199003071234",  # wrong check character
            "１１０１０１１９９００３０７１２３３",  # full-width digits
            None,
            110101199003071234,
            True,
            1.1010119900307123e17,
            [],
            {},
            "",
        ],
    )
    def test_not_numbers(self, value: object) -> None:
        assert not cnid.id_card_valid(value, today=TODAY)
        assert cnid.id_card_birth_date(value, today=TODAY) is None
        assert cnid.id_card_sex(value, today=TODAY) is None

    def test_integer_input_is_read_as_digits(self) -> None:
        number = make_id("110101", date(1990, 3, 7), 124)
        assert number[-1].isdigit()
        assert cnid.id_card_valid(int(number), today=TODAY)

    def test_birth_date_must_be_real_past_and_from_1900(self) -> None:
        impossible = "11010119900230123"  # 30 February
        assert not cnid.id_card_valid(impossible + cnid.id_card_check_char(impossible))
        assert not cnid.id_card_valid(make_id("110101", date(1899, 12, 31), 1), today=TODAY)
        tomorrow = make_id("110101", TODAY + timedelta(days=1), 1)
        assert not cnid.id_card_valid(tomorrow, today=TODAY)
        assert cnid.id_card_valid(tomorrow, today=TODAY + timedelta(days=1))
        assert cnid.id_card_valid(make_id("110101", TODAY, 1), today=TODAY)

    def test_default_today_is_the_clock(self) -> None:
        assert cnid.id_card_valid(make_id("110101", date.today(), 1))
        assert not cnid.id_card_valid(make_id("110101", date.today() + timedelta(days=1), 1))

    @given(regions, births, serials)
    def test_valid_numbers_round_trip(self, region: str, birth: date, serial: int) -> None:
        number = make_id(region, birth, serial)
        assert cnid.id_card_valid(number, today=TODAY)
        assert cnid.id_card_birth_date(number, today=TODAY) == birth
        assert cnid.id_card_sex(number, today=TODAY) == ("男" if serial % 2 else "女")

    @given(regions, births, serials, st.integers(0, 17), st.sampled_from("0123456789X"))
    def test_one_changed_character_breaks_it(
        self, region: str, birth: date, serial: int, pos: int, char: str
    ) -> None:
        number = make_id(region, birth, serial)
        if number[pos] == char:
            char = "0" if char != "0" else "1"
        changed = number[:pos] + char + number[pos + 1 :]
        assert not cnid.id_card_valid(changed, today=TODAY)


class TestUscc:
    @pytest.mark.parametrize("code", ["91350100M000100Y43", "11100000000013338W"])
    def test_published_codes(self, code: str) -> None:
        assert cnid.uscc_check_char(code[:17]) == code[17]
        assert cnid.uscc_valid(code)
        assert cnid.uscc_valid(code.lower())
        assert cnid.uscc_valid(f" {code} ")

    @pytest.mark.parametrize(
        "value",
        ["91350100M000100Y44", "91350100M000100Y4", "913501000000100Y43X", None, 9, "", []],
    )
    def test_invalid(self, value: object) -> None:
        assert not cnid.uscc_valid(value)

    @pytest.mark.parametrize("letter", "IOZSV")
    def test_letters_outside_the_charset(self, letter: str) -> None:
        body = "91350100" + letter + "00010043"  # 17 characters
        # whatever the check character, a code carrying I O Z S V is not a code
        assert not any(cnid.uscc_valid(body + c) for c in USCC_CHARS)

    @given(st.text(USCC_CHARS, min_size=17, max_size=17))
    def test_computed_codes_are_valid(self, body: str) -> None:
        assert cnid.uscc_valid(body + cnid.uscc_check_char(body))

    @given(
        st.text(USCC_CHARS, min_size=17, max_size=17),
        st.integers(0, 17),
        st.sampled_from(USCC_CHARS),
    )
    def test_one_changed_character_breaks_it(self, body: str, pos: int, char: str) -> None:
        code = body + cnid.uscc_check_char(body)
        if code[pos] == char:
            char = USCC_CHARS[(USCC_CHARS.index(char) + 1) % 31]
        assert not cnid.uscc_valid(code[:pos] + char + code[pos + 1 :])


class TestMobile:
    @pytest.mark.parametrize(
        "value",
        ["13812345678", "+8613812345678", "8613812345678", "+86 138-1234-5678", " 199 1234 5678"],
    )
    def test_valid(self, value: str) -> None:
        assert cnid.mobile_valid(value)

    @pytest.mark.parametrize(
        "value",
        ["12812345678", "1381234567", "138123456789", "+8513812345678", "0571-88888888", None, ""],
    )
    def test_invalid(self, value: object) -> None:
        assert not cnid.mobile_valid(value)

    @given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
    def test_any_mainland_number(self, number: str) -> None:
        assert cnid.mobile_valid(number)
        assert cnid.mobile_valid("+86" + number)


class TestBankCard:
    def test_known_numbers(self) -> None:
        assert cnid.bank_card_valid("4111111111111111")
        assert cnid.bank_card_valid("4111 1111 1111 1111")
        assert cnid.bank_card_valid("4111-1111-1111-1111")
        assert not cnid.bank_card_valid("4111111111111112")

    @pytest.mark.parametrize("length,ok", [(11, False), (12, True), (19, True), (20, False)])
    def test_lengths(self, length: int, ok: bool) -> None:
        assert cnid.bank_card_valid(luhn_complete("6" * (length - 1))) is ok

    @pytest.mark.parametrize("value", [None, "", "abcd efgh ijkl", 4111.0, ["4111111111111111"]])
    def test_not_numbers(self, value: object) -> None:
        assert not cnid.bank_card_valid(value)

    @given(st.from_regex(r"[0-9]{11,18}", fullmatch=True), st.integers(0, 18), st.integers(1, 9))
    def test_luhn_catches_any_single_digit_error(self, body: str, pos: int, delta: int) -> None:
        card = luhn_complete(body)
        assert cnid.bank_card_valid(card)
        pos %= len(card)
        wrong = str((int(card[pos]) + delta) % 10)
        assert not cnid.bank_card_valid(card[:pos] + wrong + card[pos + 1 :])


class TestMasks:
    def test_id_card(self) -> None:
        assert cnid.mask_id_card("11010119900307123x") == "110101********123X"
        assert cnid.mask_id_card("110105900307123") == "110105*****7123"
        assert cnid.mask_id_card("12345") == "*****"
        assert cnid.mask_id_card(None) == ""

    def test_phone(self) -> None:
        assert cnid.mask_phone("13812345678") == "138****5678"
        assert cnid.mask_phone("+86 138-1234-5678") == "138****5678"
        assert cnid.mask_phone("0571-88888888") == "057******8888"
        assert cnid.mask_phone("1234") == "****"
        assert cnid.mask_phone(None) == ""

    @given(st.text(min_size=11))
    def test_never_shows_the_middle(self, text: str) -> None:
        masked = cnid.mask_id_card(text)
        stripped = text.strip().upper()
        assert len(masked) == len(stripped)
        assert set(masked[6:-4]) <= {"*"}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=6,
)
digit_like = st.text(st.sampled_from("0123456789xX +-１２３８٣"), max_size=24)


@given(json_values | digit_like)
def test_never_raises_on_citizen_input(value: object) -> None:
    assert cnid.id_card_valid(value) in (True, False)
    assert cnid.id_card_birth_date(value) is None or cnid.id_card_valid(value)
    assert cnid.id_card_sex(value) in ("男", "女", None)
    assert cnid.uscc_valid(value) in (True, False)
    assert cnid.mobile_valid(value) in (True, False)
    assert cnid.bank_card_valid(value) in (True, False)
    assert isinstance(cnid.mask_id_card(value), str)
    assert isinstance(cnid.mask_phone(value), str)


@pytest.mark.parametrize(
    "check,value",
    [
        (cnid.id_card_valid, "１１０１０１１９９００３０７１２３３"),
        (cnid.mobile_valid, "１３８１２３４５６７８"),
        (cnid.bank_card_valid, "４１１１１１１１１１１１１１１１"),
    ],
)
def test_full_width_digits_are_not_digits(check: Any, value: str) -> None:
    assert not check(value)
