"""The GitHub Action (action.yml) and the pre-commit hook (.pre-commit-hooks.yaml), run the way
their tools run them: the Action's definition against GitHub's schema and its script with its
inputs as the runner passes them; the hook by pre-commit itself, on a real `git commit`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from check_jsonschema.builtin_schemas import get_builtin_schema

ROOT = Path(__file__).resolve().parent.parent
Q3 = ROOT / "sample_returns" / "2020Q3"
GOOD, BAD = Q3 / "柏梓镇_2020Q3.xlsx", Q3 / "双江镇_2020Q3.xlsx"  # BAD: '12人' at 附件4 C26
BIN = Path(sys.executable).parent


def _action() -> dict:
    return yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def test_the_action_is_valid_against_githubs_schema():
    jsonschema.Draft7Validator(get_builtin_schema("vendor.github-actions")).validate(_action())


def _run_step(step: dict, inputs: dict, workdir: Path, github_output: Path):
    """Run a composite step's script as the runner does: inputs (with their defaults) in its
    env by the ${{ inputs.x }} expressions, `bash -e {0}`-style, from the workspace."""
    defaults = {k: v.get("default", "") for k, v in _action()["inputs"].items()}
    values = {**defaults, **inputs}

    def expand(text: str) -> str:
        return re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", lambda m: str(values[m.group(1)]), text)

    env = {k: expand(str(v)) for k, v in step.get("env", {}).items()}
    assert "${{" not in step["run"], "inputs must reach the script through env only"
    script = workdir / "step.sh"
    script.write_text(step["run"], encoding="utf-8")
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=workdir,
        env={
            "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
            "GITHUB_OUTPUT": str(github_output),
            "SHUANGFU_CACHE_DIR": "",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def workspace(tmp_path) -> Path:
    (tmp_path / "returns" / "good").mkdir(parents=True)
    (tmp_path / "returns" / "bad").mkdir()
    shutil.copy(GOOD, tmp_path / "returns" / "good")
    shutil.copy(BAD, tmp_path / "returns" / "bad")
    return tmp_path


def _validate_step() -> dict:
    (step,) = [s for s in _action()["runs"]["steps"] if s.get("id") == "validate"]
    return step


def test_the_actions_step_annotates_a_bad_return_and_fails(workspace):
    out = workspace / "github_output"
    run = _run_step(_validate_step(), {"paths": "returns/good\nreturns/bad"}, workspace, out)
    assert run.returncode == 1, run.stderr
    lines = run.stdout.splitlines()
    assert any(
        line.startswith("::error title=E_NOT_NUMBER")
        and "file=returns/bad/双江镇_2020Q3.xlsx" in line
        and "附件4 就业!C26" in line
        for line in lines
    ), run.stdout
    good = _run_step(
        _validate_step(), {"paths": "returns/good", "period": "2020Q3"}, workspace, out
    )
    assert good.returncode == 0, good.stdout + good.stderr
    assert "::error" not in good.stdout


def test_the_actions_paths_that_begin_with_a_dash_are_files(workspace):
    """A return named -o柏梓镇_2020Q4.xlsx (a shell glob's, or a folder of them) is read as a
    return: the paths are given after --, never taken for options."""
    shutil.copy(BAD, workspace / "-o双江镇_2020Q3.xlsx")
    shutil.copy(GOOD, workspace / "--previous=x.xlsx")
    out = workspace / "github_output"
    inputs = {"paths": "-o双江镇_2020Q3.xlsx --previous=x.xlsx", "format": "json",
              "output": "r.json", "period": "2020Q3"}  # fmt: skip
    run = _run_step(_validate_step(), inputs, workspace, out)
    assert run.returncode == 1, run.stderr
    returns = json.loads((workspace / "r.json").read_text(encoding="utf-8"))["returns"]
    assert {r["file"]: r["status"] for r in returns} == {
        "-o双江镇_2020Q3.xlsx": "invalid", "--previous=x.xlsx": "valid"}  # fmt: skip
    assert "::error title=E_NOT_NUMBER" in run.stdout


def test_the_actions_report_file_and_output(workspace):
    out = workspace / "github_output"
    inputs = {"paths": "returns/bad", "format": "sarif", "output": "shuangfu.sarif", "lang": "en"}
    run = _run_step(_validate_step(), inputs, workspace, out)
    assert run.returncode == 1, run.stderr
    log = json.loads((workspace / "shuangfu.sarif").read_text(encoding="utf-8"))
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["E_NOT_NUMBER"]
    assert "is not a number" in log["runs"][0]["results"][0]["message"]["text"]
    assert "report=shuangfu.sarif" in out.read_text(encoding="utf-8").splitlines()
    assert "::error title=E_NOT_NUMBER" in run.stdout  # the annotations too


def test_the_hook_manifest_is_valid_for_pre_commit():
    subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", ".pre-commit-hooks.yaml"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def _git(cwd: Path, *args, check=True):
    return subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.org", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=check,
    )


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """This checkout's files (committed or not, as the tests see them) as a git repository."""
    repo = tmp_path_factory.mktemp("shuangfu-hook")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "snapshot")
    return repo, _git(repo, "rev-parse", "HEAD").stdout.strip()


def test_pre_commit_refuses_a_commit_of_a_bad_return_and_lets_a_good_one_through(
    hook_repo, tmp_path
):
    if shutil.which("git") is None:
        pytest.fail("git is needed")
    repo, rev = hook_repo
    returns = tmp_path / "returns"
    returns.mkdir()
    _git(returns, "init", "-q")
    config = {"repos": [{"repo": str(repo), "rev": rev, "hooks": [{"id": "shuangfu-validate"}]}]}
    (returns / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "SHUANGFU_CACHE_DIR": "",
    }
    subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"], cwd=returns, env=env, check=True,
        capture_output=True,
    )  # fmt: skip

    def commit(message):
        return subprocess.run(
            ["git", "-c", "user.name=clerk", "-c", "user.email=clerk@example.org",
             "commit", "-q", "-m", message],
            cwd=returns, env=env, capture_output=True, text=True, timeout=900,
        )  # fmt: skip

    # names that begin with - are files too (the hook passes them after --)
    bad, good = "-o" + BAD.name, "-o" + GOOD.name
    _git(returns, "add", ".pre-commit-config.yaml")
    shutil.copy(BAD, returns / bad)
    _git(returns, "add", "--", bad)
    refused = commit("双江镇 Q3")
    assert refused.returncode != 0, refused.stdout + refused.stderr
    assert "E_NOT_NUMBER" in refused.stdout + refused.stderr
    assert _git(returns, "rev-list", "--all").stdout == ""  # nothing was committed

    _git(returns, "rm", "-q", "--cached", "--", bad)
    (returns / bad).unlink()
    shutil.copy(GOOD, returns / good)
    _git(returns, "add", "--", good)
    passed = commit("柏梓镇 Q3")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert good in _git(returns, "-c", "core.quotepath=off", "ls-files").stdout
