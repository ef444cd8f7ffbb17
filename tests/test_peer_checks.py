"""核实性审核 against the town's peers, and what the district sees of the doubts: a figure far
from the other towns' (scaled to the town's size) is a warning at its cell in any run of several
returns; the rollup lists the counted towns' unexplained doubts beside the targets they feed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from shuangfu_cli.check.many_returns import validate_files
from shuangfu_cli.district.rollup import rollup
from shuangfu_cli.district.trend import trend
from shuangfu_cli.writing.fill import locate

SAMPLES = Path(__file__).resolve().parent.parent / "sample_returns"
TOWN = "柏梓镇"


@pytest.fixture
def quarter(tmp_path, make_return):
    """quarter(period, mutate) -> a folder of the 22 sample returns of `period`, 柏梓镇's made
    again with `mutate`."""

    def make(period="2020Q4", mutate=None, explain=None):
        folder = tmp_path / period
        shutil.copytree(SAMPLES / period, folder)
        (folder / f"{TOWN}_{period}.xlsx").unlink()

        def change(f, lists, cover):
            if mutate:
                f.update(mutate)
            if explain:
                lists["explanations"] = [explain]

        path = make_return(TOWN, period, change, name=f"{TOWN}_{period}.xlsx")
        shutil.move(path, folder / path.name)
        return folder

    return make


def _doubts(reports, code="W_PEER_OUTLIER"):
    return [
        (Path(r.file).name, f.sheet, f.cell) for r in reports for f in r.findings if f.code == code
    ]


def test_clean_returns_have_no_peer_doubt():
    reports, _ = validate_files([SAMPLES / "2020Q4"])
    assert _doubts(reports) == []
    reports, _ = validate_files([SAMPLES / "2020Q3"])
    assert _doubts(reports) == []


def test_an_extra_digit_stands_out_among_the_peers_without_any_history(quarter):
    folder = quarter("2020Q4", {"TRN_PRACTICAL_PERSONS": 2160})
    reports, _ = validate_files([folder])
    path = folder / f"{TOWN}_2020Q4.xlsx"
    assert _doubts(reports) == [(path.name, *locate(path, "TRN_PRACTICAL_PERSONS"))]
    finding = next(f for r in reports for f in r.findings if f.code == "W_PEER_OUTLIER")
    message = finding.message("zh")
    assert "2160人" in message and "中位数" in message and "倍" in message
    assert "median" in finding.message("en")


def test_too_few_towns_say_nothing_about_peers(quarter):
    folder = quarter("2020Q4", {"TRN_PRACTICAL_PERSONS": 2160})
    mine = folder / f"{TOWN}_2020Q4.xlsx"
    others = [p for p in sorted(folder.glob("*.xlsx")) if p != mine]
    reports, _ = validate_files([*others[:6], mine])  # 7 towns: fewer than peer_min_towns
    assert _doubts(reports) == []
    reports, _ = validate_files([*others[:7], mine])
    assert _doubts(reports) == [(mine.name, *locate(mine, "TRN_PRACTICAL_PERSONS"))]


def test_a_peer_doubt_is_answered_by_code_and_indicator(quarter):
    answer = {"code": "W_PEER_OUTLIER", "subject": "TRN_PRACTICAL_PERSONS",
              "text": "本季度承接全区技能培训班,人数确实较多"}  # fmt: skip
    folder = quarter("2020Q4", {"TRN_PRACTICAL_PERSONS": 2160}, answer)
    reports, _ = validate_files([folder], strict=True)
    mine = next(r for r in reports if r.town == TOWN)
    assert [(f.code, f.explained) for f in mine.findings] == [("W_PEER_OUTLIER", True)]
    assert mine.status == "valid"


def test_rollup_lists_the_doubts_beside_the_targets_they_feed(quarter):
    folder = quarter("2020Q4", {"EMP_JOBSEND": 70})  # 7 typed 70: the example
    r = rollup([folder], "2020Q4", previous=[SAMPLES / "2020Q3"])
    assert [(d.town, d.finding.code, d.feeds) for d in r.doubts] == [
        (TOWN, "W_EXTRA_DIGIT", ("EMP_JOBSEND",))
    ]
    doc = r.to_dict()
    assert doc["targets"]["EMP_JOBSEND"]["doubtful_towns"] == [TOWN]
    assert doc["targets"]["EMP_TRANSFER_NEW"]["doubtful_towns"] == []
    assert doc["doubts"][0]["cell"] == locate(folder / f"{TOWN}_2020Q4.xlsx", "EMP_JOBSEND")[1]
    assert TOWN in r.valid_towns  # counted, and flagged: the statistician phones the town
    strict = rollup([folder], "2020Q4", previous=[SAMPLES / "2020Q3"], strict=True)
    assert TOWN not in strict.valid_towns and strict.doubts == []


def test_trend_checks_each_quarter_against_the_one_before(quarter, tmp_path):
    q4 = quarter("2020Q4", {"EMP_JOBSEND": 70})
    shutil.copytree(SAMPLES / "2020Q3", tmp_path / "2020Q3")
    t = trend([tmp_path / "2020Q3", q4])
    found = [(p, town, f.code, f.cell) for p, town, _r, f in t.doubts]
    cell = locate(q4 / f"{TOWN}_2020Q4.xlsx", "EMP_JOBSEND")[1]
    assert found == [("2020Q4", TOWN, "W_EXTRA_DIGIT", cell)]


def test_the_api_counts_a_peer_doubt_as_validate_does(quarter):
    """api.read_returns checks each return exactly as `validate` does, the checks across the
    run's returns included: the peer doubt is among the town's warnings."""
    from shuangfu_cli.api import read_returns

    folder = quarter("2020Q4", {"TRN_PRACTICAL_PERSONS": 2160})
    table = read_returns([folder])
    reports, _ = validate_files([folder])
    warnings = {Path(r.file).name: r.warnings for r in reports}
    got = table.drop_duplicates("file").set_index("file").warnings
    assert {Path(f).name: int(n) for f, n in got.items()} == warnings
    assert warnings[f"{TOWN}_2020Q4.xlsx"] >= 1
