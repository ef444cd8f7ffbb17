"""What towns type, turned into numbers (or the reason it cannot be)."""

from decimal import Decimal

import pytest

from shuangfu_cli.form.values import norm_title, parse_date, parse_number


@pytest.mark.parametrize(
    "raw, vtype, expected",
    [
        (12.0, "count", (12, None)),
        ("１２３", "count", (123, None)),
        (" 1,234 ", "count", (1234, None)),
        ("12.5", "count", (None, "E_NOT_WHOLE")),
        ("-3", "count", (None, "E_NEGATIVE")),
        ("3万", "count", (None, "E_NOT_NUMBER")),
        ("1,23", "count", (None, "E_NOT_NUMBER")),
        (True, "count", (None, "E_NOT_NUMBER")),
        ("", "count", (None, "BLANK")),
        ("0.1234", "money", (Decimal("0.1234"), None)),
        (1.23456, "money", (None, "E_MONEY_DECIMALS")),
        (0.3, "money", (Decimal("0.3"), None)),
        (0.1 + 0.2, "money", (Decimal("0.3"), None)),  # a double's noise is not a 5th decimal
        (3 * 1.1, "count", (None, "E_NOT_WHOLE")),
        (12.000000000001, "count", (12, None)),
        (1.00005, "money", (None, "E_MONEY_DECIMALS")),
    ],
)
def test_parse_number(raw, vtype, expected):
    assert parse_number(raw, vtype) == expected


def test_dates_and_titles():
    import datetime as dt

    assert parse_date("2020年9月1日") == (dt.date(2020, 9, 1), None)
    assert parse_date(44075.0) == (dt.date(2020, 9, 1), None)
    assert parse_date("2020-13-01") == (None, "E_INVALID_DATE")
    assert norm_title("（一） 基层扶贫干部轮训") == norm_title("一、基层扶贫干部轮训")
