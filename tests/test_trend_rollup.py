"""A quarter of `trend` is the `rollup` of its files: every town's state and every district
figure, on the sample returns (whose 花岩镇_2020Q4.xlsx still says 2020Q3 on its cover) and on
returns whose folder contradicts their cover. A return whose cover contradicts its file or
folder name is counted in no quarter and never displaces the town's genuine return."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shuangfu_cli.cli.app import app
from shuangfu_cli.district.rollup import rollup
from shuangfu_cli.district.trend import trend
from shuangfu_cli.form.layout import form_layout

SAMPLES = Path(__file__).resolve().parent.parent / "sample_returns"
STRAY = SAMPLES / "2020Q4" / "花岩镇_2020Q4.xlsx"  # its cover says 2020Q3
#: the flawed Q3 returns of sample_returns/README.md: every other Q3 return is counted
INVALID_Q3 = {"群力镇", "双江镇", "太安镇"}


def _findings(state):
    return [(f.code, f.sheet, f.cell, f.explained) for r in state.reports for f in r.findings]


def _same_quarter(t, period: str, r) -> None:
    """trend's quarter `period` against the rollup `r`: states, files, findings, every figure
    of every town and of the district, every target."""
    assert set(t.states[period]) == set(r.towns)
    for town, state in r.towns.items():
        mine = t.states[period][town]
        assert (mine.status, mine.files, mine.errors, mine.warnings) == (
            state.status,
            state.files,
            state.errors,
            state.warnings,
        ), (period, town)
        assert _findings(mine) == _findings(state), (period, town)
    rows = t.table[t.table.period == period]
    for code in form_layout().figures:
        mine = rows[rows.code == code].set_index("town")["value"]
        for town in r.towns:
            want = r.by_town[town][code] if town in r.by_town else None
            got = mine[town]
            assert math.isnan(got) if want is None else got == pytest.approx(float(want)), (
                period,
                town,
                code,
            )
        assert mine.sum() == pytest.approx(float(r.totals[code])), (period, code)
    district = t.district[t.district.period == period].set_index("code")
    assert list(district.index) == list(r.targets)
    for code, target in r.targets.items():
        row = district.loc[code]
        assert row.actual == pytest.approx(float(target.actual)), (period, code)
        assert row.target == pytest.approx(float(target.target)), (period, code)
        if target.completion is None:
            assert math.isnan(row.completion)
        else:
            assert row.completion == pytest.approx(target.completion), (period, code)
        assert row.towns == len(r.valid_towns)
        # judged on what was counted, as the rollup judges it
        assert row.complete == target.complete, (period, code)
        assert row.behind == (None if target.judged is None else r.is_behind(target)), (
            period,
            code,
        )
        if target.counted_share is None:
            assert math.isnan(row.counted_share)
        else:
            assert row.counted_share == pytest.approx(float(target.counted_share))
            assert row.counted_completion == pytest.approx(target.counted_completion)


@pytest.mark.parametrize("strict", [False, True])
def test_each_quarter_of_trend_is_the_rollup_of_its_folder(strict):
    t = trend([SAMPLES], strict=strict)
    assert t.periods == ["2020Q3", "2020Q4"]
    for period, previous in (("2020Q3", []), ("2020Q4", [SAMPLES / "2020Q3"])):
        r = rollup([SAMPLES / period], period, previous=previous, strict=strict)
        _same_quarter(t, period, r)
        assert r.ignored == []
    assert [i.file for i in t.ignored] == []


def test_a_return_whose_cover_contradicts_its_name_displaces_nothing():
    t = trend([SAMPLES])
    q3, q4 = t.states["2020Q3"], t.states["2020Q4"]
    # the genuine Q3 return is counted; the Q4 file is 报告期不符 in Q4, counted nowhere
    assert q3["花岩镇"].status == "valid"
    assert q3["花岩镇"].files == [str(SAMPLES / "2020Q3" / "花岩镇_2020Q3.xlsx")]
    assert {town for town, s in q3.items() if s.status == "valid"} == set(q3) - INVALID_Q3
    assert q4["花岩镇"].status == "other_period" and q4["花岩镇"].files == [str(STRAY)]
    assert [(f.code, f.cell) for f in q4["花岩镇"].reports[0].findings] == [
        ("E_PERIOD_MISMATCH", "B4")
    ]
    note = (
        f"2020Q4：花岩镇的{STRAY}未计入，报告期不符：封面为2020Q3，文件名为2020Q4，不计入任何季度"
    )
    assert note in [zh for zh, _ in t.notes()]
    # it is compared with nothing: no fall, no doubt against the genuine Q3 return
    assert all(town != "花岩镇" for _, town, _, _ in t.falls + t.doubts)
    counted = t.table[(t.table.town == "花岩镇") & t.table.value.notna()]
    assert set(counted.period) == {"2020Q3"}


def test_the_cli_says_it_in_every_format():
    result = CliRunner().invoke(app, ["trend", str(SAMPLES), "--format", "json", "--lang", "en"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["towns"]["2020Q3"]["花岩镇"]["status"] == "valid"
    assert doc["towns"]["2020Q4"]["花岩镇"] == {
        "status": "other_period",
        "files": [str(STRAY)],
        "errors": 1,
        "warnings": 0,
    }
    assert doc["targets"]["EMP_JOBSEND"]["2020Q3"]["towns_counted"] == 22 - len(INVALID_Q3)
    assert any(
        str(STRAY) in n and "the cover says 2020Q3, its file name 2020Q4" in n for n in doc["notes"]
    )
    text = CliRunner().invoke(app, ["trend", str(SAMPLES)]).stdout
    assert "重复报送" not in text and "报告期不符" in text


@pytest.mark.parametrize("period", ["2020Q3", "2020Q4"])
def test_a_rollup_of_mixed_quarters_counts_what_its_folder_would(period):
    """All the samples in one rollup: each quarter's figures are its folder's; the Q4 file
    that says 2020Q3 is never a second Q3 return of 花岩镇."""
    mixed = rollup([SAMPLES], period)
    alone = rollup([SAMPLES / period], period)
    assert mixed.totals == alone.totals
    assert {t: s.status for t, s in mixed.towns.items()} == {
        t: s.status for t, s in alone.towns.items()
    }
    stray = next(i for i in mixed.ignored if i.file == str(STRAY)) if period == "2020Q3" else None
    if period == "2020Q3":
        assert mixed.towns["花岩镇"].status == "valid"
        assert stray.reason_zh == "报告期不符：封面为2020Q3，文件名为2020Q4，不计入任何季度"
        (finding,) = stray.report.findings
        assert finding.code == "E_PERIOD_NAME_MISMATCH" and finding.cell == "B4"
        assert "文件名为2020Q4" in finding.message("zh")
    else:
        # only files of another quarter: each named with why; the genuine Q3 return is told
        # nothing, the stray one that its cover is not the quarter its name says
        state = mixed.towns["花岩镇"]
        assert state.status == "other_period"
        assert dict(zip(state.files, [zh for zh, _ in state.reasons], strict=True)) == {
            str(SAMPLES / "2020Q3" / "花岩镇_2020Q3.xlsx"): "报告期为2020Q3，不是2020Q4",
            str(STRAY): "报告期不符：封面为2020Q3，文件名为2020Q4，不计入任何季度",
        }
        assert [[f.code for f in r.findings] for r in state.reports] == [
            [],
            ["E_PERIOD_MISMATCH"],
        ]


def test_a_folder_that_contradicts_the_cover(make_return, tmp_path):
    """玉溪镇's return in the folder 2020Q4 still says 2020Q3, its file name says nothing:
    报告期不符 in Q4, its genuine Q3 return counted — in trend as in the rollup of each folder."""
    for period in ("2020Q3", "2020Q4"):
        (tmp_path / period).mkdir()
        for town in ("柏梓镇", "玉溪镇"):
            make_return(town, period, name=f"{period}/{town}.xlsx")
    stray = tmp_path / "2020Q4" / "玉溪镇.xlsx"
    make_return("玉溪镇", "2020Q3", name="2020Q4/玉溪镇.xlsx")  # over the Q4 return
    t = trend([tmp_path / "2020Q3", tmp_path / "2020Q4"])
    assert t.states["2020Q3"]["玉溪镇"].status == "valid"
    assert t.states["2020Q4"]["玉溪镇"].status == "other_period"
    zh = t.states["2020Q4"]["玉溪镇"].reasons[0][0]
    assert zh == "报告期不符：封面为2020Q3，所在文件夹名为2020Q4，不计入任何季度"
    for period in ("2020Q3", "2020Q4"):
        r = rollup([tmp_path / period], period)
        for town, state in r.towns.items():
            if town in ("柏梓镇", "玉溪镇"):
                assert t.states[period][town].status == state.status, (period, town)
                assert t.states[period][town].files == state.files
        assert [f.code for f in r.towns["玉溪镇"].reports[0].findings] == (
            ["E_PERIOD_MISMATCH"] if period == "2020Q4" else []
        )
    assert r.towns["玉溪镇"].files == [str(stray)]


def test_validate_calls_it_what_the_rollup_makes_of_it_not_a_duplicate():
    """`validate sample_returns`: no '花岩镇 has two 2020Q3 returns, a rollup counts neither' (a
    rollup counts the genuine one); the stray file is named, with both periods."""
    from shuangfu_cli.check.many_returns import validate_files

    _, notes = validate_files([SAMPLES])
    assert [zh for zh, _ in notes] == [
        # the note is worded in batch.py, its reason in town_states.py
        f"{STRAY}：报告期不符：封面为2020Q3，文件名为2020Q4，不计入任何季度，请改正封面报告期或文件名"
    ]
    _, notes = validate_files([SAMPLES / "2020Q4"], expected_period="2020Q4")
    assert notes == []  # E_PERIOD_MISMATCH says it on the cover


def test_trend_calls_lagging_only_what_the_counted_towns_show():
    """Q4 of the samples: 4 towns not counted. The three targets whose district completion is
    under 100% only because of them (2020年新创办扶贫车间数 80%, 致富带头人存量(贫困村) 93.5%,
    带动贫困户数(贫困村) 96.3%) are not behind: every counted town is at or above its own share.
    trend says what the rollup says, in the JSON, the terminal and the workbook."""
    r = rollup([SAMPLES / "2020Q4"], "2020Q4")
    lifted = ["EMP_WS_NEW", "LDR_STOCK_POORV", "LDR_HOUSEHOLDS_POORV"]
    for code in lifted:
        target = r.targets[code]
        assert target.completion < 1 and not target.complete
        assert all(t.actual >= t.share for t in target.by_town.values()), code  # the premise
    result = CliRunner().invoke(app, ["trend", str(SAMPLES), "--format", "json"])
    q4 = {code: by["2020Q4"] for code, by in json.loads(result.stdout)["targets"].items()}
    for code in lifted:
        assert q4[code]["behind"] is False and q4[code]["complete"] is False, code
        assert q4[code]["counted_completion"] >= 1
    assert q4["EMP_JOBSEND"]["behind"] is True  # 103 of the counted towns' 121
    text = CliRunner().invoke(app, ["trend", str(SAMPLES)], env={"COLUMNS": "250"}).stdout
    row = next(line for line in text.splitlines() if "2020年新创办扶贫车间数" in line)
    assert row.count("滞后") == 1  # Q3 (none yet), not Q4
    assert "16 80.0%" in row and "100.0%" in row
