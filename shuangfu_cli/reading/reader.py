"""Reading a town's return (.xlsx, .xls or .ods, recognised by content) into located values.

Sections, rows and columns are found by their labels, never by fixed addresses, so a town that
inserted a row still reads correctly and a missing label is reported by name. Every value keeps
its sheet and cell. Nothing is computed here: totals and list summaries are compared with their
parts by :mod:`shuangfu_cli.check.one_return`.

A value no return can hold is refused here, at its cell, before any arithmetic sees it: an error
value (``#DIV/0!``), a figure above its plausibility bound (an ID number typed into a count).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from schemas import Cover
from schemas.text import show_invisible
from shuangfu_cli.form.findings import Finding
from shuangfu_cli.form.layout import VALUE_HEADER, BlockLayout, form_layout
from shuangfu_cli.form.values import ErrorValue, is_blank, norm, parse_date, parse_text
from shuangfu_cli.reading import xls
from shuangfu_cli.reading.echoes import drop_echoes
from shuangfu_cli.reading.grid import Grid, cell_ref
from shuangfu_cli.reading.list_reader import read_list
from shuangfu_cli.reading.located import ReadReturn
from shuangfu_cli.reading.ods import content_xml, trailing_cut, without_unused_sheets
from shuangfu_cli.reading.parse import bad_value, header_columns, missing, number
from shuangfu_cli.reading.scan import MAX_CELLS, scan
from shuangfu_cli.reading.source import (
    OwnOutputError,
    UnreadableError,
    corrupt,
    open_workbook,
    own_workbook,
    read_bytes,
    sniff,
)
from shuangfu_cli.reading.xmlwalk import damaged_part


def _same_prefix(key: str, prefix: str) -> bool:
    """'附件2 培训(修改)' is 附件2's sheet; '附件2-1' and '附件21' are not."""
    rest = key[len(prefix) :]
    return key.startswith(prefix) and not rest[:1].isdigit() and not rest.startswith("-")


def _prefix(wanted: str) -> str:
    return norm(wanted.split(" ")[0])


@lru_cache(maxsize=4)
def _prefixes(expected: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((wanted, _prefix(wanted)) for wanted in expected)


def _sheet_names(
    expected: list[str], names: list[str]
) -> tuple[dict[str, str | None], dict[str, list[str]]]:
    """The workbook's sheet for each expected one: the sheet of the same name or of the same
    '附件N' prefix. Where two or more sheets could be it (a hidden original beside its visible
    copy '附件4 就业 (2)', or two of one name), none is chosen: they are returned apart, by
    expected sheet, in the workbook's order."""
    normed = [(norm(n), n) for n in names]
    found: dict[str, str | None] = {}
    ambiguous: dict[str, list[str]] = {}
    for wanted, prefix in _prefixes(tuple(expected)):
        candidates = [n for k, n in normed if k.startswith(prefix) and _same_prefix(k, prefix)]
        found[wanted] = candidates[0] if len(candidates) == 1 else None
        if len(candidates) > 1:
            ambiguous[wanted] = candidates
    return found, ambiguous


def _ambiguous(wanted: str, candidates: list[str], hidden: set[str]) -> Finding:
    """E_SHEET_AMBIGUOUS naming every candidate (the hidden ones said so)."""
    zh = [f"“{show_invisible(n)}”" + ("（隐藏）" if n in hidden else "") for n in candidates]
    en = [f"'{show_invisible(n)}'" + (" (hidden)" if n in hidden else "") for n in candidates]
    return Finding(
        "E_SHEET_AMBIGUOUS",
        sheet=candidates[0],
        params={"name": wanted, "sheets_zh": "、".join(zh), "sheets_en": ", ".join(en)},
    )


def _hidden(wb) -> set[str]:
    from python_calamine import SheetVisibleEnum

    try:
        return {m.name for m in wb.sheets_metadata if m.visible != SheetVisibleEnum.Visible}
    except Exception:  # the metadata is a courtesy of the message, never a reason to fail
        return set()


def expected_sheets() -> list[str]:
    """The sheets a return is read from, in reading order: the cover, Attachments 2-5, the
    lists and, last, 审核说明 (the only one that may be missing)."""
    layout = form_layout()
    names = [Cover.sheet.name] + [s.sheet.name for s in layout.sheets]
    return names + [lst.sheet.name for lst in layout.lists] + [layout.explanations.sheet.name]


def _never_read(expected: list[str]):
    """Whether a sheet of this name can never be one that _sheet_names picks."""
    keys = [(norm(w), _prefix(w)) for w in expected]

    def test(name: str) -> bool:
        k = norm(name)
        return not any(k == key or _same_prefix(k, prefix) for key, prefix in keys)

    return test


def _open_ods(data: bytes, package, expected: list[str], careful: bool = False):
    """An .ods's scan and calamine's workbook. calamine parses every sheet of an .ods when it
    opens the file, so the far cells are looked for first (a far one raises UnreadableError),
    and calamine is handed the file without the sheets at its end that are never read
    (指标解释: half its time). The inflated content.xml is let go before calamine opens the
    package, whose buffers then take its place on the heap instead of fresh memory."""
    content = content_xml(package, data)
    if content is None:  # not "nothing to scan": what cannot be looked at is not read
        raise damaged_part("content.xml", "cannot be inflated")
    unused = _never_read(expected)
    cut = trailing_cut(content, unused)
    # error values only matter where a sheet is read; far content anywhere calamine parses
    early = scan(data, "ods", None, package, content, careful, read_end=cut and cut[0])
    for name, pos in early.too_large.items():
        far = cell_ref(*pos)
        raise UnreadableError.said(
            "far_content",
            sheet=name,
            cell=far,
        )
    slim = without_unused_sheets(package, data, content, unused, cut)
    del content
    if slim is not None:
        try:
            return early, open_workbook(slim, "ods")
        except UnreadableError:
            pass  # the file as it is says what is wrong
    return early, open_workbook(data, "ods")


def read_return(
    path: Path, limits: Mapping[str, int | Decimal] | None = None, careful: bool = False
) -> ReadReturn:
    """Read a return. `limits` maps indicator codes to their plausibility bounds (from
    indicators.yaml); list columns carry theirs in the schema. `careful`: every part the
    return is read from is walked exactly before calamine sees it (a file that outgrew the
    memory ceiling is read again so). Raises UnreadableError when the file is not a readable
    spreadsheet."""
    data = read_bytes(path)
    fmt, package = sniff(data)
    layout = form_layout()
    expected = expected_sheets()
    if fmt == "ods":
        early, wb = _open_ods(data, package, expected, careful)
    elif fmt == "xls":
        early, wb = xls.open_xls(data)
    else:  # calamine opens an .xlsx without reading its sheets: they are scanned first
        early, wb = None, open_workbook(data, fmt)
    result = ReadReturn(path=path, fmt=fmt, data=data)
    names = list(wb.sheet_names)
    wanted, ambiguous = _sheet_names(expected, names)
    exact = {norm(w) for w in expected}
    own = package is not None and fmt == "xlsx" and not any(norm(n) in exact for n in names)
    if own and package is not None and own_workbook(package, data):
        raise OwnOutputError()  # marked, and no sheet of a return's: the tool's own workbook
    if not any(wanted[w] or w in ambiguous for w in expected[:-1]):
        raise UnreadableError.said("not_a_return")
    read = {n for n in wanted.values() if n is not None}
    found = early or scan(data, fmt, read, package, careful=careful)

    def load(wanted_name: str, required: bool = True) -> Grid | None:
        name = wanted[wanted_name]
        if wanted_name in ambiguous:
            result.findings.append(_ambiguous(wanted_name, ambiguous[wanted_name], _hidden(wb)))
            return None
        if name is None:
            if required:
                result.findings.append(
                    Finding("E_SHEET_MISSING", sheet=wanted_name, params={"name": wanted_name})
                )
            return None
        if name in found.too_large:
            far = cell_ref(*found.too_large[name])
            result.findings.append(
                Finding("E_SHEET_TOO_LARGE", sheet=name, cell=far, params={"cell": far})
            )
            return None
        try:
            sheet = wb.get_sheet_by_name(name)
            end = sheet.end
            if end is not None and (end[0] + 1) * (end[1] + 1) > MAX_CELLS:
                # far content the scan's fast path did not see (written in a spelling it does
                # not look for): named where the exact walk finds it, never loaded
                exact = scan(data, fmt, {name}, package, careful=True) if fmt != "xls" else None
                far = cell_ref(*(exact.too_large.get(name, end) if exact else end))
                result.findings.append(
                    Finding("E_SHEET_TOO_LARGE", sheet=name, cell=far, params={"cell": far})
                )
                return None
            rows = sheet.to_python(skip_empty_area=False)
        except UnreadableError:
            raise
        except Exception as exc:
            raise corrupt() from exc
        for (r, c), text in found.errors.get(name, {}).items():
            # where calamine has no cell (an error cell it reads as empty, last in the sheet)
            # the grid is widened to hold it: an error value is never lost
            while len(rows) <= r:
                rows.append([])
            line = rows[r]
            if len(line) <= c:
                line.extend([""] * (c + 1 - len(line)))
            line[c] = ErrorValue(text)
        return Grid(name, rows)

    limits = limits or {}
    cover = load(Cover.sheet.name)
    if cover is not None:
        _read_cover(cover, result)
    for sheet_layout in layout.sheets:
        sheet = load(sheet_layout.sheet.name)
        if sheet is None:
            continue
        _read_printed_period(sheet, result)
        titles = {b.block.title: sheet.find(b.block.title, title=True) for b in sheet_layout.blocks}
        for block in sheet_layout.blocks:
            _read_block(sheet, block, titles, result, limits)
    for lst in layout.lists:
        sheet = load(lst.sheet.name)
        if sheet is not None:
            _read_printed_period(sheet, result)
            read_list(sheet, lst, result)
    sheet = load(layout.explanations.sheet.name, required=False)
    if sheet is not None:
        read_list(sheet, layout.explanations, result)
    drop_echoes(result)
    return result


#: the line under a form's title starts with this label; the period is the next cell filled
UNIT_LABEL = "填报单位"
#: how far down a form its title line may be (the identity block above it has four lines)
_FRAME_ROWS = 12
_UNIT_LINES = ("单位", "计量单位")


def _read_printed_period(sheet: Grid, result: ReadReturn) -> None:
    """The period the form prints under its title: the first filled cell right of 填报单位 that
    is not the unit (单位:人). A formula of the template's, or what a clerk typed over it; a
    formula no program has calculated yet reads as blank and is not kept."""
    for r, line in enumerate(sheet.rows[:_FRAME_ROWS]):
        for c, v in enumerate(line):
            # the first character tells most cells apart without normalising them
            if type(v) is str and UNIT_LABEL[0] in v and norm(v).startswith(UNIT_LABEL):
                for k in range(c + 1, len(line)):
                    raw = line[k]
                    if is_blank(raw) or (type(raw) is str and norm(raw).startswith(_UNIT_LINES)):
                        continue
                    cell = sheet.cell(r, k)
                    cell.value = parse_text(raw)
                    result.printed_periods.append(cell)
                    return
                return


def _read_cover(sheet: Grid, result: ReadReturn) -> None:
    for f in form_layout().cover:
        pos = sheet.find(f.label)
        if pos is None:
            missing(result, sheet, f.label, "封面")
            continue
        r, c = pos
        line = sheet.rows[r]
        value_col = next((k for k in range(c + 1, len(line)) if not is_blank(line[k])), c + 1)
        cell = sheet.cell(r, value_col)
        cell.value = parse_text(cell.raw) if f.key != "date" else parse_date(cell.raw)[0]
        result.cover[f.key] = cell


def _read_block(
    sheet: Grid, block: BlockLayout, titles: dict[str, tuple[int, int] | None], result, limits
) -> None:
    """Read a block's figures; `titles`: where each block title of the sheet is."""
    title = block.block.title
    pos = titles[title]
    if pos is None:
        missing(result, sheet, title, "栏目标题")
        return
    top, label_col = pos
    # the block ends where the next block's title is (whichever comes first below it)
    ends = [p[0] for t, p in titles.items() if t != title and p is not None and p[0] > top]
    bottom = min(ends) if ends else len(sheet.rows)
    # the header is the first row under the title holding one of its labels: a note a clerk
    # typed on a row inserted between title and header is passed over
    labels = [VALUE_HEADER] if block.kind == "scalar" else [c.label for c in block.columns]
    below = range(top + 1, bottom)
    hits = [pos for label in labels if (pos := sheet.find(label, rows=below)) is not None]
    if not hits:
        missing(result, sheet, labels[0], f"{title}的表头")
        return
    header = min(hits)[0]
    region = range(header + 1, bottom)
    if block.kind == "scalar":
        value = sheet.find(VALUE_HEADER, rows=(header,))
        if value is None:
            missing(result, sheet, VALUE_HEADER, f"{title}的表头")
            return
        columns: dict[str | None, int] = {None: value[1]}
    else:
        by_key = header_columns(sheet, header, block.columns, f"{title}的栏目", result)
        columns = {col.label: by_key[col.key] for col in block.columns if col.key in by_key}
    row_of = sheet.row_labels(region, label_col)
    for fig in block.figures:
        row = row_of.get(norm(fig.row_label))
        if row is None:
            if fig.col_label is None or fig.col_label == block.columns[0].label:
                missing(result, sheet, fig.row_label, f"{title}的行")
            continue
        if fig.col_label not in columns:
            continue
        cell = sheet.cell(row, columns[fig.col_label])
        number(cell, fig.vtype, limits.get(fig.code))
        result.figures[fig.code] = cell
        if cell.problem and cell.problem != "BLANK":
            result.findings.append(bad_value(cell, fig.code, unit=fig.unit))
