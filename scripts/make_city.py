"""Make city.yaml: SAMPLE reference data one level up, whose reporting units are districts.

潼南区 is there as its own rollup's return names it: every village of towns.yaml named with its
town (柏梓镇·…), and the district's 2020 targets of indicators.yaml as its share. Two
neighbouring districts are added with made-up towns, villages and shares, so that a city-level
rollup has more than one unit. The city's targets are the sum of the districts' shares.

    python scripts/make_city.py [OUT_FILE]
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from shuangfu_cli.district.own_return import district_unit, qualified
from shuangfu_cli.form.reference import load_reference, load_registry

ROOT = Path(__file__).resolve().parent.parent

HEADER = """\
# Reference data ONE LEVEL UP: the units are districts (区县), each reporting its own return in
# the towns' form (made by `shuangfu rollup … --as-return FILE.xlsx`). Use it with
# --reference city.yaml for validate, rollup and trend on district returns.
#
# SAMPLE DATA, made by scripts/make_city.py. 潼南区's villages are towns.yaml's, each named with
# its town, and its targets are the district's 2020 targets of indicators.yaml. 铜梁区 and 大足区
# are real district names, but their towns' villages, kinds and shares are MADE UP. The city's
# targets (`targets`) are the sum of the districts' shares; `bounds_factor` scales the per-town
# plausibility bounds of indicators.yaml to a district's figures; `units` are the words every
# message, note, table, workbook and bulletin says of the units and their area (区县, 全市).
"""

#: made-up neighbours: district -> towns -> villages (the first of each town a poor village)
NEIGHBOURS = {
    "铜梁区": {
        "巴川街道": ["玉泉社区", "淮远社区", "金砂村"],
        "安居镇": ["波仑村", "大庙村", "乐坪村", "安居社区"],
        "少云镇": ["少云村", "龙滩村", "天堡寨村"],
    },
    "大足区": {
        "龙岗街道": ["北山社区", "五星村", "双路村"],
        "宝顶镇": ["佛祖岩村", "慈航村", "化龙村", "宝顶社区"],
        "中敖镇": ["永佳村", "红岩村", "中敖社区"],
    },
}
#: each neighbour's share, as a fraction of 潼南区's targets
NEIGHBOUR_SHARE = {"铜梁区": 0.1, "大足区": 0.08}


def _villages(town: str, names: list[str]) -> list[dict]:
    out = []
    for i, name in enumerate(names):
        kind = "贫困村" if i == 0 else ("社区" if name.endswith("社区") else "非贫困村")
        out.append({"name": qualified(town, name), "kind": kind})
    return out


def city(reference, registry) -> dict:
    own = {i.code: i.target for i in registry.indicators if i.target is not None}
    tongnan = district_unit(reference)
    units = [
        {
            "name": tongnan.name,
            "targets": own,
            "villages": [{"name": v.name, "kind": v.kind} for v in tongnan.villages],
        }
    ]
    for district, towns in NEIGHBOURS.items():
        share = NEIGHBOUR_SHARE[district]
        villages = [v for town, names in towns.items() for v in _villages(town, names)]
        units.append(
            {
                "name": district,
                "targets": {code: round(n * share) for code, n in own.items()},
                "villages": villages,
            }
        )
    targets = {code: sum(u["targets"][code] for u in units) for code in own}
    return {
        "district": "重庆市",
        "year": reference.year,
        "sample": True,
        "note": "示例数据：市级参照，单位为区县；铜梁区、大足区的村（社区）名单及任务数为虚构，"
        "仅供演示，请替换为实际数据。",
        "units": {
            "word": "区县",
            "name": "区县",
            "area": "市",
            "addressees": "各区县扶贫开发领导小组办公室",
            "en": "district",
            "area_en": "city",
        },
        "forms": {
            "number_prefix": "渝扶志智",
            "authority": "重庆市扶贫开发领导小组办公室",
            "approval_kind": "批准",
            "approval_authority": "重庆市扶贫开发领导小组",
            "approval_number": "渝扶组发〔2020〕1号",
            "valid_until": "2021年3月",
            "copy_to": ["市委办公厅", "市政府办公厅", "市扶贫开发领导小组各成员单位"],
            "issuer": "重庆市扶贫开发领导小组办公室",
            "sample": True,
        },
        "targets": targets,
        "bounds_factor": 50,
        "towns": units,
    }


def main(out: Path = ROOT / "city.yaml") -> None:
    data = city(load_reference(ROOT / "towns.yaml"), load_registry(ROOT / "indicators.yaml"))
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    out.write_text(HEADER + text, encoding="utf-8")
    print(f"wrote {out}: {len(data['towns'])} districts")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "city.yaml")
