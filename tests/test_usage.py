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

from shuangfu_cli.cli.app import app
from shuangfu_cli.cli.usage import run

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
    (["validate", Q3, "--max-memory", "10"], ["“10”不在允许的范围内（64至65536）"],
     ["'10' is outside the allowed range (64 to 65536)"]),
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


def _numeric_options():
    """(command, option, type) for every option of every command that takes a number."""
    from typing import Annotated, get_args, get_origin, get_type_hints

    for info in app.registered_commands:
        for hint in get_type_hints(info.callback, include_extras=True).values():
            if get_origin(hint) is not Annotated or get_args(hint)[0] not in (int, float):
                continue
            option = next(a for a in get_args(hint)[1:] if hasattr(a, "param_decls"))
            names = [n for n in (option.default, *option.param_decls) if str(n).startswith("-")]
            name = max(names, key=len)  # typer keeps the first name as the "default"
            yield (info.name or info.callback.__name__), name, get_args(hint)[0]


#: what a command needs besides the option (the option is refused before any of it is read)
_REQUIRED = {"validate": [Q3], "rollup": [Q3, "--period", "2020Q3"], "trend": [Q3]}
_OUT_OF_BOUNDS = ["inf", "-inf", "nan", "1e309", "2147484", "99999999", "99999999999999999999",
                  "-1", "0.5"]  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_numeric_option_is_bounded_and_refused_outside_with_its_range(capsys, lang):
    """--timeout inf, 1e309, 2147484, 99999999 were an OverflowError traceback (exit 1): every
    number any command takes has a range, and a value outside it is a usage error naming the
    option and the range."""
    found = list(_numeric_options())
    assert {(c, o) for c, o, _ in found} >= {("validate", "--jobs"), ("rollup", "--timeout"),
                                             ("trend", "--max-memory")}  # fmt: skip
    for command, option, kind in found:
        for value in _OUT_OF_BOUNDS:
            if kind is int and value in ("0.5",):
                continue
            argv = [command, *_REQUIRED[command], option, value, "--lang", lang]
            status, out, err = _usage(capsys, *argv)
            first = err.splitlines()[0] if err else ""
            assert status == 2 and out == "" and "Traceback" not in err, (argv, err)
            assert option in first, (argv, err)
            number = kind is float or value.lstrip("-").isdigit()
            if number:  # what was typed, and the range allowed
                assert re.search(r"[(（]\d+(\.\d+)?(至| to )\d+(\.\d+)?[)）]", first), (argv, err)
                assert value in first, (argv, err)


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
