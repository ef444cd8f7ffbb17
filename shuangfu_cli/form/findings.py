"""Findings are data: a stable code, a severity, a location and a message made from a template.

Every code a return can produce is registered in `CATALOG` with its severity and its message
templates in Chinese and English — reading problems here, the rules in :mod:`shuangfu_cli.rules`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from shuangfu_cli.text.words import Lang, say

Severity = Literal["error", "warning"]


About = Literal["return", "reference"]


@dataclass(frozen=True)
class Check:
    code: str
    severity: Severity
    zh: str
    en: str
    #: what a finding of this code is about: a town's return, or a reference data file
    about: About = "return"


CATALOG: dict[str, Check] = {}


def define(code: str, severity: Severity, zh: str, en: str, about: About = "return") -> Check:
    if code in CATALOG:
        raise ValueError(f"check {code} defined twice")
    CATALOG[code] = check = Check(code, severity, zh, en, about)
    return check


def return_codes() -> list[str]:
    """The codes of findings about a town's return, sorted: the same whichever other modules
    (the reference checks) have registered theirs."""
    return sorted(code for code, check in CATALOG.items() if check.about == "return")


def unit_in(lang: Lang, unit: str) -> str:
    """A unit as said in `lang` (a unit the catalogue does not know is said as it is)."""
    try:
        return say(lang, "unit", unit)
    except KeyError:
        return unit


#: half-width punctuation as Chinese prose writes it
_ZH_PUNCT = str.maketrans({"(": "（", ")": "）", ":": "：", ";": "；", ",": "，"})


def zh_prose(text: str) -> str:
    """A name of the tool's own (an indicator's, as the form prints it: 其中:区外, 大学(含高职))
    written in Chinese prose: full-width brackets, colons, semicolons and commas. Only for
    names without numbers or codes: those keep their ASCII."""
    return text.translate(_ZH_PUNCT)


def decimal_text(value: Decimal) -> str:
    """An amount as a message says it: without trailing zeros or an exponent (500, 12.5)."""
    return format(value.normalize(), "f")


def capital(text: str) -> str:
    """English text that starts a sentence, a line or a table cell: capitalised."""
    return text[:1].upper() + text[1:]


def counted(n: int, noun: str) -> str:
    """An English count with its noun: '1 error', '2 errors'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


#: English messages that start with a word of the tool's own (an indicator's name, a village
#: kind) start with a capital; one that starts with a clerk's text ({item}) keeps it as typed
_OUR_WORDS_FIRST = ("{name}", "{kind}")


@dataclass
class Finding:
    code: str
    sheet: str | None = None
    cell: str | None = None
    indicator: str | None = None
    #: Workshop, village or class name, or indicator code: what an explanation may name.
    subject: str | None = None
    params: dict = field(default_factory=dict)
    explained: bool = False

    @property
    def severity(self) -> Severity:
        return CATALOG[self.code].severity

    @property
    def state(self) -> str:
        """error, warning (to verify) or explained: how every output shows it."""
        return "explained" if self.explained else self.severity

    def message(self, lang: Lang = "zh", names: dict[str, tuple[str, str]] | None = None) -> str:
        """The message in `lang`. `names` maps indicator codes to (Chinese, English) names;
        params ending in ``_code`` are shown by name."""
        check = CATALOG[self.code]
        params = dict(self.params)
        #: the reference's words for its units, one level up (schemas.Units): said in the
        #: template and in the tool's own texts passed as params (reason_zh, history_en, …)
        units = params.pop("units", None)
        if units is not None:
            for key, value in params.items():
                if key.endswith(f"_{lang}") and isinstance(value, str):
                    params[key] = units.say(value, lang)
        if names is None:
            from shuangfu_cli.form.reference import indicator_names

            names = indicator_names()
        for key, value in list(params.items()):
            if key.endswith("_code") and isinstance(value, str):
                zh_en = names.get(value)
                if lang == "zh":  # 其中：区外（EMP_TRANSFER_OUTSIDE）, as prose writes it
                    label = zh_prose(zh_en[0]) if zh_en else value
                    params[key[: -len("_code")]] = f"{label}（{value}）"
                else:
                    label = zh_en[1] if zh_en else value
                    params[key[: -len("_code")]] = f"{label} ({value})"
        if "unit" in params:
            params["unit"] = unit_in(lang, params["unit"])
        for key, value in params.items():
            if isinstance(value, Decimal):  # 500, 12.5 (万元): never 500.0000 nor 5E+2
                params[key] = decimal_text(value)
        template = check.zh if lang == "zh" else check.en
        if units is not None:
            template = units.say(template, lang)
        try:
            text = template.format(**params)
        except (KeyError, IndexError):  # a template/param mismatch must not hide the finding
            return f"{template} {params}"
        if lang == "en" and template.startswith(_OUR_WORDS_FIRST):
            text = capital(text)  # "Education funding: ...", as a sentence starts
        return text

    def to_dict(self, lang: Lang = "zh", names=None) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "explained": self.explained,
            "sheet": self.sheet,
            "cell": self.cell,
            "indicator": self.indicator,
            "message": self.message(lang, names),
        }


# --- problems found while reading ----------------------------------------------------------
define(
    "E_UNREADABLE",
    "error",
    "无法读取该文件：{reason_zh}",
    "The file cannot be read: {reason_en}",
)
define(
    "E_SHEET_MISSING",
    "error",
    "缺少工作表“{name}”，请使用区里下发的模板填报，不要删除或改名工作表",
    "Sheet '{name}' is missing: fill in the district's template without deleting or renaming sheets",
)
define(
    "E_SHEET_TOO_LARGE",
    "error",
    "本表在很远的单元格{cell}处有内容，超出报表范围，无法读取；请删除该单元格的内容后重新保存",
    "This sheet has content far outside the form, at {cell}; delete it and save again",
)
define(
    "E_SHEET_AMBIGUOUS",
    "error",
    "工作表{sheets_zh}都可能是“{name}”（隐藏的工作表也算），无法确定以哪一张为准，该表未读取；"
    "请删除多余的一张，或把不是报表的那张改名，然后重新保存",
    "Sheets {sheets_en} could each be '{name}' (hidden sheets count too), so it was not read: "
    "delete the extra one, or rename the one that is not the return, and save again",
)
define(
    "E_LABEL_MISSING",
    "error",
    "找不到“{label}”（{what}），请勿修改或删除表中的项目名称",
    "Label '{label}' ({what}) not found: do not change or delete the form's labels",
)
define(
    "E_ERROR_VALUE",
    "error",
    "单元格是错误值“{raw}”（公式出错），不是数字；请检查该单元格及其公式引用的单元格",
    "The cell holds the error value '{raw}' (a broken formula), not a figure: check it and the "
    "cells its formula refers to",
)
define(
    "E_TOO_LARGE",
    "error",
    "“{raw}”超过合理上限{max}{unit}，请核实是否误填（例如把身份证号、电话号码填进了数字栏）",
    "'{raw}' is above the plausible maximum of {max} {unit}: check it was not typed by mistake "
    "(an ID-card or phone number in a figure's cell?)",
)
define(
    "E_YUAN_FOR_WANYUAN",
    "error",
    "“{raw}”超过合理上限{max}{unit}：金额以万元为单位，可能按元填了（{raw}元即{wan}万元）；"
    "请核实后按万元填写",
    "'{raw}' is above the plausible maximum of {max} {unit}: amounts are in 万元, and it may "
    "have been typed in 元 ({raw} 元 is {wan} 万元); check it and enter it in 万元",
)
define(
    "E_NOT_NUMBER",
    "error",
    "“{raw}”不是数字，请只填写阿拉伯数字",
    "'{raw}' is not a number: enter digits only",
)
define(
    "E_NEGATIVE",
    "error",
    "“{raw}”是负数，本表数字不能为负",
    "'{raw}' is negative: figures of this form cannot be negative",
)
define(
    "E_NOT_WHOLE",
    "error",
    "“{raw}”不是整数，人数、人次、期数、户数、个数必须是整数",
    "'{raw}' is not a whole number: counts must be whole",
)
define(
    "E_MONEY_DECIMALS",
    "error",
    "金额“{raw}”超过4位小数，金额单位为万元，最多保留4位小数",
    "Amount '{raw}' has more than 4 decimals: amounts are in 万元 with at most 4 decimals",
)
define(
    "E_INVALID_DATE",
    "error",
    "“{raw}”不是有效日期，请按2020-09-01的格式填写",
    "'{raw}' is not a valid date: use the form 2020-09-01",
)
define(
    "E_INVALID_CHOICE",
    "error",
    "“{raw}”不是有效选项，只能填写：{choices}",
    "'{raw}' is not a valid choice: use one of {choices}",
)
define(
    "E_LIST_NAME_MISSING",
    "error",
    "第{row}行填了数字但没有填写{label}",
    "Row {row} has figures but no {label}",
)


# --- the town's explanations (shuangfu_cli/check/explanations.py) -----------------------------------
#: a row of 审核说明 that answers nothing, with the reason in both languages
UNMATCHED = "W_EXPLANATION_UNMATCHED"
define(
    UNMATCHED,
    "warning",
    "审核说明第{row}行没有对应本报表的任何提示，不起作用：{why_zh}",
    "The explanation in row {row} of 审核说明 answers nothing in this return: {why_en}",
)
