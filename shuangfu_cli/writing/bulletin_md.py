"""The quarterly 通报 in Markdown (``--bulletin FILE.md``), for pasting or a repository: the same
text as the Word document (:mod:`.bulletin_text`), every piece of it one Markdown line or table
cell with no markup of its own."""

from __future__ import annotations

from pathlib import Path

from shuangfu_cli.district.rollup import Rollup
from shuangfu_cli.text.sanitize import for_markdown
from shuangfu_cli.writing.bulletin_text import NUMERALS, BulletinText, Table, bulletin_text
from shuangfu_cli.writing.guard import atomic_path


def _table(table: Table) -> list[str]:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(for_markdown(c) for c in cells) + " |"

    align = ["---"] + ["---:"] * (len(table.head) - 2) + ["---"]  # figures right, words left
    return [line(table.head), "|" + "|".join(align) + "|", *map(line, table.rows), ""]


def render(text: BulletinText) -> str:
    lines = [f"# {for_markdown(text.title)}", "", for_markdown(text.salutation), ""]
    lines += [for_markdown(text.opening), ""]
    for i, section in enumerate(text.sections):
        lines += [f"## {NUMERALS[i]}、{for_markdown(section.title)}", ""]
        for paragraph in section.paragraphs:
            lines += [for_markdown(paragraph), ""]
        if section.table is not None:
            lines += _table(section.table)
        for paragraph in section.after:
            lines += [for_markdown(paragraph), ""]
    return "\n".join(lines)


def write_bulletin_md(r: Rollup, out: Path) -> None:
    with atomic_path(out) as tmp:
        tmp.write_text(render(bulletin_text(r)), encoding="utf-8", errors="replace")
