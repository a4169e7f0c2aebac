"""China-specific identifier operators: 身份证 (GB 11643), 统一社会信用代码 (GB 32100), mobile,
bank card.

Thin wrappers over :mod:`yijian.rules.builtins.cnid`, which the form layer reuses for field
validation; here dates become ISO text (JSON has no date type) and "today" is the
evaluation day, so a 身份证 whose birth date lies after the evaluation day is invalid in a
test pinned to that day, whatever the clock says.
"""

from typing import Literal

from yijian.rules.builtins import cnid
from yijian.rules.builtins.dates import full_units, parse_day
from yijian.rules.context import current_day
from yijian.rules.functions import rule_function


@rule_function("id_card_valid")
def id_card_valid(value: object) -> bool:
    """Whether the value is a valid 18-character 居民身份证号码 (GB 11643-1999).

    Checks the ISO 7064 MOD 11-2 check character (lowercase x accepted) and that the
    birth date is a real day from 1900 up to today. 15-digit legacy numbers are invalid.

    Example: {"id_card_valid": [{"var": "applicant.id_number"}]}
    """
    return cnid.id_card_valid(value, today=current_day())


@rule_function("id_card_birth_date")
def id_card_birth_date(value: object) -> str | None:
    """The birth date a valid 身份证号 encodes, as ``YYYY-MM-DD``.

    Null when the number is not valid, so a rule comparing it simply fails.

    Example: {"<": [{"id_card_birth_date": [{"var": "applicant.id_number"}]}, "1966-01-01"]}
    """
    birth = cnid.id_card_birth_date(value, today=current_day())
    return birth.isoformat() if birth else None


@rule_function("id_card_sex")
def id_card_sex(value: object) -> Literal["男", "女"] | None:
    """The sex a valid 身份证号 encodes: "男" or "女" (17th digit odd or even).

    Null when the number is not valid.

    Example: {"==": [{"id_card_sex": [{"var": "applicant.id_number"}]}, "女"]}
    """
    return cnid.id_card_sex(value, today=current_day())


@rule_function("id_card_age")
def id_card_age(value: object, on: object = None) -> int | None:
    """Age in full years (周岁) of the holder of a 身份证号, on ``on`` (default: today).

    Null when the number or the date is not valid, or the holder was not yet born on ``on``.

    Example: {">=": [{"id_card_age": [{"var": "applicant.id_number"}]}, 60]}
    """
    day = current_day() if on is None else parse_day(on)
    birth = cnid.id_card_birth_date(value, today=current_day())
    if day is None or birth is None or birth > day:
        return None
    return full_units(birth, day, "year")


@rule_function("uscc_valid")
def uscc_valid(value: object) -> bool:
    """Whether the value is a valid 统一社会信用代码 (GB 32100-2015).

    18 characters from 0-9 and the capitals except I O Z S V, the last one a MOD 31 check
    character. Lowercase is accepted.

    Example: {"uscc_valid": [{"var": "company.credit_code"}]}
    """
    return cnid.uscc_valid(value)


@rule_function("mobile_valid")
def mobile_valid(value: object) -> bool:
    """Whether the value is a mainland mobile number: 11 digits, ``1[3-9]`` then 9 digits.

    A +86 or 86 prefix, spaces and hyphens are tolerated ("+86 138-1234-5678").

    Example: {"mobile_valid": [{"var": "applicant.phone"}]}
    """
    return cnid.mobile_valid(value)


@rule_function("bank_card_valid")
def bank_card_valid(value: object) -> bool:
    """Whether the value is a bank card number: 12-19 digits passing the Luhn check.

    Spaces and hyphens between digit groups are tolerated.

    Example: {"bank_card_valid": [{"var": "payee.card_number"}]}
    """
    return cnid.bank_card_valid(value)
