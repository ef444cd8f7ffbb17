"""Wrong usage, tried one by one in both languages: each error names the option, suggests the
near miss, says it in the chosen language and exits 2; help shows no Python type names; shell
completion works."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from shuangfu_cli.cli import app
from shuangfu_cli.usage import run

Q3 = str(Path(__file__).resolve().parent.parent / "sample_returns" / "2020Q3")


def _usage(capsys, *argv):
    status = run(app, list(argv))
    out, err = capsys.readouterr()
    return status, out, err


CASES = [
    # argv, Chinese must contain, English must contain
    (["validate", Q3, "--peroid", "2020Q3"], ["没有 --peroid 这个选项", "是不是 --period"],
     ["no such option: --peroid", "did you mean --period"]),
    (["rollup", Q3], ["缺少选项 --period", "汇总的报告期"], ["missing option --period", "the quarter"]),
    (["validate", "不存在.xlsx"], ["找不到文件或文件夹“不存在.xlsx”"], ["'不存在.xlsx' not found"]),
    (["validate", Q3, "--format", "jsn"], ["--format 的值有误", "是不是json"],
     ["invalid value for --format", "did you mean json"]),
    (["validate", Q3, "--period", "2020Q5"], ["季度只能是Q1至Q4"], ["a quarter is Q1 to Q4"]),
    (["validate", Q3, "--period", "2020-3"], ["是不是2020Q3"], ["did you mean 2020Q3"]),
    (["template", "--period", "2020Q3", "--town", "柏梓", "-o", "x.xlsx"],
     ["--town 的值有误", "是不是柏梓镇"], ["invalid value for --town", "did you mean 柏梓镇"]),
    (["indicators", "EMP_WS_NEWW"], ["是不是 EMP_WS_NEW"], ["did you mean EMP_WS_NEW"]),
    (["validate", Q3, "--jobs", "abc"], ["--jobs 的值有误：要给一个数字"],
     ["invalid value for --jobs: a number is needed"]),
    (["validate", Q3, "--max-memory", "10"], ["超出允许的范围（x>=64）"], ["out of range (x>=64)"]),
]  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("argv", "zh", "en"), CASES, ids=lambda v: " ".join(v)[:40])
def test_usage_errors_say_what_and_where_in_the_chosen_language(capsys, argv, zh, en, lang):
    if lang == "en":
        argv = [*argv, "--lang", "en"]
    status, out, err = _usage(capsys, *argv)
    assert status == 2
    assert out == ""
    for part in zh if lang == "zh" else en:
        assert part in err, err
    first = err.splitlines()[0]
    assert first.startswith("错误：" if lang == "zh" else "Error: ")
    assert ("查看帮助：" if lang == "zh" else "Help: ") in err
    assert "Traceback" not in err
    if lang == "zh":  # nothing left in English but names, codes and the usage line
        assert not re.search(r"\b(is not|does not|invalid|missing|such)\b", first)


def test_a_mistyped_command_gets_its_near_miss(capsys):
    status, _, err = _usage(capsys, "valdate", Q3)
    assert status == 2
    assert "没有 valdate 这个命令" in err and "是不是 validate" in err


@pytest.mark.parametrize("command", ["validate", "rollup", "template", "indicators"])
def test_help_shows_no_python_type_names(capsys, command):
    status, out, _ = _usage(capsys, command, "--help")
    assert status == 0
    assert "Usage: shuangfu " + command in out
    assert not re.search(r"<(list|str|bool|int|float|file|path|Path)\b", out), out
    assert "<bool>" not in out and "[x>=" not in out.split("Options:")[0]


def test_shell_completion_completes_commands_and_choices(tmp_path):
    env = {**os.environ, "_SHUANGFU_COMPLETE": "complete_bash", "COMP_CWORD": "1"}
    command = [sys.executable, "-m", "shuangfu_cli"]
    done = subprocess.run(
        command, env={**env, "COMP_WORDS": "shuangfu ro"}, capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.split() == ["rollup"], done.stderr
    choices = subprocess.run(
        command,
        env={**env, "COMP_WORDS": "shuangfu validate --format s", "COMP_CWORD": "3"},
        capture_output=True,
        text=True,
    )
    assert choices.stdout.split() == ["sarif"]
    script = subprocess.run(
        [*command, "--show-completion", "bash"], capture_output=True, text=True, check=True
    )
    assert "_SHUANGFU_COMPLETE" in script.stdout
