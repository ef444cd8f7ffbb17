"""Chinese prose is written with full-width punctuation (，：；（）？) — numbers, codes and cell
references keep their ASCII (5:2, 2020-09-01, C26). Every Chinese template of every catalogue
is rendered with sample parameters and scanned for a half-width comma, colon, semicolon,
bracket or question mark next to a Chinese character; so are the messages, notes and words the
commands really print on the sample returns.

Quoted text (“…”) is left out of the scan: it is the clerk's or the form's own, quoted as it
stands (a label such as “所在村(社区)”, a note typed in a list)."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shuangfu_cli.cli.app import app
from shuangfu_cli.cli.usage import run
from shuangfu_cli.district.rollup import rollup
from shuangfu_cli.form.findings import CATALOG, Finding
from shuangfu_cli.text import words_zh
from shuangfu_cli.writing.bulletin_text import bulletin_text

SAMPLES = Path(__file__).resolve().parent.parent / "sample_returns"
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”"
#: a half-width , : ; ( ) ? touching a Chinese character (or full-width punctuation)
HALF_WIDTH = re.compile(rf"(?<=[{_CJK}])[,:;()?]|[,:;()?](?=[{_CJK}])")
#: a bracket opened full-width and closed half-width, or the other way round
MIXED = re.compile(r"（[^（）()]*\)|\([^（）()]*）")


def _prose(text: str) -> str:
    """The text without what it quotes."""
    return re.sub(r"“[^”]*”", "“”", text)


def _faults(text: str) -> list[str]:
    prose = _prose(text)
    found = [prose[max(0, m.start() - 8) : m.end() + 8] for m in HALF_WIDTH.finditer(prose)]
    return found + MIXED.findall(prose)


def _sample(template: str, finding: bool = False) -> dict:
    """Sample parameters: Chinese words, a number where the field is formatted as one; in a
    finding, an indicator's name through its code (its Chinese name holds brackets and a
    colon: 教育扶贫已资助人数(大学(含高职)), 其中:建档立卡贫困人口)."""
    params: dict = {}
    for _, field, spec, _ in string.Formatter().parse(template):
        if field is None:
            continue
        if finding and field in ("name", "other"):
            params[f"{field}_code"] = "EDU_COLLEGE_FUNDED" if field == "name" else "EMP_WS_POOR"
        elif spec:
            params[field] = 0.5
        else:
            params[field] = "甲"
    return params


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_every_finding_template_is_chinese_prose(code):
    template = CATALOG[code].zh
    message = Finding(code, params=_sample(template, finding=True)).message("zh")
    assert "{" not in message, message  # every field was given
    assert _faults(message) == [], (code, message)


def _catalogue_strings():
    """Every entry of the Chinese catalogue (shuangfu_cli/text/words_zh.py)."""
    for section, entries in words_zh.WORDS.items():
        yield from ((f"{section}.{k}", v) for k, v in entries.items())
    for section, entries in words_zh.LINES.items():
        for key, cells in entries.items():
            yield from ((f"{section}.{key}[{i}]", v) for i, v in enumerate(cells))


@pytest.mark.parametrize(("where", "template"), list(_catalogue_strings()))
def test_every_note_and_word_is_chinese_prose(where, template):
    text = template.format(**_sample(template)) if "{" in template else template
    assert _faults(text) == [], (where, text)


def _validate_samples() -> dict:
    result = CliRunner().invoke(
        app,
        ["validate", str(SAMPLES / "2020Q4"), "--previous", str(SAMPLES / "2020Q3"),
         "--format", "json"],
    )  # fmt: skip
    return json.loads(result.stdout)


def test_the_findings_of_the_samples_read_as_prose():
    """Every finding of every sample return, with its previous quarter's return, as validate
    prints them in JSON: the messages built from figures, names and histories."""
    doc = _validate_samples()
    messages = [f["message"] for r in doc["returns"] for f in r["findings"]]
    assert any("其中：区外（EMP_TRANSFER_OUTSIDE）为" in m for m in messages), messages
    assert {m: _faults(m) for m in messages if _faults(m)} == {}


def test_the_notes_of_validate_read_as_prose():
    notes = _validate_samples()["notes"]
    assert notes and {n: _faults(n) for n in notes if _faults(n)} == {}


def test_the_rollup_and_trend_say_it_as_prose():
    """The rollup's terminal words and notes, trend's notes, and the bulletin's every line."""
    out = CliRunner().invoke(
        app,
        ["rollup", str(SAMPLES / "2020Q4"), "--period", "2020Q4", "--previous",
         str(SAMPLES / "2020Q3")],
        env={"COLUMNS": "250"},
    )  # fmt: skip
    lines = [line.strip("│┃ ") for line in out.stdout.splitlines()]
    # the indicators' names in the table are the forms' labels, as printed on them
    prose = [line for line in lines if line and not line.startswith(("┏", "┡", "└", "┗"))
             and "│" not in line and "┃" not in line]  # fmt: skip
    assert any(line.startswith("送工送岗人数：梓潼街道") for line in prose), prose
    assert "群力镇：上季度报表未通过校验" in prose
    assert {line: _faults(line) for line in prose if _faults(line)} == {}
    trend = CliRunner().invoke(app, ["trend", str(SAMPLES), "--format", "json"])
    notes = json.loads(trend.stdout)["notes"]
    assert notes and {n: _faults(n) for n in notes if _faults(n)} == {}
    b = bulletin_text(rollup([SAMPLES / "2020Q4"], "2020Q4"))
    texts = [b.title, b.salutation, b.opening]
    for s in b.sections:
        texts += [s.title, *s.paragraphs, *s.after]
        if s.table:
            texts += s.table.head + [c for row in s.table.rows for c in row]
    assert {t: _faults(t) for t in texts if _faults(t)} == {}


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "x.xlsx", "--peroid", "2020Q4"],
        ["validate", str(SAMPLES / "2020Q3"), "--period", "2020-3"],
        ["validate", str(SAMPLES / "2020Q3"), "--format", "jsn"],
        ["validate", str(SAMPLES / "2020Q3"), "--jobs", "abc"],
        ["rollup", str(SAMPLES / "2020Q4")],
        ["template", "--town", "柏梓", "--period", "2020Q3", "-o", "x.xlsx"],
        ["template", "--period", "2020Q3", "-o", "t.csv", "--town", "柏梓镇"],
        ["validate", "不存在.xlsx"],
    ],
)
def test_usage_errors_are_said_as_prose(capsys, argv):
    assert run(app, argv) == 2
    err = capsys.readouterr().err
    first, *rest = err.splitlines()
    assert first.startswith("错误："), err
    assert _faults(first) == [], first
    assert rest[-1].startswith("查看帮助：")
