"""The reference files are cached as JSON in the user's cache folder: an edit to towns.yaml
takes effect at once, a damaged or unwritable cache changes nothing, and a cached run does not
parse YAML at all."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from schemas import Reference
from shuangfu_cli.form import reference as config
from shuangfu_cli.form.reference import ConfigError

TOWNS = config.DATA / "towns.yaml"


def _load(path: Path) -> Reference:
    return config._load(Reference, path)


def test_an_edited_reference_file_is_read_again(tmp_path, monkeypatch):
    monkeypatch.setenv("SHUANGFU_CACHE_DIR", str(tmp_path / "cache"))
    towns = tmp_path / "towns.yaml"
    text = TOWNS.read_text(encoding="utf-8")
    towns.write_text(text, encoding="utf-8")
    first = _load(towns)
    assert len(list((tmp_path / "cache").glob("reference-*.json"))) == 1
    assert _load(towns) == first  # from the cache
    name = first.towns[0].name
    towns.write_text(text.replace(name, name + "改", 1), encoding="utf-8")
    assert _load(towns).towns[0].name == name + "改"


def test_a_damaged_cache_entry_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("SHUANGFU_CACHE_DIR", str(tmp_path / "cache"))
    expected = _load(TOWNS)
    (entry,) = (tmp_path / "cache").glob("reference-*.json")
    entry.write_bytes(b'{"towns": [')
    assert _load(TOWNS) == expected


def test_an_invalid_file_is_an_error_whatever_the_cache_holds(tmp_path, monkeypatch):
    monkeypatch.setenv("SHUANGFU_CACHE_DIR", str(tmp_path / "cache"))
    bad = tmp_path / "towns.yaml"
    bad.write_text("towns: [1, 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        _load(bad)
    assert not list((tmp_path / "cache").glob("*.json"))


def test_a_cache_that_is_a_file_changes_nothing(tmp_path, monkeypatch):
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    monkeypatch.setenv("SHUANGFU_CACHE_DIR", str(blocker / "inner"))
    assert _load(TOWNS).towns
    assert blocker.read_text() == "not a folder"


def test_a_cached_validate_does_not_parse_yaml(tmp_path):
    env = dict(os.environ, SHUANGFU_CACHE_DIR=str(tmp_path / "cache"))
    probe = (
        "import sys; from shuangfu_cli.form.reference import load_reference, load_registry;"
        "load_registry(); load_reference(); print('yaml' in sys.modules)"
    )
    runs = [
        subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
        for _ in range(2)
    ]
    assert [r.stdout.strip() for r in runs] == ["True", "False"], [r.stderr for r in runs]
    assert {p.name.split("-")[0] for p in (tmp_path / "cache").iterdir()} == {
        "indicatorregistry",
        "reference",
    }
