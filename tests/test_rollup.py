"""The quarter-end rollup: states, totals, ratios and targets against a computation made here
from the known figures, the workbook's 合计 rows, the bulletin, and safe writes."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from shuangfu_cli.cli.app import app
from shuangfu_cli.district.rollup import rollup, time_progress
from shuangfu_cli.form.layout import form_layout
from shuangfu_cli.writing.fill import fill_workbook
from shuangfu_cli.writing.rollup_book import write_workbook
from shuangfu_dev.samples import figures_for

PERIOD = "2020Q4"
INVALID = "上和镇"  # an 其中 above its total
DUPLICATE = "柏梓镇"  # sent twice
MISSING = "寿桥镇"  # not sent
OTHER_PERIOD = "田家镇"  # sends its Q3 return again
UNREADABLE = "卧佛镇"  # a damaged file named after the town


@pytest.fixture(scope="module")
def district(tmp_path_factory, reference, blank_templates):
    """22 towns' 2020Q4 returns with known figures, some made invalid, one duplicated, one
    missing, one for another period, one unreadable, one of an unknown town."""
    folder = tmp_path_factory.mktemp("district")
    known = {}
    for town in reference.towns:
        if town.name == MISSING:
            continue
        period = "2020Q3" if town.name == OTHER_PERIOD else PERIOD
        figures, lists, cover = figures_for(town, period)
        if town.name == INVALID:
            figures["EMP_TRANSFER_OUTSIDE"] = figures["EMP_TRANSFER_NEW"] + 1
        path = folder / f"{town.name}.xlsx"
        fill_workbook(blank_templates(town.name, period), path, figures, lists, cover)
        known[town.name] = (figures, lists)
    shutil.copy(folder / f"{DUPLICATE}.xlsx", folder / f"{DUPLICATE}(修改版).xlsx")
    (folder / f"{UNREADABLE}.xlsx").write_bytes(b"PK\x03\x04 broken")
    stranger = folder / "外区某镇.xlsx"
    figures, lists, cover = figures_for(reference.towns[0], PERIOD)
    fill_workbook(
        blank_templates(reference.towns[0].name, PERIOD),
        stranger,
        figures,
        lists,
        {**cover, "town": "外区某镇"},
    )
    return folder, known


COUNTED = lambda known: sorted(  # noqa: E731
    t for t in known if t not in (INVALID, DUPLICATE, OTHER_PERIOD, UNREADABLE)
)


def _independent_totals(known, towns):
    """District totals computed here with pandas from the figures the returns were made from."""
    layout = form_layout()
    rows = []
    for town in towns:
        figures, lists = known[town]
        rec = {"town": town, **{c: v for c, v in figures.items()}}
        ws = pd.DataFrame(lists["workshops"])
        vil = pd.DataFrame(lists["villages"])
        poor = vil["kind"] == "贫困村"
        rec |= {
            "EMP_WS_TOTAL": len(ws),
            "EMP_WS_NEW": int((ws["new_2020"] == "是").sum()),
            "EMP_WS_WORKERS": int(ws["workers"].sum()),
            "EMP_WS_POOR": int(ws["poor"].sum()),
        }
        for col, key in (
            ("STOCK", "stock"),
            ("NEW", "new"),
            ("TRAINED", "trained"),
            ("HOUSEHOLDS", "households"),
        ):
            rec[f"LDR_{col}_POORV"] = int(vil.loc[poor, key].sum())
            rec[f"LDR_{col}_OTHERV"] = int(vil.loc[~poor, key].sum())
            rec[f"LDR_{col}"] = int(vil[key].sum())
        rows.append(rec)
    df = pd.DataFrame(rows).set_index("town")
    for code, f in layout.figures.items():
        if f.parts and code.startswith(("TRN_CADRE", "EDU")):
            df[code] = df[list(f.parts)].sum(axis=1)
    return df


def test_every_town_ends_in_one_state(district, reference):
    folder, known = district
    r = rollup([folder], PERIOD)
    states = {t: s.status for t, s in r.towns.items()}
    assert set(states) == {t.name for t in reference.towns}
    assert states[INVALID] == "invalid"
    assert states[DUPLICATE] == "duplicate" and len(r.towns[DUPLICATE].files) == 2
    assert states[MISSING] == "missing"
    assert states[UNREADABLE] == "unreadable"
    # a town whose only file is of another quarter says so, with the file's name
    assert states[OTHER_PERIOD] == "other_period"
    assert [Path(f).name for f in r.towns[OTHER_PERIOD].files] == [f"{OTHER_PERIOD}.xlsx"]
    assert sorted(t for t, s in states.items() if s == "valid") == COUNTED(known)
    ignored = {p.split("/")[-1]: reason for p, reason in ((i.file, i.reason_zh) for i in r.ignored)}
    assert set(ignored) == {"外区某镇.xlsx"}


def test_a_file_of_another_quarter_beside_the_towns_return_is_listed(
    district, tmp_path, blank_templates, reference
):
    folder, known = district
    both = tmp_path / "both"
    shutil.copytree(folder, both)
    town = reference.town(COUNTED(known)[0])
    figures, lists, cover = figures_for(town, "2020Q3")
    fill_workbook(
        blank_templates(town.name, "2020Q3"), both / "上季度的.xlsx", figures, lists, cover
    )
    r = rollup([both], PERIOD)
    assert r.towns[town.name].status == "valid"
    assert [Path(f).name for f in r.towns[town.name].files] == [f"{town.name}.xlsx"]
    ignored = {Path(i.file).name: i.reason_zh for i in r.ignored}
    assert "2020Q3" in ignored["上季度的.xlsx"]


def test_totals_and_by_town_match_independent_computation(district):
    folder, known = district
    r = rollup([folder], PERIOD)
    df = _independent_totals(known, COUNTED(known))
    doc = r.to_dict()
    for code in form_layout().figures:
        expected = df[code].sum()
        got = doc["indicators"][code]["total"]
        if isinstance(expected, Decimal) or form_layout().figures[code].vtype == "money":
            assert got == pytest.approx(float(expected), abs=1e-6), code
        else:
            assert got == int(expected), code
        assert set(doc["indicators"][code]["by_town"]) == set(COUNTED(known))
        for town in COUNTED(known):
            assert doc["indicators"][code]["by_town"][town] == pytest.approx(
                float(df.at[town, code])
            )


def test_completion_against_targets(district, registry):
    folder, known = district
    doc = rollup([folder], PERIOD).to_dict()
    df = _independent_totals(known, COUNTED(known))
    for ind in registry.indicators:
        if ind.target is not None:
            entry = doc["indicators"][ind.code]
            assert entry["target"] == ind.target
            assert entry["completion"] == pytest.approx(df[ind.code].sum() / ind.target, abs=1e-6)
    college = doc["targets"]["EDU_COLLEGE_FUNDED"]
    assert college["coverage"] is True
    assert college["completion"] == pytest.approx(
        df["EDU_COLLEGE_FUNDED"].sum() / df["EDU_COLLEGE_ELIGIBLE"].sum()
    )
    assert doc["indicators"]["EMP_JOBSEND"]["target"] == 150
    assert doc["indicators"]["EMP_WS_POOR"]["target"] is None
    assert doc["indicators"]["EMP_WS_POOR"]["completion"] is None


def test_ratios_are_recomputed_from_sums_not_averaged(district):
    folder, known = district
    r = rollup([folder], PERIOD)
    df = _independent_totals(known, COUNTED(known))
    by_sum = df["EMP_WS_POOR"].sum() / df["EMP_WS_WORKERS"].sum()
    averaged = (df["EMP_WS_POOR"] / df["EMP_WS_WORKERS"]).mean()
    assert abs(by_sum - averaged) > 1e-4  # the fixture tells the two apart
    assert r.ratios["EMP_WS_POOR_SHARE"] == pytest.approx(by_sum)
    assert r.ratios["TRN_CADRE_TOTAL_COVERAGE"] == pytest.approx(
        df["TRN_CADRE_TOTAL_TRAINED"].sum() / df["TRN_CADRE_TOTAL_PLANNED"].sum()
    )


def test_time_progress():
    assert time_progress("2020Q3") == 0.75
    assert time_progress("2020Q1", "days") == pytest.approx(91 / 366)  # 2020 is a leap year
    assert time_progress("2020Q3", "days") == pytest.approx(274 / 366)
    assert time_progress("2020Q4", "days") == 1.0


def test_workbook_total_rows_equal_json(district, tmp_path):
    folder, _ = district
    r = rollup([folder], PERIOD)
    out = tmp_path / "district.xlsx"
    write_workbook(r, out)
    doc = r.to_dict()
    wb = load_workbook(out)
    assert {"目标完成情况", "各镇街完成情况1", "图表", "报送情况", "问题清单"} <= set(wb.sheetnames)
    seen = []
    for ws in wb.worksheets:
        if not ws.title.startswith("附件"):
            continue
        codes = [c.value for c in ws[1]][2:]  # the row of codes, outside the print area
        total_row = next(row for row in ws.iter_rows() if row[0].value == "合计")
        for code, cell in zip(codes, total_row[2:], strict=True):
            assert cell.value == pytest.approx(doc["indicators"][code]["total"]), code
            seen.append(code)
    assert sorted(seen) == sorted(form_layout().figures)  # each figure once, none left out
    assert wb["图表"]._charts  # native charts


def test_outputs_name_the_indicators_by_the_registry_the_rollup_was_made_with(
    district, reference, registry, tmp_path
):
    """A rollup made with a registry other than the default one (an indicator renamed) is
    written with that registry's names, in the workbook and in the 通报: never the default's
    (the 附件 sheets copy the form itself, its row labels the schema's)."""
    from shuangfu_cli.form.reference import registry_for
    from shuangfu_cli.writing.bulletin_md import write_bulletin_md

    folder, _ = district
    default = registry_for(reference, registry)
    old = default.by_code()["EMP_JOBSEND"]
    new = old.model_copy(update={"name_zh": "送岗到人人数", "name_en": "people handed a job"})
    renamed = default.model_copy(
        update={"indicators": [new if i.code == old.code else i for i in default.indicators]}
    )
    r = rollup([folder], PERIOD, reference=reference, registry=renamed)
    assert r.registry is renamed and r.reference is reference
    book, bulletin = tmp_path / "district.xlsx", tmp_path / "通报.md"
    write_workbook(r, book)
    write_bulletin_md(r, bulletin)
    wb = load_workbook(book)
    targets = [str(c.value) for row in wb["目标完成情况"].iter_rows() for c in row if c.value]
    every_cell = [
        str(c.value)
        for ws in wb.worksheets
        if not ws.title.startswith("附件")
        for row in ws.iter_rows()
        for c in row
        if c.value
    ]
    text = bulletin.read_text(encoding="utf-8")
    assert "送岗到人人数" in targets
    for written in ("\n".join(every_cell), text):
        assert "送岗到人人数" in written
        assert old.name_zh not in written


def test_interrupted_write_keeps_previous_output(district, tmp_path, monkeypatch):
    from shuangfu_cli.writing import rollup_book

    folder, _ = district
    r = rollup([folder], PERIOD)
    out = tmp_path / "district.xlsx"
    write_workbook(r, out)
    before = out.read_bytes()

    def crash(self, path):
        with open(path, "wb") as fh:
            fh.write(b"half a workbook")
        raise KeyboardInterrupt

    monkeypatch.setattr(rollup_book.Workbook, "save", crash)
    with pytest.raises(KeyboardInterrupt):
        write_workbook(r, out)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["district.xlsx"]


def test_failed_write_leaves_no_temporary_file(district, tmp_path, monkeypatch):
    # the workbook is written streamed: each sheet goes to a temporary file first
    import tempfile

    from shuangfu_cli.writing import rollup_book

    folder, _ = district
    r = rollup([folder], PERIOD)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))

    def full_disk(self, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rollup_book.Workbook, "save", full_disk)
    with pytest.raises(OSError):
        write_workbook(r, tmp_path / "district.xlsx")
    assert list(scratch.iterdir()) == []
    assert not (tmp_path / "district.xlsx").exists()


def test_text_from_a_return_is_never_a_formula(reference, blank_templates, tmp_path):
    town = reference.towns[2]
    figures, lists, cover = figures_for(town, PERIOD)
    lists["workshops"][0]["name"] = '=HYPERLINK("http://x","点我")'
    lists["workshops"][0]["poor"] = 1  # a warning whose message quotes the name
    src = tmp_path / "in"
    src.mkdir()
    fill_workbook(blank_templates(town.name, PERIOD), src / "a.xlsx", figures, lists, cover)
    r = rollup([src], PERIOD)
    out = tmp_path / "d.xlsx"
    write_workbook(r, out)
    ws = load_workbook(out)["问题清单"]
    cells = [
        c
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and "HYPERLINK" in c.value
    ]
    assert cells and all(c.data_type == "s" for c in cells)


def test_share_problems_are_reported(district, reference):
    folder, _ = district
    broken = reference.model_copy(deep=True)
    broken.towns[0].targets["EMP_JOBSEND"] += 5
    r = rollup([folder], PERIOD, reference=broken)
    assert r.share_problems == [{"code": "EMP_JOBSEND", "shares": 155, "target": 150}]


def test_cli_rollup_json_workbook_and_bulletin(district, tmp_path):
    folder, known = district
    out, md = tmp_path / "d.xlsx", tmp_path / "b.md"
    result = CliRunner().invoke(
        app,
        [
            "rollup",
            str(folder),
            "--period",
            PERIOD,
            "--format",
            "json",
            "-o",
            str(out),
            "--bulletin",
            str(md),
            "--progress",
            "days",
        ],
    )
    assert result.exit_code == 1, result.output  # some towns are not counted
    doc = json.loads(result.stdout)
    assert doc["period"] == PERIOD and doc["time_progress"] == 1.0
    assert doc["towns"][MISSING] == {"status": "missing", "files": [], "errors": 0, "warnings": 0}
    assert doc["towns"][INVALID]["errors"] == 1
    assert sorted(doc["covered_towns"]) == COUNTED(known)
    assert out.exists()
    text = md.read_text(encoding="utf-8")
    assert "未报送" in text and MISSING in text and INVALID in text
    assert "送工送岗人数" in text


def test_cli_rollup_text(district):
    folder, _ = district
    result = CliRunner().invoke(app, ["rollup", str(folder), "--period", PERIOD])
    assert result.exit_code == 1
    assert "未报送" in result.output and "序时进度" in result.output
    assert "Traceback" not in result.output


def test_complete_valid_district_exits_0(tmp_path, reference, blank_templates):
    folder = tmp_path / "all"
    folder.mkdir()
    for town in reference.towns:
        figures, lists, cover = figures_for(town, "2020Q3")
        fill_workbook(
            blank_templates(town.name, "2020Q3"),
            folder / f"{town.name}.xlsx",
            figures,
            lists,
            cover,
        )
    result = CliRunner().invoke(app, ["rollup", str(folder), "--period", "2020Q3"])
    assert result.exit_code == 0, result.output


def test_streamed_json_is_the_json_of_the_whole_document(district):
    """`rollup --format json` writes each indicator's per-town values as it goes; the text is
    exactly json.dumps of the whole document."""
    import io
    import json

    from shuangfu_cli.text.json_stream import write_json

    r = rollup([district[0]], PERIOD)
    out = io.StringIO()
    write_json(r.json_doc(), out)
    assert out.getvalue() == json.dumps(r.to_dict(), ensure_ascii=False, indent=2) + "\n"
    assert json.loads(out.getvalue())["indicators"]["EMP_JOBSEND"]["total"] > 0
