"""The 通报 as a Word document in the form of a Chinese official document: A4 and the GB/T 9704
margins, fonts named for East Asian text, the issuing office and number, the five sections, the
targets table equal to the rollup's JSON, page numbers, full-width punctuation, towns named but
no files and no paths; the document number's year in 〔〕 however typed; the 版记 (抄送, 印发机关,
印发日期) at the foot of the last page, from the reference or --copy-to."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

SAMPLES = Path(__file__).resolve().parent.parent / "sample_returns"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    out = tmp_path_factory.mktemp("bulletin") / "通报_2020Q4.docx"
    result = subprocess.run(
        [sys.executable, "-m", "shuangfu_cli", "rollup", str(SAMPLES / "2020Q4"), "--period",
         "2020Q4", "--bulletin", str(out), "--doc-number", "潼扶组办[2021]2号", "--date",
         "2021-01-08", "--format", "json"],
        capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr  # a town invalid: not complete
    return out, json.loads(result.stdout)


def _east_asia(run) -> str | None:
    fonts = run._element.rPr.rFonts
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def test_page_is_a4_with_the_official_margins_and_page_numbers(made):
    doc = Document(made[0])
    s = doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert abs(s.top_margin - Mm(37)) < Mm(1) and abs(s.left_margin - Mm(28)) < Mm(1)
    with zipfile.ZipFile(made[0]) as zf:
        footers = [zf.read(n).decode() for n in zf.namelist() if "footer" in n]
        settings = zf.read("word/settings.xml").decode()
    assert sum("PAGE" in f and "— " in f for f in footers) == 2  # odd and even pages
    assert "evenAndOddHeaders" in settings


def test_letterhead_title_and_fonts(made):
    doc = Document(made[0])
    paras = [p for p in doc.paragraphs if p.text.strip()]
    office, number, title, addressee = paras[:4]
    assert office.text == "潼南区扶贫开发领导小组办公室"
    assert (
        office.runs[0].font.color.rgb is not None and str(office.runs[0].font.color.rgb) == "C00000"
    )
    assert number.text == "潼扶组办〔2021〕2号"  # typed with [ ]: the year in 六角括号
    assert title.text == "关于2020年扶志扶智工作第四季度进展情况的通报"
    assert _east_asia(title.runs[0]) == "方正小标宋简体" and title.runs[0].font.size == Pt(22)
    assert addressee.text.endswith("：")
    body = [p for p in paras if p.text.startswith("全区22个镇")][0]
    assert _east_asia(body.runs[0]) == "仿宋_GB2312" and body.runs[0].font.size == Pt(16)
    headings = [p.text for p in paras if re.match(r"[一二三四五]、", p.text)]
    assert headings == ["一、总体情况", "二、目标任务完成情况", "三、各镇街完成情况",
                        "四、存在的问题", "五、下一步工作要求"]  # fmt: skip
    for p in paras:
        if re.match(r"[一二三四五]、", p.text):
            assert _east_asia(p.runs[0]) == "黑体"
        if p.text.startswith("（一）"):
            assert _east_asia(p.runs[0]) == "楷体_GB2312"
    assert paras[-1].text == "2021年1月8日" and paras[-2].text == office.text


def test_targets_table_equals_the_rollup(made):
    doc, result = Document(made[0]), made[1]
    table = doc.tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    # 4 towns not counted: the district's completion is marked incomplete, and the counted
    # towns' shares and completion stand beside it
    assert rows[0][:6] == ["指标", "全年目标", "完成", "完成率（4个镇街未计入）", "计入镇街任务",
                           "计入镇街完成率"]  # fmt: skip
    assert len(rows) - 1 == len(result["targets"])
    for row, target in zip(rows[1:], result["targets"].values(), strict=True):
        assert float(row[2].replace(",", "")) == pytest.approx(float(target["actual"]))
        if target["completion"] is not None:
            assert row[3] == f"{target['completion']:.1%}"
        assert float(row[4].replace(",", "")) == target["counted_share"]
        assert row[5] == f"{target['counted_completion']:.1%}"
        assert row[-1] == ("达到" if target["ahead"] else "滞后")


def test_prose_is_full_width_and_names_towns_never_files(made):
    doc = Document(made[0])
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "花岩镇报送的不是本期（2020年第四季度）报表" in text  # the town, in the office's words
    assert ".xlsx" not in text and "校验" not in text  # no file, no word of the tool's
    assert "sample_returns" not in text and "/" not in text
    prose = re.sub(r"[\d.,%—]", "", text)
    assert not re.search(r"[:;()]", prose), re.findall(r".{8}[:;()].{8}", prose)


@pytest.mark.parametrize(
    "typed",
    ["潼扶组办[2021]2号", "潼扶组办【2021】2号", "潼扶组办(2021)2号", "潼扶组办（2021）2号",
     "潼扶组办［2021］2号", "潼扶组办﹝2021﹞2号", "潼扶组办 〔 2021 〕 2 号", "潼扶组办〔２０２１〕２号",
     "潼扶组办〔2021〕2号"],
)  # fmt: skip
def test_document_number_has_its_year_in_hexagonal_brackets(typed):
    from shuangfu_cli.writing.bulletin_docx import doc_number

    assert doc_number(typed) == "潼扶组办〔2021〕2号"


def test_document_number_keeps_brackets_that_hold_no_year():
    from shuangfu_cli.writing.bulletin_docx import doc_number

    assert doc_number("潼扶组办(函)[2021]2号") == "潼扶组办(函)〔2021〕2号"


def _imprint(doc) -> list[str]:
    """The 版记: the rows of the document's last table, floating at the foot of the page."""
    table = doc.tables[-1]
    position = table._tbl.tblPr.find(qn("w:tblpPr"))
    assert position is not None and position.get(qn("w:tblpYSpec")) == "bottom"
    assert position.get(qn("w:vertAnchor")) == "margin"
    return [row.cells[0].text for row in table.rows]


def test_imprint_copy_to_issuer_and_date_from_the_reference(made):
    doc = Document(made[0])
    assert _imprint(doc) == [
        "抄送：区委办公室，区政府办公室，区扶贫开发领导小组各成员单位。",  # towns.yaml forms.copy_to
        "潼南区扶贫开发领导小组办公室\t2021年1月8日印发",
    ]
    borders = doc.tables[-1]._tbl.tblPr.find(qn("w:tblBorders"))
    sizes = {el.tag.split("}")[1]: el.get(qn("w:sz")) for el in borders}
    assert sizes["top"] == sizes["bottom"] == "8" and sizes["insideH"] == "6"  # 0.35 / 0.25 mm
    assert all(_east_asia(r) == "仿宋_GB2312" and r.font.size == Pt(14)
               for row in doc.tables[-1].rows for r in row.cells[0].paragraphs[0].runs)  # fmt: skip


@pytest.mark.parametrize(
    ("given", "expected"),
    [("区委办、区政府办", ["抄送：区委办，区政府办。"]), ("", [])],
    ids=["copy-to", "none"],
)
def test_copy_to_option_replaces_the_references(tmp_path, given, expected):
    out = tmp_path / "通报.docx"
    result = subprocess.run(
        [sys.executable, "-m", "shuangfu_cli", "rollup", str(SAMPLES / "2020Q4"), "--period",
         "2020Q4", "--bulletin", str(out), "--copy-to", given, "--date", "2021-01-08"],
        capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert _imprint(Document(out)) == [*expected, "潼南区扶贫开发领导小组办公室\t2021年1月8日印发"]


@pytest.mark.parametrize(
    "given", [None, "区委办、区政府办", ""], ids=["reference", "option", "none"]
)
def test_markdown_carries_the_same_letterhead_and_imprint(tmp_path, given):
    """--bulletin x.md: the office and the number over the title, the office and the date at
    the end, and the same 版记 as the Word document's, between rules, as its last lines."""
    md, docx = tmp_path / "通报.md", tmp_path / "通报.docx"
    extra = [] if given is None else ["--copy-to", given]
    for out in (md, docx):
        result = subprocess.run(
            [sys.executable, "-m", "shuangfu_cli", "rollup", str(SAMPLES / "2020Q4"), "--period",
             "2020Q4", "--bulletin", str(out), "--doc-number", "潼扶组办[2021]2号", "--date",
             "2021-01-08", *extra],
            capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        assert result.returncode == 1, result.stderr
    lines = [line for line in md.read_text(encoding="utf-8").splitlines() if line]
    assert lines[:3] == [
        "潼南区扶贫开发领导小组办公室",
        "潼扶组办〔2021〕2号",
        "# 关于2020年扶志扶智工作第四季度进展情况的通报",
    ]
    imprint = [row.replace("\t", "\u3000\u3000") for row in _imprint(Document(docx))]
    end = ["潼南区扶贫开发领导小组办公室", "2021年1月8日", "---", *imprint, "---"]
    assert lines[-len(end) :] == end
    if given is None:  # towns.yaml's forms.copy_to, as in the Word document
        assert imprint[0] == "抄送：区委办公室，区政府办公室，区扶贫开发领导小组各成员单位。"


def test_libreoffice_prints_it(made, tmp_path):
    out = tmp_path / "pdf"
    src = tmp_path / "b.docx"
    src.write_bytes(made[0].read_bytes())
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/prof", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), str(src)],
        capture_output=True, timeout=180, check=True,
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", "-layout", str(out / "b.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "关于2020年扶志扶智工作第四季度进展情况的通报" in text.replace(" ", "").replace("\n", "")
    assert re.search(r"—\s*1\s*—", text)
    # the 版记 at the foot of the last page: its last line in the page's lowest fifth
    last = text.split("\f")[-2] if text.endswith("\f") else text.split("\f")[-1]
    assert "抄送：区委办公室" in last.replace(" ", "")
    boxes = subprocess.run(["pdftotext", "-bbox", str(out / "b.pdf"), "-"], capture_output=True,
                           text=True).stdout.split("<page ")[-1]  # fmt: skip
    height = float(re.search(r'height="([\d.]+)"', boxes)[1])
    printed = [float(y) for y, w in re.findall(r'yMin="([\d.]+)"[^>]*>([^<]*印发)<', boxes)]
    assert printed and printed[-1] > 0.8 * height
