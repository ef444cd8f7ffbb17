"""One level up (层层汇总): `rollup --as-return` writes the district's own return in the towns'
template; with city.yaml (districts as units) the same tool validates it, adds it up and follows
it over the quarters. The district's returns are made from the 22 towns' returns written by the
template, one quarter re-saved by LibreOffice as the statistician's spreadsheet saves it."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from shuangfu_cli.check.one_return import validate_file
from shuangfu_cli.cli.app import app
from shuangfu_cli.cli.usage import run
from shuangfu_cli.district.own_return import SEPARATOR, district_unit
from shuangfu_cli.district.rollup import rollup
from shuangfu_cli.district.trend import trend
from shuangfu_cli.form.layout import form_layout
from shuangfu_cli.form.reference import load_reference, registry_for
from shuangfu_cli.writing.fill import fill_workbook, locate
from shuangfu_dev.samples import figures_for

ROOT = Path(__file__).resolve().parent.parent
CITY = ROOT / "city.yaml"
#: a town's warning, explained by the town on the row's cell; it must stay explained upward
EXPLAINED_TOWN = "柏梓镇"
#: when the district office reports each quarter's return upward
OFFICE_DATES = {"2020Q3": dt.date(2020, 10, 12), "2020Q4": dt.date(2021, 1, 12)}


def _city():
    return load_reference(CITY)


def _town_returns(folder: Path, period: str, reference, blank_templates) -> None:
    """Every town's return for `period`, all valid; 柏梓镇's first poor village has 3 leaders
    (a warning), explained in its 审核说明 by the cell of that row."""
    folder.mkdir()
    for town in reference.towns:
        figures, lists, cover = figures_for(town, period)
        if town.name == EXPLAINED_TOWN:
            row = next(r for r in lists["villages"] if r["kind"] == "贫困村")
            row["stock"], row["new"] = 3, min(row["new"], 3)
            row["trained"], row["households"] = min(row["trained"], 3), 9
            index = lists["villages"].index(row)  # the template lists the villages in order
            place = ("villages", index, "stock")
            sheet, cell = locate(blank_templates(town.name, period), place)
            lists["explanations"] = [
                {
                    "code": "W_POORV_LEADERS",
                    "sheet_name": sheet,
                    "cell": cell,
                    "text": "该村第4名带头人已确定,10月上报",
                }  # fmt: skip
            ]
        fill_workbook(
            blank_templates(town.name, period), folder / f"{town.name}_{period}.xlsx",
            figures, lists, cover,
        )  # fmt: skip


@pytest.fixture(scope="module")
def district(tmp_path_factory, reference, blank_templates, resave):
    """(folder of the district's returns, {period: the district rollup}) for Q3 and Q4; the
    Q4 district return re-saved by LibreOffice."""
    from shuangfu_cli.district.own_return import district_return
    from shuangfu_cli.writing.own_return_book import write_district_return

    root = tmp_path_factory.mktemp("district")
    upward = root / "upward"
    upward.mkdir()
    rollups = {}
    for period in ("2020Q3", "2020Q4"):
        towns = root / period
        _town_returns(towns, period, reference, blank_templates)
        result = rollup([towns], period, reference=reference, keep_lists=True)
        assert result.valid_towns == [t.name for t in reference.towns]
        out = upward / f"潼南区_{period}.xlsx"
        write_district_return(district_return(result, reference), reference, out)
        # the office signs it before sending it upward (the tool leaves these blank)
        signed = {"preparer": "王五", "phone": "023-44550000", "date": OFFICE_DATES[period]}
        fill_workbook(out, out, cover=signed)
        if period == "2020Q4":
            shutil.copy(resave(out, "xlsx"), out)
        rollups[period] = result
    return upward, rollups


def test_city_reference_lists_the_district_as_its_return_names_it(reference):
    """city.yaml (made by scripts/make_city.py) holds 潼南区 with every village of towns.yaml
    named with its town, and the district's targets as its share; the city's targets add up."""
    city = _city()
    assert city.sample
    unit = city.town(reference.district)
    assert [(v.name, v.kind) for v in unit.villages] == [
        (v.name, v.kind) for v in district_unit(reference).villages
    ]
    own = {i.code: i.target for i in registry_for(reference).indicators if i.target is not None}
    assert unit.targets == own
    for code, target in city.targets.items():
        assert target == sum(t.targets[code] for t in city.towns)


def test_district_return_validates_one_level_up_and_carries_the_rollup_totals(district):
    upward, rollups = district
    city = _city()
    for period, result in rollups.items():
        report = validate_file(upward / f"潼南区_{period}.xlsx", reference=city)
        errors = [f for f in report.findings if f.severity == "error"]
        assert errors == [], [(f.code, f.sheet, f.cell, f.params) for f in errors]
        assert report.town == "潼南区" and report.period == period
        for code in form_layout().figures:  # every figure, the form's own totals included
            assert Decimal(str(report.values[code])) == Decimal(str(result.totals[code])), code
        # the town's explained warning is still explained, on its own row of the joined list
        poorv = [f for f in report.findings if f.code == "W_POORV_LEADERS"]
        assert len(poorv) == 1 and poorv[0].explained
        assert poorv[0].subject.startswith(EXPLAINED_TOWN + SEPARATOR)


def test_district_return_is_the_towns_form_with_the_lists_joined(district, reference):
    upward, rollups = district
    wb = load_workbook(upward / "潼南区_2020Q3.xlsx")
    names = {n: list(wb.defined_names[n].destinations)[0] for n in ("COVER_TOWN", "COVER_PERIOD")}
    sheet, ref = names["COVER_TOWN"]
    assert wb[sheet][ref.replace("$", "")].value == "潼南区"
    villages = next(ws for ws in wb.worksheets if "LDR_VILLAGES" in ws.tables)
    table = villages.tables["LDR_VILLAGES"]
    first = villages[table.ref.split(":")[0]].row + 1
    listed = [villages.cell(r, 1).value for r in range(first, villages.max_row + 1)]
    expected = [v.name for v in district_unit(reference).villages]
    assert [n for n in listed if n in expected] == expected  # all, in the towns' order
    assert len(set(expected)) == len(expected)  # village names recur across towns, not here
    notes = [c.value for c in wb["附件2 培训"]["A"] if str(c.value).startswith("说明：")]
    assert notes and all("本表由潼南区填报" in n for n in notes)  # not "由各镇(街道)填报"


def test_city_rollup_counts_the_district_and_lists_the_districts_missing(district):
    upward, rollups = district
    city = _city()
    result = rollup([upward], "2020Q4", reference=city, registry=registry_for(city))
    assert {t: s.status for t, s in result.towns.items()} == {
        "潼南区": "valid", "铜梁区": "missing", "大足区": "missing"
    }  # fmt: skip
    district = rollups["2020Q4"]
    assert result.totals == pytest.approx(district.totals)
    for code, t in result.targets.items():  # the city's targets, the district's shares
        assert t.target == city.targets.get(code, t.target)
        if not t.coverage:
            assert t.by_town["潼南区"].completion == pytest.approx(
                district.targets[code].completion
            )


def test_city_trend_follows_the_district_over_the_quarters(district):
    upward, rollups = district
    result = trend([upward], reference=_city())
    assert result.periods == ["2020Q3", "2020Q4"]
    rows = result.table[(result.table.town == "潼南区") & (result.table.period == "2020Q4")]
    increments = dict(zip(rows.code, rows.increment, strict=True))
    q3, q4 = rollups["2020Q3"].totals, rollups["2020Q4"].totals
    assert increments["EMP_JOBSEND"] == pytest.approx(float(q4["EMP_JOBSEND"] - q3["EMP_JOBSEND"]))


def test_command_writes_the_return_and_says_which_towns_it_leaves_out(tmp_path, capsys):
    """The sample returns of 2020Q3: three towns are invalid; the district's return holds the
    other 19 and the run says so; one level up their poor villages are missing (errors)."""
    out = tmp_path / "潼南区_2020Q3.xlsx"
    code = run(
        app,
        ["rollup", str(ROOT / "sample_returns" / "2020Q3"), "--period", "2020Q3",
         "--as-return", str(out)],
    )  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 1  # three towns not counted
    assert "只含19个镇街的数据；未计入：群力镇、双江镇、太安镇" in printed
    report = validate_file(out, reference=_city())
    missing = {f.subject.split(SEPARATOR)[0] for f in report.findings
               if f.code == "E_VILLAGE_MISSING"}  # fmt: skip
    assert missing == {"群力镇", "双江镇", "太安镇"}
    # and the cover's lines the office signs before sending it are still blank
    blank = sorted(f.cell for f in report.findings if f.code == "E_COVER_BLANK")
    assert blank == sorted(locate(out, ("cover", key))[1] for key in ("preparer", "phone", "date"))
    others = [f.code for f in report.findings if f.code != "E_COVER_BLANK"]
    assert all(code in ("E_VILLAGE_MISSING", "W_VILLAGE_MISSING") for code in others)


def test_no_return_of_zeros_when_no_town_is_valid(tmp_path, capsys):
    out = tmp_path / "潼南区_2020Q3.xlsx"
    invalid = ROOT / "sample_returns" / "2020Q3" / "群力镇_2020Q3.xlsx"
    code = run(app, ["rollup", str(invalid), "--period", "2020Q3", "--as-return", str(out)])
    assert code == 1 and not out.exists()
    assert "没有通过校验的镇街报表，未写出区级报表" in capsys.readouterr().err


def test_as_return_must_be_an_xlsx_and_is_never_an_input(tmp_path, capsys):
    samples = ROOT / "sample_returns" / "2020Q3"
    before = (samples / "柏梓镇_2020Q3.xlsx").read_bytes()
    for target in (tmp_path / "潼南区.xls", samples / "柏梓镇_2020Q3.xlsx"):
        code = run(app, ["rollup", str(samples), "--period", "2020Q3",
                             "--as-return", str(target)])  # fmt: skip
        err = capsys.readouterr().err
        assert code == 2 and "--as-return" in err
    assert not (tmp_path / "潼南区.xls").exists()
    assert (samples / "柏梓镇_2020Q3.xlsx").read_bytes() == before


def test_make_city_script_writes_the_shipped_file(tmp_path):
    """city.yaml is what scripts/make_city.py makes from towns.yaml and indicators.yaml."""
    out = tmp_path / "city.yaml"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_city.py"), str(out)],
                   check=True, capture_output=True)  # fmt: skip
    assert out.read_text(encoding="utf-8") == CITY.read_text(encoding="utf-8")


# --- one level up, the units are districts: every output says 区县 -----------------------------

#: the words the tool says of towns and of the district, which one level up must not appear
TOWN_WORDS = ("镇街", "镇（街道）", "镇(街道)", "全区", "本区", "各镇党委")


def _tool_words(text: str) -> list[str]:
    return [w for w in TOWN_WORDS if w in text]


def test_one_level_up_every_output_says_districts(district, tmp_path, capsys, monkeypatch):
    """city.yaml's units are districts (`units:` 区县, 全市): the terminal, the bulletin, the
    workbook and the JSON's notes of a city rollup say 区县 and 全市, never 镇街 or 全区; in
    English districts and the city."""
    upward, _ = district
    monkeypatch.setenv("COLUMNS", "250")  # the tables' headers unwrapped
    md, book = tmp_path / "b.md", tmp_path / "x.xlsx"
    code = run(app, ["rollup", "--reference", str(CITY), str(upward), "--period", "2020Q4",
                     "--previous", str(upward), "--bulletin", str(md), "-o", str(book)])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 1  # two districts missing
    assert "报送情况（合计覆盖1个区县）" in out and "完成率（2个区县未计入）" in out
    assert _tool_words(out) == [], out
    text = md.read_text(encoding="utf-8")
    assert text.count("各区县扶贫开发领导小组办公室：") == 1 and "全市" in text
    assert "铜梁区、大足区未报送本期报表" in text and "（此处由市扶贫办填写" in text
    assert _tool_words(text) == [], text
    wb = load_workbook(book)
    assert "各区县完成情况1" in wb.sheetnames
    cells = [
        c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)
    ]
    assert "区县" in cells and "全市" in cells  # a header and the 合计 row
    assert [(c, _tool_words(c)) for c in cells if _tool_words(c)] == []
    run(app, ["rollup", "--reference", str(CITY), str(upward), "--period", "2020Q4",
              "--lang", "en"])  # fmt: skip
    en = capsys.readouterr().out
    assert "totals cover 1 district)" in en and "(2 districts not counted)" in en
    assert "District" in en and " town" not in en.lower()


def test_one_level_up_a_finding_and_a_note_say_districts(district, tmp_path, capsys):
    """A town's return checked against city.yaml is no district of the city; trend's note of
    the districts with no return says 区县, and so do validate's CSV header and a template
    asked for a district not in city.yaml."""
    argv = ["template", "--reference", str(CITY), "--town", "潼南", "--period", "2020Q4",
            "-o", str(tmp_path / "t.xlsx")]  # fmt: skip
    assert run(app, argv) == 2
    assert "没有“潼南”这个区县；是不是潼南区？" in capsys.readouterr().err
    town_return = ROOT / "sample_returns" / "2020Q4" / "柏梓镇_2020Q4.xlsx"
    report = validate_file(town_return, reference=_city())
    (unknown,) = [f for f in report.findings if f.code == "E_TOWN_UNKNOWN"]
    assert unknown.message("zh") == "封面填报单位“柏梓镇”不是本市的区县"
    assert unknown.message("en").endswith("is not a district of the city")
    upward, _ = district
    notes = [zh for zh, _ in trend([upward], reference=_city()).notes()]
    assert "2020Q4：未报送的区县：铜梁区、大足区" in notes
    csv = subprocess.run(
        [sys.executable, "-m", "shuangfu_cli", "validate", "--reference", str(CITY),
         str(upward), "--format", "csv"], capture_output=True, text=True, encoding="utf-8-sig",
    )  # fmt: skip
    assert csv.stdout.splitlines()[0].split(",")[1] == "区县", csv.stdout[:200]


def test_the_districts_own_return_explains_its_figures_as_the_districts(district):
    """The district fills its own return: its 指标解释 says 本区 and 全区 where a town's says
    本镇（街） and 全镇（街）."""
    upward, _ = district
    ws = load_workbook(upward / "潼南区_2020Q3.xlsx")["指标解释"]
    definitions = [c.value for c in ws["E"] if isinstance(c.value, str)]
    assert not [d for d in definitions if "镇（街）" in d]
    assert any(d.startswith("全区合计（自动计算）") for d in definitions)
    assert any("户籍在本区的建档立卡贫困家庭" in d for d in definitions)
