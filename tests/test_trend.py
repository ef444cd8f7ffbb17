"""shuangfu trend and the Python API: four quarters of returns made from the template (one
quarter re-saved by LibreOffice), a town missing a quarter and a figure that falls; increments
and completion by quarter against a computation made here from the figures typed in."""

from __future__ import annotations

import io
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from shuangfu_cli.api import read_returns, rollup_tables, trend_tables, validate_returns
from shuangfu_cli.cli.app import app
from shuangfu_dev.samples import figures_for

runner = CliRunner()
TOWNS = ["柏梓镇", "玉溪镇", "双江镇"]
PERIODS = ["2020Q1", "2020Q2", "2020Q3", "2020Q4"]
MISSING = ("玉溪镇", "2020Q2")  # no return that quarter
FALLS = ("柏梓镇", "2020Q3", "EMP_JOBSEND")  # lower than its Q2 figure


@pytest.fixture(scope="module")
def year(tmp_path_factory, reference, blank_templates, resave):
    """The folders 2020Q1..2020Q4, and the figures typed into each return."""
    from shuangfu_cli.writing.fill import fill_workbook

    root = tmp_path_factory.mktemp("year")
    typed: dict[tuple[str, str], dict] = {}
    for period in PERIODS:
        (root / period).mkdir()
        for town in TOWNS:
            if (town, period) == MISSING:
                continue
            figures, lists, cover = figures_for(reference.town(town), period)
            if (town, period) == FALLS[:2]:
                figures[FALLS[2]] = typed[(town, "2020Q2")][FALLS[2]] - 1
            path = root / period / f"{town}_{period}.xlsx"
            fill_workbook(blank_templates(town, period), path, figures, lists, cover)
            if period == "2020Q4":  # as a clerk's LibreOffice saves it
                shutil.copy(resave(path, "xlsx"), path)
            typed[(town, period)] = figures
    return root, typed


def _outside(typed, registry, reference):
    """Completion and increments computed here, from what was typed (all returns valid)."""
    kinds = registry.by_code()
    rows = []
    for period in PERIODS:
        q = int(period[-1])
        before = f"2020Q{q - 1}" if q > 1 else None
        for town in TOWNS:
            now = typed.get((town, period))
            prev = typed.get((town, before)) if before else None
            for code in ("EMP_JOBSEND", "TRN_PRACTICAL_PERSONS", "TRN_CADRE_TEAM_PLANNED"):
                value = None if now is None else now[code]
                if kinds[code].kind != "flow" or now is None:
                    inc = None
                elif before is None:
                    inc = now[code]
                else:
                    inc = None if prev is None else now[code] - prev[code]
                rows.append((period, town, code, value, inc))
    return pd.DataFrame(rows, columns=["period", "town", "code", "value", "increment"])


def test_trend_follows_the_year_as_computed_by_hand(year, registry, reference):
    root, typed = year
    t = trend_tables([root])
    assert t.periods == PERIODS
    assert t.states["2020Q2"]["玉溪镇"].status == "missing"
    assert all(t.states[p][town].status == "valid" for p in PERIODS for town in TOWNS
               if (town, p) != MISSING)  # fmt: skip
    outside = _outside(typed, registry, reference)
    got = t.table.merge(outside, on=["period", "town", "code"], suffixes=("", "_want"))
    assert len(got) == len(outside)
    for row in got.itertuples():
        for col in ("value", "increment"):
            have, want = getattr(row, col), getattr(row, f"{col}_want")
            if want is None or (isinstance(want, float) and math.isnan(want)):
                assert math.isnan(have), (row.period, row.town, row.code, col)  # never 0
            else:
                assert have == want, (row.period, row.town, row.code, col)
    # the district's completion: the towns counted that quarter, against the 2020 target
    for period in PERIODS:
        counted = [town for town in TOWNS if (town, period) in typed]
        for code in ("EMP_JOBSEND", "TRN_PRACTICAL_PERSONS"):
            d = t.district[(t.district.code == code) & (t.district.period == period)].iloc[0]
            actual = sum(typed[(town, period)][code] for town in counted)
            target = registry.by_code()[code].target
            assert (d.actual, d.target, d.towns) == (actual, target, len(counted))
            assert d.completion == pytest.approx(actual / target)
            assert d.time_progress == int(period[-1]) / 4
            assert d.expected == pytest.approx(int(period[-1]) / 4 * target)
            # the district's 本季度新增 is over the towns counted in both quarters
            q = int(period[-1])
            both = [town for town in counted if q == 1 or (town, f"2020Q{q - 1}") in typed]
            want = sum(typed[(town, period)][code] - (typed[(town, f"2020Q{q - 1}")][code]
                       if q > 1 else 0) for town in both)  # fmt: skip
            assert (d.increment, d.compared) == (want, len(both))
    # each town's completion against its own share
    share = reference.town("柏梓镇").targets["EMP_JOBSEND"]
    row = t.towns[(t.towns.code == "EMP_JOBSEND") & (t.towns.town == "柏梓镇")
                  & (t.towns.period == "2020Q4")].iloc[0]  # fmt: skip
    assert row.completion == pytest.approx(typed[("柏梓镇", "2020Q4")]["EMP_JOBSEND"] / share)


def test_the_figure_that_falls_is_listed_at_its_cell(year):
    root, typed = year
    doc = json.loads(runner.invoke(app, ["trend", str(root), "--format", "json"]).stdout)
    [fall] = doc["falls"]
    town, period, code = FALLS
    assert (fall["town"], fall["period"], fall["code"], fall["previous_period"]) == (
        town, period, code, "2020Q2"
    )  # fmt: skip
    assert fall["value"] == typed[(town, period)][code]
    assert fall["previous"] == typed[(town, "2020Q2")][code]
    assert fall["sheet"] == "附件4 就业" and fall["cell"] == "C26"
    assert "累计数不应减少" in fall["message"]
    assert doc["towns"]["2020Q2"]["玉溪镇"]["status"] == "missing"
    q3 = doc["targets"]["EMP_JOBSEND"]["2020Q3"]  # 玉溪镇 counted, but it has no Q2 to compare
    assert (q3["towns_counted"], q3["towns_in_increment"]) == (3, 2)


def test_json_gives_each_towns_increment_as_the_csv_does(year, registry, reference):
    """by_town[target][town][quarter]: share, actual, completion and 本季度新增 — null where
    the town was not counted in the quarter or the one before (玉溪镇 in Q2 and Q3), and for
    a stock."""
    root, typed = year
    doc = json.loads(runner.invoke(app, ["trend", str(root), "--format", "json"]).stdout)
    outside = _outside(typed, registry, reference).set_index(["code", "town", "period"])
    for town in TOWNS:
        for period in PERIODS:
            got = doc["by_town"]["EMP_JOBSEND"][town][period]
            assert set(got) == {"share", "actual", "completion", "increment"}
            want = outside.loc[("EMP_JOBSEND", town, period), "increment"]
            if want is None or math.isnan(want):
                assert got["increment"] is None, (town, period)
            else:
                assert got["increment"] == want, (town, period)
    assert doc["by_town"]["EMP_JOBSEND"]["玉溪镇"]["2020Q3"]["increment"] is None
    assert doc["by_town"]["EMP_JOBSEND"]["柏梓镇"]["2020Q3"]["increment"] < 0  # it fell
    stock = doc["by_town"]["LDR_STOCK"]["柏梓镇"]
    assert all(stock[p]["increment"] is None for p in PERIODS)


def test_csv_loads_into_pandas_as_the_same_numbers(year):
    root, _ = year
    result = runner.invoke(app, ["trend", str(root), "--format", "csv"])
    assert result.exit_code == 1  # towns of the district missing in every quarter
    assert result.stdout.startswith("\ufeff")
    table = pd.read_csv(io.StringIO(result.stdout.lstrip("\ufeff")))
    want = trend_tables([root]).table
    assert list(table.columns) == list(want.columns)
    assert len(table) == len(want)
    pd.testing.assert_series_equal(table["value"], want["value"], check_dtype=False)
    pd.testing.assert_series_equal(table["increment"], want["increment"], check_dtype=False)


def test_workbook_has_a_line_chart_per_target_and_the_tables(year, tmp_path):
    root, _ = year
    out = tmp_path / "trend.xlsx"
    result = runner.invoke(app, ["trend", str(root), "-o", str(out)])
    assert result.exit_code == 1 and out.exists()
    wb = load_workbook(out)
    assert wb.sheetnames == ["目标完成趋势", "镇街完成率", "本季度新增", "报送情况", "累计数减少",
                             "待核实", "数据"]  # fmt: skip
    charts = wb["目标完成趋势"]._charts
    assert len(charts) == 15  # the 13 split targets and the 2 coverage ones
    assert all(type(c).__name__ == "LineChart" and len(c.series) == 2 for c in charts)
    status = {r[0]: r[1:] for r in wb["报送情况"].iter_rows(min_row=5, values_only=True) if r[0]}
    assert status["玉溪镇"] == ("通过（已计入）", "未报送", "通过（已计入）", "通过（已计入）")
    increments = wb["本季度新增"]
    rows = {r[0]: r[1:] for r in increments.iter_rows(values_only=True) if r[0] in TOWNS}
    assert rows["玉溪镇"][1] == "—" and rows["玉溪镇"][2] == "—"  # missing, never 0


def test_outputs_name_the_indicators_by_the_registry_the_trend_was_made_with(
    year, reference, registry, tmp_path
):
    """A year followed with a registry other than the default one (the falling indicator
    renamed): the workbook, the text and the JSON, its fall's message too, name it so."""
    from shuangfu_cli.district.trend import trend
    from shuangfu_cli.form.reference import registry_for
    from shuangfu_cli.writing.trend_outputs.trend_book import write_workbook
    from shuangfu_cli.writing.trend_outputs.trend_json import trend_json
    from shuangfu_cli.writing.trend_outputs.trend_text import trend_blocks

    root, _ = year
    default = registry_for(reference, registry)
    old = default.by_code()[FALLS[2]]
    new = old.model_copy(update={"name_zh": "送岗到人人数", "name_en": "people handed a job"})
    renamed = default.model_copy(
        update={"indicators": [new if i.code == old.code else i for i in default.indicators]}
    )
    t = trend([root], reference=reference, registry=renamed)
    assert t.registry is renamed and t.reference is reference
    out = tmp_path / "trend.xlsx"
    write_workbook(t, out)
    wb = load_workbook(out)
    cells = "\n".join(
        str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value
    )
    text = "\n".join(
        "\n".join([b.title, *b.lines, *("\t".join(row) for row in b.rows)])
        for b in trend_blocks(t, "zh")
    )
    doc = trend_json(t, "zh")
    [fall] = doc["falls"]
    for written in (cells, text, fall["message"]):
        assert "送岗到人人数" in written
        assert old.name_zh not in written


def test_a_return_without_a_quarter_is_placed_by_its_name_or_listed(year, tmp_path):
    root, _ = year
    folder = tmp_path / "mixed"
    shutil.copytree(root, folder)
    (folder / "2020Q2" / "玉溪镇_2020Q2.xlsx").write_bytes(b"PK\x03\x04 damaged")
    (folder / "no_quarter.xlsx").write_bytes(b"PK\x03\x04 damaged too")
    doc = json.loads(runner.invoke(app, ["trend", str(folder), "--format", "json",
                                         "--lang", "en"]).stdout)  # fmt: skip
    assert doc["towns"]["2020Q2"]["玉溪镇"]["status"] == "unreadable"
    assert [i["file"] for i in doc["ignored_files"]] == [str(folder / "no_quarter.xlsx")]
    assert "no quarter of 2020" in doc["ignored_files"][0]["reason"]


def test_read_returns_and_rollup_tables(year):
    root, typed = year
    table = read_returns([root / "2020Q3"])
    assert sorted(table.town.unique()) == sorted(TOWNS)
    assert set(table.status) == {"valid"} and set(table.errors) == {0}
    value = table[(table.town == "双江镇") & (table.code == "TRN_CADRE_TEAM_PLANNED")].value.item()
    assert value == typed[("双江镇", "2020Q3")]["TRN_CADRE_TEAM_PLANNED"]
    tables = rollup_tables([root / "2020Q3"], "2020Q3")
    assert tables.towns.set_index("town").loc[TOWNS, "status"].tolist() == ["valid"] * 3
    total = tables.totals.set_index("code").loc["EMP_JOBSEND", "total"]
    assert total == sum(typed[(t, "2020Q3")]["EMP_JOBSEND"] for t in TOWNS)
    doc = tables.result.to_dict()
    for row in tables.targets.itertuples():
        assert row.actual == doc["targets"][row.code]["actual"]


def test_validate_returns_gives_the_run_as_one_report_counted_as_the_command_does(year, tmp_path):
    """api.validate_returns: the reports, the notes, the files passed over (with the reason)
    and the counts of `shuangfu validate`, in one value; unpacked as (reports, notes) as the
    run's result was before it had a type."""
    root, _ = year
    folder = tmp_path / "2020Q3"
    shutil.copytree(root / "2020Q3", folder)
    (folder / "卧佛镇_2020Q3.xlsx").write_bytes(b"PK\x03\x04 broken")  # unreadable: an error
    (folder / "~$柏梓镇_2020Q3.xlsx").write_bytes(b"a lock file")  # passed over
    run = validate_returns([folder])
    done = runner.invoke(app, ["validate", str(folder), "--format", "json"])
    doc = json.loads(done.stdout)
    assert [r.file for r in run.reports] == [r["file"] for r in doc["returns"]]
    assert run.notes_in("zh") == doc["notes"] and len(run.notes) == 1
    [skipped] = run.skipped
    assert skipped.file.endswith("~$柏梓镇_2020Q3.xlsx") and "锁定文件" in skipped.reason_zh
    findings = [f for r in doc["returns"] for f in r["findings"]]
    assert run.files == len(doc["returns"]) == 4
    assert run.errors == sum(f["severity"] == "error" for f in findings) >= 1
    assert run.warnings == sum(f["severity"] == "warning" and not f["explained"] for f in findings)
    assert run.valid == sum(r["status"] == "valid" for r in doc["returns"]) == 3
    assert not run.all_valid and done.exit_code == 1
    reports, notes = run
    assert reports == list(run.reports) and notes == list(run.notes)


def test_validate_never_imports_pandas(year):
    root, _ = year
    code = (
        "import sys\n"
        "from shuangfu_cli.cli.app import main\n"
        "try:\n"
        f"    sys.argv = ['shuangfu', 'validate', {str(root / '2020Q1')!r}]\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('pandas' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.stdout.strip().splitlines()[-1] == "False", run.stdout + run.stderr


def test_the_readme_python_example_runs_as_written(tmp_path):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    example = readme.split("```python\n", 1)[1].split("```", 1)[0]
    run = subprocess.run([sys.executable, "-c", example], capture_output=True, text=True,
                         timeout=300, cwd=Path(__file__).resolve().parent.parent)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "EMP_JOBSEND" in run.stdout and "2020Q4" in run.stdout


def test_nothing_to_follow_is_said_not_a_traceback(tmp_path):
    result = runner.invoke(app, ["trend", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 2 and "no spreadsheet" in result.stderr
    (tmp_path / "x.xlsx").write_bytes(b"junk")
    result = runner.invoke(app, ["trend", str(tmp_path), "--lang", "en"])
    assert result.exit_code == 1
    assert f"{tmp_path / 'x.xlsx'}: not counted, no quarter of 2020" in result.stderr
    assert "no quarters to follow" in result.stderr
