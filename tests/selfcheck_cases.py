"""The returns the self-checking template is held to (tests/test_selfcheck.py and
benchmarks/selfcheck.py): one seeded mistake per compiled rule, typed in LibreOffice as a clerk
types it into a clean return made from the template, and the clerk cases of
tests/test_libreoffice.py typed the same way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from shuangfu_cli.writing.fill import locate

Edits = list[list[str]]


@dataclass
class Case:
    name: str
    town: str
    period: str
    #: edits made from the clean return's path (cells found through its names and tables)
    edits: Callable[[Path, dict, dict], Edits]
    with_previous: bool = False  # the template made with --previous of the town's 2020Q3
    #: the codes the case is made to raise (each must be marked by both)
    codes: tuple[str, ...] = ()
    copy_previous: bool = False  # the return filled with last quarter's figures
    formats: tuple[str, ...] = ("xlsx",)
    extra: dict = field(default_factory=dict)


@cache
def _locate(path: Path, where) -> tuple[str, str | None]:
    return locate(path, where)


def at(path: Path, where, text: str) -> list[str]:
    sheet, cell = _locate(path, where)
    return [sheet, cell or "", text]


def _wide(n: int) -> str:
    return str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})


def _poor_village(lists: dict) -> int:
    return next(i for i, v in enumerate(lists["villages"]) if v["kind"] == "贫困村")


def _other_village(lists: dict) -> int:
    return next(i for i, v in enumerate(lists["villages"]) if v["kind"] != "贫困村")


def _clear_row(path: Path, lst: str, i: int, keys: tuple[str, ...]) -> Edits:
    return [at(path, (lst, i, k), "") for k in keys]


VILLAGE_KEYS = ("name", "kind", "stock", "new", "trained", "households")

T, Q3, Q4 = "柏梓镇", "2020Q3", "2020Q4"

SEEDED: list[Case] = [
    Case("blank", T, Q3, lambda p, f, ls: [at(p, "TRN_SKILL_EMPLOYED", "")], codes=("E_BLANK",)),
    Case(
        "error_value",
        T,
        Q3,
        lambda p, f, ls: [at(p, "EMP_JOBSEND", "=1/0")],
        codes=("E_ERROR_VALUE",),
    ),
    Case(
        "not_number",
        T,
        Q3,
        lambda p, f, ls: [at(p, "EMP_JOBSEND", "12人")],
        codes=("E_NOT_NUMBER",),
    ),
    Case("negative", T, Q3, lambda p, f, ls: [at(p, "EMP_JOBSEND", "-3")], codes=("E_NEGATIVE",)),
    Case(
        "not_whole",
        T,
        Q3,
        lambda p, f, ls: [at(p, "TRN_CADRE_TEAM_SESSIONS", "2.5")],
        codes=("E_NOT_WHOLE",),
        formats=("xlsx", "xls", "ods"),
    ),
    Case(
        "money_decimals",
        T,
        Q3,
        lambda p, f, ls: [at(p, "EDU_COLLEGE_AMOUNT", "4.12345")],
        codes=("E_MONEY_DECIMALS",),
    ),
    Case(
        "too_large",
        T,
        Q3,
        lambda p, f, ls: [at(p, "EMP_JOBSEND", "510102199001011234")],
        codes=("E_TOO_LARGE",),
    ),
    Case(
        "yuan_for_wanyuan",
        T,
        Q3,
        lambda p, f, ls: [at(p, "EDU_HIGHSCHOOL_AMOUNT", "41000")],
        codes=("E_YUAN_FOR_WANYUAN",),
        formats=("xlsx", "xls", "ods"),
    ),
    Case(
        "number_as_text",
        T,
        Q3,
        lambda p, f, ls: [at(p, "EDU_COLLEGE_ELIGIBLE", _wide(f["EDU_COLLEGE_ELIGIBLE"]))],
        codes=("E_NUMBER_AS_TEXT",),
    ),
    Case(
        "total_sum",
        T,
        Q3,
        lambda p, f, ls: [at(p, "EDU_TOTAL_ELIGIBLE", "1")],
        codes=("E_TOTAL_SUM",),
    ),
    Case("list_sum", T, Q3, lambda p, f, ls: [at(p, "EMP_WS_TOTAL", "9")], codes=("E_LIST_SUM",)),
    Case(
        "part_above_total",
        T,
        Q3,
        lambda p, f, ls: [at(p, "EMP_TRANSFER_OUTSIDE", str(f["EMP_TRANSFER_NEW"] + 1))],
        codes=("E_PART_ABOVE_TOTAL",),
        formats=("xlsx", "xls", "ods"),
    ),
    Case(
        "trained_above_planned",
        T,
        Q3,
        lambda p, f, ls: [
            at(p, "TRN_CADRE_TEAM_TRAINED", str(f["TRN_CADRE_TEAM_PLANNED"] + 2)),
            at(p, "TRN_CADRE_TEAM_PTIMES", str(f["TRN_CADRE_TEAM_PLANNED"] + 9)),
        ],
        codes=("E_TRAINED_ABOVE_PLANNED",),
    ),
    Case(
        "funded_above_eligible",
        T,
        Q3,
        lambda p, f, ls: [at(p, "EDU_COLLEGE_FUNDED", str(f["EDU_COLLEGE_ELIGIBLE"] + 1))],
        codes=("E_FUNDED_ABOVE_ELIGIBLE",),
    ),
    Case(
        "ptimes_below_persons",
        T,
        Q3,
        lambda p, f, ls: [at(p, "TRN_CADRE_TEAM_PTIMES", str(f["TRN_CADRE_TEAM_TRAINED"] - 1))],
        codes=("E_PTIMES_BELOW_PERSONS",),
    ),
    Case(
        "amount_without_funded",
        T,
        Q3,
        lambda p, f, ls: [at(p, "EDU_COLLEGE_FUNDED", "0")],
        codes=("E_AMOUNT_WITHOUT_FUNDED",),
    ),
    Case(
        "funded_without_amount",
        T,
        Q3,
        lambda p, f, ls: [at(p, "EDU_COLLEGE_AMOUNT", "0")],
        codes=("E_FUNDED_WITHOUT_AMOUNT",),
    ),
    Case(
        "amount_per_student",
        T,
        Q3,
        lambda p, f, ls: [at(p, "EDU_COLLEGE_AMOUNT", str(2 * f["EDU_COLLEGE_FUNDED"]))],
        codes=("W_AMOUNT_PER_STUDENT",),
        formats=("xlsx", "xls", "ods"),
    ),
    Case(
        "cumulative_decrease",
        T,
        Q4,
        lambda p, f, ls: [at(p, "EMP_JOBSEND", "0")],
        with_previous=True,
        codes=("W_CUMULATIVE_DECREASE",),
        formats=("xlsx", "xls", "ods"),
    ),
    Case(
        "copied_return",
        T,
        Q4,
        lambda p, f, ls: [],
        with_previous=True,
        copy_previous=True,
        codes=("W_COPIED_RETURN",),
    ),
    Case(
        "poor_village_missing",
        T,
        Q3,
        lambda p, f, ls: _clear_row(p, "villages", _poor_village(ls), VILLAGE_KEYS),
        codes=("E_VILLAGE_MISSING",),
    ),
    Case(
        "other_village_missing",
        T,
        Q3,
        lambda p, f, ls: _clear_row(p, "villages", _other_village(ls), VILLAGE_KEYS),
        codes=("W_VILLAGE_MISSING",),
    ),
    Case(
        "row_incomplete",
        T,
        Q3,
        lambda p, f, ls: [at(p, ("workshops", 0, "workers"), "")],
        codes=("E_LIST_ROW_INCOMPLETE",),
        formats=("xlsx", "xls", "ods"),
    ),
    Case(
        "invalid_date",
        T,
        Q3,
        lambda p, f, ls: [at(p, ("classes", 0, "start"), "2020-13-45")],
        codes=("E_INVALID_DATE",),
    ),
    Case(
        "invalid_choice",
        T,
        Q3,
        lambda p, f, ls: [at(p, ("workshops", 0, "new_2020"), "新建")],
        codes=("E_INVALID_CHOICE",),
    ),
    Case(
        "choice_spaces",
        T,
        Q3,
        lambda p, f, ls: [at(p, ("workshops", 0, "new_2020"), "是 ")],
        codes=("E_CHOICE_SPACES",),
    ),
    Case(
        "name_missing",
        T,
        Q3,
        lambda p, f, ls: [at(p, ("workshops", 0, "name"), "")],
        codes=("E_LIST_NAME_MISSING",),
    ),
    Case(
        "list_total_row",
        T,
        Q3,
        lambda p, f, ls: [
            at(p, ("workshops", len(ls["workshops"]), "name"), "合计"),
            at(p, ("workshops", len(ls["workshops"]), "workers"), "28"),
        ],
        codes=("E_LIST_TOTAL_ROW",),
    ),
    Case(
        "row_part_above_total",
        T,
        Q3,
        lambda p, f, ls: [at(p, ("workshops", 0, "poor"), str(ls["workshops"][0]["workers"] + 1))],
        codes=("E_ROW_PART_ABOVE_TOTAL",),
    ),
    Case(
        "class_days_sum",
        T,
        Q3,
        lambda p, f, ls: [at(p, ("classes", 0, "days"), "8")],
        codes=("E_CLASS_DAYS_SUM",),
    ),
    Case(
        "class_date",
        T,
        Q3,
        lambda p, f, ls: [at(p, ("classes", 0, "start"), "2019-05-11")],
        codes=("E_CLASS_DATE",),
        formats=("xlsx", "xls", "ods"),
    ),
    Case(
        "class_days",
        T,
        Q3,
        lambda p, f, ls: [
            at(p, ("classes", 0, "days"), "5"),
            at(p, ("classes", 0, "classroom_days"), "5"),
            at(p, ("classes", 0, "field_days"), "0"),
        ],
        codes=("W_CLASS_DAYS", "W_CLASS_RATIO"),
    ),
    Case(
        "class_ratio",
        T,
        Q3,
        lambda p, f, ls: [
            at(p, ("classes", 0, "classroom_days"), "6"),
            at(p, ("classes", 0, "field_days"), "1"),
        ],
        codes=("W_CLASS_RATIO",),
    ),
    Case(
        "poor_share",
        T,
        Q3,
        lambda p, f, ls: [
            at(p, ("workshops", 0, "workers"), "50"),
            at(p, ("workshops", 0, "poor"), "10"),
        ],
        codes=("W_WS_POOR_SHARE",),
        formats=("xlsx", "xls", "ods"),
    ),
    Case(
        "poor_share_explained",
        T,
        Q3,
        lambda p, f, ls: [
            at(p, ("workshops", 0, "workers"), "50"),
            at(p, ("workshops", 0, "poor"), "10"),
            at(p, ("explanations", 0, "code"), "W_WS_POOR_SHARE"),
            at(p, ("explanations", 0, "cell"), _locate(p, ("workshops", 0, "poor"))[1] or ""),
            at(p, ("explanations", 0, "text"), "9月新招工人，10月起优先吸纳贫困户"),
        ],
        codes=("W_WS_POOR_SHARE",),
    ),
    Case(
        "workshop_village_unknown",
        T,
        Q3,
        lambda p, f, ls: [at(p, ("workshops", 0, "village"), "不存在村")],
        codes=("E_WS_VILLAGE_UNKNOWN",),
    ),
    Case(
        "poor_village_leaders",
        T,
        Q3,
        lambda p, f, ls: [
            at(p, ("villages", _poor_village(ls), "stock"), "3"),
            at(p, ("villages", _poor_village(ls), "new"), "2"),
        ],
        codes=("W_POORV_LEADERS",),
    ),
    Case(
        "other_village_leaders",
        T,
        Q3,
        lambda p, f, ls: [
            at(p, ("villages", _other_village(ls), k), "0") for k in ("stock", "new", "trained")
        ],
        codes=("W_OTHERV_LEADERS",),
    ),
    Case(
        "households_per_leader",
        T,
        Q3,
        lambda p, f, ls: [at(p, ("villages", _poor_village(ls), "households"), "4")],
        codes=("W_HOUSEHOLDS_PER_LEADER",),
    ),
    Case(
        "village_duplicate",
        T,
        Q3,
        lambda p, f, ls: [
            at(p, ("villages", _other_village(ls), "name"), ls["villages"][0]["name"]),
            at(p, ("villages", _other_village(ls), "kind"), ls["villages"][0]["kind"]),
        ],
        codes=("E_VILLAGE_DUPLICATE",),
    ),
    Case(
        "village_unknown",
        T,
        Q3,
        lambda p, f, ls: [at(p, ("villages", _other_village(ls), "name"), "新村")],
        codes=("E_VILLAGE_UNKNOWN",),
    ),
    Case(
        "village_kind",
        T,
        Q3,
        lambda p, f, ls: [at(p, ("villages", _poor_village(ls), "kind"), "非贫困村")],
        codes=("E_VILLAGE_KIND",),
    ),
]


def _inserted_rows(p: Path, f: dict, ls: dict) -> Edits:
    """test_libreoffice: a row inserted under the workshop list's header, one below its
    table, a workshop typed into each."""
    from openpyxl import load_workbook
    from openpyxl.utils import range_boundaries

    ws = load_workbook(p)["附件4-1 扶贫车间明细"]
    _, header, _, last = range_boundaries(ws.tables["EMP_WORKSHOPS"].ref)
    village = ls["workshops"][0]["village"]

    def row(r: int, name: str, workers: int, poor: int) -> Edits:
        values = [name, village, "是", str(workers), str(poor)]
        return [[ws.title, f"{c}{r}", v] for c, v in zip("ABCDE", values, strict=True)]

    return [
        [ws.title, f"ROWS+{header + 1}", "1"],
        *row(header + 1, "新增车间甲", 7, 3),
        [ws.title, f"ROWS+{last + 2}", "1"],
        *row(last + 2, "新增车间乙", 5, 1),  # 20%: a warning on an inserted row
    ]


#: the clerk cases of tests/test_libreoffice.py, typed the same way
CLERK: list[Case] = [
    Case(
        "decimals_and_half_session",
        T,
        Q3,
        lambda p, f, ls: [
            at(p, "EDU_COLLEGE_AMOUNT", "4.12345"),
            at(p, "TRN_CADRE_TEAM_SESSIONS", "2.5"),
        ],
        formats=("xlsx", "xls", "ods"),
    ),
    Case(
        "left_out_cells",
        T,
        Q3,
        lambda p, f, ls: [
            at(p, ("workshops", 0, "poor"), f"'{ls['workshops'][0]['poor']}"),
            at(p, ("workshops", 0, "new_2020"), "是 "),
            at(p, ("workshops", len(ls["workshops"]), "name"), "合计"),
            at(
                p,
                ("workshops", len(ls["workshops"]), "workers"),
                str(sum(r["workers"] for r in ls["workshops"])),
            ),
        ],
    ),
    Case("inserted_rows", T, Q3, _inserted_rows, formats=("xlsx", "xls", "ods")),
    Case(
        "note_in_list",
        T,
        Q4,
        lambda p, f, ls: [
            at(p, ("workshops", len(ls["workshops"]), "name"), "注:以上数据截至12月31日")
        ],
    ),
    Case(
        "full_width_and_yuan",
        T,
        Q3,
        lambda p, f, ls: [
            at(p, "EDU_COLLEGE_ELIGIBLE", _wide(f["EDU_COLLEGE_ELIGIBLE"])),
            at(p, "EDU_HIGHSCHOOL_AMOUNT", "41000"),
        ],
    ),
]
