"""Models of the two reference files: indicators.yaml (Attachment 7) and towns.yaml."""

from __future__ import annotations

import re
import sys
import unicodedata
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    dataclasses,
    field_validator,
    model_validator,
)

from .form import VILLAGE_KINDS, VillageKind
from .policy import Plausibility, Policy
from .text import strip_invisible

#: what people write after a town's name on a cover: its government or sub-district office
_OFFICE_SUFFIXES = ("街道办事处", "人民政府", "办事处", "街道办", "政府")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Indicator(Strict):
    """One entry of 指标解释 (Attachment 7)."""

    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]+$")
    name_zh: str
    name_en: str
    unit: Literal["人", "人次", "期", "户", "个", "万元"]
    kind: Literal["flow", "stock"]
    definition: str = Field(min_length=10)
    not_above: list[str] = []
    not_below: list[str] = []
    #: Plausibility bound for one town's figure: above it the value is an error at its cell
    #: (an ID-card number typed into a count is the typical case).
    max: int = Field(gt=0)
    target: int | None = None
    target_note: str | None = None


class IndicatorRegistry(Strict):
    indicators: list[Indicator]

    @model_validator(mode="after")
    def _unique(self) -> IndicatorRegistry:
        seen: set[str] = set()
        for ind in self.indicators:
            if ind.code in seen:
                raise ValueError(f"duplicate indicator code {ind.code}")
            seen.add(ind.code)
        return self

    def by_code(self) -> dict[str, Indicator]:
        return {i.code: i for i in self.indicators}

    def bounds(self) -> dict[str, int]:
        """Each indicator's plausibility bound (`max`), by code."""
        return {i.code: i.max for i in self.indicators}


@dataclasses.dataclass(frozen=True, slots=True, config=ConfigDict(extra="forbid"))
class VillageRef:
    """A village or community of a town. A slotted dataclass, not a model: a reference for a
    whole country holds half a million of them (72 bytes each instead of 570)."""

    name: str
    kind: VillageKind

    @field_validator("kind")
    @classmethod
    def _one_string_per_kind(cls, kind: str) -> str:
        return VILLAGE_KINDS[VILLAGE_KINDS.index(kind)]  # shared, not one copy per village


class TownRef(Strict):
    name: str
    villages: list[VillageRef]
    #: This town's share of the district targets (Attachment 1), by indicator code.
    targets: dict[str, int] = {}

    @field_validator("targets")
    @classmethod
    def _shared_codes(cls, targets: dict[str, int]) -> dict[str, int]:
        return {sys.intern(code): n for code, n in targets.items()}

    @model_validator(mode="after")
    def _unique_villages(self) -> TownRef:
        names = [v.name for v in self.villages]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"{self.name}: duplicate villages {sorted(dup)}")
        return self


class FormsInfo(Strict):
    """What the top right of every printed form says about the reporting system (统计报表制度):
    表号, 制定机关, 批准 (or 备案) 机关 and 文号, 有效期至; and who the quarterly 通报 is copied to
    and printed by (its 版记). The district's own values."""

    #: 表号 of an attachment: this prefix, the attachment's number and 表 (潼扶志智2表, 4-1表)
    number_prefix: str = Field(min_length=1)
    authority: str = Field(min_length=1, description="制定机关")
    approval_kind: Literal["批准", "备案"] = "批准"
    approval_authority: str = ""
    approval_number: str = ""
    valid_until: str = ""
    #: the 通报's 版记 (GB/T 9704): 抄送机关, in order, and 印发机关 (default: `authority`)
    copy_to: list[str] = []
    issuer: str = ""
    sample: bool = Field(
        description="True when these are made-up sample values: the printed form says so"
    )

    def number(self, sheet_name: str) -> str:
        """The 表号 of the sheet called '附件4-1 …': prefix + '4-1' + '表'."""
        m = re.match(r"附件(\d+(?:-\d+)?)", sheet_name)
        return f"{self.number_prefix}{m.group(1) if m else ''}表"

    def lines(self, sheet_name: str) -> list[tuple[str, str]]:
        """(label, value) lines of the block, in print order; sample values marked as such."""
        mark = "(示例)" if self.sample else ""
        kind = self.approval_kind
        lines = [("表    号", self.number(sheet_name)), ("制定机关", self.authority)]
        if self.approval_authority:
            lines.append((f"{kind}机关", self.approval_authority))
        if self.approval_number:
            lines.append((f"{kind}文号", self.approval_number))
        if self.valid_until:
            lines.append(("有效期至", self.valid_until))
        return [(label, value + mark) for label, value in lines]


#: the words the catalogues are written with (a district's towns), and how they are matched:
#: 镇（街道） (prose and headers), 镇街 (short), 全区 / 本区 / 区里 / 区扶贫办 / 区汇总表 / 区级
#: (the area), the bulletin's salutation; in English town(s) and district(s) — never inside a
#: {placeholder} nor a file name (towns.yaml)
_ZH_UNIT_WORDS = re.compile(
    r"各镇党委（街道党工委）、人民政府（街道办事处）|镇[（(]街道[）)]|镇街"
    r"|(?<=[全本])区|区(?=里|扶贫办|汇总表|级)"
)
_EN_UNIT_WORDS = re.compile(r"(?<![{\w])(towns?|Towns?|districts?|Districts?)(?![}\w]|\.yaml)")


class Units(Strict):
    """What a reference's reporting units and its area are called. The tool's words are
    written for a district's towns (镇街, 镇（街道）, 全区); a reference one level up (city.yaml,
    whose units are districts) gives its own, and every message, note, table, workbook and
    bulletin made with it says them (:meth:`say`)."""

    #: short: 3个镇街未计入, 计入镇街任务, 各镇街完成情况
    word: str = Field("镇街", min_length=1)
    #: in prose and table headers: 计入的18个镇（街道）
    name: str = Field("镇（街道）", min_length=1)
    #: the area they make up: 全区, 本区, 区里下发的模板
    area: str = Field("区", min_length=1)
    #: whom the 通报 is addressed to
    addressees: str = Field("各镇党委（街道党工委）、人民政府（街道办事处）", min_length=1)
    #: in English: one unit, and the area
    en: str = Field("town", min_length=1)
    area_en: str = Field("district", min_length=1)

    @property
    def is_default(self) -> bool:
        return self == _DEFAULT_UNITS

    def say(self, text: str, lang: Literal["zh", "en"] = "zh") -> str:
        """`text`, written with the tool's words for towns, said of these units. Only for the
        tool's own words (a template, a table's heading): a file name or a clerk's text
        passed through would be changed too."""
        if self.is_default or not text:
            return text
        if lang == "en":
            return _EN_UNIT_WORDS.sub(self._en, text)
        return _ZH_UNIT_WORDS.sub(self._zh, text)

    def _zh(self, m: re.Match) -> str:
        found = m.group(0)
        if found.startswith("各"):
            return self.addressees
        if found == "镇街":
            return self.word
        return self.area if found == "区" else self.name

    def _en(self, m: re.Match) -> str:
        found = m.group(0)
        plural = found.endswith("s")
        word = self.en if found.lower().startswith("town") else self.area_en
        if plural:
            word = word[:-1] + "ies" if word.endswith("y") else word + "s"
        return word[:1].upper() + word[1:] if found[0].isupper() else word


_DEFAULT_UNITS = Units()


class Reference(Strict):
    """The reporting units (a district's towns, or one level up a city's districts), their
    villages and their shares of the targets."""

    district: str
    year: int
    sample: bool = Field(
        description="True when villages and shares are made-up sample data, not the district's own"
    )
    note: str = ""
    #: the identity block printed on every form; without it the forms print none
    forms: FormsInfo | None = None
    #: The targets of the whole area, by code, where they are not indicators.yaml's (which are
    #: the district's 2020 targets): a city's reference gives the city's.
    targets: dict[str, int] = {}
    #: indicators.yaml's plausibility bounds (`max`) are for one town; a reference whose units
    #: are larger (a city's districts) multiplies them by this.
    bounds_factor: int = Field(1, ge=1, le=10_000)
    #: sensitivity of the plausibility checks; the defaults when the file says nothing
    plausibility: Plausibility = Plausibility()
    #: the document's policy thresholds (schemas/policy.py); the 2020 document's by default
    policy: Policy = Policy()
    #: what the units are called (the defaults: a district's towns; one level up 区县)
    units: Units = Units()
    towns: list[TownRef]
    _by_name: dict[str, TownRef] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context) -> None:
        self._by_name = {}
        for t in self.towns:
            self._by_name.setdefault(t.name, t)

    def town(self, name: str) -> TownRef | None:
        return self._by_name.get(name) if isinstance(name, str) else None

    def registry_for_units(self, registry: IndicatorRegistry) -> IndicatorRegistry:
        """The registry as this reference's units are judged: its own targets where it gives
        them, and the plausibility bounds scaled to its units (see `bounds_factor`)."""
        if not self.targets and self.bounds_factor == 1:
            return registry
        indicators = [
            ind.model_copy(
                update={
                    "target": self.targets.get(ind.code, ind.target),
                    "max": ind.max * self.bounds_factor,
                }
            )
            for ind in registry.indicators
        ]
        return registry.model_copy(update={"indicators": indicators})

    def town_on_cover(self, text: str) -> TownRef | None:
        """The town a cover's 填报单位 names, as people write it: '柏梓镇', '柏梓镇人民政府',
        '桂林街道办事处', '潼南区柏梓镇'. None when it names no town of the district."""
        if not isinstance(text, str):
            return None
        s = re.sub(r"\s+", "", strip_invisible(unicodedata.normalize("NFKC", text)))
        if self.district and self.district in s:
            s = s.split(self.district, 1)[1]
        if (town := self.town(s)) is not None:
            return town
        for suffix in _OFFICE_SUFFIXES:
            if s.endswith(suffix) and len(s) > len(suffix):
                base = s[: -len(suffix)]
                for name in (base, base + "街道", base + "镇"):
                    if (town := self.town(name)) is not None:
                        return town
        return None
