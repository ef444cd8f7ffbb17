"""Who issues the quarterly 通报 and its 版记 (GB/T 9704 7.4), shared by its Word
(:mod:`.bulletin_docx`) and Markdown (:mod:`.bulletin_md`) forms: the issuing office, the
document number with its year in 六角括号, the date, and 抄送, 印发机关 and 印发日期."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Letterhead:
    """Who issues the 通报, under which number, on which date; who it is copied to and who
    prints it (its 版记)."""

    office: str
    number: str = ""
    date: dt.date | None = None
    copy_to: tuple[str, ...] = ()
    #: 印发机关 (default: the issuing office)
    issuer: str = ""

    @property
    def issued(self) -> dt.date:
        """成文日期 and 印发日期: the date given, else today."""
        return self.date or dt.date.today()

    def imprint(self) -> list[tuple[str, str | None]]:
        """The 版记's lines, top to bottom: 抄送 (if any; no right part) and 印发机关 with
        印发日期 (its right part)."""
        lines: list[tuple[str, str | None]] = []
        if self.copy_to:
            lines.append((f"抄送：{'，'.join(self.copy_to)}。", None))
        lines.append((self.issuer or self.office, f"{date_zh(self.issued)}印发"))
        return lines


#: the year of a document number between any brackets people type: [2021] 【2021】 (2021)
#: （2021） ［2021］ ﹝2021﹞ 〔2021〕
_YEAR_IN_BRACKETS = re.compile(r"[\[【(（［﹝〔〖]\s*(\d{4})\s*[\]】)）］﹞〕〗]")
_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def doc_number(text: str) -> str:
    """发文字号 as GB/T 9704 writes it: the year in 六角括号 〔〕, no spaces, Arabic digits
    (潼扶组办[2021]2号 -> 潼扶组办〔2021〕2号)."""
    text = re.sub(r"\s+", "", text.translate(_DIGITS))
    return _YEAR_IN_BRACKETS.sub(r"〔\1〕", text)


def date_zh(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"
