"""The quarterly 通报 in Markdown (``--bulletin FILE.md``), for pasting or a repository: the same
text as the Word document (:mod:`.bulletin_text`) and the same letterhead — the issuing office
and the document number over the title, the office and the date at the end, and the 版记
(抄送, 印发机关 and 印发日期) between rules, as the Word document prints it at the foot of its
last page (:mod:`.letterhead`). Every piece is one Markdown line or table cell with no markup
of its own."""

from __future__ import annotations

from pathlib import Path

from shuangfu_cli.district.rollup import Rollup
from shuangfu_cli.text.sanitize import for_markdown
from shuangfu_cli.writing.bulletin_text import NUMERALS, BulletinText, Table, bulletin_text
from shuangfu_cli.writing.guard import atomic_path
from shuangfu_cli.writing.letterhead import Letterhead, date_zh


def _table(table: Table) -> list[str]:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(for_markdown(c) for c in cells) + " |"

    align = ["---"] + ["---:"] * (len(table.head) - 2) + ["---"]  # figures right, words left
    return [line(table.head), "|" + "|".join(align) + "|", *map(line, table.rows), ""]


def _imprint(head: Letterhead) -> list[str]:
    """版记: its lines between rules (the 印发日期 after the 印发机关, a full-width space apart)."""
    lines = ["---", ""]
    for left, right in head.imprint():
        lines += [for_markdown(left if right is None else f"{left}\u3000\u3000{right}"), ""]
    return [*lines, "---", ""]


def render(text: BulletinText, head: Letterhead | None = None) -> str:
    lines = []
    if head is not None:  # 版头: the issuing office, the document number under it
        lines += [for_markdown(head.office), ""]
        if head.number:
            lines += [for_markdown(head.number), ""]
    lines += [f"# {for_markdown(text.title)}", "", for_markdown(text.salutation), ""]
    lines += [for_markdown(text.opening), ""]
    for i, section in enumerate(text.sections):
        lines += [f"## {NUMERALS[i]}、{for_markdown(section.title)}", ""]
        for paragraph in section.paragraphs:
            lines += [for_markdown(paragraph), ""]
        if section.table is not None:
            lines += _table(section.table)
        for paragraph in section.after:
            lines += [for_markdown(paragraph), ""]
    if head is not None:  # the office and the date, then the 版记
        lines += [for_markdown(head.office), "", date_zh(head.issued), "", *_imprint(head)]
    return "\n".join(lines)


def write_bulletin_md(r: Rollup, out: Path, head: Letterhead | None = None) -> None:
    with atomic_path(out) as tmp:
        tmp.write_text(render(bulletin_text(r), head), encoding="utf-8", errors="replace")
