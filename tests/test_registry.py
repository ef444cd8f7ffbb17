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


#: what an English name must say when the Chinese name (Attachment 7, forms.md) says it
SAID_IN_ENGLISH = {
    "其中": "of which",
    "合计": "total",
    "2020年": "2020",
    "(贫困村)": "in poor villages",
    "(非贫困村和社区)": "in non-poor villages and communities",
    "应训人数": "to be trained",
    "已训人数": "persons trained",
    "培训期数": "sessions",
    "人次": "person-times",
    "驻村工作队员": "work-team",
    "第一书记": "first secretaries",
    "村党组织书记": "Party secretaries",
    "村委会主任": "committee heads",
    "大学生村官": "college-graduate",
    "镇(街)干部": "town and sub-district",
    "建档立卡": "registered poor",
    "学前教育": "pre-school",
    "义务教育": "compulsory",
    "普通高中": "senior high",
    "中职": "secondary vocational",
    "大学(含高职)": "college",
    "资助金额": "amount",
    "扶贫车间": "workshops",
    "送工送岗": "job-delivery",
    "公益性岗位": "public-welfare",
    "致富带头人": "wealth leaders",
    "带动贫困户": "poor households helped",
    "易地扶贫搬迁": "relocated",
    "培训后实现就业": "employed after training",
    "区外": "outside the district",
    "新增培育": "newly cultivated",
    "参加培训": "trained in 2020",
}


def test_every_indicator_has_an_english_name_that_says_what_the_chinese_says(registry):
    """--lang en names each indicator by what Attachment 7 measures: each qualifier of the
    Chinese name is in the English one, no two indicators share a name, and no household is
    'lifted' (带动贫困户数 counts households whose income the wealth leaders help raise)."""
    for ind in registry.indicators:
        for zh, en in SAID_IN_ENGLISH.items():
            if zh in ind.name_zh:
                assert en in ind.name_en, (ind.code, ind.name_zh, ind.name_en, en)
        assert "lifted" not in ind.name_en and "stock" not in ind.name_en, ind.code
    names = [ind.name_en for ind in registry.indicators]
    assert len(set(names)) == len(names)


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
