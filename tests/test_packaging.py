"""The tool as people install it: from a clone on any system (no symlinks), from the wheel and
from the sdist, each carrying the reference files."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA_FILES = ("indicators.yaml", "towns.yaml")
SAMPLE = ROOT / "sample_returns" / "2020Q3" / "柏梓镇_2020Q3.xlsx"


def _build(source: Path, out: Path, target: str) -> Path:
    """Build with hatchling itself (the project's build backend), offline."""
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", target, "-d", str(out)],
        cwd=source,
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("*.whl" if target == "wheel" else "*.tar.gz")
    return built


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    return {t: _build(ROOT, out / t, t) for t in ("wheel", "sdist")}


def test_the_repository_holds_no_symlinks():
    """A Windows clone (core.symlinks=false, Git for Windows' default) turns a symlink into a
    text file holding its target: the reference data would be that one line."""
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout")
    listed = subprocess.run(
        ["git", "ls-files", "-s"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    links = [line.split("\t")[1] for line in listed.splitlines() if line.startswith("120000")]
    assert links == []


def test_the_wheel_carries_the_reference_files_inside_the_package(dist):
    with zipfile.ZipFile(dist["wheel"]) as whl:
        names = set(whl.namelist())
        for name in DATA_FILES:
            assert whl.read(f"shuangfu_cli/data/{name}") == (ROOT / name).read_bytes()
    assert "schemas/registry.py" in names
    assert "shuangfu_cli/reading/reader.py" in names
    assert "shuangfu_cli/py.typed" in names  # the Python API's types reach its users
    assert not [n for n in names if "__pycache__" in n or n.startswith("tests/")]


def test_a_wheel_built_from_the_sdist_carries_them_too(dist, tmp_path):
    with tarfile.open(dist["sdist"]) as sdist:
        sdist.extractall(tmp_path, filter="data")
    (source,) = tmp_path.iterdir()
    for name in (*DATA_FILES, "README.md", "sample_returns/2020Q3/柏梓镇_2020Q3.xlsx"):
        assert (source / name).is_file(), name
    wheel = _build(source, tmp_path / "out", "wheel")
    with zipfile.ZipFile(wheel) as whl:
        for name in DATA_FILES:
            assert whl.read(f"shuangfu_cli/data/{name}") == (ROOT / name).read_bytes()


def test_the_installed_wheel_works_away_from_the_repository(dist, tmp_path):
    """Installed in a fresh virtualenv (its dependencies lent by this one, so no download) and
    run from another folder: it finds its reference data in the package."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bindir = venv / ("Scripts" if sys.platform == "win32" else "bin")
    python = bindir / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(dist["wheel"])],
        check=True,
        capture_output=True,
    )
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # a plain path line: the lent folder's own .pth files (this checkout's editable install)
    # are not processed, so the package can only come from the wheel
    (Path(site) / "lent_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    where = subprocess.run(
        [str(python), "-c", "import shuangfu_cli.form.reference as c; print(c.DATA)"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(venv)
    run = subprocess.run(
        [str(bindir / "shuangfu"), "validate", str(SAMPLE), "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": str(bindir), "SHUANGFU_CACHE_DIR": ""},
    )
    assert run.returncode == 0, run.stderr
    assert '"status": "valid"' in run.stdout
    version = subprocess.run(
        [str(bindir / "shuangfu"), "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.startswith("shuangfu 0.")
