"""``trend --format json``: everything the text shows, with numbers as numbers (null where a
town was not counted: never 0) — and each town's 本季度新增 of each target (`by_town`), as the
CSV and the workbook have it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol, cast

from shuangfu_cli.district.trend import Trend
from shuangfu_cli.form.findings import Lang
from shuangfu_cli.form.values import plain


class _TargetRow(Protocol):
    """A row of `Trend.district` as itertuples gives it, with its columns' types (pandas-stubs
    types every field of such a row as any scalar)."""

    code: str
    period: str
    actual: float
    target: float
    completion: float
    time_progress: float
    expected: float
    complete: bool
    counted_share: float
    counted_completion: float
    behind: bool | None
    towns: int
    increment: float
    compared: int


class _TownRow(Protocol):
    """A row of `Trend.towns` as itertuples gives it."""

    code: str
    town: str
    period: str
    share: float
    actual: float
    completion: float


def _n(v):
    v = plain(v)
    return round(v, 6) if isinstance(v, float) and not v.is_integer() else v


def trend_json(t: Trend, lang: Lang = "zh") -> dict:
    en = lang == "en"
    targets: dict[str, dict] = {}
    for row in cast("Iterator[_TargetRow]", t.district.itertuples(index=False)):
        targets.setdefault(row.code, {})[row.period] = {
            "actual": _n(row.actual),
            "target": _n(row.target),
            "completion": _n(row.completion),
            "time_progress": _n(row.time_progress),
            "expected": _n(row.expected),
            # every town counted; else the district's completion is incomplete, and the
            # target is judged by the counted towns against their own shares, as in rollup
            "complete": bool(row.complete),
            "counted_share": _n(row.counted_share),
            "counted_completion": _n(row.counted_completion),
            "behind": None if row.behind is None else bool(row.behind),
            "towns_counted": int(row.towns),
            "increment": _n(row.increment),
            "towns_in_increment": int(row.compared),
        }
    by_town: dict[str, dict] = {}
    increments = t.table.set_index(["code", "town", "period"])["increment"]
    for town_row in cast("Iterator[_TownRow]", t.towns.itertuples(index=False)):
        by_town.setdefault(town_row.code, {}).setdefault(town_row.town, {})[town_row.period] = {
            "share": _n(town_row.share),
            "actual": _n(town_row.actual),
            "completion": _n(town_row.completion),
            # 本季度新增: null for a stock, or unless counted this quarter and the one before
            "increment": _n(increments[(town_row.code, town_row.town, town_row.period)]),
        }
    return {
        "year": t.year,
        "periods": t.periods,
        "towns": {
            period: {
                town: {
                    "status": s.status,
                    "files": s.files,
                    "errors": s.errors,
                    "warnings": s.warnings,
                }  # fmt: skip
                for town, s in states.items()
            }
            for period, states in t.states.items()
        },
        "targets": targets,
        "by_town": by_town,
        "falls": [
            {
                "period": period,
                "town": town,
                "file": report.file,
                "code": f.indicator,
                "sheet": f.sheet,
                "cell": f.cell,
                "value": _n(float(f.params["value"])),
                "previous": _n(float(f.params["prev"])),
                "previous_period": f.params["prev_period"],
                "message": f.message(lang, t.names),
            }
            for period, town, report, f in t.falls
        ],
        "doubts": [
            {
                "period": period,
                "town": town,
                "file": report.file,
                **f.to_dict(lang, t.names),
            }
            for period, town, report, f in t.doubts
        ],
        "ignored_files": [
            {"file": i.file, "reason": i.reason_en if en else i.reason_zh} for i in t.ignored
        ],  # fmt: skip
        "skipped_files": [
            {"file": s.file, "reason": s.reason_en if en else s.reason_zh} for s in t.skipped
        ],  # fmt: skip
        "notes": [e if en else z for z, e in t.notes()],
    }
