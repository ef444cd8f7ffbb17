"""The reference workbook's tables: 镇街 (the towns, in order), 村（社区） (each village with its
town and kind) and 任务分解表 (Attachment 1: the district's targets and each town's share)."""

from __future__ import annotations

from schemas import VILLAGE_KINDS
from shuangfu_cli.form.findings import Finding
from shuangfu_cli.form.reference_layout import SPLIT_CODES, SPLIT_SUM, SPLIT_TARGET, Sheets
from shuangfu_cli.reading.grid import cell_ref
from shuangfu_cli.reading.reference_reader import _Reader, _text

Table = list[list[object]]


def _at(line: list[object], col: int) -> object:
    return line[col] if col < len(line) else ""


def read_towns(r: _Reader, sheets: dict[str, Table]) -> None:
    """The towns with their villages and shares into the data (towns, targets)."""
    towns: dict[str, dict] = {}
    if Sheets.TOWNS in sheets:
        _town_list(r, sheets[Sheets.TOWNS], towns)
        if not towns:
            r.out.findings.append(Finding("E_REF_NO_TOWNS", sheet=Sheets.TOWNS, cell="B2"))
    if Sheets.VILLAGES in sheets:
        _villages(r, sheets[Sheets.VILLAGES], towns)
    if Sheets.SPLIT in sheets:
        _split(r, sheets[Sheets.SPLIT], towns)
    r.out.data["towns"] = list(towns.values())


def _dup(r: _Reader, code: str, sheet: str, row: int, col: int, first: str, **params) -> None:
    r.out.findings.append(
        Finding(code, sheet=sheet, cell=cell_ref(row, col), params={**params, "other": first})
    )


def _town_list(r: _Reader, rows: Table, towns: dict[str, dict]) -> None:
    for i, line in enumerate(rows[1:], start=1):
        name = _text(_at(line, 1))
        if not name:
            continue
        where = (Sheets.TOWNS, cell_ref(i, 1))
        if name in towns:
            first = r.out.where[f"town:{name}"][1]
            _dup(r, "E_REF_DUP_TOWN", Sheets.TOWNS, i, 1, first, town=name)
            continue
        r.out.where[f"town:{name}"] = where
        towns[name] = {"name": name, "villages": [], "targets": {}}


def _villages(r: _Reader, rows: Table, towns: dict[str, dict]) -> None:
    sheet = Sheets.VILLAGES
    for i, line in enumerate(rows[1:], start=1):
        town, name, kind = (_text(_at(line, c)) for c in range(3))
        if not (town or name or kind):
            continue
        if not town:
            r.bad(sheet, i, 0, "镇（街道）", "text", "")
            continue
        if town not in towns:
            r.out.findings.append(
                Finding(
                    "E_REF_UNKNOWN_TOWN", sheet=sheet, cell=cell_ref(i, 0), params={"town": town}
                )
            )
            continue
        if not name:
            r.bad(sheet, i, 1, "村（社区）名称", "text", "")
            continue
        if kind not in VILLAGE_KINDS:
            r.bad(sheet, i, 2, f"{name}的类别", "kind", kind)
            continue
        key = f"village:{town}:{name}"
        if key in r.out.where:
            first = r.out.where[key][1]
            _dup(r, "E_REF_DUP_VILLAGE", sheet, i, 1, first, town=town, village=name)
            continue
        r.out.where[key] = (sheet, cell_ref(i, 1))
        towns[town]["villages"].append({"name": name, "kind": kind})


def _split(r: _Reader, rows: Table, towns: dict[str, dict]) -> None:
    sheet = Sheets.SPLIT
    labels = [_text(_at(line, 0)) for line in rows]
    if SPLIT_CODES not in labels:
        r.missing_row(sheet, (SPLIT_CODES, SPLIT_CODES))
        return
    code_row = labels.index(SPLIT_CODES)
    codes: dict[int, str] = {}
    for col, raw in enumerate(rows[code_row]):
        code = _text(raw)
        if col and code:
            codes[col] = code
            r.out.where.setdefault(f"code:{code}", (sheet, cell_ref(code_row, col)))
    targets: dict[str, int] = {}
    seen: dict[str, str] = {}
    for i in range(code_row + 1, len(rows)):
        label = labels[i]
        if not label or label == SPLIT_SUM:
            continue
        line = rows[i]
        if label == SPLIT_TARGET:
            for col, code in codes.items():
                raw = _at(line, col)
                if _text(raw):
                    value = r.value(sheet, i, col, f"{code}的全区目标", "share", raw)
                    if value is not None:
                        targets[code] = value
                        r.out.where[f"target:{code}"] = (sheet, cell_ref(i, col))
            continue
        if label not in towns:
            r.out.findings.append(
                Finding(
                    "E_REF_UNKNOWN_TOWN", sheet=sheet, cell=cell_ref(i, 0), params={"town": label}
                )
            )
            continue
        if label in seen:
            _dup(r, "E_REF_DUP_TOWN", sheet, i, 0, seen[label], town=label)
            continue
        seen[label] = cell_ref(i, 0)
        for col, code in codes.items():
            raw = _at(line, col)
            if not _text(raw):
                continue
            value = r.value(sheet, i, col, f"{label}的{code}任务数", "share", raw)
            if value is not None:
                towns[label]["targets"][code] = value
                r.out.where[f"share:{label}:{code}"] = (sheet, cell_ref(i, col))
    # every target of the sheet: check/reference_file.py keeps those that are not
    # indicators.yaml's own (which every reference has), the registry being the run's
    r.out.data["targets"] = targets
