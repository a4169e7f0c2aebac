"""Table operators: date-effective brackets and plain lookups.

Values that change by law (retirement age by birth month, a yearly 低保 standard, a fee by
floor area) are data, not nested ``if`` chains: a table an admin can extend with a new row
when the law changes, OpenFisca-style. A JsonLogic rule cannot hold a literal object (it
would read as an operator), so a table comes from the data (``{"var": "params.retire"}``) or
is written inline as ``[from, until, value]`` rows.
"""

from collections.abc import Mapping
from typing import Any

from yijian.rules.functions import rule_function


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _order(key: object, bound: object) -> int | None:
    """-1, 0 or 1 comparing ``key`` with ``bound``: as text when both are text, else as numbers."""
    if isinstance(key, str) and isinstance(bound, str):
        a: Any = key
        b: Any = bound
    else:
        a, b = _number(key), _number(bound)
        if a is None or b is None:
            return None
    return (a > b) - (a < b)


def _row(row: object) -> tuple[object, object, object] | None:
    """(from, until, value) of a table row written as an object or a 3-item list."""
    if isinstance(row, Mapping):
        return row.get("from"), row.get("until"), row.get("value")
    if isinstance(row, list) and len(row) == 3:
        return row[0], row[1], row[2]
    return None


def _within(key: object, low: object, high: object) -> bool:
    if low is not None and ((order := _order(key, low)) is None or order < 0):
        return False
    return high is None or ((order := _order(key, high)) is not None and order <= 0)


@rule_function("bracket")
def bracket(key: object, table: object) -> Any:
    """The value of the first table row whose range holds ``key``, or null.

    Rows are ``{"from": k1, "until": k2, "value": v}`` objects (a table in the data, such as
    retirement age by birth month) or ``[k1, k2, v]`` lists; both bounds are inclusive and
    either may be null (open). Keys compare as text when both are text ("1965-01" birth
    months sort correctly), otherwise as numbers.

    Example: {"bracket": [{"var": "household.size"}, [[null, 2, 300], [3, null, 500]]]}
    """
    if key is None or not isinstance(table, list):
        return None
    for item in table:
        row = _row(item)
        if row is not None and _within(key, row[0], row[1]):
            return row[2]
    return None


@rule_function("lookup")
def lookup(key: object, mapping: object, default: object = None) -> Any:
    """The value under ``key`` in an object from the data, or ``default`` (null).

    Numbers are looked up as their text (JSON object keys are text), so 3 finds "3".

    Example: {"lookup": [{"var": "household.county"}, {"var": "params.subsidy_by_county"}, 0]}
    """
    if not isinstance(mapping, Mapping):
        return default
    if isinstance(key, float) and key.is_integer():
        key = int(key)
    if isinstance(key, int) and not isinstance(key, bool):
        key = str(key)
    if not isinstance(key, str):
        return default
    return mapping.get(key, default)
