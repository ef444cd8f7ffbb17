"""Findings that only echo a mistake made elsewhere: a formula total shows the error value, the
five decimals or the absurd sum of a bad part. The mistake is told once, at the part."""

from __future__ import annotations

from shuangfu_cli.form.findings import Finding
from shuangfu_cli.form.layout import form_layout
from shuangfu_cli.reading.located import ReadReturn

#: what a formula total shows when a part holds the mistake (4.12345 万元 makes the 合计 have five
#: decimals too, #DIV/0! propagates, an ID number makes the sum absurd)
VALUE_PROBLEMS = {
    "E_ERROR_VALUE",
    "E_TOO_LARGE",
    "E_YUAN_FOR_WANYUAN",
    "E_MONEY_DECIMALS",
    "E_NOT_WHOLE",
    "E_NOT_NUMBER",
    "E_NEGATIVE",
}


def drop_echoes(result: ReadReturn) -> None:
    """A formula total or list summary showing an error value, or an absurd sum, because one of
    its parts is bad is the same mistake: it is reported at the part, where the clerk can mend
    it, only. So is a total showing #VALUE! because a part is a number stored as text that the
    program could not add (full-width digits in LibreOffice): rules/lists.py tells it at the
    part (E_NUMBER_AS_TEXT)."""
    figures = form_layout().figures
    bad = {code for code, c in result.figures.items() if c.problem not in (None, "BLANK")}
    text = {code for code, c in result.figures.items() if c.quirk == "text"}
    bad_lists = {
        name
        for name, rows in result.lists.items()
        if any(c.problem for row in rows for c in row.cells.values())
    }

    def has_text_part(fig) -> bool:
        return any(p in text or (p in figures and has_text_part(figures[p])) for p in fig.parts)

    def echo(f: Finding) -> bool:
        fig = figures.get(f.indicator or "")
        if fig is None or fig.is_input or f.code not in VALUE_PROBLEMS:
            return False
        if any(p in bad for p in fig.parts) or fig.summary_of in bad_lists:
            return True
        return f.code == "E_ERROR_VALUE" and f.params.get("raw") == "#VALUE!" and has_text_part(fig)

    result.findings = [f for f in result.findings if not echo(f)]
