"""indicators.yaml and the schema agree; a disagreement stops the tool and names the code."""

from __future__ import annotations

import pytest
import yaml

from schemas import IndicatorRegistry
from shuangfu_cli.form.layout import form_layout
from shuangfu_cli.form.reference import ROOT_INDICATORS, ConfigError, check_registry, load_reference


def _registry(mutate=None):
    data = yaml.safe_load(ROOT_INDICATORS.read_text(encoding="utf-8"))
    if mutate:
        mutate(data["indicators"])
    return IndicatorRegistry.model_validate(data)


def test_registry_and_schema_hold_the_same_codes(registry):
    assert [i.code for i in registry.indicators] == list(form_layout().figures)
    assert len(registry.indicators) == 78
    check_registry(registry)


def test_missing_code_is_named():
    reg = _registry(
        lambda items: items.pop(next(i for i, x in enumerate(items) if x["code"] == "EMP_JOBSEND"))
    )
    with pytest.raises(ConfigError, match="EMP_JOBSEND"):
        check_registry(reg)


def test_unknown_code_is_named():
    def add(items):
        items.append({**items[0], "code": "EMP_NOT_IN_FORM"})

    with pytest.raises(ConfigError, match="EMP_NOT_IN_FORM"):
        check_registry(_registry(add))


def test_limit_disagreeing_with_schema_is_named():
    def drop_limit(items):
        next(x for x in items if x["code"] == "TRN_PRACTICAL_POOR")["not_above"] = []

    with pytest.raises(ConfigError, match="TRN_PRACTICAL_POOR"):
        check_registry(_registry(drop_limit))


def test_targets_of_the_governing_document(registry):
    targets = {i.code: i.target for i in registry.indicators if i.target is not None}
    assert targets == {
        "EMP_WS_NEW": 20,
        "TRN_SKILL_PERSONS": 150,
        "EMP_TRANSFER_NEW": 300,
        "EMP_JOBSEND": 150,
        "LDR_STOCK": 460,
        "LDR_NEW": 260,
        "LDR_HOUSEHOLDS": 1380,
        "LDR_STOCK_POORV": 200,
        "LDR_HOUSEHOLDS_POORV": 600,
        "LDR_STOCK_OTHERV": 260,
        "LDR_HOUSEHOLDS_OTHERV": 780,
        "EMP_PWJ_PLACED": 403,
        "TRN_PRACTICAL_PERSONS": 3000,
    }


def test_every_indicator_is_documented_for_the_clerk(registry):
    for ind in registry.indicators:
        assert len(ind.definition) >= 20 and ind.name_zh and ind.name_en


def test_reference_is_marked_sample_and_sized(reference, registry):
    assert reference.sample is True
    assert len(reference.towns) == 22
    kinds = [v.kind for t in reference.towns for v in t.villages]
    assert kinds.count("贫困村") == 50
    assert len(kinds) - kinds.count("贫困村") == 260
    targets = {i.code: i.target for i in registry.indicators if i.target is not None}
    for code, target in targets.items():
        assert sum(t.targets.get(code, 0) for t in reference.towns) == target, code


def test_bad_reference_file_is_a_clear_error(tmp_path, monkeypatch):
    bad = tmp_path / "towns.yaml"
    bad.write_text(
        "district: x\nyear: 2020\nsample: true\ntowns:\n  - name: 甲镇\n    villages:\n"
        "      - {name: 一村, kind: 城中村}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="kind"):
        load_reference.__wrapped__(bad)
