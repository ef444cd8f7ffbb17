"""What every CLI user expects around the checks themselves: a progress bar in a terminal only,
every note of a run said (text and JSON, in the chosen language), output options named when
they are wrong, and English as careful as the Chinese."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

from typer.testing import CliRunner

from shuangfu_cli.cli.app import app
from shuangfu_cli.cli.usage import run as run_command

runner = CliRunner()
SAMPLES = Path(__file__).resolve().parent.parent / "sample_returns"
COMMAND = [sys.executable, "-m", "shuangfu_cli"]


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def usage(capsys, *args) -> tuple[int, str]:
    """The command as the `shuangfu` entry point runs it (usage errors worded): (status, stderr)."""
    status = run_command(app, [str(a) for a in args])
    return status, capsys.readouterr().err


def _in_terminal(*args, stdout_piped: bool = False) -> tuple[int, str, str]:
    """Run the command with stderr (and stdout unless `stdout_piped`) on a pseudo-terminal, as
    in a statistician's terminal window. Returns (exit code, terminal text, piped stdout)."""
    main, child = pty.openpty()
    stdout = subprocess.PIPE if stdout_piped else child
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm-256color"}
    env.pop("CI", None)
    proc = subprocess.Popen(
        [*COMMAND, *map(str, args)], stdin=subprocess.DEVNULL, stdout=stdout, stderr=child, env=env
    )
    os.close(child)
    seen, deadline = b"", time.monotonic() + 240
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    piped = proc.stdout.read().decode() if stdout_piped else ""
    proc.wait(timeout=60)
    os.close(main)
    return proc.returncode, seen.decode(errors="replace"), piped


# --- the progress bar -----------------------------------------------------------------------


def test_validate_of_many_returns_shows_a_progress_bar_in_a_terminal():
    code, screen, _ = _in_terminal("validate", SAMPLES / "2020Q4")
    assert code == 1
    assert "读取报表" in screen  # the bar, on stderr
    assert "共22份报表" in screen  # and then the report


def test_no_progress_bar_for_json_a_pipe_or_a_single_file():
    code, screen, _ = _in_terminal("validate", SAMPLES / "2020Q4", "--format", "json")
    assert code == 1 and "读取报表" not in screen
    json.loads(screen[screen.index("{") :])  # nothing but the JSON on the terminal
    code, screen, piped = _in_terminal("validate", SAMPLES / "2020Q4", stdout_piped=True)
    assert code == 1 and "读取报表" not in screen and "共22份报表" in piped
    code, screen, _ = _in_terminal("validate", SAMPLES / "2020Q4" / "柏梓镇_2020Q4.xlsx")
    assert code == 0 and "读取报表" not in screen
    code, screen, _ = _in_terminal(
        "rollup", SAMPLES / "2020Q4", "--period", "2020Q4", "--format", "json"
    )
    assert code == 1 and "读取报表" not in screen


# --- every note of a run --------------------------------------------------------------------


def test_validate_names_two_returns_of_one_town_in_text_and_json(make_return):
    first, second = make_return(), make_return()
    other = make_return(town="玉溪镇")
    result = run("validate", first, second, other)
    assert result.exit_code == 0  # each return is right in itself
    assert (
        f"柏梓镇有2份2020Q3报表：{first}、{second}；汇总时都不计入，请只保留一份" in result.stderr
    )
    assert "玉溪镇有" not in result.stderr
    doc = json.loads(
        run("validate", first, second, other, "--format", "json", "--lang", "en").stdout
    )
    assert doc["notes"] == [
        f"柏梓镇 has 2 returns of 2020Q3: {first}, {second}; a rollup counts none of them until "
        "only one is left"
    ]


def test_validate_says_when_a_previous_return_is_not_compared(make_return):
    now = make_return(period="2020Q3")
    same, later, earlier = (make_return(period=p) for p in ("2020Q3", "2020Q4", "2020Q2"))
    other_town = make_return(town="玉溪镇", period="2020Q3")
    for prev, words in ((same, "2020Q3"), (later, "2020Q4")):
        result = run("validate", now, "--previous", prev, "--format", "json")
        notes = json.loads(result.stdout)["notes"]
        assert notes == [f"{now}：上期报表{prev}的报告期为{words}，不早于本期2020Q3，未作比较"]
    result = run("validate", now, other_town, "--previous", earlier, "--format", "json")
    assert json.loads(result.stdout)["notes"] == [f"{other_town}：没有玉溪镇的上期报表，未作比较"]
    result = run("validate", now, "--previous", earlier, "--lang", "en")
    assert result.exit_code == 0 and "not compared" not in result.output


def test_validate_compares_only_with_an_earlier_quarter(make_return):
    """A later return given as --previous would make every flow figure 'fall'."""

    def lower(figures, lists, cover):
        figures["EMP_JOBSEND"] = 0

    now = make_return(period="2020Q4", mutate=lower)
    later_looking = make_return(period="2020Q3")
    doc = json.loads(run("validate", now, "--previous", later_looking, "--format", "json").stdout)
    codes = [f["code"] for f in doc["returns"][0]["findings"]]
    assert "W_CUMULATIVE_DECREASE" in codes  # Q3 before Q4: compared
    doc = json.loads(run("validate", later_looking, "--previous", now, "--format", "json").stdout)
    assert doc["returns"][0]["findings"] == [] and len(doc["notes"]) == 1


def test_rollup_json_notes_and_reasons_in_the_chosen_language(tmp_path):
    (tmp_path / "q4").mkdir()
    for name in ("柏梓镇_2020Q4.xlsx", "花岩镇_2020Q4.xlsx"):
        (tmp_path / "q4" / name).write_bytes((SAMPLES / "2020Q4" / name).read_bytes())
    (tmp_path / "q4" / "~$柏梓镇_2020Q4.xlsx").write_bytes(b"lock")
    prev = tmp_path / "q3"
    prev.mkdir()
    (prev / "坏.xlsx").write_bytes(b"PK\x03\x04 broken")
    args = ("rollup", tmp_path / "q4", "--period", "2020Q4", "--previous", prev, "--format")
    en = json.loads(run(*args, "json", "--lang", "en").stdout)
    zh = json.loads(run(*args, "json").stdout)
    assert en["notes"] == [f"{prev / '坏.xlsx'}: previous return unreadable or of no known town; "
                           "not compared"]  # fmt: skip
    assert zh["notes"] == [f"{prev / '坏.xlsx'}：上期报表无法读取或镇街不明，未作比较"]
    assert en["skipped_files"][0]["reason"].startswith("a lock file Excel or WPS leaves")
    assert zh["skipped_files"][0]["reason"].startswith("Excel/WPS打开文件时留下的临时锁定文件")
    not_compared = en["quarter_on_quarter"]["not_compared"]
    assert not_compared == {"柏梓镇": {"reason": "no return of the previous quarter given"}}


# --- output options named -------------------------------------------------------------------


def test_an_output_into_a_missing_folder_names_the_option(tmp_path, capsys):
    missing = tmp_path / "no such folder"
    for option, lang, said in (
        ("-o", "zh", "错误：-o 的值有误：文件夹"),
        ("--bulletin", "en", "Error: invalid value for --bulletin: folder"),
    ):
        status, err = usage(
            capsys, "rollup", SAMPLES / "2020Q4", "--period", "2020Q4", option,
            missing / "out.xlsx", "--lang", lang,
        )  # fmt: skip
        assert status == 2
        assert err.startswith(said) and str(missing) in err
        assert "shuangfu rollup --help" in err
    assert not missing.exists()


def test_an_output_that_is_an_input_names_the_option(capsys):
    target = SAMPLES / "2020Q4" / "柏梓镇_2020Q4.xlsx"
    before = target.read_bytes()
    status, err = usage(capsys, "rollup", SAMPLES / "2020Q4", "--period", "2020Q4", "-o", target)
    assert status == 2 and err.startswith("错误：-o 的值有误：输出文件")
    assert target.read_bytes() == before


# --- English as careful as the Chinese ------------------------------------------------------


def _flawed(figures, lists, cover):
    figures["EDU_COLLEGE_FUNDED"] = figures["EDU_COLLEGE_ELIGIBLE"] + 2  # an error
    lists["workshops"][0]["poor"] = 0  # a warning to confirm


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_english_counts_are_singular_for_one(make_return):
    result = run("validate", make_return(mutate=_flawed), "--lang", "en")
    assert "1 error, 1 warning to confirm, 0 explained" in result.output
    result = run(
        "validate", make_return(mutate=_flawed), make_return(town="玉溪镇"), "--lang", "en"
    )
    assert "2 returns: 1 valid, 1 invalid, 0 unreadable" in result.output
    assert "1 errors" not in result.output and "1 warnings" not in result.output
    one = run("rollup", SAMPLES / "2020Q4" / "柏梓镇_2020Q4.xlsx", "--period", "2020Q4",
              "--lang", "en")  # fmt: skip
    assert "2020Q4 submissions (totals cover 1 town)" in one.output


def test_the_severity_column_is_aligned_in_both_languages(make_return):
    path = make_return(mutate=_flawed)
    for lang in ("zh", "en"):
        lines = [
            line
            for line in run("validate", path, "--lang", lang).output.splitlines()
            if " E_" in line or " W_" in line
        ]
        assert len(lines) == 2
        columns = {_width(line[: line.index(" E_" if " E_" in line else " W_")]) for line in lines}
        assert len(columns) == 1, lines


def test_english_messages_start_with_a_capital(make_return):
    doc = json.loads(run("validate", SAMPLES / "2020Q4", "--lang", "en", "--format", "json").stdout)
    messages = [f["message"] for r in doc["returns"] for f in r["findings"]]
    assert messages and all(not m[0].islower() for m in messages), messages
    assert (
        "Education funding: funding amount (total of all stages) (EDU_TOTAL_AMOUNT) is 19.6875"
        in " ".join(messages)
    )


def test_english_says_the_units_in_english(make_return):
    shown = run("indicators", "EDU_TOTAL_AMOUNT", "--lang", "en").output
    assert "Unit: 10,000 yuan   Kind: cumulative" in shown

    def id_number(figures, lists, cover):
        figures["EMP_JOBSEND"] = 500101199001011234  # an ID-card number typed into a count

    doc = json.loads(
        run("validate", make_return(mutate=id_number), "--lang", "en", "--format", "json").stdout
    )
    [too_large] = [f for r in doc["returns"] for f in r["findings"] if f["code"] == "E_TOO_LARGE"]
    assert "above the plausible maximum of" in too_large["message"]
    assert too_large["message"].split("maximum of ")[1].split(":")[0].endswith(" persons")


def test_an_output_whose_name_says_another_format_is_refused_naming_the_extension(tmp_path, capsys):
    """`template -o t.csv` wrote an .xlsx named .csv, `rollup -o x.xls` an .xlsx that Excel
    calls damaged, `--bulletin b.doc` Markdown that Word shows as garbage: refused (exit 2)
    before any work, nothing written, the extension expected named."""
    q4 = SAMPLES / "2020Q4"
    for args, option, expected in (
        (["template", "--town", "柏梓镇", "--period", "2020Q3", "-o", tmp_path / "t.csv"], "-o",
         "须以.xlsx结尾"),
        (["rollup", q4, "--period", "2020Q4", "-o", tmp_path / "x.xls"], "-o", "须以.xlsx结尾"),
        (["rollup", q4, "--period", "2020Q4", "--bulletin", tmp_path / "b.doc"], "--bulletin",
         "须以.docx或.md结尾"),
        (["trend", SAMPLES, "-o", tmp_path / "t.csv"], "-o", "须以.xlsx结尾"),
    ):  # fmt: skip
        status, err = usage(capsys, *args)
        assert status == 2, args
        assert err.startswith(f"错误：{option} 的值有误：") and expected in err, err
    status, err = usage(capsys, "rollup", q4, "--period", "2020Q4", "--bulletin",
                        tmp_path / "b.doc", "--lang", "en")  # fmt: skip
    assert status == 2 and "the name must end in .docx or .md" in err
    assert list(tmp_path.iterdir()) == []
