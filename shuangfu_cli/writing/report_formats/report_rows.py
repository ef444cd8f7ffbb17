"""What every report format is made from: the run's returns, each finding located and worded
once, and the run's notes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from shuangfu_cli.form.findings import CATALOG, Finding
from shuangfu_cli.text.words import Lang, by_lang

if TYPE_CHECKING:
    from shuangfu_cli.check.one_return import ReturnReport

#: the finding states as words, per language (error, warning to verify, warning explained)
STATE_WORDS = by_lang("finding_state")
#: a report's status (valid, invalid, unreadable) in words: the same as a town state's
STATUS_WORDS = by_lang("state")


@dataclass
class Run:
    """One command's outcome, as the report formats see it."""

    reports: Sequence[ReturnReport]  # in input order
    lang: Lang = "zh"
    #: (Chinese, English) notes of the run: skipped files, previous returns not used, ...
    notes: Sequence[tuple[str, str]] = field(default_factory=list)
    command: str = "validate"
    #: the indicators' names (Chinese, English) by code, as the run's registry has them; None:
    #: the registry's
    names: Mapping[str, tuple[str, str]] | None = None

    def note_texts(self) -> list[str]:
        return [zh if self.lang == "zh" else en for zh, en in self.notes]


@dataclass(frozen=True)
class Located:
    """A finding with its return, its place as text and its message in the run's language."""

    report: ReturnReport
    finding: Finding
    message: str

    @property
    def where(self) -> str:
        """``附件2 培训!C7``, the sheet alone, or empty for the file as a whole."""
        f = self.finding
        if f.sheet and f.cell:
            return f"{f.sheet}!{f.cell}"
        return f.sheet or ""

    def text(self) -> str:
        """The message with its place in front: what a one-line consumer shows."""
        return f"{self.where}: {self.message}" if self.where else self.message


def located(run: Run, reports: Sequence[ReturnReport] | None = None) -> Iterator[Located]:
    """The findings of `reports` (default: all the run's), in order, located and worded."""
    if run.names is not None:
        names = dict(run.names)
    else:
        from shuangfu_cli.form.reference import indicator_names

        names = indicator_names()
    for report in run.reports if reports is None else reports:
        for f in report.findings:
            yield Located(report, f, f.message(run.lang, names))


def template(code: str, lang: Lang) -> str:
    """A check's message template with its blanks shown as …, for rule descriptions."""
    import re

    check = CATALOG[code]
    return re.sub(r"\{[^{}]*\}", "…", check.zh if lang == "zh" else check.en)
