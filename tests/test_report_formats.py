"""--format junit | sarif | github | csv: each read back by its consumers' own parsers and
schema, and each saying the same as the JSON of the same run."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pandas as pd
import pytest
from junitparser import Error, Failure, JUnitXml, SystemOut
from typer.testing import CliRunner

from shuangfu_cli.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_returns"
SCHEMA = Path(__file__).parent / "data" / "sarif" / "sarif-2.1.0-rtm.5.json"
runner = CliRunner()


@pytest.fixture(scope="module")
def returns(tmp_path_factory) -> Path:
    """The Q4 samples (errors, warnings to verify, an explained warning) and a damaged file, in
    a folder of their own, run from there as CI runs from the repository's root."""
    folder = tmp_path_factory.mktemp("repo")
    shutil.copytree(SAMPLES / "2020Q4", folder / "2020Q4", ignore=shutil.ignore_patterns("*.md"))
    shutil.copytree(SAMPLES / "2020Q3", folder / "2020Q3", ignore=shutil.ignore_patterns("*.md"))
    (folder / "2020Q4" / "损坏.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    return folder


def _run(folder: Path, fmt: str, *extra, command="validate"):
    args = [command, "2020Q4", "--period", "2020Q4", "--previous", "2020Q3", *extra]
    with _cwd(folder):
        return runner.invoke(app, [*args, "--format", fmt])


class _cwd:
    def __init__(self, path):
        self.path, self.old = path, None

    def __enter__(self):
        import os

        self.old = os.getcwd()
        os.chdir(self.path)

    def __exit__(self, *exc):
        import os

        os.chdir(self.old)


@pytest.fixture(scope="module")
def expected(returns) -> list[dict]:
    result = _run(returns, "json")
    assert result.exit_code == 1
    return json.loads(result.stdout)["returns"]


@pytest.fixture(scope="module")
def notes(returns) -> list[str]:
    """The run's notes: 花岩镇's Q4 return still says 2020Q3 on its cover, so it is not
    compared with its Q3 return."""
    notes = json.loads(_run(returns, "json", "--lang", "en").stdout)["notes"]
    assert len(notes) == 1 and "花岩镇" in notes[0] and "not earlier" in notes[0]
    return notes


def _errors(ret):
    return [f for f in ret["findings"] if f["severity"] == "error"]


def test_junit_has_a_case_per_return_and_a_failure_per_error(returns, expected):
    result = _run(returns, "junit")
    assert result.exit_code == 1  # the same exit status as text
    xml = JUnitXml.fromstring(result.stdout.encode("utf-8"))
    (suite,) = list(xml)
    cases = {case.name: case for case in suite}
    assert list(cases) == [r["file"] for r in expected]
    assert suite.tests == len(expected)
    assert suite.failures == sum(len(_errors(r)) for r in expected if r["status"] != "unreadable")
    assert suite.errors == sum(1 for r in expected if r["status"] == "unreadable")
    for ret in expected:
        case = cases[ret["file"]]
        got = [(type(x), x.type, x.message) for x in case.result]
        kind = Error if ret["status"] == "unreadable" else Failure
        want = [
            (kind, f["code"], f"{f['sheet']}!{f['cell']}: {f['message']}" if f["cell"] else None)
            for f in _errors(ret)
        ]
        assert [(k, c) for k, c, _ in got] == [(k, c) for k, c, _ in want]
        for (_, _, message), (_, _, wanted) in zip(got, want, strict=True):
            if wanted:
                assert message == wanted
        assert case.is_passed == (ret["status"] == "valid")
        for f in ret["findings"]:
            if f["severity"] == "warning":  # warnings, explained or not, in system-out
                assert f["code"] in case.system_out and f["message"] in case.system_out


def test_junit_puts_the_runs_notes_in_the_suites_system_out(returns, notes):
    result = _run(returns, "junit", "--lang", "en")
    (suite,) = list(JUnitXml.fromstring(result.stdout.encode("utf-8")))
    outs = [e.text for e in suite.iterchildren(SystemOut)]
    assert outs == ["\n".join(notes)]


def test_sarif_is_valid_against_the_official_schema_and_says_what_the_json_says(returns, expected):
    result = _run(returns, "sarif")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)  # raises with the offending path
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert {"E_TOTAL_SUM", "W_WS_POOR_SHARE", "E_UNREADABLE"} <= {r["id"] for r in rules}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == returns.as_uri() + "/"
    results = run["results"]
    want = [(r["file"], f) for r in expected for f in r["findings"]]
    assert len(results) == len(want)
    for res, (file, f) in zip(results, want, strict=True):
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"] == f["code"]
        assert res["level"] == f["severity"]
        assert ("suppressions" in res) == f["explained"]
        (loc,) = res["locations"]
        artifact = loc["physicalLocation"]["artifactLocation"]
        assert unquote(artifact["uri"]) == file and artifact["uriBaseId"] == "%SRCROOT%"
        assert (returns / unquote(artifact["uri"])).is_file()
        if f["cell"]:
            assert loc["logicalLocations"][0]["fullyQualifiedName"] == f"{f['sheet']}!{f['cell']}"
        assert res["message"]["text"].endswith(f["message"])
        assert len(res["partialFingerprints"]["shuangfuFinding/v1"]) == 32
    fingerprints = [r["partialFingerprints"]["shuangfuFinding/v1"] for r in results]
    assert len(set(fingerprints)) == len(fingerprints)


def _workflow_commands(text: str) -> list[tuple[str, dict, str]]:
    """Parse workflow commands as the Actions runner does (ActionCommand.TryParseV2): the
    command, its comma-separated key=value properties and its data, each unescaped."""

    def unescape(value: str, prop: bool) -> str:
        value = value.replace("%0D", "\r").replace("%0A", "\n")
        if prop:
            value = value.replace("%3A", ":").replace("%2C", ",")
        return value.replace("%25", "%")

    out = []
    for line in text.splitlines():
        assert line.startswith("::"), f"not a workflow command: {line!r}"
        head, _, data = line[2:].partition("::")
        command, _, props = head.partition(" ")
        properties = {}
        for pair in filter(None, props.split(",")):
            key, _, value = pair.partition("=")
            properties[key] = unescape(value, True)
        out.append((command, properties, unescape(data, False)))
    return out


def test_github_commands_put_each_finding_on_its_file(returns, expected, notes):
    result = _run(returns, "github", "--lang", "en")
    assert result.exit_code == 1
    commands = _workflow_commands(result.stdout)
    findings = [(r, f) for r in expected for f in r["findings"]]
    assert len(commands) == len(findings) + len(notes)
    assert [(c, p, d) for c, p, d in commands[len(findings) :]] == [
        ("notice", {"title": "shuangfu"}, note) for note in notes
    ]
    english = json.loads(_run(returns, "json", "--lang", "en").stdout)["returns"]
    findings = [(r, f) for r in english for f in r["findings"]]
    for (command, props, data), (ret, f) in zip(commands[: len(findings)], findings, strict=True):
        state = "notice" if f["explained"] else f["severity"]
        assert command == state
        assert props["file"] == ret["file"]
        assert props["title"].startswith(f["code"] + " ")
        assert data.endswith(f["message"])


def test_text_from_a_return_cannot_inject_a_workflow_command(make_return, tmp_path):
    """A clerk's cover text with a line break and '::' stays inside its own annotation."""

    def hostile(figures, lists, cover):
        cover["town"] = "柏%0A\n::error file=x::伪造\r::"

    path = make_return(mutate=hostile)
    result = runner.invoke(app, ["validate", str(path), "--format", "github"])
    assert result.exit_code == 1
    commands = _workflow_commands(result.stdout)
    assert commands and all(c in {"error", "warning", "notice"} for c, _, _ in commands)
    assert all(p["file"] == str(path) for _, p, _ in commands)
    assert any("::error file=x::伪造" in data for _, _, data in commands)
    assert any("%0A" in data for _, _, data in commands)  # the literal text, decoded once


def test_csv_loads_into_a_spreadsheet_as_one_row_per_finding(returns, expected, notes):
    result = _run(returns, "csv", "--lang", "en")
    assert result.exit_code == 1
    assert result.stdout.startswith("\ufeff")  # Excel and WPS read it as UTF-8
    table = pd.read_csv(io.StringIO(result.stdout.lstrip("\ufeff")), dtype=str).fillna("")
    want = [(r, f) for r in expected for f in r["findings"]]
    assert len(table) == len(want) + len(notes)
    assert list(table["message"][len(want) :]) == notes
    assert set(table["severity"][len(want) :]) == {"note"}
    assert list(table.columns) == [
        "file", "town", "period", "status", "severity", "code", "sheet", "cell", "indicator",
        "message",
    ]  # fmt: skip
    english = json.loads(_run(returns, "json", "--lang", "en").stdout)["returns"]
    want_en = [(r, f) for r in english for f in r["findings"]]
    rows = table.iloc[: len(want)].itertuples(index=False)
    for row, (ret, f) in zip(rows, want_en, strict=True):
        assert (row.file, row.code, row.cell, row.message) == (
            ret["file"], f["code"], f["cell"] or "", f["message"]
        )  # fmt: skip
        assert row.severity == ("explained" if f["explained"] else f["severity"])
        assert row.status == ret["status"]


def test_csv_fields_are_never_formulas(make_return):
    """A file named like a formula is shown as text when the CSV is opened in Excel or WPS."""

    def bad(figures, lists, cover):
        figures["TRN_PRACTICAL_POOR"] = figures["TRN_PRACTICAL_PERSONS"] + 1

    path = make_return(name="=HYPERLINK(1).xlsx", mutate=bad)
    with _cwd(path.parent):
        result = runner.invoke(app, ["validate", path.name, "--format", "csv"])
    assert result.exit_code == 1
    rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert rows[0][0] == "文件" and len(rows) == 2
    assert rows[1][0] == "'=HYPERLINK(1).xlsx"
    assert rows[1][5] == "E_PART_ABOVE_TOTAL"


def test_rollup_reports_missing_towns_and_uncounted_files_as_notes(returns):
    result = _run(returns, "github", command="rollup")
    assert result.exit_code == 1
    commands = _workflow_commands(result.stdout)
    notices = [data for c, p, data in commands if c == "notice" and p.get("title") == "shuangfu"]
    assert any(re.search(r"损坏\.xlsx", n) for n in notices)  # a file no town could be told from
    sarif = json.loads(_run(returns, "sarif", command="rollup").stdout)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(sarif)
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notes] == notices
