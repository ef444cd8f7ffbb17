"""Turning what towns really type into numbers, dates and labels.

Towns fill the forms by hand in Excel or WPS: numbers arrive as text, with full-width digits,
thousands separators and stray spaces. Everything here is a pure function returning either a
value or the code of the problem (see :mod:`shuangfu_cli.checks`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache

from schemas.text import show_invisible, strip_invisible

_NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$")
_ENUM = re.compile(r"^([一二三四五六七八九十]+[、.]|\(?[一二三四五六七八九十\d]+\)|\d+[.、])")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
FLOAT_NOISE = 1e-9
#: No figure of any return comes near this: above it a value is refused before any arithmetic
#: (each indicator's own, lower plausibility bound is in indicators.yaml).
HARD_MAX = Decimal(10) ** 15
_HARD_MAX_INT = 10**15


_SPACE = re.compile(r"\s+")


class ErrorValue:
    """A cell holding a spreadsheet error value (#DIV/0!, #REF!, ...): never a figure, never
    blank. The readers put it where calamine would have given an empty string."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"ErrorValue({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ErrorValue) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


#: norm() of every text seen: labels recur in every return, so each is normalised once per
#: process (bounded: cleared when it grows past NORM_CACHE_SIZE, e.g. after many names).
NORM_CACHE: dict[str, str] = {}
NORM_CACHE_SIZE = 50_000


def _norm_str(text: str) -> str:
    if len(NORM_CACHE) >= NORM_CACHE_SIZE:
        NORM_CACHE.clear()
    key = _SPACE.sub("", strip_invisible(unicodedata.normalize("NFKC", text))).rstrip(":")
    NORM_CACHE[text] = key
    return key


def norm(text: object) -> str:
    """Label normal form: NFKC (full-width to half-width), no whitespace nor characters that
    show nothing (schemas.text), no trailing colon."""
    if type(text) is not str:
        text = str(text)
    key = NORM_CACHE.get(text)
    return key if key is not None else _norm_str(text)


@lru_cache(maxsize=4096)
def norm_title(text: object) -> str:
    """A block title without its enumeration ('一、', '(二)', '3.')."""
    return _ENUM.sub("", norm(text))


def is_blank(raw: object) -> bool:
    return raw is None or (type(raw) is str and not raw.strip())


def parse_number(raw: object, vtype: str) -> tuple[int | Decimal | None, str | None]:
    """Parse a count ('count') or an amount in 万元 ('money').

    Returns (value, None) or (None, problem code). Blank gives (None, 'BLANK').
    """
    kind = type(raw)
    if (type(raw) is int or (type(raw) is float and raw.is_integer())) and 0 <= raw < _HARD_MAX_INT:
        # the common case, a whole number as the spreadsheet stores it
        return (int(raw), None) if vtype == "count" else (Decimal(int(raw)), None)
    if is_blank(raw):
        return None, "BLANK"
    if kind is ErrorValue:
        return None, "E_ERROR_VALUE"
    if isinstance(raw, bool) or isinstance(raw, dt.date | dt.time | dt.timedelta):
        return None, "E_NOT_NUMBER"
    if isinstance(raw, float):
        # a spreadsheet stores doubles: 0.1 + 0.2 arrives as 0.30000000000000004
        rounded = round(raw, 4)
        value = Decimal(repr(rounded if abs(raw - rounded) < FLOAT_NOISE else raw))
    elif isinstance(raw, int):
        value = Decimal(raw)
    else:
        text = unicodedata.normalize("NFKC", str(raw))
        text = re.sub(r"\s+", "", text).replace("，", ",")
        if not _NUMBER.match(text):
            return None, "E_NOT_NUMBER"
        try:
            value = Decimal(text.replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern already excludes it
            return None, "E_NOT_NUMBER"
    if not value.is_finite():
        return None, "E_NOT_NUMBER"
    if value < 0:
        return None, "E_NEGATIVE"
    if value >= HARD_MAX:
        return None, "E_TOO_LARGE"
    if vtype == "count":
        if value != value.to_integral_value():
            return None, "E_NOT_WHOLE"
        return int(value), None
    value = value.normalize()
    exponent = value.as_tuple().exponent  # an int: the value is finite
    if isinstance(exponent, int) and exponent < -4:
        return None, "E_MONEY_DECIMALS"
    return value, None


def parse_date(raw: object) -> tuple[dt.date | None, str | None]:
    """A date typed as a date cell, an Excel serial number or text like 2020-09-01 / 2020年9月1日."""
    if is_blank(raw):
        return None, "BLANK"
    if isinstance(raw, ErrorValue):
        return None, "E_ERROR_VALUE"
    if isinstance(raw, dt.datetime):
        return raw.date(), None
    if isinstance(raw, dt.date):
        return raw, None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if 1 <= raw < 2958466:
            return _EXCEL_EPOCH + dt.timedelta(days=int(raw)), None
        return None, "E_INVALID_DATE"
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])), None
        except ValueError:
            pass
    return None, "E_INVALID_DATE"


def parse_text(raw: object) -> str:
    """A name or label as typed, trimmed, with full-width spaces removed."""
    if is_blank(raw) or isinstance(raw, ErrorValue):
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return strip_invisible(unicodedata.normalize("NFKC", str(raw))).strip()


#: A cell's text is quoted back at most this long (messages, findings lists)
QUOTE_MAX = 40


def shorten(text: str, limit: int = QUOTE_MAX) -> str:
    """Text quoted back to the user: what shows nothing written out (``<U+200B>``), at most
    `limit` characters."""
    text = show_invisible(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def show(raw: object) -> str:
    """How a raw cell value is quoted back to the user (shortened)."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return shorten(str(raw))


def ratio(num, den) -> float | None:
    """num / den as a float, exactly computed (ints and Decimals of any size), or None."""
    if not den:
        return None
    try:
        return float(Fraction(num) / Fraction(den))
    except OverflowError:  # a ratio beyond any float: no town's figures can make one
        return None


def plain(v):
    """A figure as JSON, pandas and openpyxl take it: a Decimal as a float, NaN (pandas' "no
    value") as None, anything else as it is."""
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, float) and math.isnan(v):
        return None
    return v
