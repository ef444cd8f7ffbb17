"""Reading the reference workbook (`shuangfu reference export`, then edited in Excel, WPS or
LibreOffice) into the data of a reference file, with where each item came from.

The file is read as a return is (reading/source.py: a regular file only, its size bounded, its
format by content, a zip that is two things at once refused; far cells found before calamine
loads a sheet). What cannot be taken is a finding at its sheet and cell (form/reference_findings.py),
never an exception: `reference check` lists them all. Key-value rows are found by their code
(form/reference_layout.py), the task split's rows by the label in column A and its columns by
the code row, so rows and columns may be moved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from schemas import VILLAGE_KINDS, meta
from shuangfu_cli.form import reference_findings as _codes  # noqa: F401 - registers the codes
from shuangfu_cli.form.findings import Finding
from shuangfu_cli.form.reference_layout import (
    BASICS_ROWS,
    FORMS_ROWS,
    NO,
    READ_SHEETS,
    THRESHOLD_MODELS,
    YES,
    Row,
    Sheets,
)
from shuangfu_cli.reading.grid import cell_ref
from shuangfu_cli.reading.scan import MAX_CELLS, scan
from shuangfu_cli.reading.source import UnreadableError, open_workbook, read_bytes, sniff
from shuangfu_cli.text.words import both

#: where each item of the reference came from: key -> (sheet, cell). Keys: town:T,
#: village:T:V, share:T:CODE, target:CODE, code:CODE (its column), basics:KEY, forms:KEY,
#: policy:FIELD, plausibility:FIELD
Where = dict[str, tuple[str, str]]


@dataclass
class BookRead:
    """The data of a reference file (for schemas.Reference), where each item is, and what
    could not be read."""

    data: dict = field(default_factory=dict)
    where: Where = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


class _Bad(ValueError):
    pass


def _text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    return str(v).strip() if v is not None else ""


def _int(v: object) -> int:
    if isinstance(v, bool):
        raise _Bad
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    s = _text(v).replace(",", "")
    if s.lstrip("-").isdigit():
        return int(s)
    raise _Bad


def _number(v: object) -> Decimal:
    if isinstance(v, bool):
        raise _Bad
    if isinstance(v, int | float):
        return Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
    s = _text(v).replace(",", "")
    try:
        return Decimal(s[:-1]) / 100 if s.endswith("%") else Decimal(s)
    except InvalidOperation as exc:
        raise _Bad from exc


def _bool(v: object) -> bool:
    if isinstance(v, bool):
        return v
    s = _text(v)
    if s in (YES, NO):
        return s == YES
    raise _Bad


class _Reader:
    def __init__(self, out: BookRead) -> None:
        self.out = out

    def bad(self, sheet: str, row: int, col: int, label: str, kind: str, raw: object) -> None:
        zh, en = both(
            "expected_value", kind, yes=YES, no=NO,
            kinds=lambda lang: "、".join(f"“{k}”" for k in VILLAGE_KINDS) if lang == "zh"
            else ", ".join(VILLAGE_KINDS),
        )  # fmt: skip
        self.out.findings.append(
            Finding(
                "E_REF_VALUE",
                sheet=sheet,
                cell=cell_ref(row, col),
                subject=label,
                params={"label": label, "expected_zh": zh, "expected_en": en, "raw": _text(raw)},
            )
        )

    def value(self, sheet: str, row: int, col: int, label: str, kind: str, raw: object):
        parse = {"int": _int, "number": _number, "bool": _bool, "share": _int}.get(kind)
        try:
            if parse is None:
                return _text(raw)
            value = parse(raw)
            if kind == "share" and value < 0:  # type: ignore[operator] # _int's result
                raise _Bad
            return value
        except _Bad:
            self.bad(sheet, row, col, label, kind, raw)
            return None

    def missing_row(self, sheet: str, row: Row | tuple[str, str]) -> None:
        key, label = (row.key, row.label) if isinstance(row, Row) else row
        self.out.findings.append(
            Finding("E_REF_ROW_MISSING", sheet=sheet, params={"label": label, "key": key})
        )


def _rows(sheet) -> list[list[object]]:
    return sheet.to_python(skip_empty_area=False)


def _kv(
    r: _Reader, name: str, rows: list[list[object]], layout: tuple[Row, ...], prefix: str
) -> dict[str, object]:
    """A key-value sheet's values by key (copy_to: a list of every row with that key)."""
    found: dict[str, object] = {}
    known = {row.key: row for row in layout}
    for i, line in enumerate(rows[1:], start=1):
        key = _text(line[3]) if len(line) > 3 else ""
        if key not in known:
            continue
        row, raw = known[key], line[1] if len(line) > 1 else ""
        r.out.where.setdefault(f"{prefix}:{key}", (name, cell_ref(i, 1)))
        if key == "copy_to":
            if _text(raw):
                offices = found.setdefault(key, [])
                assert isinstance(offices, list)
                offices.append(_text(raw))
            continue
        value = r.value(name, i, 1, row.label, row.kind if row.kind != "choice" else "text", raw)
        if value is not None:
            found[key] = value
    for row in layout:
        if (
            row.key not in found
            and row.key != "copy_to"
            and f"{prefix}:{row.key}" not in r.out.where
        ):
            r.missing_row(name, row)
    return found


def read_reference_book(path: Path) -> BookRead:
    """The reference workbook at `path` read, with every problem as a finding."""
    out = BookRead()
    try:
        _read(path, out)
    except UnreadableError as exc:
        out.findings.append(
            Finding("E_REF_UNREADABLE", params={"reason_zh": exc.zh, "reason_en": exc.en})
        )
    return out


def _read(path: Path, out: BookRead) -> None:
    data = read_bytes(path)
    fmt, package = sniff(data)
    too_large: dict[str, tuple[int, int]] = {}
    if fmt == "xls":
        from shuangfu_cli.reading.xls import open_xls

        early, wb = open_xls(data)
        too_large = dict(early.too_large) if early is not None else {}
    else:
        if fmt == "ods":
            from shuangfu_cli.reading.ods import content_xml

            content = content_xml(package, data) if package is not None else None
            found = scan(data, fmt, None, package, content)
        else:
            found = scan(data, fmt, None, package)
        too_large = dict(found.too_large)
        if fmt == "ods" and too_large:  # calamine parses every sheet of an .ods as it opens
            _too_large(out, too_large)
            return
        wb = open_workbook(data, fmt)
    _too_large(out, too_large)
    r = _Reader(out)
    sheets: dict[str, list[list[object]]] = {}
    for name in READ_SHEETS:
        if name in too_large:
            continue
        if name not in wb.sheet_names:
            out.findings.append(Finding("E_REF_SHEET_MISSING", sheet=name, params={"name": name}))
            continue
        sheet = wb.get_sheet_by_name(name)
        end = sheet.end
        if end is not None and (end[0] + 1) * (end[1] + 1) > MAX_CELLS:
            _too_large(out, {name: end})
            continue
        sheets[name] = _rows(sheet)
    from shuangfu_cli.reading.reference_tables import read_towns

    read_basics(r, sheets)
    read_thresholds(r, sheets)
    read_towns(r, sheets)


def _too_large(out: BookRead, far: dict[str, tuple[int, int]]) -> None:
    for name, pos in far.items():
        ref = cell_ref(*pos)
        out.findings.append(
            Finding("E_SHEET_TOO_LARGE", sheet=name, cell=ref, params={"cell": ref})
        )


def read_basics(r: _Reader, sheets: dict[str, list[list[object]]]) -> None:
    """基本信息 and 表头信息 into the data."""
    data = r.out.data
    if Sheets.BASICS in sheets:
        basics = _kv(r, Sheets.BASICS, sheets[Sheets.BASICS], BASICS_ROWS, "basics")
        units = {k.split(".", 1)[1]: v for k, v in basics.items() if k.startswith("units.")}
        data.update({k: v for k, v in basics.items() if not k.startswith("units.")})
        data["units"] = units
    if Sheets.FORMS in sheets and len(sheets[Sheets.FORMS]) > 1:
        forms = _kv(r, Sheets.FORMS, sheets[Sheets.FORMS], FORMS_ROWS, "forms")
        forms.setdefault("copy_to", [])
        data["forms"] = forms


def read_thresholds(r: _Reader, sheets: dict[str, list[list[object]]]) -> None:
    """政策要求 and 审核灵敏度 into the data (policy, plausibility)."""
    for name, model in THRESHOLD_MODELS.items():
        if name not in sheets:
            continue
        prefix = "policy" if name == Sheets.POLICY else "plausibility"
        values: dict[str, object] = {}
        for i, line in enumerate(sheets[name][1:], start=1):
            key = _text(line[4]) if len(line) > 4 else ""
            if key not in model.model_fields:
                continue
            r.out.where[f"{prefix}:{key}"] = (name, cell_ref(i, 1))
            kind = "bool" if model.model_fields[key].annotation is bool else "number"
            value = r.value(name, i, 1, meta(model, key).zh, kind, line[1] if len(line) > 1 else "")
            if value is not None:
                if kind == "number" and model.model_fields[key].annotation is int:
                    value = int(value) if value == int(value) else value
                values[key] = value
        r.out.data[prefix] = values
