"""The cover as people type it: the period in the forms the template itself prints, and the
town with its government office after its name, are understood; anything else stays an error
that says what to type."""

from __future__ import annotations

import datetime as dt

import pytest

from schemas import parse_period
from shuangfu_cli.check.one_return import validate_file
from shuangfu_cli.writing.fill import locate


@pytest.mark.parametrize(
    "text, period",
    [
        ("2020Q3", "2020Q3"),
        ("2020q3", "2020Q3"),
        ("2020-Q3", "2020Q3"),
        ("2020年Q3", "2020Q3"),
        ("2020年第三季度", "2020Q3"),
        ("2020 年 3 季度", "2020Q3"),
        ("2020年1-9月", "2020Q3"),  # as the template prints it on every sheet
        ("2020年1—9月", "2020Q3"),
        ("２０２０年１－６月", "2020Q2"),
        ("2020年1-9月(2020Q3)", "2020Q3"),
        ("2020年1-12月", "2020Q4"),
        ("2020年1-9月(2020Q2)", None),  # two different quarters
        ("2020年7-9月", None),  # one quarter's months: the figures are cumulative from January
        ("2020Q5", None),
        ("2020", None),
        ("三季度", None),
    ],
)
def test_periods_as_people_write_them(text, period):
    assert parse_period(text) == period


@pytest.mark.parametrize(
    "text, town",
    [
        ("柏梓镇人民政府", "柏梓镇"),
        ("柏梓镇政府", "柏梓镇"),
        ("桂林街道办事处", "桂林街道"),
        ("桂林街道办", "桂林街道"),
        ("潼南区柏梓镇", "柏梓镇"),
        ("重庆市潼南区梓潼街道办事处", "梓潼街道"),
        ("柏梓", None),
        ("人民政府", None),
    ],
)
def test_towns_as_people_write_them(reference, text, town):
    found = reference.town_on_cover(text)
    assert (found.name if found else None) == town


@pytest.mark.libreoffice
def test_cover_typed_in_libreoffice_the_way_clerks_write_it(make_return, lo_type):
    path = make_return("柏梓镇", "2020Q3")
    edits = [
        [*locate(path, ("cover", "town")), "柏梓镇人民政府"],
        [*locate(path, ("cover", "period")), "2020年1-9月"],
    ]
    for fmt, typed in lo_type(path, edits).items():
        report = validate_file(typed, expected_period="2020Q3")
        assert report.findings == [], fmt
        assert (report.town, report.period, report.status) == ("柏梓镇", "2020Q3", "valid")


def test_an_unknown_town_still_says_what_is_wrong(make_return):
    def mutate(figures, lists, cover):
        cover["town"] = "柏梓"

    report = validate_file(make_return(mutate=mutate))
    assert [f.code for f in report.findings if f.severity == "error"] == ["E_TOWN_UNKNOWN"]


def test_cover_date_messages_name_the_quarters_end(make_return):
    path = make_return(
        "柏梓镇", "2020Q4", lambda f, lists, cover: cover.update(date=dt.date(2020, 10, 3))
    )
    [finding] = validate_file(path).findings
    assert finding.code == "E_DATE_BEFORE_PERIOD_END"
    assert "2020-10-03" in finding.message("zh") and "2020-12-31之后" in finding.message("zh")
    assert "not after the period's end, 2020-12-31" in finding.message("en")
    blank = make_return("柏梓镇", "2020Q4", lambda f, lists, cover: cover.update(phone=""))
    assert "“联系电话”未填写" in validate_file(blank).findings[0].message("zh")
