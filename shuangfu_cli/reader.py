"""Reading a town's return (.xlsx, .xls or .ods, recognised by content) into located values.

Sections, rows and columns are found by their labels, never by fixed addresses, so a town that
inserted a row still reads correctly and a missing label is reported by name. Every value keeps
its sheet and cell. Nothing is computed here: totals and list summaries are compared with their
parts by :mod:`shuangfu_cli.validate`.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from schemas import Cover

from .findings import Finding
from .layout import (
    VALUE_HEADER,
    BlockLayout,
    ListLayout,
    form_layout,
)
from .values import is_blank, norm, norm_title, parse_date, parse_number, parse_text, show

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: calamine holds a sheet as a dense grid from A1 to its last filled cell: a value typed far
#: away (say XFD1048576) would need hundreds of GB and abort the process, so such a sheet is
#: reported instead of read
MAX_CELLS = 5_000_000
_CELL = re.compile(rb'<(?:\w+:)?c r="([A-Z]{1,3})(\d{1,7})"[^>]*?(?<!/)>')
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_ZIP = b"PK\x03\x04"
TOTAL_ROW_LABELS = {"合计", "总计", "小计"}


class UnreadableError(Exception):
    """The file cannot be read as a spreadsheet; the reason is for a town clerk."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


@dataclass
class Cell:
    sheet: str
    ref: str
    raw: object
    value: object = None
    problem: str | None = None  # BLANK or an E_ code from values.py


@dataclass
class ListRowData:
    row: int  # the row number as Excel shows it
    cells: dict[str, Cell]

    def value(self, key: str):
        cell = self.cells.get(key)
        return None if cell is None else cell.value


@dataclass
class ReadReturn:
    path: Path
    fmt: str
    cover: dict[str, Cell] = field(default_factory=dict)
    figures: dict[str, Cell] = field(default_factory=dict)
    lists: dict[str, list[ListRowData]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def sniff(path: Path) -> str:
    """The file's real format from its first bytes: xlsx, ods or xls. Raises UnreadableError."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
            rest = fh.read(1 << 20) if head.startswith(_OLE2) else b""
    except IsADirectoryError as exc:
        raise UnreadableError("这是一个文件夹,不是文件", "this is a folder, not a file") from exc
    except OSError as exc:
        raise UnreadableError(
            f"文件打不开({exc.strerror})", f"cannot open ({exc.strerror})"
        ) from exc
    if not head:
        raise UnreadableError("文件是空的(0字节)", "the file is empty (0 bytes)")
    if head.startswith(_OLE2):
        if "EncryptedPackage".encode("utf-16-le") in rest:
            raise UnreadableError(
                "文件设置了打开密码(已加密),请去掉密码后重新保存再报送",
                "the file is password-protected (encrypted): remove the password and save again",
            )
        return "xls"
    if head.startswith(_ZIP):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
                if "mimetype" in names and b"spreadsheet" in zf.read("mimetype"):
                    return "ods"
                if "xl/workbook.xml" in names:
                    return "xlsx"
        except (zipfile.BadZipFile, OSError) as exc:
            raise _corrupt() from exc
        raise UnreadableError(
            "这是一个压缩文件或Word等其他文档,不是Excel/WPS表格",
            "this is a zip archive or another kind of document, not a spreadsheet",
        )
    lowered = head.lower()
    if lowered.startswith((b"<", b"\xef\xbb\xbf<")):
        raise UnreadableError(
            "这是网页(HTML/XML)文件,不是真正的Excel表格;请在Excel或WPS中“另存为”.xlsx格式后再报送",
            "this is an HTML/XML page saved with a spreadsheet name: save it as .xlsx in Excel or WPS",
        )
    if head.startswith(b"%PDF"):
        raise UnreadableError("这是PDF文件,不是Excel表格", "this is a PDF, not a spreadsheet")
    raise UnreadableError(
        "不是Excel/WPS表格文件(可能是文本或其他格式),请用区里下发的模板填报并保存为.xlsx",
        "not a spreadsheet (text or another format): fill in the template and save as .xlsx",
    )


def _corrupt() -> UnreadableError:
    return UnreadableError(
        "文件已损坏,无法打开;请重新保存或重新发送",
        "the file is damaged and cannot be opened: save or send it again",
    )


def _ref(row: int, col: int) -> str:
    """A1-style reference of 0-based (row, col). Kept here so that validating a return does
    not import openpyxl (a third of the start-up time)."""
    letters, n = "", col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


class _Sheet:
    """A sheet's values as a grid, with label look-up."""

    def __init__(self, name: str, rows: list[list]):
        self.name = name
        self.rows = rows

    def get(self, r: int, c: int):
        if r < len(self.rows) and c < len(self.rows[r]):
            return self.rows[r][c]
        return None

    def cell(self, r: int, c: int) -> Cell:
        return Cell(self.name, _ref(r, c), self.get(r, c))

    def find(self, label: str, *, title=False, rows=None, col=None) -> tuple[int, int] | None:
        want = norm_title(label) if title else norm(label)
        key = norm_title if title else norm
        for r in rows if rows is not None else range(len(self.rows)):
            line = self.rows[r] if r < len(self.rows) else []
            cols = [col] if col is not None else range(len(line))
            for c in cols:
                v = line[c] if c < len(line) else None
                if isinstance(v, str) and v and key(v) == want:
                    return r, c
        return None

    def next_nonblank_row(self, start: int) -> int | None:
        for r in range(start, len(self.rows)):
            if any(not is_blank(v) for v in self.rows[r]):
                return r
        return None


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def xlsx_extents(path: Path) -> dict[str, tuple[int, int, str]]:
    """For each sheet of an .xlsx: (last row, last column, the farthest cell), from its XML."""
    out: dict[str, tuple[int, int, str]] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            rels = {
                el.get("Id"): el.get("Target", "")
                for el in ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
            }
            workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
            for el in workbook.iter():
                if not el.tag.endswith("}sheet"):
                    continue
                name, target = el.get("name", ""), rels.get(el.get(_R_ID), "")
                part = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join("xl", target))
                )
                if part not in zf.namelist():
                    continue
                rows = cols = 0
                far = ""
                for letters, digits in _CELL.findall(zf.read(part)):
                    r, c = int(digits), _col_number(letters)
                    if r * c > rows * cols:
                        far = f"{letters.decode()}{r}"
                    rows, cols = max(rows, r), max(cols, c)
                out[name] = (rows, cols, far)
    except (KeyError, zipfile.BadZipFile, OSError, ElementTree.ParseError):
        return {}  # calamine will say what is wrong with the file
    return out


def _open(path: Path):
    from python_calamine import CalamineWorkbook

    try:
        # from a file object calamine goes by the content; from a path it trusts the extension
        with open(path, "rb") as fh:
            return CalamineWorkbook.from_filelike(fh)
    except Exception as exc:  # calamine raises several types; any failure means unreadable
        if "password" in str(exc).lower() or type(exc).__name__ == "PasswordError":
            raise UnreadableError(
                "文件设置了打开密码(已加密),请去掉密码后重新保存再报送",
                "the file is password-protected (encrypted): remove the password and save again",
            ) from exc
        raise _corrupt() from exc


def _sheet_name(wanted: str, names: list[str]) -> str | None:
    """The workbook's sheet for `wanted`: same name, or the same '附件N' prefix."""
    exact = [n for n in names if norm(n) == norm(wanted)]
    if exact:
        return exact[0]
    prefix = norm(wanted.split(" ")[0])
    for n in names:
        rest = norm(n)[len(prefix) :]
        if norm(n).startswith(prefix) and not rest[:1].isdigit() and not rest.startswith("-"):
            return n
    return None


def read_return(path: Path) -> ReadReturn:
    """Read a return. Raises UnreadableError when the file is not a readable spreadsheet."""
    fmt = sniff(path)
    wb = _open(path)
    result = ReadReturn(path=path, fmt=fmt)
    layout = form_layout()
    names = list(wb.sheet_names)
    extents = xlsx_extents(path) if fmt == "xlsx" else {}

    def load(wanted: str, required: bool = True) -> _Sheet | None:
        name = _sheet_name(wanted, names)
        if name is None:
            if required:
                result.findings.append(
                    Finding("E_SHEET_MISSING", sheet=wanted, params={"name": wanted})
                )
            return None
        rows, cols, far = extents.get(name, (0, 0, ""))
        if rows * cols > MAX_CELLS:
            result.findings.append(
                Finding("E_SHEET_TOO_LARGE", sheet=name, cell=far, params={"cell": far})
            )
            return None
        try:
            rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:
            raise _corrupt() from exc
        return _Sheet(name, rows)

    expected = [Cover.sheet.name] + [s.sheet.name for s in layout.sheets]
    if not any(_sheet_name(w, names) for w in expected):
        raise UnreadableError(
            "这不是双扶季报表:找不到封面和附件2—5中的任何一张工作表,请用区里下发的模板填报",
            "not a 双扶 return: none of the cover and Attachments 2-5 sheets is there; "
            "use the district's template",
        )
    cover = load(Cover.sheet.name)
    if cover is not None:
        _read_cover(cover, result)
    for sheet_layout in layout.sheets:
        sheet = load(sheet_layout.sheet.name)
        if sheet is None:
            continue
        titles = [b.block.title for b in sheet_layout.blocks]
        for block in sheet_layout.blocks:
            _read_block(sheet, block, titles, result)
    for lst in layout.lists:
        sheet = load(lst.sheet.name)
        if sheet is not None:
            _read_list(sheet, lst, result)
    sheet = load(layout.explanations.sheet.name, required=False)
    if sheet is not None:
        _read_list(sheet, layout.explanations, result)
    return result


def _missing(result: ReadReturn, sheet: _Sheet, label: str, what: str) -> None:
    result.findings.append(
        Finding("E_LABEL_MISSING", sheet=sheet.name, params={"label": label, "what": what})
    )


def _read_cover(sheet: _Sheet, result: ReadReturn) -> None:
    for f in form_layout().cover:
        pos = sheet.find(f.label)
        if pos is None:
            _missing(result, sheet, f.label, "封面")
            continue
        r, c = pos
        line = sheet.rows[r]
        value_col = next((k for k in range(c + 1, len(line)) if not is_blank(line[k])), c + 1)
        cell = sheet.cell(r, value_col)
        cell.value = parse_text(cell.raw) if f.key != "date" else parse_date(cell.raw)[0]
        result.cover[f.key] = cell


def _read_block(sheet: _Sheet, block: BlockLayout, titles: list[str], result) -> None:
    title = block.block.title
    pos = sheet.find(title, title=True)
    if pos is None:
        _missing(result, sheet, title, "栏目标题")
        return
    top, label_col = pos
    # the block ends where the next block's title is (whichever comes first below it)
    ends = [
        p[0]
        for t in titles
        if t != title and (p := sheet.find(t, title=True)) is not None and p[0] > top
    ]
    bottom = min(ends) if ends else len(sheet.rows)
    header = sheet.next_nonblank_row(top + 1)
    if header is None or header >= bottom:
        _missing(result, sheet, VALUE_HEADER, f"{title}的表头")
        return
    region = range(header + 1, bottom)
    if block.kind == "scalar":
        value = sheet.find(VALUE_HEADER, rows=[header])
        if value is None:
            _missing(result, sheet, VALUE_HEADER, f"{title}的表头")
            return
        columns = {None: value[1]}
    else:
        columns = {}
        for col in block.columns:
            found = sheet.find(col.label, rows=[header])
            if found is None:
                _missing(result, sheet, col.label, f"{title}的栏目")
            else:
                columns[col.label] = found[1]
    for fig in block.figures:
        found = sheet.find(fig.row_label, rows=region, col=label_col)
        if found is None:
            if fig.col_label is None or fig.col_label == block.columns[0].label:
                _missing(result, sheet, fig.row_label, f"{title}的行")
            continue
        if fig.col_label not in columns:
            continue
        cell = sheet.cell(found[0], columns[fig.col_label])
        cell.value, cell.problem = parse_number(cell.raw, fig.vtype)
        result.figures[fig.code] = cell
        if cell.problem and cell.problem != "BLANK":
            result.findings.append(_bad_value(cell, fig.code))


def _bad_value(cell: Cell, code: str | None, subject: str | None = None, **params) -> Finding:
    return Finding(
        cell.problem,
        sheet=cell.sheet,
        cell=cell.ref,
        indicator=code,
        subject=subject,
        params={"raw": show(cell.raw), **params},
    )


def _read_list(sheet: _Sheet, lst: ListLayout, result: ReadReturn) -> None:
    key_col = lst.column(lst.form.key)
    pos = sheet.find(key_col.label)
    rows: list[ListRowData] = []
    result.lists[lst.name] = rows
    if pos is None:
        _missing(result, sheet, key_col.label, f"{lst.sheet.title}的表头")
        return
    header = pos[0]
    columns = {}
    for col in lst.columns:
        found = sheet.find(col.label, rows=[header])
        if found is None:
            _missing(result, sheet, col.label, f"{lst.sheet.title}的表头")
        else:
            columns[col.key] = found[1]
    if lst.form.key not in columns:
        return
    for r in range(header + 1, len(sheet.rows)):
        if all(is_blank(sheet.get(r, c)) for c in columns.values()):
            continue
        key_raw = sheet.get(r, columns[lst.form.key])
        if norm(parse_text(key_raw)) in TOTAL_ROW_LABELS:
            continue  # a 合计 row added by the town is not a workshop, village or class
        data = ListRowData(row=r + 1, cells={})
        name = parse_text(key_raw)
        for col in lst.columns:
            if col.key not in columns:
                continue
            cell = sheet.cell(r, columns[col.key])
            if col.vtype in ("count", "money"):
                cell.value, cell.problem = parse_number(cell.raw, col.vtype)
                if cell.problem == "BLANK":  # a blank figure in a list row counts as 0
                    cell.value, cell.problem = 0, None
            elif col.vtype == "date":
                cell.value, cell.problem = parse_date(cell.raw)
            else:
                cell.value = parse_text(cell.raw)
                if col.vtype == "choice" and cell.value and cell.value not in col.choices:
                    cell.problem = "E_INVALID_CHOICE"
            if cell.problem and cell.problem != "BLANK":
                result.findings.append(
                    _bad_value(cell, None, name or None, choices="、".join(col.choices))
                )
            data.cells[col.key] = cell
        if not name and lst.name != "explanations":
            ref = sheet.cell(r, columns[lst.form.key])
            result.findings.append(
                Finding(
                    "E_LIST_NAME_MISSING",
                    sheet=sheet.name,
                    cell=ref.ref,
                    params={"row": r + 1, "label": key_col.label},
                )
            )
            continue
        rows.append(data)
