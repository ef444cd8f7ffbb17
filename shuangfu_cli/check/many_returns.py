"""Checking many returns in one run: each in a worker a bad file cannot bring down, against
the previous quarter's return of its own town; and the run's notes (two returns of one town,
returns not compared). One return's check is :func:`shuangfu_cli.check.one_return.validate_file`."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from schemas import IndicatorRegistry, Reference
from shuangfu_cli.check.file_period import Named, contradicted, mismatch
from shuangfu_cli.check.one_return import (
    ReturnReport,
    is_earlier,
    reasons_of,
    unreadable_report,
    validate_file,
)
from shuangfu_cli.check.peers import add_peer_doubts
from shuangfu_cli.check.run_report import RunReport, run_context
from shuangfu_cli.check.workers import DEFAULT_LIMITS, Failure, Limits, run_isolated
from shuangfu_cli.form.layout import Figures
from shuangfu_cli.reading import UnreadableError
from shuangfu_cli.reading.collect import Skipped, collect
from shuangfu_cli.reading.source import said
from shuangfu_cli.rules.policy import VILLAGE_COUNTS
from shuangfu_cli.text.sanitize import show_path
from shuangfu_cli.text.words import LANGS, Lang, both, say


@dataclass(frozen=True)
class CheckOptions:
    """What every return of a run is checked with; installed once in each worker."""

    registry: IndicatorRegistry
    reference: Reference
    expected_period: str | None = None
    strict: bool = False
    previous_by_town: dict[str, ReturnReport] = field(default_factory=dict)
    #: keep every list's rows (ReturnReport.lists), for the district's own return
    keep_lists: bool = False
    #: keep what was checked (ReturnReport.digest, .checked), for the feedback copies
    keep_checked: bool = False


_OPTIONS: CheckOptions | None = None


def _install(options: CheckOptions) -> None:
    global _OPTIONS
    _OPTIONS = options


def _check_in_worker(path: Path, careful: bool = False) -> ReturnReport:
    o = _OPTIONS
    assert o is not None, "the worker's options are installed when it starts"
    report = validate_file(
        path,
        expected_period=o.expected_period,
        previous_by_town=o.previous_by_town,
        strict=o.strict,
        registry=o.registry,
        reference=o.reference,
        careful=careful,
    )
    if o.keep_lists and report.read is not None:
        report.lists = report.read.plain_lists()
    if o.keep_checked and report.read is not None:
        keep(report, report.read.data)
    return report.slim()


#: the most bytes of checked returns a run keeps for their feedback copies (a return is about
#: 50 KB: some 5,000 returns); beyond it a copy reads its file again and is made only if the
#: file is still the one checked (its SHA-256)
KEPT_BYTES_MAX = 256 << 20


def keep(report: ReturnReport, data: bytes) -> None:
    """What the feedback copy of a return is made of: the SHA-256 of the bytes checked, and
    the bytes too when the return has findings (a return without any gets a copy only if a
    finding is added later in the run: peers, and it then reads its file again)."""
    report.digest = hashlib.sha256(data).hexdigest()
    report.checked = data if report.findings else None


def _check_carefully_in_worker(path: Path) -> ReturnReport:
    return _check_in_worker(path, careful=True)


def _again_carefully(path: Path, options: CheckOptions, limits: Limits) -> ReturnReport | None:
    """A file that outgrew the memory ceiling, read once more with every part it is read from
    walked exactly before calamine holds it: content reaching far in a spelling the fast scan
    does not look for is then named (E_SHEET_TOO_LARGE) and the rest read. None when it fails
    again."""
    ((_, result),) = run_isolated(
        _check_carefully_in_worker, [path], limits, initializer=_install, initargs=(options,)
    )
    return None if isinstance(result, Failure) else result


def _failure_reason(lang: Lang, failure: Failure, limits: Limits) -> str:
    """Why the worker failed on a file, what to do, and the technical detail if any."""
    reason = say(lang, "read_failure", failure.kind, mb=limits.memory_mb, s=limits.timeout_s)
    detail = said(lang, "technical", detail=failure.detail) if failure.detail else ""
    return reason + said(lang, "resave") + detail


def _failed(path: Path, failure: Failure, limits: Limits) -> ReturnReport:
    error = UnreadableError(*(_failure_reason(lang, failure, limits) for lang in LANGS))
    return unreadable_report(ReturnReport(file=show_path(path)), error)


def check_files(
    files: Iterable[Path],
    options: CheckOptions,
    limits: Limits = DEFAULT_LIMITS,
    on_file: Callable[[Path], None] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> Iterator[ReturnReport]:
    """Validate each file in an isolated worker; yield the (slim) reports in input order. A file
    that kills, exhausts or outlasts its worker is an `unreadable` report, never the run's end.
    `meanwhile` runs here while the workers read.

    A file that outgrew the memory ceiling is read once more, carefully, when the pool is done
    (a worker forked while the pool replaces a dead one could inherit the new worker's pipe):
    from the first such file on, the reports wait for it, in order."""
    held: list[tuple[Path, ReturnReport | Failure]] = []
    kept = 0

    def finish(path: Path, result) -> ReturnReport:
        nonlocal kept
        report = _finished(path, result, limits)
        if report.checked is not None:
            kept += len(report.checked)
            if kept > KEPT_BYTES_MAX:
                report.checked = None  # the digest stays: the copy checks the file against it
        return report

    for path, result in run_isolated(
        _check_in_worker,
        files,
        limits,
        initializer=_install,
        initargs=(options,),
        meanwhile=meanwhile,
    ):
        if on_file is not None:
            on_file(path)
        if held or (isinstance(result, Failure) and result.kind == "memory"):
            held.append((path, result))
        else:
            yield finish(path, result)
    for path, result in held:
        if isinstance(result, Failure) and result.kind == "memory":
            result = _again_carefully(path, options, limits) or result
        yield finish(path, result)


def _finished(path: Path, result, limits: Limits) -> ReturnReport:
    if isinstance(result, Failure):
        result = _failed(path, result, limits)
    else:  # the run's own key strings, not one copy per report from the pipe
        result.village_counts = {k: result.village_counts.get(k, 0) for k in VILLAGE_COUNTS}
        result.refs = Figures({c: sys.intern(r) for c, r in result.refs.items() if r})
    result.source = Path(path)
    return result


def read_previous(
    previous: Iterable[Path],
    registry: IndicatorRegistry,
    reference: Reference,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[dict[str, ReturnReport], list[tuple[str, str]]]:
    """The previous quarter's returns by town (each read in a worker like any return), and
    notes (Chinese, English) about the ones that cannot be used."""
    notes: list[tuple[str, str]] = []
    by_town: dict[str, ReturnReport] = {}
    files, skipped = collect(previous)
    notes += [s.note() for s in skipped]
    if not files:
        return by_town, notes
    options = CheckOptions(registry, reference)
    for prev in check_files(files, options, limits):
        p = prev.file
        if prev.own_output:  # the tool's own workbook among the previous returns: listed
            notes.append(Skipped(p, *reasons_of(prev)).note())
        elif prev.status == "unreadable" or not prev.town:
            notes.append(both("note", "prev_unreadable", file=p))
        elif prev.town in by_town:
            notes.append(both("note", "prev_second", file=p, town=prev.town))
        else:
            by_town[prev.town] = prev
    return by_town, notes


def check_run(
    paths: Sequence[Path],
    *,
    previous: Sequence[Path] = (),
    expected_period: str | None = None,
    strict: bool = False,
    registry: IndicatorRegistry,
    reference: Reference,
    limits: Limits = DEFAULT_LIMITS,
    meanwhile: Callable[[], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[Path], None] | None = None,
    keep_lists: bool = False,
    keep_checked: bool = False,
) -> RunReport:
    """The reading step of `validate` and `rollup`: every return under `paths` checked, each in
    an isolated worker and against the previous return of its own town, then against its peers.
    The tool's own workbooks found among the returns are passed over (in `skipped`); the notes
    are those about the previous returns."""
    by_town, notes = read_previous(previous, registry, reference, limits)
    options = CheckOptions(
        registry, reference, expected_period, strict, by_town, keep_lists, keep_checked
    )
    found, skipped = collect(paths)
    if on_start is not None:
        on_start(len(found))
    reports = []
    for report in check_files(found, options, limits, on_file, meanwhile):
        if report.own_output:  # the tool's own workbook among the returns: a note, not a return
            skipped.append(Skipped(report.file, *reasons_of(report)))
        else:
            reports.append(report)
    add_peer_doubts(reports, registry.by_code(), reference.plausibility, strict)
    return RunReport(tuple(reports), tuple(notes), tuple(skipped), by_town)


def validate_files(
    files: Sequence[Path],
    *,
    previous: Sequence[Path] = (),
    expected_period: str | None = None,
    strict: bool = False,
    registry: IndicatorRegistry | None = None,
    reference: Reference | None = None,
    limits: Limits = DEFAULT_LIMITS,
    meanwhile: Callable[[], None] | None = None,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[Path], None] | None = None,
    keep_checked: bool = False,
) -> RunReport:
    """Validate several returns, each in an isolated worker and against the previous return of
    its own town. `meanwhile` runs while the workers read (the caller's own preparations);
    `on_start` is told how many returns there are, `on_file` each one as it is done;
    `keep_checked`: keep what was checked, for the feedback copies (see :func:`keep`).

    Returns the run's report: the reports (in input order), the files passed over, and notes
    (Chinese, English) about them, about previous returns that could not be used, two returns
    of one town and covers that contradict their names.
    """
    reference, registry = run_context(reference, registry)
    run = check_run(
        files,
        previous=previous,
        expected_period=expected_period,
        strict=strict,
        registry=registry,
        reference=reference,
        limits=limits,
        meanwhile=meanwhile,
        on_start=on_start,
        on_file=on_file,
        keep_checked=keep_checked,
    )
    notes = list(run.notes)
    notes += [s.note() for s in run.skipped]
    notes += duplicate_notes(run.reports)
    notes += period_notes(run.reports)
    if previous:
        notes += comparison_notes(run.reports, run.previous)
    return replace(run, notes=tuple(notes))


def duplicate_notes(reports: Iterable[ReturnReport]) -> list[tuple[str, str]]:
    """Two or more returns of one town for one quarter: a rollup counts none of them (one
    whose cover contradicts its file or folder name is of no quarter: not among them)."""
    by_key: dict[tuple[str, str | None], list[str]] = {}
    for r in reports:
        if r.status != "unreadable" and r.town and not _contradicted(r):
            by_key.setdefault((r.town, r.period), []).append(r.file)
    notes = []
    for (town, period), files in by_key.items():
        if len(files) > 1:
            notes.append(
                both(
                    "note", "several_returns", town=town, n=len(files),
                    period=lambda lang, p=period: p or say(lang, "note", "unknown_period"),
                    files=lambda lang, f=files: say(lang, "terminal", "and").join(f),
                )
            )  # fmt: skip
    return notes


def _contradicted(r: ReturnReport) -> Named | None:
    return contradicted(r, int(r.period[:4])) if r.period else None


def period_notes(reports: Iterable[ReturnReport]) -> list[tuple[str, str]]:
    """A return whose cover contradicts the quarter in its file or folder name, unless a
    finding says so already (--period): a rollup counts it in no quarter."""
    notes = []
    for r in reports:
        said = any(f.code in ("E_PERIOD_MISMATCH", "E_PERIOD_NAME_MISMATCH") for f in r.findings)
        if r.status != "unreadable" and not said and (named := _contradicted(r)):
            said_so = mismatch(r, named)
            assert said_so is not None  # contradicted: the cover says another quarter
            zh, en = said_so
            notes.append(
                both("note", "period_contradicted", file=r.file,
                     why=lambda lang, zh=zh, en=en: zh if lang == "zh" else en)
            )  # fmt: skip
    return notes


def comparison_notes(
    reports: Iterable[ReturnReport], by_town: Mapping[str, ReturnReport]
) -> list[tuple[str, str]]:
    """The returns not compared with a previous one although --previous was given, and why:
    no previous return of the town, or one that is not of an earlier quarter."""
    notes = []
    for r in reports:
        if r.status == "unreadable" or not r.town:
            continue
        prev = by_town.get(r.town)
        if prev is None:
            notes.append(both("note", "no_previous", file=r.file, town=r.town))
        elif not is_earlier(prev.period, r.period):
            notes.append(
                both(
                    "note", "previous_not_earlier", file=r.file, prev=prev.file,
                    prev_period=lambda lang, p=prev.period: p or say(lang, "note", "unknown"),
                    period=lambda lang, p=r.period: p or say(lang, "note", "unknown"),
                )
            )  # fmt: skip
    return notes
