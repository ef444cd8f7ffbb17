"""The Python API for analysts: returns, rollups and a year of quarters as pandas DataFrames.

    from shuangfu_cli.api import read_returns, rollup_tables, trend_tables, validate_returns

Every return is checked exactly as ``shuangfu validate`` checks it (each in an isolated
worker); ``reference`` is a reference file (``towns.yaml``, ``city.yaml``), a loaded
:class:`schemas.Reference`, or None for the one the command would use. pandas is imported here
and by ``trend`` only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from schemas import Reference, parse_period
from shuangfu_cli.check.many_returns import validate_files
from shuangfu_cli.check.run_report import RunReport
from shuangfu_cli.check.workers import DEFAULT_LIMITS, Limits
from shuangfu_cli.district.rollup import Rollup, rollup
from shuangfu_cli.district.trend import Trend, trend
from shuangfu_cli.form.layout import form_layout
from shuangfu_cli.form.reference import load_reference
from shuangfu_cli.form.values import plain

RETURN_COLUMNS = ["file", "town", "period", "status", "errors", "warnings", "code", "value"]


def _reference(reference: Reference | str | Path | None) -> Reference:
    if reference is None or isinstance(reference, (str, Path)):
        return load_reference(Path(reference) if reference is not None else None)
    return reference


def read_returns(
    paths: Iterable[str | Path],
    reference: Reference | str | Path | None = None,
    *,
    strict: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> pd.DataFrame:
    """Every return named or found under `paths` (folders are read with their subfolders), as
    a tidy table: a row per return and figure with the return's status and its numbers of
    errors and of warnings to confirm. A return that could not be read is one row with no code
    and no value. Figures of an invalid return are there too: filter on ``status``."""
    run = validate_returns(paths, reference, strict=strict, limits=limits)
    codes = list(form_layout().figures)
    rows: list[tuple[object, ...]] = []
    for r in run.reports:  # the run's checks included (the peers), as validate makes them
        head = (r.file, r.town, r.period, r.status, r.errors, r.warnings)
        if r.status == "unreadable" or not r.values:
            rows.append((*head, None, None))
        else:
            rows += [(*head, code, plain(r.values[code])) for code in codes]
    table = pd.DataFrame(rows, columns=RETURN_COLUMNS)
    table["value"] = table["value"].astype("float64")
    return table


def validate_returns(
    paths: Iterable[str | Path],
    reference: Reference | str | Path | None = None,
    *,
    previous: Iterable[str | Path] = (),
    period: str | None = None,
    strict: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> RunReport:
    """``shuangfu validate`` of `paths`: the run's report (:class:`RunReport`) — every return's
    report with its findings, the run's notes, the files passed over with the reason, and the
    counts (``.files``, ``.errors``, ``.warnings``, ``.valid``). `period`: the quarter every
    return should be of (``--period``)."""
    files: Sequence[Path] = [Path(p) for p in paths]
    return validate_files(
        files,
        previous=[Path(p) for p in previous],
        expected_period=(parse_period(period) or period) if period else None,
        strict=strict,
        reference=_reference(reference),
        limits=limits,
    )


@dataclass
class RollupTables:
    """A rollup as DataFrames (see :func:`rollup_tables`)."""

    #: a row per town: status, files, errors, warnings
    towns: pd.DataFrame
    #: a row per indicator: total (over the towns counted), unit
    totals: pd.DataFrame
    #: a row per town counted and indicator: value
    by_town: pd.DataFrame
    #: a row per target: target, actual, completion, coverage, behind (below 序时进度, judged
    #: on what was counted), complete, counted_share and counted_completion (see .targets)
    targets: pd.DataFrame
    #: the rollup itself (everything the command's outputs are made from)
    result: Rollup


def frames_of(r: Rollup) -> RollupTables:
    """The tables of a rollup already made (units from the registry it was made with)."""
    reg = r.indicators
    towns = pd.DataFrame(
        [(t, s.status, "、".join(s.files), s.errors, s.warnings) for t, s in r.towns.items()],
        columns=["town", "status", "files", "errors", "warnings"],
    )
    totals = pd.DataFrame(
        [(c, plain(v), reg[c].unit) for c, v in r.totals.items()], columns=["code", "total", "unit"]
    )
    by_town = pd.DataFrame(
        [(t, c, plain(v[c])) for t, v in r.by_town.items() for c in r.totals],
        columns=["town", "code", "value"],
    )
    targets = pd.DataFrame(
        [(c, plain(t.target), plain(t.actual), t.completion, t.coverage, r.is_behind(t),
          t.complete, plain(t.counted_share), t.counted_completion)
         for c, t in r.targets.items()],
        columns=["code", "target", "actual", "completion", "coverage", "behind", "complete",
                 "counted_share", "counted_completion"],
    )  # fmt: skip
    for frame, cols in ((totals, ["total"]), (by_town, ["value"]),
                        (targets, ["target", "actual", "completion", "counted_share",
                                   "counted_completion"])):  # fmt: skip
        frame[cols] = frame[cols].astype("float64")
    return RollupTables(towns, totals, by_town, targets, r)


def rollup_tables(
    paths: Iterable[str | Path],
    period: str,
    reference: Reference | str | Path | None = None,
    *,
    previous: Iterable[str | Path] = (),
    strict: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> RollupTables:
    """``shuangfu rollup`` of `paths` for `period` (e.g. "2020Q4"), as DataFrames."""
    r = rollup(
        [Path(p) for p in paths],
        period,
        previous=[Path(p) for p in previous],
        strict=strict,
        reference=_reference(reference),
        limits=limits,
    )
    return frames_of(r)


def trend_tables(
    paths: Iterable[str | Path],
    reference: Reference | str | Path | None = None,
    *,
    strict: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> Trend:
    """``shuangfu trend`` of `paths`: ``.table`` (the tidy table), ``.district`` and
    ``.towns`` (completion by quarter) are DataFrames."""
    return trend([Path(p) for p in paths], reference=_reference(reference), strict=strict,
                 limits=limits)  # fmt: skip
