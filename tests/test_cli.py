"""The `shuangfu` command: exit codes, messages, and the --json shape equal to the library's
own result."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from shuangfu_cli.check.one_return import validate_file
from shuangfu_cli.cli.app import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def _bad(f, lists, cover):
    f["TRN_PRACTICAL_POOR"] = f["TRN_PRACTICAL_PERSONS"] + 1


def test_valid_return_exits_0(make_return):
    result = run("validate", make_return(), "--period", "2020Q3")
    assert result.exit_code == 0, result.output
    assert "通过" in result.output


def test_invalid_return_exits_1_and_names_sheet_cell_code(make_return):
    path = make_return(mutate=_bad)
    result = run("validate", path)
    assert result.exit_code == 1
    assert "附件2 培训" in result.output
    assert "E_PART_ABOVE_TOTAL" in result.output
    report = validate_file(path)
    assert report.findings[0].cell in result.output
    assert "不通过" in result.output


def test_english_messages(make_return):
    result = run("validate", make_return(mutate=_bad), "--lang", "en")
    assert result.exit_code == 1
    assert "INVALID" in result.output and "above" in result.output


def test_json_shape_equals_library_result(make_return, tmp_path):
    good, bad = make_return(), make_return(town="玉溪镇", mutate=_bad)
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook")
    result = run("validate", good, bad, junk, "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert list(doc) == ["returns", "notes"]
    assert doc["notes"] == []  # no file skipped, no previous return unusable
    expected = [validate_file(p).to_dict("zh") for p in (good, bad, junk)]
    assert doc["returns"] == expected
    assert [r["status"] for r in doc["returns"]] == ["valid", "invalid", "unreadable"]
    keys = {"code", "severity", "explained", "sheet", "cell", "indicator", "message"}
    for r in doc["returns"]:
        assert set(r) == {"file", "town", "period", "status", "findings"}
        for f in r["findings"]:
            assert set(f) == keys
    assert doc["returns"][0]["town"] == "柏梓镇" and doc["returns"][0]["period"] == "2020Q3"
    finding = doc["returns"][1]["findings"][0]
    assert finding["indicator"] == "TRN_PRACTICAL_POOR" and finding["severity"] == "error"


def test_unreadable_file_exits_1_without_traceback(tmp_path):
    junk = tmp_path / "town.xlsx"
    junk.write_bytes(b"\x00\x01garbage")
    result = run("validate", junk)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "无法读取" in result.output


def test_strict_fails_on_unexplained_warning(make_return):
    def warn(f, lists, cover):
        lists["workshops"][0].update(workers=50, poor=10)

    path = make_return(mutate=warn)
    assert run("validate", path).exit_code == 0
    result = run("validate", path, "--strict")
    assert result.exit_code == 1
    assert "W_WS_POOR_SHARE" in result.output


def test_previous_option(make_return):
    q3 = make_return("柏梓镇", "2020Q3")

    def lower(f, lists, cover):
        f["EMP_JOBSEND"] = 0

    q4 = make_return("柏梓镇", "2020Q4", lower)
    result = run("validate", q4, "--previous", q3, "--format", "json")
    codes = [f["code"] for f in json.loads(result.stdout)["returns"][0]["findings"]]
    assert codes == ["W_CUMULATIVE_DECREASE"]
    assert result.exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "missing.xlsx"),
        ("validate", "--no-such-option", "x.xlsx"),
        ("validate",),
        ("template", "--town", "柏梓镇", "--period", "2020Q9", "-o", "x.xlsx"),
        ("template", "--town", "不存在镇", "--period", "2020Q3", "-o", "x.xlsx"),
        ("indicators", "NO_SUCH_CODE"),
    ],
)
def test_wrong_usage_exits_2(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.exit_code == 2, result.output


def test_template_command_writes_a_return_that_reads(tmp_path):
    out = tmp_path / "bz.xlsx"
    result = run("template", "--town", "柏梓镇", "--period", "2020Q3", "-o", out)
    assert result.exit_code == 0, result.output
    report = validate_file(out)
    assert report.town == "柏梓镇" and report.period == "2020Q3"
    # blank figures, the pre-filled villages' blank figures (no longer read as 0 leaders) and
    # the cover's 填报人, 电话, 日期
    codes = {f.code for f in report.findings}
    assert (
        {"E_BLANK", "E_LIST_ROW_INCOMPLETE"}
        <= codes
        <= {"E_BLANK", "E_LIST_ROW_INCOMPLETE", "E_COVER_BLANK"}
    )
    incomplete = {f.sheet for f in report.findings if f.code == "E_LIST_ROW_INCOMPLETE"}
    assert incomplete == {"附件5-1 村(社区)明细"}


def test_template_all_towns(tmp_path, reference):
    result = run("template", "--all", "--period", "2020Q4", "-o", tmp_path / "t")
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "t").glob("*.xlsx"))
    assert len(files) == len(reference.towns) == 22


def test_indicators_list_and_one():
    result = run("indicators")
    assert result.exit_code == 0 and "EDU_COLLEGE_FUNDED" in result.output
    one = run("indicators", "emp_ws_new", "--lang", "en")
    assert one.exit_code == 0
    assert "workshops newly set up" in one.output and "20" in one.output
    data = json.loads(run("indicators", "--format", "json").stdout)
    assert len(data) == 78


def test_input_file_is_never_modified(make_return):
    path = make_return(mutate=_bad)
    before = path.read_bytes()
    run("validate", path, "--format", "json")
    assert path.read_bytes() == before


def test_python_m_entry_point(make_return):
    import subprocess
    import sys

    path = make_return()
    proc = subprocess.run(
        [sys.executable, "-m", "shuangfu_cli", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr


def test_entry_point_runs_the_command_with_the_collector_on(monkeypatch):
    """The entry point freezes what is left only once the command is done (so the
    interpreter's last collections skip it): a rollup of thousands of returns runs with the
    collector on and nothing frozen, else its workers' memory grows."""
    import gc

    import shuangfu_cli.cli.app as cli
    from shuangfu_cli.cli.entry import main

    seen = {}

    def command(argv):
        seen.update(argv=argv, enabled=gc.isenabled(), frozen=gc.get_freeze_count())
        raise SystemExit(3)

    monkeypatch.setattr(cli, "main", command)
    gc.unfreeze()
    try:
        with pytest.raises(SystemExit) as exit_:
            main(["validate", "x.xlsx"])
        frozen_after = gc.get_freeze_count()
    finally:
        gc.unfreeze()
    assert exit_.value.code == 3
    assert seen == {"argv": ["validate", "x.xlsx"], "enabled": True, "frozen": 0}
    assert frozen_after > 1000


def test_output_that_cannot_be_written_is_a_message_not_a_traceback(tmp_path):
    result = run("template", "--town", "柏梓镇", "--period", "2020Q3", "-o", "/proc/x.xlsx")
    assert result.exit_code == 3
    assert "无法写入/proc/x.xlsx" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_bad_reference_file_exits_2(tmp_path, make_return):
    bad = tmp_path / "towns.yaml"
    bad.write_text("district: [unclosed", encoding="utf-8")
    result = run("validate", make_return(), "--reference", bad)
    assert result.exit_code == 2
    assert "towns.yaml" in result.output


def test_folder_without_spreadsheets_exits_2(tmp_path):
    (tmp_path / "readme.txt").write_text("x")
    result = run("validate", tmp_path)
    assert result.exit_code == 2


def test_district_points_the_tool_at_its_own_reference(tmp_path):
    own = tmp_path / "towns.yaml"
    own.write_text(
        "district: 示例区\nyear: 2020\nsample: false\ntowns:\n"
        "  - name: 甲镇\n    villages:\n"
        "      - {name: 一村, kind: 贫困村}\n      - {name: 二村, kind: 社区}\n",
        encoding="utf-8",
    )
    out = tmp_path / "甲镇.xlsx"
    made = run("template", "--town", "甲镇", "--period", "2020Q3", "-o", out, "--reference", own)
    assert made.exit_code == 0, made.output
    result = run("validate", out, "--reference", own, "--format", "json")
    doc = json.loads(result.stdout)["returns"][0]
    assert doc["town"] == "甲镇"
    assert "E_TOWN_UNKNOWN" not in {f["code"] for f in doc["findings"]}
    # the default (sample) reference does not know 甲镇
    plain = json.loads(run("validate", out, "--format", "json").stdout)["returns"][0]
    assert "E_TOWN_UNKNOWN" in {f["code"] for f in plain["findings"]}


def test_quiet_lists_only_failing_returns(make_return):
    good = make_return(name="good.xlsx")
    bad = make_return(town="玉溪镇", mutate=_bad, name="bad.xlsx")
    result = run("validate", good, bad, "--quiet")
    assert result.exit_code == 1
    assert "bad.xlsx" in result.output and "good.xlsx" not in result.output
    assert "共2份报表：1份通过，1份不通过" in result.output


def test_version_is_the_packaged_one():
    """The version is written once (shuangfu_cli/__init__.py); the installed package's metadata
    (hatch reads it from there) and --version say the same."""
    import tomllib
    from importlib.metadata import version
    from pathlib import Path

    meta = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text("utf-8"))
    assert "version" not in meta["project"] and meta["project"]["dynamic"] == ["version"]
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"shuangfu {version('shuangfu')}"


def _shell(folder, line: str):
    """`line` run by bash in `folder` (globs expanded as a clerk's shell expands them), with
    `shuangfu` this checkout's."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "SHUANGFU": f"{sys.executable} -m shuangfu_cli"}
    return subprocess.run(["bash", "-c", line.replace("shuangfu ", "$SHUANGFU ", 1)], cwd=folder,
                          env=env, capture_output=True, text=True, timeout=300)  # fmt: skip


def _readme_commands():
    """Every `shuangfu validate|rollup|trend` command line the READMEs show, as words."""
    import re
    import shlex
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for readme in (root / "README.md", root / "sample_returns" / "README.md"):
        text = readme.read_text(encoding="utf-8").replace("\\\n", " ")
        for block in re.findall(r"```[a-z]*\n(.*?)```", text, re.S):
            for line in block.splitlines():
                at = line.find("shuangfu ")
                if at >= 0 and re.match(r"shuangfu (validate|rollup|trend)\b", line[at:]):
                    words = shlex.split(line[at:].split(" #")[0].split(" > ")[0])
                    yield readme.name, words


#: options whose value is a path (a value, not a return: it never needs --)
_PATH_VALUES = {"-o", "--output", "--bulletin", "--as-return", "--reference", "--previous",
                "--annotate"}  # fmt: skip


def test_a_return_whose_name_begins_with_a_dash_is_a_return_never_an_option(tmp_path):
    """In a shell glob a return named -o柏梓镇_2020Q4.xlsx was the option -o: the rollup
    workbook written under the rest of its name, the town dropped. Paths after -- are paths;
    without --, a word that looks like an option but names a file is refused (exit 2) before
    anything is read or written; and every command line the READMEs show gives its files
    after -- (or a folder)."""
    import shutil
    from pathlib import Path

    samples = Path(__file__).resolve().parent.parent / "sample_returns" / "2020Q4"
    shutil.copy(samples / "柏梓镇_2020Q4.xlsx", tmp_path / "-o柏梓镇_2020Q4.xlsx")
    shutil.copy(samples / "上和镇_2020Q4.xlsx", tmp_path / "--lang=en上和镇_2020Q4.xlsx")
    before = sorted(p.name for p in tmp_path.iterdir())
    counted = _shell(tmp_path, "shuangfu rollup --period 2020Q4 --format json -- *.xlsx")
    towns = json.loads(counted.stdout)["towns"]
    assert towns["柏梓镇"]["status"] == "valid" and towns["上和镇"]["status"] == "invalid"
    for command in ("validate", "rollup --period 2020Q4", "trend"):
        refused = _shell(tmp_path, f"shuangfu {command} *.xlsx")
        assert refused.returncode == 2, refused.stdout + refused.stderr
        first = refused.stderr.splitlines()[0]
        assert "--lang=en上和镇_2020Q4.xlsx" in first and "--" in first and "Traceback" not in refused.stderr  # fmt: skip
        assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written
    shown = list(_readme_commands())
    assert len(shown) >= 10
    for readme, words in shown:
        end = words.index("--") if "--" in words else len(words)
        loose = [w for i, w in enumerate(words[:end]) if i and words[i - 1] not in _PATH_VALUES
                 and re.search(r"\*|\.(xlsx|xls|ods)$", w, re.I)]  # fmt: skip
        assert not loose, (readme, " ".join(words))
