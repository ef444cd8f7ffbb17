"""A run's outcome and its context: what one run of checks over many returns found, in one
value (like frictionless's ``Report``), and the reference data and indicator registry a run is
made with — fetched once, where the run starts, and carried by its results from then on."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from schemas import IndicatorRegistry, Reference
from shuangfu_cli.check.one_return import ReturnReport
from shuangfu_cli.form.findings import Lang
from shuangfu_cli.form.reference import load_reference, registry_for
from shuangfu_cli.reading.collect import Skipped

#: a note of the run: (Chinese, English)
Note = tuple[str, str]


def run_context(
    reference: Reference | None = None, registry: IndicatorRegistry | None = None
) -> tuple[Reference, IndicatorRegistry]:
    """The reference data and the indicator registry a run is made with: those given, else the
    ones the command would use (``--reference`` / ``SHUANGFU_REFERENCE``, the registry as the
    reference's units are judged). The one place a run fetches them."""
    reference = reference or load_reference()
    return reference, registry or registry_for(reference)


@dataclass(frozen=True)
class RunReport:
    """Every return of a run checked: the per-file reports (in input order), the run's notes
    (Chinese, English: files passed over, previous returns not used, two returns of one town,
    …), the files passed over with the reason, and the counts.

    Unpacking it as ``reports, notes = validate_files(...)`` still works (the lists a run
    returned before it had a type of its own)."""

    reports: tuple[ReturnReport, ...]
    notes: tuple[Note, ...] = ()
    #: files found but not read as returns (lock files, hidden files, the tool's own workbooks)
    skipped: tuple[Skipped, ...] = ()
    #: the previous quarter's returns by town (with --previous), each report compared with its own
    previous: Mapping[str, ReturnReport] = field(default_factory=dict)

    @property
    def files(self) -> int:
        """How many returns were checked (the files passed over not among them)."""
        return len(self.reports)

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.reports)

    @property
    def warnings(self) -> int:
        """Warnings to confirm (not explained in 审核说明)."""
        return sum(r.warnings for r in self.reports)

    @property
    def valid(self) -> int:
        """How many returns are valid."""
        return sum(1 for r in self.reports if r.status == "valid")

    @property
    def all_valid(self) -> bool:
        """Every return checked is valid (and there was one)."""
        return bool(self.reports) and self.valid == self.files

    def notes_in(self, lang: Lang) -> list[str]:
        """The run's notes in `lang`."""
        return [en if lang == "en" else zh for zh, en in self.notes]

    def to_dict(self, lang: Lang = "zh") -> dict[str, object]:
        """What `validate --format json` prints: every return's report, the notes in `lang`."""
        return {"returns": [r.to_dict(lang) for r in self.reports], "notes": self.notes_in(lang)}

    def __iter__(self) -> Iterator[list]:
        yield list(self.reports)
        yield list(self.notes)
