"""The reference data as a workbook: `reference export` writes it, `reference check` reports
every problem at its sheet and cell, `--reference` takes it; YAML → workbook → YAML changes
nothing; a statistician's edits made in LibreOffice are checked and used."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from shuangfu_cli.check.reference_file import check_file
from shuangfu_cli.cli.app import app
from shuangfu_cli.form.reference import load_reference
from shuangfu_cli.form.reference_layout import SPLIT_CODES, Sheets

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "towns.yaml", ROOT / "sample_reference" / "2021.yaml", ROOT / "city.yaml"]
runner = CliRunner()


def _export(tmp_path: Path, source: Path | None = None, name: str = "参考数据.xlsx") -> Path:
    out = tmp_path / name
    args = ["reference", "export", str(out)] + (["--reference", str(source)] if source else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return out


def _check(path: Path, lang: str = "zh") -> tuple[int, list[dict]]:
    result = runner.invoke(
        app, ["reference", "check", str(path), "--format", "json", "--lang", lang]
    )
    return result.exit_code, json.loads(result.stdout)["findings"]


def _split_cell(wb, town: str, code: str) -> str:
    ws = wb[Sheets.SPLIT]
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    codes = {ws.cell(rows[SPLIT_CODES], c).value: c for c in range(2, ws.max_column + 1)}
    return ws.cell(rows[town], codes[code]).coordinate


def _kv_cell(wb, sheet: str, key: str, key_col: int) -> str:
    ws = wb[sheet]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, key_col).value == key)
    return ws.cell(row, 2).coordinate


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_yaml_to_workbook_to_yaml_changes_nothing(tmp_path, source):
    book = _export(tmp_path, source)
    back = tmp_path / "back.yaml"
    result = runner.invoke(app, ["reference", "export", str(back), "--reference", str(book)])
    assert result.exit_code == 0, result.output
    original = load_reference.__wrapped__(source)
    assert check_file(book).reference == original
    assert load_reference.__wrapped__(back) == original


def test_the_workbook_is_for_people(tmp_path):
    wb = openpyxl.load_workbook(_export(tmp_path))
    assert wb.sheetnames[0] == Sheets.README
    split = wb[Sheets.SPLIT]
    assert split["A1"].value.startswith("附件1")
    assert split["B2"].value.endswith("（人）") and split["B3"].value == "TRN_PRACTICAL_PERSONS"
    villages = wb[Sheets.VILLAGES]
    assert [villages.cell(1, c).value for c in (1, 2, 3)] == [
        "镇（街道）",
        "村（社区）名称",
        "类别",
    ]
    lists = {dv.formula1 for dv in villages.data_validations.dataValidation}
    assert '"贫困村,非贫困村,社区"' in lists
    policy = wb[Sheets.POLICY]
    assert policy["B2"].value == pytest.approx(0.3) and policy["D2"].value == "三(四)"


def _seed(book: Path, out: Path) -> dict[str, tuple[str, str]]:
    """Deliberate problems typed into the exported workbook; their expected code and cell."""
    wb = openpyxl.load_workbook(book)
    split = wb[Sheets.SPLIT]
    expect = {}
    # a share above the indicator's bound (EMP_JOBSEND: at most 100000 a town)
    cell = _split_cell(wb, "柏梓镇", "EMP_JOBSEND")
    split[cell] = 300000
    expect["E_REF_BOUND_BELOW_TARGET"] = (Sheets.SPLIT, cell)
    # ... which no longer adds up to the district's target either
    codes_row = next(r for r in range(1, 9) if split.cell(r, 1).value == SPLIT_CODES)
    col = split[cell].column
    expect["W_REF_SHARES_SUM"] = (Sheets.SPLIT, split.cell(codes_row + 1, col).coordinate)
    # an unknown code
    split.cell(codes_row, split.max_column + 1, "EMP_NO_SUCH")
    expect["E_REF_UNKNOWN_CODE"] = (
        Sheets.SPLIT,
        split.cell(codes_row, split.max_column).coordinate,
    )
    # a town with no poor village given leaders of poor villages to find
    towns = load_reference().towns
    no_poor = next(t for t in towns if all(v.kind != "贫困村" for v in t.villages))
    cell = _split_cell(wb, no_poor.name, "LDR_STOCK_POORV")
    split[cell] = 8
    expect["E_REF_CONTRADICTION"] = (Sheets.SPLIT, cell)
    # a village listed under a second town
    villages = wb[Sheets.VILLAGES]
    row = villages.max_row + 1
    villages.append(["柏梓镇", towns[0].villages[0].name, "非贫困村"])
    expect["W_REF_VILLAGE_TWO_TOWNS"] = (Sheets.VILLAGES, f"B{row}")
    # ... one more non-poor village than the district's 260 leaders at 1 a village allow
    other_col = next(
        c
        for c in range(2, split.max_column + 1)
        if split.cell(codes_row, c).value == "LDR_STOCK_OTHERV"
    )
    expect["W_REF_TARGET_IMPLIED"] = (Sheets.SPLIT, split.cell(codes_row + 1, other_col).coordinate)
    # a threshold out of range (300%) and a rule no class can meet
    share = _kv_cell(wb, Sheets.POLICY, "poor_share", 5)
    wb[Sheets.POLICY][share] = 3
    expect["E_REF_THRESHOLD_RANGE"] = (Sheets.POLICY, share)
    wb.save(out)
    return expect


def test_a_rule_no_row_can_meet_is_said_once(tmp_path):
    wb = openpyxl.load_workbook(_export(tmp_path))
    cell = _kv_cell(wb, Sheets.POLICY, "leaders_per_poor_village", 5)
    wb[Sheets.POLICY][cell] = 600  # a village row holds at most 500 leaders
    wb.save(tmp_path / "rule.xlsx")
    code, findings = _check(tmp_path / "rule.xlsx")
    assert code == 1
    errors = [(f["code"], f["sheet"], f["cell"]) for f in findings if f["severity"] == "error"]
    assert errors == [("E_REF_RULES_CONTRADICT", Sheets.POLICY, cell)]
    assert "500" in findings[0]["message"] or any("500" in f["message"] for f in findings)


def test_check_finds_each_seeded_problem_at_its_cell(tmp_path):
    book = _export(tmp_path)
    seeded = tmp_path / "seeded.xlsx"
    expect = _seed(book, seeded)
    code, findings = _check(seeded)
    assert code == 1
    found = {(f["code"], f["sheet"], f["cell"]) for f in findings}
    for what, (sheet, cell) in expect.items():
        assert (what, sheet, cell) in found, (what, sheet, cell)
    by_code = {f["code"]: f["message"] for f in findings}
    assert "300000" in by_code["E_REF_BOUND_BELOW_TARGET"]
    assert "0个贫困村" in by_code["E_REF_CONTRADICTION"]
    _, english = _check(seeded, "en")
    said = {f["code"]: f["message"] for f in english}
    assert "above the indicator's bound 100000" in said["E_REF_BOUND_BELOW_TARGET"]
    assert said["E_REF_UNKNOWN_CODE"].startswith("There is no indicator code 'EMP_NO_SUCH'")
    # a run with it stops at once, naming the file, the sheet and the cell
    result = runner.invoke(app, ["indicators", "EMP_JOBSEND"], env={"SHUANGFU_REFERENCE": ""})
    assert result.exit_code == 0
    run = runner.invoke(app, ["template", "--reference", str(seeded), "--period", "2020Q3",
                              "--town", "柏梓镇", "-o", str(tmp_path / "t.xlsx")])  # fmt: skip
    assert run.exit_code == 2
    assert "seeded.xlsx" in run.output and "!" in run.output and "Traceback" not in run.output
    assert not (tmp_path / "t.xlsx").exists()


def test_the_clean_export_has_no_error(tmp_path):
    code, findings = _check(_export(tmp_path))
    assert code == 0
    assert {f["severity"] for f in findings} <= {"warning"}


@pytest.mark.parametrize(
    "content",
    [b"", b"PK\x03\x04 not really a zip", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600],
    ids=["empty", "damaged zip", "damaged xls"],
)
def test_a_damaged_workbook_is_a_finding_not_a_traceback(tmp_path, content):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(content)
    result = runner.invoke(app, ["reference", "check", str(bad)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and ("E_REF_" in result.output)


def test_a_zip_that_is_two_workbooks_is_refused(tmp_path):
    book = _export(tmp_path)
    two = tmp_path / "two.xlsx"
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(two, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        dst.writestr("content.xml", "<x/>")
    code, findings = _check(two)
    assert code == 1 and findings[0]["code"] == "E_REF_UNREADABLE"


def _workshop_at_32_percent(f, lists, cover):
    lists["workshops"][0].update(workers=50, poor=16)


def test_edits_made_in_libreoffice_are_checked_and_used(tmp_path, lo_type, make_return):
    book = _export(tmp_path)
    wb = openpyxl.load_workbook(book)
    ref = load_reference()
    town = ref.towns[1]  # 梓潼街道 takes a village of 桂林街道
    moved = ref.towns[0].villages[-1]
    villages = wb[Sheets.VILLAGES]
    moved_row = next(
        r for r in range(2, villages.max_row + 1)
        if villages.cell(r, 1).value == ref.towns[0].name and villages.cell(r, 2).value == moved.name
    )  # fmt: skip
    share = _split_cell(wb, "柏梓镇", "EMP_JOBSEND")
    old_share = wb[Sheets.SPLIT][share].value
    edits = [
        [Sheets.SPLIT, share, str(old_share + 7)],  # a town's share changed
        [Sheets.VILLAGES, f"A{moved_row}", town.name],  # a village moved
        [Sheets.POLICY, _kv_cell(wb, Sheets.POLICY, "poor_share", 5), "35%"],  # a threshold
    ]
    contradiction = [
        Sheets.POLICY,
        _kv_cell(wb, Sheets.POLICY, "leaders_per_poor_village", 5),
        "600",
    ]
    typed = lo_type(book, [*edits, contradiction], ("xlsx",))["xlsx"]
    code, findings = _check(typed)
    assert code == 1
    assert [(f["code"], f["cell"]) for f in findings if f["severity"] == "error"] == [
        ("E_REF_RULES_CONTRADICT", contradiction[1])
    ]
    assert any(f["code"] == "W_REF_SHARES_SUM" for f in findings)  # the share changed alone
    edited = lo_type(book, edits, ("xlsx",))["xlsx"]
    code, findings = _check(edited)
    assert code == 0
    checked = check_file(edited).reference
    assert checked is not None
    assert checked.policy.poor_share * 100 == 35
    assert moved.name in [v.name for v in checked.town(town.name).villages]
    assert moved.name not in [v.name for v in checked.town(ref.towns[0].name).villages]
    assert checked.town("柏梓镇").targets["EMP_JOBSEND"] == old_share + 7
    # and the commands run with it
    out = tmp_path / "t"
    made = runner.invoke(app, ["template", "--reference", str(edited), "--period", "2020Q3",
                               "--all", "-o", str(out)])  # fmt: skip
    assert made.exit_code == 0, made.output
    tpl = openpyxl.load_workbook(out / f"{town.name}_2020Q3.xlsx")
    assert moved.name in {c.value for ws in tpl.worksheets for row in ws.iter_rows() for c in row}
    one = make_return(mutate=_workshop_at_32_percent)  # 32%: under 35%, not under 30%
    checked_run = runner.invoke(app, ["validate", "--reference", str(edited), str(one),
                                      "--format", "json"])  # fmt: skip
    said = [f["message"] for r in json.loads(checked_run.stdout)["returns"] for f in r["findings"]
            if f["code"] == "W_WS_POOR_SHARE"]  # fmt: skip
    assert said and all(m.endswith("低于35%") for m in said)
    returns = ROOT / "sample_returns" / "2020Q3"
    rolled = runner.invoke(app, ["rollup", "--reference", str(edited), str(returns), "--period",
                                 "2020Q3", "--format", "json"])  # fmt: skip
    assert rolled.exit_code in (0, 1), rolled.output
    share_now = json.loads(rolled.stdout)["targets"]["EMP_JOBSEND"]["by_town"]["柏梓镇"]["share"]
    assert share_now == old_share + 7


def test_a_workbook_given_where_only_yaml_is_read_says_so(tmp_path):
    from shuangfu_cli.form.reference import ConfigError

    book = _export(tmp_path)
    with pytest.raises(ConfigError, match="--reference"):
        load_reference.__wrapped__(book)
