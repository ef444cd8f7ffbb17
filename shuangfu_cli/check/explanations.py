"""A town's answers in 审核说明, matched with the findings of its return.

An explanation answers a warning by the warning's code and either its sheet and cell or what
it is about (the workshop, village or class name, or the indicator code), with a written text.
The sheet may be named as the template names it, as the workbook names it, or by its
attachment number alone (``附件4-1`` for ``附件4-1 扶贫车间明细``): the numbers are the
template's and each names one sheet.

An explanation that answers nothing is not dropped in silence: it is a warning at its row
(``W_EXPLANATION_UNMATCHED``) saying why — no code, an unknown code, no sheet or cell (or none
of this return), no such warning where it points, or no text. One that points at an error is
not reported: the error is there, told in its own words, and errors are corrected, not
explained.

Some warnings are given only in some runs, so an explanation of them may match nothing in one
run and a warning in another. The history codes (``W_CUMULATIVE_DECREASE`` and the slips of
rules/history.py) are given when the town's previous return is compared; ``W_PEER_OUTLIER`` when
enough towns of a quarter are compared in one run (validate of a folder, rollup, trend), after
every return has been read. The choice: an explanation of a history code is said to match
nothing only when a previous return was compared in the return's own check (``validate
--previous``, ``rollup --previous``), and one of ``W_PEER_OUTLIER`` never — whether that
warning exists depends on which towns a run compares, and a town that checks its own file
before sending it must not be told that its answer to the district's peer doubt is wrong.
Findings added after the read (:meth:`shuangfu_cli.check.one_return.ReturnReport.add`: peers, trend's
history) are answered by the same explanations, and a row reported as matching nothing that
points at one of them is withdrawn.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

from shuangfu_cli.form.findings import CATALOG, UNMATCHED, Finding
from shuangfu_cli.form.values import norm, shorten
from shuangfu_cli.reading import ReadReturn
from shuangfu_cli.reading.located import explained_place
from shuangfu_cli.rules.history import PLAUSIBILITY_CODES
from shuangfu_cli.text.words import Lang, both, say

#: warnings given only when the town's previous return is compared
HISTORY_CODES = frozenset(
    {"W_CUMULATIVE_DECREASE", *(c for c in PLAUSIBILITY_CODES if c != "W_PEER_OUTLIER")}
)
#: warnings given only when a run compares the towns of a quarter: never said to be missing
PEER_CODES = frozenset({"W_PEER_OUTLIER"})

_ATTACHMENT = re.compile(r"附件\d+(?:-\d+)?")
_CELL = re.compile(r"[A-Z]{1,3}[1-9]\d{0,6}")


class Answer(NamedTuple):
    """One row of 审核说明, normalised for matching (code upper-cased, the cell without $)."""

    code: str
    sheet: str
    cell: str
    subject: str
    row: int = 0  # the row number as the spreadsheet shows it
    at: tuple[str, str] | None = None  # the sheet and cell of the row's code: where it is told
    has_text: bool = True
    typed_sheet: str = ""  # as typed, for the message


def sheet_key(name: str) -> str:
    """What names a sheet: its attachment number when it has one (附件4-1), else its name."""
    key = norm(name)
    m = _ATTACHMENT.match(key)
    return m.group(0) if m else key


def answers(read: ReadReturn) -> tuple[Answer, ...]:
    """Every row of the return's 审核说明, normalised for matching."""
    out = []
    for row in read.lists.get("explanations", []):
        code = norm(row.value("code") or "").upper()
        typed_sheet, typed_cell = explained_place(row.value("sheet_name"), row.value("cell"))
        sheet, cell = norm(typed_sheet), norm(typed_cell)
        first = row.cells.get("code") or next(iter(row.cells.values()))
        out.append(
            Answer(
                code,
                sheet_key(sheet) if sheet else "",
                cell.upper().replace("$", ""),
                norm(row.value("subject") or ""),
                row.row,
                (first.sheet, first.ref),
                bool(row.value("text")),
                typed_sheet,
            )
        )
    return tuple(out)


def points_at(a: Answer, f: Finding) -> bool:
    """Whether the row names this finding: its code and its cell (and sheet, if given), or its
    code and what it is about."""
    if not a.code or a.code != f.code:
        return False
    at_cell = (
        a.cell and a.cell == (f.cell or "") and (not a.sheet or a.sheet == sheet_key(f.sheet or ""))
    )
    return bool(at_cell or (a.subject and a.subject in (norm(f.subject or ""), f.indicator)))


def apply_explanations(given: Iterable[Answer], findings: list[Finding]) -> None:
    """Mark the warnings answered in 审核说明 (a row that names them and has a text). Errors
    cannot be explained away."""
    given = [a for a in given if a.has_text and a.code]
    for f in findings:
        if f.severity == "warning" and any(points_at(a, f) for a in given):
            f.explained = True


def decided_by(previous_compared: bool, plausibility: bool) -> Callable[[str], bool]:
    """Whether the check of a return alone can tell that a warning of `code` is not there."""

    def decided(code: str) -> bool:
        if code in PEER_CODES:
            return False
        if code == "W_CUMULATIVE_DECREASE":
            return previous_compared
        if code in HISTORY_CODES:
            return previous_compared and plausibility
        return True

    return decided


def unmatched(
    given: Iterable[Answer], findings: list[Finding], decided: Callable[[str], bool], sheets
) -> list[Finding]:
    """A warning at each row of 审核说明 that answers nothing, saying why. `sheets`: the names
    of the return's sheets (as the template and as the workbook names them)."""
    known = {sheet_key(s) for s in sheets} | {sheet_key(f.sheet) for f in findings if f.sheet}
    out = []
    for a in given:
        why = _why(a, findings, decided, known)
        if why is not None:
            zh, en = why
            sheet, cell = a.at or (None, None)
            out.append(
                Finding(
                    UNMATCHED,
                    sheet=sheet,
                    cell=cell,
                    params={"row": a.row, "why_zh": zh, "why_en": en},
                )
            )
    return out


def _why(a: Answer, findings, decided, known) -> tuple[str, str] | None:
    """Why the row answers nothing (zh, en), or None when it answers something or cannot be
    judged in this check."""
    if not a.code:
        return both("explanation", "no_code")
    code = shorten(a.code)
    if a.code not in CATALOG:
        return both("explanation", "unknown_code", code=code)
    named = [f for f in findings if points_at(a, f)]
    if named:
        if a.has_text or any(f.severity == "error" for f in named):
            return None  # answered; an error is told in its own words (corrected, not explained)
        return both("explanation", "empty")
    if not decided(a.code):
        return None  # given only when a run compares: it may be there in another run
    if not a.cell and not a.subject:
        return both("explanation", "no_place")
    if a.sheet and a.sheet not in known:
        typed = shorten(a.typed_sheet)
        return both("explanation", "no_sheet", sheet=typed)
    if a.cell and not _CELL.fullmatch(a.cell):
        cell = shorten(a.cell)
        return both("explanation", "not_a_cell", cell=cell)
    where = shorten(
        ((a.typed_sheet + "!") if a.typed_sheet else "") + a.cell if a.cell else a.subject
    )
    places = [
        f"{f.sheet}!{f.cell}" if f.cell else (f.subject or f.sheet or "")
        for f in findings
        if f.code == a.code
    ]
    zh, en = both("explanation", "not_there", where=where, code=code)
    if places:
        more = len(places) > 3

        def listed(lang: Lang) -> str:
            said = say(lang, "terminal", "and").join(places[:3])
            return said + (say(lang, "explanation", "and_more") if more else "")

        zh += say("zh", "explanation", "is_at", code=code, places=listed("zh"))
        en += say("en", "explanation", "is_at", code=code, places=listed("en"))
    return zh, en
