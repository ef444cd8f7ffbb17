"""Fixtures: returns made by the project's own template, filled through its defined names and
tables, and re-saved by a real spreadsheet program (LibreOffice) where it matters."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

# the reference cache of the whole session (and of the commands it runs) in a folder of its own,
# never in the user's ~/.cache
os.environ.setdefault("SHUANGFU_CACHE_DIR", tempfile.mkdtemp(prefix="shuangfu-test-cache-"))

from shuangfu_cli.form.reference import load_reference, load_registry  # noqa: E402
from shuangfu_cli.writing.fill import fill_workbook  # noqa: E402
from shuangfu_cli.writing.template import write_template  # noqa: E402
from shuangfu_dev.samples import figures_for  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def reference():
    return load_reference()


@pytest.fixture(scope="session")
def registry():
    return load_registry()


@pytest.fixture(scope="session")
def blank_templates(tmp_path_factory, reference, registry) -> Callable[[str, str], Path]:
    """A blank template per (town, period), written once per session."""
    folder = tmp_path_factory.mktemp("templates")
    made: dict[tuple[str, str], Path] = {}

    def get(town: str, period: str) -> Path:
        if (town, period) not in made:
            path = folder / f"{town}_{period}.xlsx"
            write_template(reference.town(town), period, registry, path, forms=reference.forms)
            made[(town, period)] = path
        return made[(town, period)]

    return get


@pytest.fixture
def make_return(tmp_path, reference, blank_templates):
    """make_return(town, period, mutate=None, name=None) -> path of a filled return.

    Without `mutate` the return passes every rule. `mutate(figures, lists, cover)` changes the
    figures before they are written."""
    counter = iter(range(10_000))

    def make(town="柏梓镇", period="2020Q3", mutate=None, name=None) -> Path:
        figures, lists, cover = figures_for(reference.town(town), period)
        if mutate is not None:
            mutate(figures, lists, cover)
        path = tmp_path / (name or f"{town}_{period}_{next(counter)}.xlsx")
        fill_workbook(blank_templates(town, period), path, figures, lists, cover)
        return path

    return make


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.fail("LibreOffice is needed: apt-get install -y libreoffice-calc-nogui")
    return exe


@pytest.fixture(scope="session")
def resave(tmp_path_factory) -> Callable[[Path, str], Path]:
    """resave(path, fmt) -> the workbook opened and saved again by LibreOffice as fmt."""
    profile = tmp_path_factory.mktemp("lo-profile")

    def convert(path: Path, fmt: str) -> Path:
        out = tmp_path_factory.mktemp(f"lo-{fmt}")
        cmd = [
            _soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--calc",
            "--convert-to",
            fmt,
            "--outdir",
            str(out),
            str(path),
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=180)
        result = out / f"{path.stem}.{fmt}"
        assert result.exists(), f"LibreOffice did not write {result}"
        return result

    return convert


def _uno_python() -> str:
    """The system Python that has LibreOffice's bridge (python3-uno)."""
    for exe in ("/usr/bin/python3", shutil.which("python3") or ""):
        if exe and subprocess.run([exe, "-c", "import uno"], capture_output=True).returncode == 0:
            return exe
    pytest.fail("LibreOffice's Python bridge is needed: apt-get install -y python3-uno")


@pytest.fixture(scope="session")
def lo_type(tmp_path_factory) -> Callable[[Path, list, tuple[str, ...]], dict[str, Path]]:
    """lo_type(path, edits, formats) -> {fmt: path}: the workbook opened in LibreOffice Calc,
    each (sheet, cell, text) of `edits` typed into its cell as a clerk types it (``=1/0`` is a
    formula, ``510102199001011234`` a number), then saved in each format."""
    import json

    _soffice()
    profile = tmp_path_factory.mktemp("lo-uno-profile")
    script = Path(__file__).with_name("lo_type.py")

    def run(
        path: Path, edits: list, formats=("xlsx", "xls", "ods"), password=None
    ) -> dict[str, Path]:
        out = tmp_path_factory.mktemp("lo-typed")
        spec = out / "edits.json"
        spec.write_text(json.dumps(edits, ensure_ascii=False), encoding="utf-8")
        stem = out / path.stem
        cmd = [_uno_python(), str(script), str(profile), str(path), str(stem), str(spec)]
        env = dict(os.environ, LO_TYPE_PASSWORD=password) if password else None
        subprocess.run([*cmd, *formats], check=True, capture_output=True, timeout=300, env=env)
        return {fmt: stem.with_suffix(f".{fmt}") for fmt in formats}

    return run
