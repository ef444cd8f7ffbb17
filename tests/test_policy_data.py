"""The policy thresholds are reference data: a reference with other thresholds makes the rules
judge and word their findings with its numbers, and the sample 2021 reference runs template →
validate → rollup with no code change."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from schemas import Plausibility, Policy, meta
from shuangfu_cli.check.one_return import validate_file
from shuangfu_cli.cli.app import app
from shuangfu_cli.form.reference import load_reference
from shuangfu_cli.writing.fill import fill_workbook
from shuangfu_dev.samples import figures_for

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_2021 = ROOT / "sample_reference" / "2021.yaml"


def _with_policy(**changes) -> object:
    base = load_reference()
    return base.model_copy(update={"policy": base.policy.model_copy(update=changes)})


def _workshop(workers: int, poor: int):
    def mutate(f, lists, cover):
        row = lists["workshops"][0]  # the list's sums are the form's formulas
        row["workers"], row["poor"] = workers, poor

    return mutate


def _messages(report, code: str, lang: str = "zh") -> list[str]:
    return [f.message(lang) for f in report.findings if f.code == code]


def test_every_threshold_has_its_default_unit_and_section():
    for model in (Policy, Plausibility):
        for name, info in model.model_fields.items():
            if info.annotation is bool:
                continue
            m = meta(model, name)
            assert m.zh and m.en and m.unit and m.section, (model.__name__, name)
    assert Policy().poor_share == Decimal("0.3")
    assert meta(Policy, "poor_share").section == "三(四)"
    assert load_reference().policy == Policy()  # towns.yaml says the 2020 document's


def test_a_changed_share_is_judged_and_said_with_the_reference_number(make_return):
    path = make_return(mutate=_workshop(50, 16))  # 32%: above 30%, below 35%
    assert _messages(validate_file(path), "W_WS_POOR_SHARE") == []
    report = validate_file(path, reference=_with_policy(poor_share=Decimal("0.35")))
    (zh,) = _messages(report, "W_WS_POOR_SHARE")
    assert zh.endswith("32%，低于35%")
    (en,) = _messages(report, "W_WS_POOR_SHARE", "en")
    assert en.endswith("32%, below 35%")


@pytest.mark.parametrize(
    ("changes", "code", "said_zh"),
    [
        ({"leaders_per_poor_village": 6}, "W_POORV_LEADERS", "少于每个贫困村6人的要求"),
        ({"households_per_leader": 4}, "W_HOUSEHOLDS_PER_LEADER", "每人应至少带动4户"),
        ({"class_min_days": 8}, "W_CLASS_DAYS", "每期原则上不少于8天"),
        ({"class_classroom_days": 4, "class_field_days": 3}, "W_CLASS_RATIO", "不符合4:3的要求"),
        ({"leaders_per_other_village": 50}, "W_OTHERV_LEADERS", "应不少于50人"),
    ],
)
def test_each_threshold_comes_from_the_reference(make_return, changes, code, said_zh):
    path = make_return()
    assert _messages(validate_file(path), code) == []
    messages = _messages(validate_file(path, reference=_with_policy(**changes)), code)
    assert messages and all(said_zh in m for m in messages)


def test_the_2021_sample_runs_template_validate_rollup(tmp_path):
    ref = load_reference(SAMPLE_2021)
    assert ref.sample and ref.year == 2021 and ref.policy.poor_share == Decimal("0.35")
    assert ref.targets and ref.targets != load_reference().targets
    runner = CliRunner()
    opts = ["--reference", str(SAMPLE_2021)]
    blanks, returns = tmp_path / "blank", tmp_path / "returns"
    made = runner.invoke(app, ["template", *opts, "--period", "2021Q2", "--all", "-o", str(blanks)])
    assert made.exit_code == 0, made.output
    returns.mkdir()
    below = 0  # workshops under 2021's 35% (the sample's shares are 32% to 60%)
    for town in ref.towns:
        figures, lists, cover = figures_for(town, "2021Q2")
        blank = blanks / f"{town.name}_2021Q2.xlsx"
        fill_workbook(blank, returns / f"{town.name}_2021Q2.xlsx", figures, lists, cover)
        below += sum(w["poor"] < Decimal("0.35") * w["workers"] for w in lists["workshops"])
    assert below, "the sample should have a workshop between 30% and 35%"
    checked = runner.invoke(app, ["validate", *opts, str(returns), "--format", "json"])
    findings = [f for r in json.loads(checked.stdout)["returns"] for f in r["findings"]]
    # a 2021 return judged by 2021's reference: only the changed threshold speaks
    assert [f["code"] for f in findings] == ["W_WS_POOR_SHARE"] * below
    assert all(f["message"].endswith("低于35%") for f in findings)
    rolled = runner.invoke(
        app, ["rollup", *opts, str(returns), "--period", "2021Q2", "--format", "json"]
    )
    assert rolled.exit_code == 0, rolled.output
    rollup = json.loads(rolled.stdout)
    assert {code: rollup["targets"][code]["target"] for code in ref.targets} == ref.targets
    for code, target in ref.targets.items():
        shares = rollup["targets"][code]["by_town"]
        assert sum(t["share"] for t in shares.values()) == target
    assert rollup["share_problems"] == []
    # the year is the reference's, in what is printed and in the district workbook
    book = tmp_path / "区汇总.xlsx"
    printed = runner.invoke(
        app, ["rollup", *opts, str(returns), "--period", "2021Q2", "-o", str(book)],
        env={"COLUMNS": "200"},
    )  # fmt: skip
    assert printed.exit_code == 0, printed.output
    assert "2021年目标完成情况" in printed.stdout and "2020年目标" not in printed.stdout
    titles = [ws["A1"].value for ws in load_workbook(book, read_only=True)]
    assert any(str(t).startswith("2021年目标任务完成情况") for t in titles), titles
