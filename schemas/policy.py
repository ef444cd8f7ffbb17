"""The policy thresholds of the year's document (2020: 潼扶组发〔2020〕4号) as reference data.

Each threshold is a field with its 2020 default, its unit, the section of the document it comes
from and its name in Chinese and English (field metadata, :func:`meta`): the rules read the
reference's values and build their messages from them, the reference workbook shows them (a
sheet of its own) and ``reference check`` judges them against their bounds. A new year's
document with new thresholds is a new reference file, not a code change.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, JsonValue, model_validator


class FieldMeta(NamedTuple):
    """What a threshold is, for people: its names, its unit and where it comes from."""

    zh: str
    en: str
    unit: str
    section: str


def _field(default: Any, zh: str, en: str, unit: str, section: str, **bounds: Any) -> Any:
    extra: dict[str, JsonValue] = {"zh": zh, "en": en, "unit": unit, "section": section}
    return Field(default, json_schema_extra=extra, **bounds)


def meta(model: type[BaseModel], name: str) -> FieldMeta:
    """The metadata of one field of `model` (Policy or Plausibility)."""
    extra = model.model_fields[name].json_schema_extra
    if not isinstance(extra, dict):
        return FieldMeta(name, name, "", "")
    return FieldMeta(
        str(extra.get("zh", name)),
        str(extra.get("en", name)),
        str(extra.get("unit", "")),
        str(extra.get("section", "")),
    )


class Policy(BaseModel):
    """The document's thresholds the policy rules (rules/policy.py) check: warnings, a figure
    that may be true but must be confirmed. The defaults are the 2020 document's."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: registered poor people at least this share of a workshop's workers
    poor_share: Decimal = _field(
        Decimal("0.3"),
        "扶贫车间建档立卡贫困人口占吸纳就业人数的最低比例",
        "minimum share of registered poor people among a workshop's workers",
        "比例",
        "三(四)",
        gt=0,
        le=1,
    )
    leaders_per_poor_village: int = _field(
        4,
        "每个贫困村致富带头人最少人数",
        "minimum wealth leaders per poor village",
        "人",
        "三(三)",
        ge=0,
        le=1000,
    )
    leaders_per_other_village: int = _field(
        1,
        "每个非贫困村和社区致富带头人最少人数",
        "minimum wealth leaders per other village or community",
        "人",
        "三(三)",
        ge=0,
        le=1000,
    )
    households_per_leader: int = _field(
        3,
        "每名致富带头人最少带动贫困户数",
        "minimum poor households helped per wealth leader",
        "户",
        "三(三)",
        ge=0,
        le=1000,
    )
    class_min_days: int = _field(
        7,
        "致富带头人培训班每期最少天数",
        "minimum days of a wealth leaders' class",
        "天",
        "三(三)",
        ge=0,
        le=365,
    )
    class_classroom_days: int = _field(
        5,
        "培训班集中教学与现场观摩天数之比：集中教学",
        "class days ratio: classroom part",
        "份",
        "三(三)",
        ge=0,
        le=365,
    )
    class_field_days: int = _field(
        2,
        "培训班集中教学与现场观摩天数之比：现场观摩",
        "class days ratio: field-visit part",
        "份",
        "三(三)",
        ge=0,
        le=365,
    )
    #: not the document's: an office's plausibility bound (an amount in 元 where 万元 is asked)
    max_amount_per_student: Decimal = _field(
        Decimal("1.5"),
        "教育资助人均金额上限（核实金额单位）",
        "highest plausible amount per funded student",
        "万元",
        "本办设定",
        gt=0,
        le=1000,
    )

    @model_validator(mode="after")
    def _ratio(self) -> Policy:
        if self.class_classroom_days + self.class_field_days == 0:
            raise ValueError("class_classroom_days and class_field_days are both 0")
        return self

    @property
    def share_percent(self) -> Decimal:
        """poor_share as a message says it: 30, 35, 32.5."""
        return Decimal(format((self.poor_share * 100).normalize(), "f"))


POLICY_2020 = Policy()


class Plausibility(BaseModel):
    """How sensitive the plausibility checks (核实性审核: each town against its own history and
    against its peers) are. Every number here is a default an office may tighten or loosen in
    its reference file (``plausibility:``); the messages are built from them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: false: no plausibility check at all (to measure what they cost, or while an office
    #: settles its thresholds)
    enabled: bool = Field(
        True,
        json_schema_extra={
            "zh": "启用核实性审核",
            "en": "plausibility checks on",
            "unit": "是/否",
            "section": "本办设定",
        },
    )
    #: a flow's increase this quarter above this many times its average quarterly increase so
    #: far (its cumulative figure of last quarter over the quarters it covers) is out of line
    jump_factor: float = Field(
        3.0,
        gt=1,
        le=100,
        json_schema_extra={
            "zh": "累计数本季增量超过此前季均增量的倍数",
            "en": "times a flow's average quarterly increase",
            "unit": "倍",
            "section": "本办设定",
        },
    )
    #: a stock that moves by more than this share of last quarter's figure is out of line
    stock_change: float = Field(
        0.5,
        gt=0,
        le=100,
        json_schema_extra={
            "zh": "期末数较上季度变动超过上季度数的比例",
            "en": "share of last quarter's figure a stock may move by",
            "unit": "比例",
            "section": "本办设定",
        },
    )
    #: changes smaller than this (persons, sessions, households, workshops) are never out of
    #: line: small figures move by a few units from one quarter to the next
    min_change: int = Field(
        5,
        ge=0,
        json_schema_extra={
            "zh": "人数、期数、户数等变动小于此数不提示",
            "en": "changes below this (persons, sessions, households) are never out of line",
            "unit": "人/期/户/个",
            "section": "本办设定",
        },
    )
    #: the same for amounts, in 万元
    min_change_money: float = Field(
        0.2,
        ge=0,
        json_schema_extra={
            "zh": "金额变动小于此数不提示",
            "en": "changes below this amount are never out of line",
            "unit": "万元",
            "section": "本办设定",
        },
    )
    #: two figures of neighbouring rows are taken as typed in each other's row when putting
    #: them back makes them this much more ordinary together (the sum, over both, of how far
    #: each is from its pace or its last figure, in natural logarithms: 0.8 is about 2.2
    #: times). Measured in benchmarks/plausibility.py: 0.8 catches half of the exchanges and
    #: flags about 3 clean returns in 100 (1.5: 40%, none)
    exchange_gain: float = Field(
        0.8,
        gt=0,
        le=100,
        json_schema_extra={
            "zh": "相邻两行数字互换的判断门槛（自然对数）",
            "en": "gain that takes two neighbouring rows as exchanged (natural log)",
            "unit": "—",
            "section": "本办设定",
        },
    )
    #: last quarter's return sent again: at least this many cumulative figures, none of them
    #: 0, and every cumulative figure equal to last quarter's
    copy_min_figures: int = Field(
        5,
        ge=1,
        json_schema_extra={
            "zh": "判断照抄上季度报表所需的最少累计数个数",
            "en": "cumulative figures needed to call a return last quarter's sent again",
            "unit": "个",
            "section": "本办设定",
        },
    )
    #: peers: a town is compared with the others only in a run of at least this many towns
    peer_min_towns: int = Field(
        8,
        ge=3,
        json_schema_extra={
            "zh": "镇街间比较所需的最少镇街数",
            "en": "towns a run needs before towns are compared",
            "unit": "个",
            "section": "本办设定",
        },
    )
    #: peers: a figure, scaled to its town's size, above this many times the towns' median
    #: (or below its inverse) is out of line
    peer_factor: float = Field(
        8.0,
        gt=1,
        le=1000,
        json_schema_extra={
            "zh": "折算后超过各镇街中位数的倍数",
            "en": "times the towns' median, scaled to size",
            "unit": "倍",
            "section": "本办设定",
        },
    )
    #: peers: and at least this far from the median in robust standard deviations (MAD)
    peer_sigmas: float = Field(
        4.0,
        gt=0,
        le=100,
        json_schema_extra={
            "zh": "偏离中位数的稳健标准差个数",
            "en": "robust standard deviations from the median",
            "unit": "个",
            "section": "本办设定",
        },
    )
