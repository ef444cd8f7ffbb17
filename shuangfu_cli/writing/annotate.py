"""Each town's feedback in its own workbook (`--annotate OUTDIR`): a copy of the return with
every finding marked at its cell — a fill by severity and a 批注 (comment) with the message —
and a first sheet 审核意见 listing them, each with a link to its cell and what to do.

The copy is made of the bytes that were checked, never of the path opened again: a return
replaced after its check cannot give a copy of another workbook with this one's findings. The
run keeps them (up to check.many_returns.KEPT_BYTES_MAX; beyond it the file is read again and
copied only if it is still, byte for byte, the one checked). An .xlsx — by content, whatever its name — is
copied with its formulas, styles and names; an .xls or .ods is carried over to .xlsx with its
sheets and values; either way nothing that acts or points outside the workbook is kept
(:mod:`shuangfu_cli.writing.return_copy`). Each copy is made in an isolated worker, like every read of a town's
file (a workbook that kills openpyxl fails that copy only). The input is only read; the copy
is written through the output guard, under a name that fits the file system (a long return
name is shortened, whole characters, keeping every copy's name its own).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from shuangfu_cli.check.workers import DEFAULT_LIMITS, Failure, Limits, run_isolated
from shuangfu_cli.form.findings import Lang
from shuangfu_cli.text.sanitize import for_xlsx, for_xml, show_path
from shuangfu_cli.text.words import both, lines, say, section
from shuangfu_cli.writing.guard import atomic_path, fit_name, name_bytes, name_max

SUFFIX = "_审核意见.xlsx"
SHEET = "审核意见"
#: error, warning to verify, warning explained: each its own colour (fill, and the 审核意见 row)
FILLS = {"error": "FFC7CE", "warning": "FFEB9C", "explained": "C6EFCE"}
AUTHOR = "区统计审核"
#: columns of the 审核意见 sheet: 序号, 类别, 工作表, 单元格, 问题代码, 问题, 怎么办
WIDTHS = (6, 14, 22, 9, 24, 60, 34)


@dataclass(frozen=True)
class Job:
    """One annotated copy to make (picklable: it travels to a worker)."""

    source: Path
    fmt: str
    target: Path
    town: str
    period: str
    status: str
    findings: tuple[tuple[str, str, str | None, str | None, str], ...]
    #: (kind, code, sheet, cell, message), kind being error / warning / explained
    #: the SHA-256 of the bytes checked, and the bytes (None: read the file again and compare)
    digest: str | None = None
    data: bytes | None = field(default=None, repr=False)


def targets(sources: Iterable[Path], out_dir: Path) -> list[Path]:
    """`OUTDIR/<stem>_审核意见.xlsx` for each source; two sources of one stem get _2, _3. A
    name longer than the folder's file system allows has its stem shortened (whole characters)
    to fit; names that would then be the same — or differ only in case or Unicode form, the
    same file on Windows and macOS — are told apart by the number."""
    limit = name_max(out_dir)
    taken: set[str] = set()
    out = []
    for source in sources:
        stem = Path(source).stem
        for n in range(1, len(taken) + 2):
            tail = ("" if n == 1 else f"_{n}") + SUFFIX
            name = fit_name(stem, limit - name_bytes(tail)) + tail
            key = unicodedata.normalize("NFC", name).casefold()
            if key not in taken:
                break
        taken.add(key)
        out.append(out_dir / name)
    return out


def jobs_for(reports, out_dir: Path, lang: Lang, names=None) -> list[Job]:
    """A job for each return that was read and has something to say."""
    chosen = [r for r in reports if r.findings and r.status != "unreadable" and r.source]
    jobs = []
    for report, target in zip(chosen, targets([r.source for r in chosen], out_dir), strict=True):
        findings = tuple(
            (f.state, f.code, f.sheet, f.cell, f.message(lang, names)) for f in report.findings
        )
        data = report.checked
        if data is None and report.read is not None:  # checked in this process
            data = report.read.data or None
        jobs.append(
            Job(
                report.source,
                report.fmt or "xlsx",
                target,
                report.town or "",
                report.period or "",
                report.status,
                findings,
                report.digest,
                data,
            )
        )
    return jobs


def write_annotated(
    jobs: list[Job], lang: Lang, limits: Limits = DEFAULT_LIMITS
) -> Iterator[tuple[Job, str | None]]:
    """Make each copy in a worker; yield (job, None) when written, (job, reason) when not."""
    for (job, _), result in run_isolated(_annotate, [(job, lang) for job in jobs], limits):
        if isinstance(result, Failure):
            yield job, f"{result.kind} {result.detail}".strip()
        else:
            yield job, result


def _annotate(item: tuple[Job, Lang]) -> str | None:
    """In the worker: the copy, marked and with its 审核意见 sheet, written whole."""
    from openpyxl.cell.cell import MergedCell
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    from shuangfu_cli.writing.return_copy import open_copy

    job, lang = item
    data = _checked(job, lang)
    if isinstance(data, str):
        return data
    try:
        wb, titles = open_copy(data, job.fmt)
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - a workbook openpyxl cannot load: that copy only
        return f"{type(exc).__name__}: {str(exc)[:200]}"
    by_cell: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for kind, code, sheet, cell, message in job.findings:
        if (
            titles.get(sheet) in wb.sheetnames
            and cell
            and re.fullmatch(r"[A-Z]{1,3}[0-9]{1,7}", cell)
        ):
            by_cell.setdefault((titles[sheet], cell), []).append((kind, code, message))
    for (sheet, cell), items in by_cell.items():
        target = wb[sheet][cell]
        if isinstance(target, MergedCell):
            continue  # inside a merged range: listed on the 审核意见 sheet only
        worst = min(items, key=lambda i: ("error", "warning", "explained").index(i[0]))[0]
        target.fill = PatternFill("solid", fgColor=FILLS[worst])
        text = "\n".join(
            f"[{say(lang, 'annotate', kind)}] {code}: {msg}" for kind, code, msg in items
        )
        comment = Comment(for_xml(text), AUTHOR)
        comment.width, comment.height = 320, 40 + 36 * len(items)
        target.comment = comment
    _summary_sheet(wb, titles, job, lang)
    with atomic_path(job.target) as tmp:
        wb.save(tmp)
    return None


def _checked(job: Job, lang: Lang) -> bytes | str:
    """The bytes that were checked, or why there are none (the reason, in `lang`): kept by
    the run, or the file read again and still the same, byte for byte."""
    from shuangfu_cli.reading.source import UnreadableError, read_bytes

    if job.data is not None:
        return job.data
    if job.digest is None:
        return say(lang, "annotate", "lost")
    try:
        data = read_bytes(job.source)
    except UnreadableError as exc:
        changed = say(lang, "annotate", "changed")
        return f"{changed}（{exc.zh}）" if lang == "zh" else f"{changed} ({exc.en})"
    if hashlib.sha256(data).hexdigest() != job.digest:
        return say(lang, "annotate", "changed")
    return data


def _summary_sheet(wb, titles: dict[str, str], job: Job, lang: Lang) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import quote_sheetname
    from openpyxl.worksheet.hyperlink import Hyperlink

    from shuangfu_cli.writing.styles import BORDER, HEAD_FILL
    from shuangfu_cli.writing.template.paper import lines_needed, print_setup

    t = section("annotate", lang)
    if SHEET in wb.sheetnames:  # the copy of an earlier copy, sent back: its old review goes
        wb.remove(wb[SHEET])
    ws = wb.create_sheet(SHEET, 0)
    wb.active = 0
    ws.sheet_properties.tabColor = "C00000"
    ws["A1"] = t["title"]
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    kinds = [f[0] for f in job.findings]
    counts = t["counts"].format(
        e=kinds.count("error"), w=kinds.count("warning"), x=kinds.count("explained")
    )
    verdict = t["valid"] if job.status == "valid" else t["invalid"]
    for r, (label, value) in enumerate(
        (
            (t["file"], job.source.name),
            (t["town"], job.town),
            (t["period"], job.period),
            (t["verdict"], f"{verdict}（{counts}）" if lang == "zh" else f"{verdict} ({counts})"),
        ),
        start=3,
    ):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=7)
        sep = "：" if lang == "zh" else ": "
        ws.cell(r, 1, for_xlsx(f"{label}{sep}{show_path(value)}"))
        ws.cell(r, 1).font = Font(name="宋体", bold=label == t["verdict"])
    head = 8
    for c, text in enumerate(lines(lang, "annotate", "head"), start=1):
        cell = ws.cell(head, c, text)
        cell.font, cell.fill, cell.border = Font(name="宋体", bold=True), HEAD_FILL, BORDER
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, (kind, code, sheet, cell_ref, message) in enumerate(job.findings, start=1):
        r = head + i
        values = (i, t[kind], sheet or t["no_cell"], cell_ref or t["no_cell"], code, message)
        for c, v in enumerate((*values, t[f"do_{kind}"]), start=1):
            cell = ws.cell(r, c, for_xlsx(v))
            cell.border, cell.alignment = BORDER, wrap
        ws.cell(r, 2).fill = PatternFill("solid", fgColor=FILLS[kind])
        # a jump inside the workbook
        if sheet is not None and titles.get(sheet) in wb.sheetnames and cell_ref:
            link = ws.cell(r, 4)
            link.hyperlink = Hyperlink(
                ref="", location=f"{quote_sheetname(titles[sheet])}!{cell_ref}"
            )
            link.font = Font(color="0563C1", underline="single")
        ws.row_dimensions[r].height = 15 * lines_needed(message, WIDTHS[5])
    r = head + len(job.findings) + 2
    for line in lines(lang, "annotate", "notes"):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=7)
        ws.cell(r, 1, line).alignment = wrap
        ws.row_dimensions[r].height = 15 * lines_needed(line, sum(WIDTHS))
        r += 1
    for col, width in zip("ABCDEFG", WIDTHS, strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = ws.cell(head + 1, 1)
    print_setup(ws, len(WIDTHS), r - 1, landscape=True, title_rows=f"{head}:{head}")


def check_folder(out_dir: Path, inputs: Iterable[Path]) -> None:
    """Before any work: the feedback folder is not a file, nor a folder of returns being read
    (or inside one) — feedback copies there would be read as returns next time."""
    from shuangfu_cli.writing.guard import OutputError, check_name, unusable

    out = Path(out_dir)
    check_name(out)
    try:
        a_file = out.exists() and not out.is_dir()
    except OSError as exc:  # a name too long for the file system
        raise unusable(out, exc) from None
    if a_file:
        raise OutputError(*both("output", "folder_is_file", path=show_path(out)))
    where = out.resolve()  # symlinks followed: a link into the returns' folder is inside it
    for given in map(Path, inputs):
        if given.is_dir() and where.is_relative_to(given.resolve()):
            raise OutputError(
                *both("output", "inside_returns", path=show_path(out), returns=show_path(given))
            )


def annotate(
    reports, out_dir: Path, inputs: Iterable[Path], lang: Lang, limits: Limits = DEFAULT_LIMITS
) -> tuple[list[Path], list[tuple[str, str]]]:
    """Write the feedback copies of the returns with findings into `out_dir` (made if need
    be). Returns the copies written and (file, reason) for those that could not be made.
    Raises OutputError (nothing written) when a copy would replace an input."""
    from shuangfu_cli.writing.guard import check_outputs

    out_dir = Path(out_dir)
    jobs = jobs_for(reports, out_dir, lang)
    check_outputs([j.target for j in jobs], list(inputs))
    if jobs:
        out_dir.mkdir(parents=True, exist_ok=True)
    written, failed = [], []
    for job, reason in write_annotated(jobs, lang, limits):
        if reason is None:
            written.append(job.target)
        else:
            failed.append((show_path(job.source), reason))
    return written, failed
