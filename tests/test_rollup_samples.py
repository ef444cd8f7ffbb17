"""The rollup of sample_returns/2020Q4 against a computation made here: pandas over the values
read back with openpyxl through the workbooks' defined names and tables (not the tool's reader)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from shuangfu_cli.layout import form_layout
from shuangfu_cli.rollup import rollup

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
