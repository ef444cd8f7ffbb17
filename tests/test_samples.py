"""sample_returns/README.md lists each flawed sample and the findings it must give; the tool is
held to that list, and every other sample must pass every rule."""

from __future__ import annotations

import re
from pathlib import Path

from shuangfu_cli.check.many_returns import validate_files

SAMPLES = Path(__file__).resolve().parent.parent / "sample_returns"


def _expected():
    rows = {}
    for line in (SAMPLES / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 8 and re.match(r"2020Q\d/", cells[0]):
            file, _what, code, severity, sheet, cell, explained, _opt = cells
            rows.setdefault(file, []).append(
                (code, severity, sheet, cell or None, explained == "yes")
            )
    return rows


def test_readme_lists_flawed_samples():
    expected = _expected()
    assert len(expected) >= 8
    assert all((SAMPLES / f).exists() for f in expected)


def test_samples_give_exactly_the_listed_findings():
    expected = _expected()
    got = {}
    for period in ("2020Q3", "2020Q4"):
        files = sorted((SAMPLES / period).glob("*.xlsx"))
        assert len(files) == 22
        previous = sorted((SAMPLES / "2020Q3").glob("*.xlsx")) if period == "2020Q4" else []
        reports, notes = validate_files(files, previous=previous, expected_period=period)
        if period == "2020Q4":  # 花岩镇's cover still says 2020Q3: not compared with its Q3
            [(zh, en)] = notes
            assert zh.startswith(str(SAMPLES / "2020Q4" / "花岩镇_2020Q4.xlsx"))
            assert "报告期为2020Q3，不早于本期2020Q3，未作比较" in zh
        else:
            assert notes == []
        for r in reports:
            rel = f"{period}/{Path(r.file).name}"
            findings = sorted(
                (f.code, f.severity, f.sheet, f.cell, f.explained) for f in r.findings
            )
            if findings:
                got[rel] = findings
    assert got == {k: sorted(v) for k, v in expected.items()}
