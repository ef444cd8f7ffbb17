"""The codes of what `shuangfu reference check` finds in a reference file (the workbook of
`reference export`, or YAML/JSON), with their message templates: reading problems (a sheet, a
row or a value the reader cannot take) and the checks of reading/reference_reader.py and
rules/reference_rules.py. Each finding names the sheet and cell (a workbook) or the file (YAML).
"""

from __future__ import annotations

from shuangfu_cli.form.findings import Check, Severity
from shuangfu_cli.form.findings import define as _define


def define(code: str, severity: Severity, zh: str, en: str) -> Check:
    """A code of the reference checks (not of a return: the self-checking template and the
    reports of returns leave it out)."""
    return _define(code, severity, zh, en, about="reference")


# --- reading --------------------------------------------------------------------------------
define(
    "E_REF_UNREADABLE",
    "error",
    "参考数据无法读取：{reason_zh}",
    "The reference data cannot be read: {reason_en}",
)
define(
    "E_REF_SHEET_MISSING",
    "error",
    "缺少工作表“{name}”：请在 shuangfu reference export 导出的工作簿中修改，不要删除或改名工作表",
    "Sheet '{name}' is missing: edit the workbook `shuangfu reference export` writes without "
    "deleting or renaming sheets",
)
define(
    "E_REF_ROW_MISSING",
    "error",
    "缺少“{label}”一行（代码列为{key}）：请从导出的工作簿中照抄该行",
    "The row '{label}' (code {key}) is missing: copy it from an exported workbook",
)
define(
    "E_REF_VALUE",
    "error",
    "“{label}”应为{expected_zh}，现为“{raw}”",
    "'{label}' should be {expected_en}; it is '{raw}'",
)
define(
    "E_REF_INVALID",
    "error",
    "{where}：{reason}",
    "{where}: {reason}",
)
define(
    "E_REF_UNKNOWN_CODE",
    "error",
    "指标代码“{code}”不存在（所有指标代码见“指标一览”表）",
    "There is no indicator code '{code}' (the codes are listed on the sheet 指标一览)",
)
define(
    "E_REF_UNKNOWN_TOWN",
    "error",
    "“{town}”不在“镇街”表中：请先在“镇街”表中添加，或改正名称",
    "'{town}' is not on the towns sheet (镇街): add it there first, or correct the name",
)
define(
    "E_REF_DUP_TOWN",
    "error",
    "镇街“{town}”列了两次（另见{other}）",
    "Town '{town}' is listed twice (see also {other})",
)
define(
    "E_REF_DUP_VILLAGE",
    "error",
    "{town}的“{village}”列了两次（另见{other}）",
    "'{village}' of {town} is listed twice (see also {other})",
)
define(
    "E_REF_NO_TOWNS",
    "error",
    "“镇街”表中没有任何镇街",
    "The towns sheet (镇街) lists no town",
)

# --- checks ---------------------------------------------------------------------------------
define(
    "W_REF_VILLAGE_TWO_TOWNS",
    "warning",
    "“{village}”同时列在{town}和{other}（{other_at}）：如确是两个同名的村（社区）可不改，否则删去其中一行",
    "'{village}' is listed under both {town} and {other} ({other_at}): leave it if they are two "
    "villages of one name, otherwise delete one row",
)
define(
    "W_REF_SHARES_SUM",
    "warning",
    "{name}各镇街分解任务合计{shares}，与全区目标{target}不等",
    "{name}: the towns' shares add up to {shares}, not the target {target}",
)
define(
    "W_REF_TARGET_IMPLIED",
    "warning",
    "{unit_name}的{name}任务为{share}，但{why_zh}，实际至少应为{low}：任务数偏低，请核实",
    "{unit_name}: the target for {name} is {share}, but {why_en}, so it is at least {low}: "
    "check the target",
)
define(
    "E_REF_BOUND_BELOW_TARGET",
    "error",
    "{unit_name}的{name}任务为{share}，高于该指标的合理上限{bound}：按此任务填报必然被判为错误；请核实任务数",
    "{unit_name}: the target for {name}, {share}, is above the indicator's bound {bound}: a "
    "return that meets it would be an error; check the target",
)
define(
    "E_REF_CONTRADICTION",
    "error",
    "{unit_name}的{name}至少为{low}（{low_zh}），但至多为{high}（{high_zh}），无法同时满足",
    "{unit_name}: {name} must be at least {low} ({low_en}) but at most {high} ({high_en}): "
    "both cannot hold",
)
define(
    "E_REF_THRESHOLD_RANGE",
    "error",
    "“{label}”为{value}，超出允许的范围（{range}）",
    "'{label}' is {value}, outside the range allowed ({range})",
)
define(
    "E_REF_RULES_CONTRADICT",
    "error",
    "政策要求“{rule_zh}”与{other_zh}矛盾：报表中没有一行能同时满足",
    "The requirement '{rule_en}' contradicts {other_en}: no row of a return can meet both",
)
