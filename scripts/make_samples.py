"""Make sample_returns/: the 22 towns' returns for 2020Q3 and 2020Q4, from the template.

Most returns pass every rule. A handful carry the mistakes towns really make; each mistake is
written here together with the finding it must give, located through the workbook's own defined
names and tables (not by running the validator), and sample_returns/README.md is written from
that list. tests/test_samples.py holds the tool to it.

    python scripts/make_samples.py [OUT_DIR]
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from shuangfu_cli.form.reference import load_reference, load_registry
from shuangfu_cli.writing.fill import fill_workbook, locate
from shuangfu_cli.writing.template import write_template
from shuangfu_dev.samples import figures_for

PERIODS = ("2020Q3", "2020Q4")


@dataclass
class Expect:
    code: str
    severity: str
    sheet: str
    cell: str | None
    explained: bool = False


@dataclass
class Flaw:
    town: str
    period: str
    what: str
    mutate: Callable[[dict, dict, dict, dict], None]  # (figures, lists, cover, previous figures)
    #: (code, severity, where) with where = figure code, or (list, row index, column key), or
    #: a sheet name for findings without a cell
    expect: list[tuple] = field(default_factory=list)
    options: str = ""


def _set(code, value):
    def mutate(f, lists, cover, prev):
        f[code] = value(f, prev) if callable(value) else value

    return mutate


def _low_share_workshop(explain: bool):
    def mutate(f, lists, cover, prev):
        ws = lists["workshops"][0]
        ws["workers"], ws["poor"] = 40, 8  # 20%
        if explain:
            lists["explanations"] = [
                {
                    "code": "W_WS_POOR_SHARE",
                    "subject": ws["name"],
                    "text": "该车间9月新招一批非贫困工人,10月起将优先吸纳贫困户劳动力,占比可恢复到30%以上。",
                }
            ]

    return mutate


def _drop_poor_village(f, lists, cover, prev):
    idx = next(i for i, v in enumerate(lists["villages"]) if v["kind"] == "贫困村")
    del lists["villages"][idx]


def _first_poor(town):
    ref = load_reference().town(town)
    return next(v.name for v in ref.villages if v.kind == "贫困村")


FLAWS = [
    Flaw(
        "上和镇",
        "2020Q4",
        "其中:区外 above 新增转移就业 (an 其中 above its total)",
        _set("EMP_TRANSFER_OUTSIDE", lambda f, p: f["EMP_TRANSFER_NEW"] + 5),
        [("E_PART_ABOVE_TOTAL", "error", "EMP_TRANSFER_OUTSIDE")],
    ),
    Flaw(
        "龙形镇",
        "2020Q4",
        "a poor village left out of the village list",
        _drop_poor_village,
        [
            ("E_VILLAGE_MISSING", "error", "附件5-1 村(社区)明细"),
            # the village's leaders drop out of the town's cumulative figures too
            ("W_CUMULATIVE_DECREASE", "warning", "LDR_NEW_POORV"),
            ("W_CUMULATIVE_DECREASE", "warning", "LDR_TRAINED_POORV"),
        ],
        options="--previous 2020Q3/龙形镇_2020Q3.xlsx",
    ),
    Flaw(
        "古溪镇",
        "2020Q4",
        "a workshop with 20% registered poor workers, no explanation",
        _low_share_workshop(False),
        [("W_WS_POOR_SHARE", "warning", ("workshops", 0, "poor"))],
    ),
    Flaw(
        "宝龙镇",
        "2020Q4",
        "a workshop with 20% registered poor workers, explained in 审核说明",
        _low_share_workshop(True),
        [("W_WS_POOR_SHARE", "warning", ("workshops", 0, "poor"), True)],
    ),
    Flaw(
        "玉溪镇",
        "2020Q4",
        "送工送岗 lower than in the Q3 return",
        _set("EMP_JOBSEND", lambda f, p: p["EMP_JOBSEND"] - 3),
        [("W_CUMULATIVE_DECREASE", "warning", "EMP_JOBSEND")],
        options="--previous 2020Q3/玉溪镇_2020Q3.xlsx",
    ),
    Flaw(
        "米心镇",
        "2020Q4",
        "资助金额合计 typed over the formula, not the sum of the stages",
        _set(
            "EDU_TOTAL_AMOUNT",
            lambda f, p: float(sum(v for k, v in f.items() if k.endswith("_AMOUNT"))) + 1.5,
        ),
        [("E_TOTAL_SUM", "error", "EDU_TOTAL_AMOUNT")],
    ),
    Flaw(
        "花岩镇",
        "2020Q4",
        "the Q4 return still says 2020Q3 on its cover",
        lambda f, lists, cover, prev: cover.update(period="2020Q3"),
        [("E_PERIOD_MISMATCH", "error", ("cover", "period"))],
        options="--period 2020Q4",
    ),
    Flaw(
        "群力镇",
        "2020Q3",
        "more college students funded than eligible",
        _set("EDU_COLLEGE_ELIGIBLE", lambda f, p: f["EDU_COLLEGE_FUNDED"] - 2),
        [("E_FUNDED_ABOVE_ELIGIBLE", "error", "EDU_COLLEGE_FUNDED")],
    ),
    Flaw(
        "双江镇",
        "2020Q3",
        "送工送岗 typed with its unit: '12人'",
        _set("EMP_JOBSEND", "12人"),
        [("E_NOT_NUMBER", "error", "EMP_JOBSEND")],
    ),
    Flaw(
        "太安镇",
        "2020Q3",
        "培训后实现就业 left blank",
        _set("TRN_SKILL_EMPLOYED", None),
        [("E_BLANK", "error", "TRN_SKILL_EMPLOYED")],
    ),
]


def make(out: Path) -> list[tuple[Flaw, str, list[Expect]]]:
    ref, registry = load_reference(), load_registry()
    flaws = {(f.town, f.period): f for f in FLAWS}
    made = []
    for period in PERIODS:
        folder = out / period
        folder.mkdir(parents=True, exist_ok=True)
        for town in ref.towns:
            path = folder / f"{town.name}_{period}.xlsx"
            blank = folder / f".{town.name}.template.xlsx"
            write_template(town, period, registry, blank, forms=ref.forms)
            figures, lists, cover = figures_for(town, period)
            flaw = flaws.get((town.name, period))
            if flaw:
                previous = figures_for(town, "2020Q3")[0]
                flaw.mutate(figures, lists, cover, previous)
            fill_workbook(blank, path, figures, lists, cover)
            blank.unlink()
            if flaw:
                expects = []
                for code, severity, where, *explained in flaw.expect:
                    sheet, cell = locate(path, where)
                    expects.append(Expect(code, severity, sheet, cell, bool(explained)))
                made.append((flaw, f"{period}/{path.name}", expects))
    return made


def write_readme(out: Path, made) -> None:
    lines = [
        "# Sample returns",
        "",
        "The returns of the district's 22 towns for 2020Q3 and 2020Q4, made from the project's",
        "template by `python scripts/make_samples.py sample_returns` (do not edit them by hand).",
        "The villages and target shares behind them are the sample reference data of `towns.yaml`.",
        "",
        "Every return not listed below passes every rule, validated with",
        "`--period` of its folder and, for 2020Q4, `--previous` of the same town's 2020Q3 return.",
        "The flawed ones carry a mistake towns really make and must give exactly these findings",
        "(`tests/test_samples.py` checks it; *options* are what the finding needs):",
        "",
        "| file | mistake | code | severity | sheet | cell | explained | options |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for flaw, file, expects in made:
        for e in expects:
            lines.append(
                f"| {file} | {flaw.what} | {e.code} | {e.severity} | {e.sheet} | {e.cell or ''} "
                f"| {'yes' if e.explained else 'no'} | {flaw.options} |"
            )
    lines += [
        "",
        "Try them:",
        "",
        "```",
        "shuangfu validate --period 2020Q4 -- sample_returns/2020Q4/*.xlsx",
        "shuangfu validate --previous sample_returns/2020Q3/玉溪镇_2020Q3.xlsx \\",
        "    -- sample_returns/2020Q4/玉溪镇_2020Q4.xlsx",
        "shuangfu rollup sample_returns/2020Q4 --period 2020Q4 --previous sample_returns/2020Q3",
        "```",
        "",
        "(Files go after `--`, the options before it: see the main README, Check returns.)",
        "",
    ]
    (out / "README.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "sample_returns")
    made = make(target)
    write_readme(target, made)
    print(f"wrote {len(PERIODS) * 22} returns ({len(made)} flawed) to {target}")
