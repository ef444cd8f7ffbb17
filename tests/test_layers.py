"""The package's wings run one way (pyproject.toml's [tool.importlinter] contracts): an
import that runs the wrong way fails here, not in a review."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")
WINGS = ("text", "form", "reading", "rules", "check", "district", "writing", "cli")


def _lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), "--no-cache", "--config", str(root / "pyproject.toml")],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
    )


def test_the_package_keeps_its_layers():
    done = _lint(ROOT)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "0 broken" in done.stdout


def test_every_module_lives_in_a_wing():
    top = sorted(p.name for p in (ROOT / "shuangfu_cli").glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "api.py"]
    assert {p.name for p in (ROOT / "shuangfu_cli").iterdir() if p.is_dir()} - {
        "__pycache__",
        "data",
    } == set(WINGS)
    # names say what a module is and are never repeated
    names = [p.stem for p in (ROOT / "shuangfu_cli").rglob("*.py") if p.stem != "__init__"]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []


def test_an_import_running_the_wrong_way_is_caught(tmp_path):
    shutil.copytree(ROOT / "shuangfu_cli", tmp_path / "shuangfu_cli",
                    ignore=shutil.ignore_patterns("__pycache__", "data"))  # fmt: skip
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    values = tmp_path / "shuangfu_cli" / "form" / "values.py"
    values.write_text(
        values.read_text(encoding="utf-8") + "\nfrom shuangfu_cli.district import rollup  # noqa\n",
        encoding="utf-8",
    )
    done = _lint(tmp_path)
    assert done.returncode == 1
    assert "shuangfu_cli.form is not allowed to import shuangfu_cli.district" in done.stdout


def test_only_where_a_run_starts_is_the_registry_or_the_reference_loaded():
    """The district's results and every writer use the registry and the reference data their
    run was made with (`Rollup.registry`, `Trend.reference`, …), never a fresh load: only the
    command line, the Python API and the checks, where a run starts, call the loaders."""
    import ast

    loaders = {"load_registry", "load_reference"}
    allowed = (
        "shuangfu_cli/cli/",
        "shuangfu_cli/check/",
        "shuangfu_cli/form/",
        "shuangfu_cli/api.py",
    )
    calls = []
    for path in sorted((ROOT / "shuangfu_cli").rglob("*.py")):
        where = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                if name in loaders:
                    calls.append((where, node.lineno, name))
    assert calls, "the loaders are found by their names"
    assert [c for c in calls if not c[0].startswith(allowed)] == []
