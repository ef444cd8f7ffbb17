"""The rollup of sample_returns/2020Q4 against a computation made here: pandas over the values
read back with openpyxl through the workbooks' defined names and tables (not the tool's reader)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from shuangfu_cli.district.rollup import rollup
from shuangfu_cli.form.layout import form_layout

SAMPLES = Path(__file__).resolve().parent.parent / "sample_returns"


def _named(wb, name):
    ((sheet, ref),) = list(wb.defined_names[name].destinations)
    return wb[sheet][ref.replace("$", "")].value


def _table(wb, name) -> pd.DataFrame:
    ws = next(w for w in wb.worksheets if name in w.tables)
    min_col, min_row, max_col, max_row = range_boundaries(ws.tables[name].ref)
    rows = [
        [ws.cell(r, c).value for c in range(min_col, max_col + 1)]
        for r in range(min_row, max_row + 1)
    ]
    df = pd.DataFrame(rows[1:], columns=rows[0])
    return df.dropna(how="all")


def _read_back(path: Path) -> dict:
    wb = load_workbook(path)
    layout = form_layout()
    rec = {"town": _named(wb, "COVER_TOWN"), "period": _named(wb, "COVER_PERIOD")}
    for code, fig in layout.figures.items():
        if fig.is_input:
            rec[code] = _named(wb, code)
    ws = _table(wb, "EMP_WORKSHOPS")
    rec["EMP_WS_TOTAL"] = len(ws)
    rec["EMP_WS_NEW"] = int((ws["是否2020年新创办"] == "是").sum())
    rec["EMP_WS_WORKERS"] = ws["吸纳就业人数"].sum()
    rec["EMP_WS_POOR"] = ws["其中:建档立卡贫困人口"].sum()
    vil = _table(wb, "LDR_VILLAGES")
    poor = vil["类别"] == "贫困村"
    for col, label in (
        ("STOCK", "致富带头人存量"),
        ("NEW", "其中:2020年新增培育"),
        ("TRAINED", "2020年参加培训人数"),
        ("HOUSEHOLDS", "带动贫困户数"),
    ):
        rec[f"LDR_{col}_POORV"] = vil.loc[poor, label].sum()
        rec[f"LDR_{col}_OTHERV"] = vil.loc[~poor, label].sum()
        rec[f"LDR_{col}"] = vil[label].sum()
    for code, fig in layout.figures.items():
        if fig.parts and code not in rec:
            rec[code] = sum(rec[p] for p in fig.parts)
    return rec


def _expected_errors() -> set[str]:
    """Files the sample README says carry an error."""
    text = (SAMPLES / "README.md").read_text(encoding="utf-8")
    return {m[0] for m in re.findall(r"^\| (2020Q4/\S+) \|[^\n]*\| (error) \|", text, re.M)}


def test_sample_rollup_matches_pandas():
    files = sorted((SAMPLES / "2020Q4").glob("*.xlsx"))
    df = pd.DataFrame([_read_back(f) | {"file": f"2020Q4/{f.name}"} for f in files])
    counted = df[(df["period"] == "2020Q4") & ~df["file"].isin(_expected_errors())]
    counted = counted.set_index("town")
    doc = rollup([SAMPLES / "2020Q4"], "2020Q4", previous=[SAMPLES / "2020Q3"]).to_dict()
    assert sorted(doc["covered_towns"]) == sorted(counted.index)
    for code in form_layout().figures:
        expected = counted[code].astype(float).sum()
        assert doc["indicators"][code]["total"] == pytest.approx(expected, abs=1e-6), code
        for town, value in doc["indicators"][code]["by_town"].items():
            assert value == pytest.approx(float(counted.at[town, code]), abs=1e-6)
    for code, t in doc["targets"].items():
        if not t["coverage"]:
            assert t["completion"] == pytest.approx(counted[code].sum() / t["target"], abs=1e-6)


def _expected_errors_q3() -> set[str]:
    text = (SAMPLES / "README.md").read_text(encoding="utf-8")
    return {
        m for m in re.findall(r"^\| 2020Q3/(\S+?)_2020Q3\.xlsx \|[^\n]*\| error \|", text, re.M)
    }


@pytest.fixture(scope="module")
def quarter_on_quarter(tmp_path_factory):
    """The Q4 rollup against Q3 through the command, with its workbook and both bulletins."""
    out = tmp_path_factory.mktemp("qoq")
    book, docx, md = out / "区汇总.xlsx", out / "通报.docx", out / "通报.md"
    run = [sys.executable, "-m", "shuangfu_cli", "rollup", str(SAMPLES / "2020Q4"), "--period",
           "2020Q4", "--previous", str(SAMPLES / "2020Q3"), "--format", "json"]  # fmt: skip
    done = subprocess.run([*run, "-o", str(book), "--bulletin", str(docx)], capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL)  # fmt: skip
    assert done.returncode == 1, done.stderr  # towns not counted: not complete
    subprocess.run([*run, "--bulletin", str(md)], capture_output=True, timeout=300, check=False)
    q3 = {}
    for f in sorted((SAMPLES / "2020Q3").glob("*.xlsx")):
        rec = _read_back(f)
        q3[rec["town"]] = rec
    q4 = {}
    for f in sorted((SAMPLES / "2020Q4").glob("*.xlsx")):
        rec = _read_back(f)
        q4[rec["town"]] = rec
    return json.loads(done.stdout), book, docx, md, q3, q4


def test_quarter_increments_equal_an_outside_computation(quarter_on_quarter):
    doc, _book, _docx, _md, q3, q4 = quarter_on_quarter
    qoq = doc["quarter_on_quarter"]
    assert qoq["previous_period"] == "2020Q3"
    # towns whose Q3 return is flawed are not compared, and say why; the rest are
    flawed = _expected_errors_q3()
    assert set(qoq["not_compared"]) == flawed & set(doc["covered_towns"])
    assert all("未通过校验" in v["reason"] for v in qoq["not_compared"].values())
    assert sorted(qoq["compared_towns"]) == sorted(set(doc["covered_towns"]) - flawed)
    assert qoq["complete"] is False
    reg = {i["code"]: i for i in _registry()}
    flows = [c for c in form_layout().figures if reg[c]["kind"] == "flow"]
    assert set(qoq["increments"]) == set(flows)
    for code in flows:
        by_town = qoq["increments"][code]["by_town"]
        for town in qoq["compared_towns"]:
            expected = float(q4[town][code]) - float(q3[town][code])
            assert by_town[town] == pytest.approx(expected, abs=1e-6), (code, town)
        assert qoq["increments"][code]["district"] == pytest.approx(sum(by_town.values()), abs=1e-6)
    # the change of completion: (Q4 - Q3) / the town's share, and over the district's target
    for code, t in doc["targets"].items():
        if t["coverage"]:
            continue
        change = qoq["completion_change"][code]
        for town, d in t["by_town"].items():
            if town in qoq["compared_towns"] and d["share"]:
                expected = (float(q4[town][code]) - float(q3[town][code])) / d["share"]
                assert change["by_town"][town] == pytest.approx(expected, abs=1e-6)
        compared = qoq["compared_towns"]
        expected = sum(float(q4[x][code]) - float(q3[x][code]) for x in compared) / t["target"]
        assert change["district"] == pytest.approx(expected, abs=1e-6), code


def _registry():
    import yaml

    return yaml.safe_load((SAMPLES.parent / "indicators.yaml").read_text(encoding="utf-8"))[
        "indicators"
    ]


def test_quarter_change_in_the_workbook_and_bulletins(quarter_on_quarter):
    from docx import Document

    doc, book, docx, md, _q3, _q4 = quarter_on_quarter
    qoq = doc["quarter_on_quarter"]
    wb = load_workbook(book)
    # the district's 本季度新增 beside each target, codes in the column the page leaves out
    ws = wb["目标完成情况"]
    head = [c.value for c in ws[3]]
    col = head.index("本季度新增")
    code_col = head.index("指标代码（不打印）") + 1
    for row in range(4, 4 + len(doc["targets"])):
        code = ws.cell(row, code_col).value
        expected = qoq["increments"].get(code, {}).get("district")
        got = ws.cell(row, col + 1).value
        assert got == (pytest.approx(expected) if expected is not None else None), code
    # each town's 本季度新增 of the targeted flows
    ws = wb["本季度新增"]
    codes = {c.column: c.value for c in ws[1][2:] if c.value}
    for row in ws.iter_rows(min_row=7):
        town = row[0].value
        for column, code in codes.items():
            value = row[column - 1].value
            if town == "合计":
                assert value == pytest.approx(qoq["increments"][code]["district"])
            elif town in qoq["compared_towns"]:
                assert value == pytest.approx(qoq["increments"][code]["by_town"][town])
            else:
                assert value is None  # never a 0 for a town not compared
    # the Word 通报: its targets table carries the same 本季度新增
    table = Document(docx).tables[0]
    rows = [[c.text for c in r.cells] for r in table.rows]
    col = rows[0].index("本季度新增")
    for row, (code, _t) in zip(rows[1:], doc["targets"].items(), strict=True):
        expected = qoq["increments"].get(code, {}).get("district")
        assert row[col] == ("—" if expected is None else f"{int(expected):,}")
    text = md.read_text(encoding="utf-8")
    assert "| 本季度新增 |" in text and "群力镇" in text and "未作比较" in text


def test_quarter_change_in_the_terminal():
    result = subprocess.run(
        [sys.executable, "-m", "shuangfu_cli", "rollup", str(SAMPLES / "2020Q4"), "--period",
         "2020Q4", "--previous", str(SAMPLES / "2020Q3")],
        capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
        env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    out = result.stdout
    assert "本季度新增" in out and "完成率较上季度" in out
    assert "与2020Q3比较了15个镇街" in out
    assert "群力镇：上季度报表未通过校验" in out
    assert "各镇街本季度新增" in out and "Traceback" not in result.stderr


def test_markdown_bulletin_is_the_same_text_full_width_and_without_files(quarter_on_quarter):
    _doc, _book, _docx, md, _q3, _q4 = quarter_on_quarter
    text = md.read_text(encoding="utf-8")
    assert "sample_returns" not in text and ".xlsx" not in text and "花岩镇" in text
    prose = "\n".join(
        line for line in text.splitlines() if line and not line.startswith(("|", "#"))
    )
    prose = re.sub(r"[\d.,%—\\]", "", prose)
    assert not re.search(r"[:;()]", prose), re.findall(r".{8}[:;()].{8}", prose)
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## 一、总体情况", "## 二、目标任务完成情况", "## 三、各镇街完成情况",
                        "## 四、存在的问题", "## 五、下一步工作要求"]  # fmt: skip
