"""An .ods return as calamine is handed it: without the sheets at its end that are never read.

calamine parses every table of an .ods when it opens the file (an .xlsx sheet is parsed only when
it is asked for). The template's last sheet, 指标解释, holds the definitions of all the
indicators: in a LibreOffice-saved return it is 40% of content.xml and half of calamine's time
on the file, for a sheet the reader never looks at. So the tables at the end of content.xml that
the reader cannot use are cut off, and calamine is given a small stored package of the rest
(mimetype, manifest and content.xml: what it needs to know the format). The far-cell and
error-value scans have looked at the whole file before this.

Anything unexpected leaves the file as it is: a table whose start is written otherwise than
LibreOffice writes it, a name holding a character reference, a table end that is not where it
should be. If calamine cannot open the cut package, the reader opens the original, which then
says what is wrong with it. Damage confined to the cut sheets is not reported: as with an .xlsx,
whose unread sheets calamine never parses, the return's figures are all in sheets that are
intact (900 random edits of a LibreOffice-saved content.xml: the cut never read other values
than the whole file; it only read some files the whole could not be).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from typing import Literal

from shuangfu_cli.reading.scan import unescape
from shuangfu_cli.reading.source import member

_TABLE_START = b"<table:table "
_TABLE_END = b"</table:table>"
_TABLE_NAME = re.compile(rb'<table:table\s[^>]*?\btable:name="([^"&]*(?:&(?!#)[^"&]*)*)"')
_KEPT_MEMBERS = ("mimetype", "META-INF/manifest.xml")


def content_xml(package: zipfile.ZipFile, data: bytes) -> bytes | None:
    """The package's content.xml inflated, or None when it cannot be (calamine then says what
    is wrong with the file)."""
    try:
        return member(package, data, "content.xml")
    except (KeyError, OSError, ValueError, zlib.error, zipfile.BadZipFile, struct.error):
        return None


def trailing_cut(content: bytes, unused: Callable[[str], bool]) -> tuple[int, int] | None:
    """Where the run of unused tables at the end of content.xml starts and ends (the end is
    after the last table's closing tag), or None when the last table is one that may be read."""
    cut: tuple[int, int] | None = None
    end = content.rfind(_TABLE_END)
    while end >= 0:
        start = content.rfind(_TABLE_START, 0, end)
        if start < 0:
            break
        name = _TABLE_NAME.match(content, start)
        if name is None or not unused(unescape(name.group(1))):
            break
        # no other table may end inside this one (a start tag written "<table:table\n…" would
        # otherwise be cut off unseen together with the table after it)
        if content.find(_TABLE_END, start) != end:
            break
        cut = (start, cut[1] if cut else end + len(_TABLE_END))
        end = content.rfind(_TABLE_END, 0, start)
    return cut


def without_unused_sheets(
    package: zipfile.ZipFile,
    data: bytes,
    content: bytes,
    unused: Callable[[str], bool],
    cut: tuple[int, int] | None | Literal[False] = False,
) -> bytes | None:
    """A package calamine opens as the same workbook less the unused tables at its end, or None
    when there is nothing to cut (or the package's other members cannot be read). `cut`: the
    trailing_cut already found (False: find it here)."""
    if cut is False:
        cut = trailing_cut(content, unused)
    if cut is None:
        return None
    start, end = cut
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(out, "w") as slim:  # stored: nothing to deflate and inflate again
            for name in _KEPT_MEMBERS:
                slim.writestr(zipfile.ZipInfo(name), member(package, data, name))
            info = zipfile.ZipInfo("content.xml")
            info.file_size = start + len(content) - end
            with slim.open(info, "w") as out_content:  # in two pieces: a joined copy of
                view = memoryview(content)  # the kept part took longer than the rest
                out_content.write(view[:start])
                out_content.write(view[end:])
    except (KeyError, OSError, ValueError, zipfile.BadZipFile, zlib.error):
        return None
    return out.getvalue()
