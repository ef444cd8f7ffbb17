"""The reference workbook's layout (``shuangfu reference export``), shared by its writer
(writing/reference_book.py) and its reader (reading/reference_reader.py): the sheets, their
Chinese headers, and the rows of the key-value sheets with the field each row holds.

A row of a key-value sheet is found by its key (the 代码 column, the field's name), not by its
label or position: a statistician may reorder the rows or reword a label without breaking it.
"""

from __future__ import annotations

from typing import NamedTuple

from schemas import Plausibility, Policy

#: the workbook's category (document properties): what `reference check` and `--reference`
#: recognise, and what validate passes over among the returns
REFERENCE_MARK = "shuangfu reference workbook"


class Sheets:
    README = "说明"
    BASICS = "基本信息"
    FORMS = "表头信息"
    TOWNS = "镇街"
    VILLAGES = "村（社区）"
    SPLIT = "任务分解表"
    POLICY = "政策要求"
    PLAUSIBILITY = "审核灵敏度"
    INDICATORS = "指标一览"


#: the sheets the reader takes data from (说明 and 指标一览 are for people)
READ_SHEETS = (
    Sheets.BASICS,
    Sheets.FORMS,
    Sheets.TOWNS,
    Sheets.VILLAGES,
    Sheets.SPLIT,
    Sheets.POLICY,
    Sheets.PLAUSIBILITY,
)


#: the key-value sheets' headers: what the row is, its value, a word on it, the field (key)
KV_HEADERS = ("项目", "内容", "说明", "代码")
#: the threshold sheets' headers
THRESHOLD_HEADERS = ("项目", "数值", "单位", "文件依据", "代码")
TOWN_HEADERS = ("序号", "镇（街道）", "村（社区）数", "其中：贫困村")
VILLAGE_HEADERS = ("镇（街道）", "村（社区）名称", "类别")
INDICATOR_HEADERS = ("指标代码", "指标名称", "单位", "类型", "一个镇街的合理上限", "全区目标")

#: the task split's rows, by the label in its first column
SPLIT_CODES = "指标代码"
SPLIT_TARGET = "全区目标"
SPLIT_SUM = "各镇街合计"
SPLIT_FIRST_TOWN_ROW = 6  # title, names, codes, target, sum; then one row per town


class Row(NamedTuple):
    """One row of a key-value sheet: its field, its label and a word of help."""

    key: str
    label: str
    help: str = ""
    kind: str = "text"  # text, int, bool (是/否), choice


BASICS_ROWS = (
    Row("district", "地区名称", "如：潼南区"),
    Row("year", "年度", "本参考数据适用的年度，如2021", "int"),
    Row("sample", "是否示例数据", "本区实际数据填“否”", "bool"),
    Row("note", "备注", "示例数据的说明等"),
    Row(
        "bounds_factor",
        "合理上限倍数",
        "填报单位大于镇街时（如区县）放大各指标的合理上限，镇街填1",
        "int",
    ),
    Row("units.word", "填报单位简称", "如：镇街"),
    Row("units.name", "填报单位全称", "如：镇（街道）"),
    Row("units.area", "本级简称", "如：区"),
    Row("units.addressees", "通报主送", "如：各镇党委（街道党工委）、人民政府（街道办事处）"),
    Row("units.en", "填报单位（英文）", "如：town"),
    Row("units.area_en", "本级（英文）", "如：district"),
)

FORMS_ROWS = (
    Row("number_prefix", "表号前缀", "表号为前缀加附件号加“表”，如：潼扶志智2表"),
    Row("authority", "制定机关"),
    Row("approval_kind", "批准或备案", "填“批准”或“备案”", "choice"),
    Row("approval_authority", "批准（备案）机关"),
    Row("approval_number", "批准（备案）文号"),
    Row("valid_until", "有效期至", "如：2021年3月"),
    Row("issuer", "印发机关", "通报版记的印发机关，空着即制定机关"),
    Row("sample", "是否示例", "示例值在表上印“(示例)”", "bool"),
    Row("copy_to", "抄送机关", "每行一个，按顺序；可增删行", "text"),
)

#: the threshold sheets: the model whose fields are the rows
THRESHOLD_MODELS: dict[str, type[Policy] | type[Plausibility]] = {
    Sheets.POLICY: Policy,
    Sheets.PLAUSIBILITY: Plausibility,
}

YES, NO = "是", "否"


class Range(NamedTuple):
    """A threshold's allowed values, from its field's constraints."""

    low: float | None
    low_open: bool  # low itself not allowed (gt)
    high: float | None

    def allows(self, value: float) -> bool:
        if self.low is not None and (value <= self.low if self.low_open else value < self.low):
            return False
        return self.high is None or value <= self.high

    def text(self) -> str:
        """The range as a message says it: 大于0且不大于1 is said 0 < x ≤ 1."""
        low = "" if self.low is None else f"{_num(self.low)} {'<' if self.low_open else '≤'} "
        high = "" if self.high is None else f" ≤ {_num(self.high)}"
        return f"{low}x{high}"


def _num(x: float) -> str:
    return f"{x:g}"


def allowed_range(model: type[Policy] | type[Plausibility], name: str) -> Range:
    """The range a field of Policy or Plausibility allows (its gt/ge/le constraints)."""
    low: float | None = None
    low_open, high = False, None
    for c in model.model_fields[name].metadata:
        if (v := getattr(c, "gt", None)) is not None:
            low, low_open = float(v), True
        if (v := getattr(c, "ge", None)) is not None:
            low, low_open = float(v), False
        if (v := getattr(c, "le", None)) is not None:
            high = float(v)
    return Range(low, low_open, high)
