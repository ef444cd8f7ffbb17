"""An .xls's far cells, found in its BIFF records before calamine sees the file.

calamine parses every sheet of an .xls when it opens the file and holds each as a dense grid
from A1 to its last filled cell: a stray ``x`` at IV65536 (the last cell of a BIFF8 sheet) asks
it for 16.7 million cells, and the worker is stopped at its memory ceiling with no cell named.
So the sheets' DIMENSIONS records are looked at first (a search at C speed over the bytes);
only when one declares more than MAX_CELLS is the workbook stream walked: each sheet's farthest
filled cell is found in its cell records and, for a sheet that reaches too far, every record
between its BOF and EOF is hidden from calamine in a copy of the file (the record type
overwritten in place, in the compound file's sectors), so that calamine opens the rest of the
return and that sheet is reported ``E_SHEET_TOO_LARGE``, as in an .xlsx. What this cannot walk
or patch (a BIFF5 file, a damaged compound file, a stream in the short-sector area) is left to
calamine, and to the worker's memory ceiling.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field

#: A sheet whose dense grid would exceed this many cells is not loaded (as scan.MAX_CELLS).
MAX_CELLS = 1_000_000

_DIMENSIONS = b"\x00\x02\x0e\x00"  # BIFF8 DIMENSIONS: rows 4+4, columns 2+2, reserved 2
_BOF, _EOF, _BOUNDSHEET = 0x0809, 0x000A, 0x0085
#: records that hold one cell: (row, column) are their first two fields
_CELL = {0x0006, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD}
#: records that hold a run of cells in a row: row, first column, …, last column at the end
_CELLS = {0x00BD, 0x00BE}
_HIDDEN = b"\xff\xff"  # a record type no reader knows: skipped


def open_xls(data: bytes):
    """An .xls's scan (only when a sheet reaches too far; else None: the reader scans it after
    the open, as an .xlsx) and calamine's workbook, over the file without the sheets that
    reach too far: the reader reports those (E_SHEET_TOO_LARGE) and reads the rest."""
    from shuangfu_cli.reading.scan import scan
    from shuangfu_cli.reading.source import open_workbook

    found = look(data)
    if not found.far:
        return None, open_workbook(data, "xls")
    assert found.patched is not None  # made whenever a sheet is too far
    wb = open_workbook(found.patched, "xls")
    early = scan(data, "xls", set(found.names) - set(found.far))
    early.too_large.update(found.far)
    return early, wb


@dataclass
class XlsLook:
    """What the walk found: sheet -> (0-based row, column) of its far cell, for sheets too
    large to load; the names of every sheet; the bytes calamine is to open (None: the file as
    it is)."""

    far: dict[str, tuple[int, int]] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    patched: bytes | None = None


def suspect(data: bytes) -> bool:
    """Whether a DIMENSIONS record declares a sheet larger than MAX_CELLS."""
    at = data.find(_DIMENSIONS)  # bytes.find: a tenth faster than a regular expression here
    while 0 <= at <= len(data) - 18:
        _first_row, rows, _first_col, cols = struct.unpack_from("<IIHH", data, at + 4)
        if rows * cols > MAX_CELLS:
            return True
        at = data.find(_DIMENSIONS, at + 4)
    return False


def look(data: bytes) -> XlsLook:
    """The far cells of an .xls and a copy of it without the sheets that hold them."""
    if not suspect(data):
        return XlsLook()
    try:
        stream, offset = _workbook_stream(data)
        return _walk(data, stream, offset)
    except (ValueError, IndexError, KeyError, struct.error, UnicodeDecodeError):
        return XlsLook()  # calamine and the memory ceiling say what is wrong


def _workbook_stream(data: bytes):
    """The Workbook stream's bytes and a function from a position in it to one in the file."""
    from xlrd.compdoc import CompDoc, CompDocError

    try:
        doc = CompDoc(data, logfile=io.StringIO())
    except CompDocError as exc:
        raise ValueError(str(exc)) from exc
    entry = next(d for d in doc.dirlist if d.name == "Workbook")
    if entry.tot_size < doc.min_size_std_stream:  # type: ignore[attr-defined]  # set in CompDoc.__init__, absent from types-xlrd
        raise ValueError("the workbook stream is in the short-sector area")
    sectors: list[int] = []
    size, sid = doc.sec_size, entry.first_SID
    while sid >= 0:
        if len(sectors) * size > entry.tot_size:
            raise ValueError("sector chain longer than the stream")
        sectors.append(sid)
        sid = doc.SAT[sid]
    # xlrd's own base: sector `sid` starts at 512 + sid * size
    stream = b"".join(data[512 + s * size : 512 + (s + 1) * size] for s in sectors)
    if len(stream) < entry.tot_size:
        raise ValueError("truncated workbook stream")

    def offset(pos: int) -> int:
        return 512 + sectors[pos // size] * size + pos % size

    return stream[: entry.tot_size], offset


def _records(stream: bytes, pos: int):
    """(position, type, length) of each record from `pos` to the end of the stream."""
    end = len(stream)
    while pos + 4 <= end:
        kind, length = struct.unpack_from("<HH", stream, pos)
        yield pos, kind, length
        pos += 4 + length


def _sheets(stream: bytes) -> list[tuple[str, int]]:
    """(name, position of its BOF) of each sheet, from the workbook globals (BIFF8 only)."""
    kind, _length, version = struct.unpack_from("<HHH", stream, 0)
    if kind != _BOF or version != 0x0600:
        raise ValueError("not BIFF8")
    out = []
    for pos, kind, _length in _records(stream, 0):
        if kind == _BOUNDSHEET:
            (start,) = struct.unpack_from("<I", stream, pos + 4)
            chars, flags = stream[pos + 10], stream[pos + 11]
            raw = stream[pos + 12 : pos + 12 + chars * (2 if flags & 1 else 1)]
            out.append((raw.decode("utf-16-le" if flags & 1 else "latin-1"), start))
        elif kind == _EOF:
            break
    return out


def _walk(data: bytes, stream: bytes, offset) -> XlsLook:
    result = XlsLook()
    patched = bytearray(data)
    for name, start in _sheets(stream):
        result.names.append(name)
        rows = cols = depth = 0
        far = (0, 0)
        inside = []  # the records between the sheet's BOF and its EOF
        for pos, kind, length in _records(stream, start):
            if kind == _BOF:
                depth += 1  # an embedded chart has a BOF/EOF of its own
            elif kind == _EOF:
                depth -= 1
                if depth == 0:
                    break
            if depth == 1 and kind in _CELL | _CELLS and length >= 6:
                row, col = struct.unpack_from("<HH", stream, pos + 4)
                if kind in _CELLS:
                    (col,) = struct.unpack_from("<H", stream, pos + 2 + length)
                if row + 1 > rows or col + 1 > cols:  # it pushes the extent out: the far one
                    far = (row, col)
                rows, cols = max(rows, row + 1), max(cols, col + 1)
            if pos != start:
                inside.append(pos)
        if rows * cols > MAX_CELLS:
            result.far[name] = far
            for pos in inside:
                for i, byte in enumerate(_HIDDEN):
                    patched[offset(pos + i)] = byte
    if result.far:
        result.patched = bytes(patched)
    return result
