"""Look-ups people make: an indicator by its Chinese name or part of it as well as by code, and
shell completion of town names, indicator codes and quarters."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shuangfu_cli.cli.app import app
from shuangfu_cli.form.reference import load_reference, load_registry

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def _found(query: str) -> list[str]:
    result = runner.invoke(app, ["indicators", query, "--format", "json"])
    assert result.exit_code == 0, result.output
    return [i["code"] for i in json.loads(result.stdout)]


def test_an_indicator_is_found_by_its_name():
    assert _found("送工送岗") == ["EMP_JOBSEND"]
    assert _found("emp_jobsend") == ["EMP_JOBSEND"]  # by code, as before


def test_part_of_a_name_lists_every_match():
    found = _found("车间")
    names = {i.code: i.name_zh for i in load_registry().indicators}
    assert len(found) > 1 and "EMP_WS_NEW" in found
    assert found == [c for c, n in names.items() if "车间" in n]
    text = runner.invoke(app, ["indicators", "车间"])
    assert all(code in text.output for code in found)


def test_brackets_are_found_full_width_or_not():
    half = [i.code for i in load_registry().indicators if "(大学(含高职))" in i.name_zh]
    assert half and _found("（大学（含高职））") == half


def test_nothing_found_is_a_usage_error_in_the_users_language():
    result = runner.invoke(app, ["indicators", "没有的指标"])
    assert result.exit_code == 2 and "没有代码或名称为“没有的指标”的指标" in result.output
    result = runner.invoke(app, ["indicators", "nothing-like-it", "--lang", "en"])
    assert result.exit_code == 2 and "no indicator has the code or name" in result.output


def _complete(words: str, env: dict | None = None) -> list[str]:
    parts = words.split()
    cword = len(parts) if words.endswith(" ") else len(parts) - 1
    full = {**os.environ, **(env or {}), "_SHUANGFU_COMPLETE": "complete_bash",
            "COMP_WORDS": words, "COMP_CWORD": str(cword)}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "shuangfu_cli"], env=full, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("shuangfu template --town 柏", ["柏梓镇"]),
        ("shuangfu template --period 2020", ["2020Q1", "2020Q2", "2020Q3", "2020Q4"]),
        ("shuangfu rollup --period 2020Q", ["2020Q1", "2020Q2", "2020Q3", "2020Q4"]),
        ("shuangfu indicators EMP_J", ["EMP_JOBSEND"]),
    ],
)
def test_shell_completion_offers_towns_codes_and_quarters(words, expected):
    assert _complete(words) == expected


def test_completion_follows_the_reference_given():
    sample = ROOT / "sample_reference" / "2021.yaml"
    words = f"shuangfu template --reference {sample} --period 2"
    assert _complete(words) == [f"2021Q{q}" for q in range(1, 5)]
    towns = _complete("shuangfu template --town ", {"SHUANGFU_REFERENCE": str(sample)})
    assert towns == [t.name for t in load_reference(sample).towns]
