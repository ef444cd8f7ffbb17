"""Getting a return's bytes safely and knowing its real format.

Only regular files are opened: a FIFO, socket or device given as a return is refused at once
(opening a FIFO for reading would wait forever for a writer). The file is read once, whole, into
memory — every later step (format sniffing, the pre-scans, calamine) works on those bytes, so a
file swapped on disk half-way cannot be half read.
"""

from __future__ import annotations

import io
import os
import stat
import struct
import zipfile
import zlib
from pathlib import Path

from shuangfu_cli.text.words import LANGS, Lang, say

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
#: No quarterly return comes near this; a bigger file is refused before it is read.
MAX_FILE_BYTES = 100 << 20
#: The category (document properties) of the workbooks the tool writes (writing/rollup_book,
#: writing/trend): such a file found among the returns is listed as skipped, never read as one
#: — unless it has the shape of a return (reader.py): a mark in a return's properties, by
#: accident or design, does not keep it from being read.
OWN_WORKBOOK_MARK = "shuangfu rollup workbook"
_CORE_NS = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"


class UnreadableError(Exception):
    """The file cannot be read as a spreadsheet; the reason is for a town clerk."""

    #: the tool's own output (a rollup workbook), not a return at all
    own_output = False

    def __init__(self, zh: str, en: str, sheet: str | None = None, cell: str | None = None):
        super().__init__(en)
        self.zh, self.en = zh, en
        self.sheet, self.cell = sheet, cell  # where the problem is, when it has a place

    @classmethod
    def said(cls, key: str, sheet: str | None = None, cell: str | None = None, **params: object):
        """The reason `key` of the catalogue's ``unreadable`` section, in both languages (the
        language is chosen where it is printed)."""
        zh, en = (said(lang, key, sheet=sheet, cell=cell, **params) for lang in LANGS)
        return cls(zh, en, sheet, cell)


def said(lang: Lang, key: str, **params: object) -> str:
    """An ``unreadable`` reason in `lang`; ``{resave}`` is the advice to save it again."""
    return say(lang, "unreadable", key, resave=say(lang, "unreadable", "resave"), **params)


class OwnOutputError(UnreadableError):
    own_output = True

    def __init__(self):
        super().__init__(said("zh", "own_output"), said("en", "own_output"))


def two_workbooks() -> UnreadableError:
    return UnreadableError.said("two_workbooks")


def two_parts(name: str) -> UnreadableError:
    return UnreadableError.said("two_parts", name=name)


def corrupt() -> UnreadableError:
    return UnreadableError.said("corrupt")


def encrypted() -> UnreadableError:
    return UnreadableError.said("encrypted")


def read_bytes(path: Path) -> bytes:
    """The whole content of a regular file. Raises UnreadableError for anything else."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except IsADirectoryError as exc:
        raise UnreadableError.said("folder") from exc
    except OSError as exc:
        raise UnreadableError.said("cannot_open", why=exc.strerror) from exc
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise UnreadableError.said("folder")
        if not stat.S_ISREG(st.st_mode):
            raise UnreadableError.said("not_regular")
        if st.st_size > MAX_FILE_BYTES:
            raise UnreadableError.said(
                "too_large", mb=st.st_size >> 20, max_mb=MAX_FILE_BYTES >> 20
            )
        with os.fdopen(fd, "rb", closefd=True) as fh:
            fd = -1
            # the size it has (a read of the ceiling would allocate 100 MB for every file),
            # then whatever it grew by since, up to the ceiling
            data = fh.read(st.st_size + 1)
            if len(data) > st.st_size:
                data += fh.read(MAX_FILE_BYTES + 1 - len(data))
    except OSError as exc:
        raise UnreadableError.said("cannot_read", why=exc.strerror) from exc
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > MAX_FILE_BYTES:  # grew while being read
        raise UnreadableError.said("growing")
    return data


_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature; the lengths of the name and extra field


#: a member declaring at most this size is inflated into a buffer of that size at once
_SIZED_MAX = 32 << 20


def member(zf: zipfile.ZipFile, data: bytes, name: str) -> bytes:
    """A member of the package. A plain deflated one is inflated straight from the package's
    bytes into a buffer of its declared size: zipfile grows its buffer step by step and then
    checks the CRC, which made up more than half of an .ods scan. This is a look before
    calamine, which checks the CRC itself when it reads the member; a declared size that lies
    only costs the growing again (and is never trusted beyond _SIZED_MAX). Anything else goes
    through zipfile."""
    info = zf.getinfo(name)
    if info.compress_type == zipfile.ZIP_DEFLATED and not info.flag_bits & 1:
        signature, name_len, extra_len = _LOCAL_HEADER.unpack_from(data, info.header_offset)
        if signature == b"PK\x03\x04":
            start = info.header_offset + _LOCAL_HEADER.size + name_len + extra_len
            size = info.file_size if 0 < info.file_size <= _SIZED_MAX else zlib.DEF_BUF_SIZE
            return zlib.decompress(data[start : start + info.compress_size], -15, size)
    return zf.read(name)


def sniff(data: bytes) -> tuple[str, zipfile.ZipFile | None]:
    """The file's real format from its content (xlsx, ods or xls) and, for the zip-based ones,
    the opened package (the scans look into it: its directory is read once). Raises
    UnreadableError."""
    head = data[:8]
    if not head:
        raise UnreadableError.said("empty")
    if head.startswith(_OLE2):
        if "EncryptedPackage".encode("utf-16-le") in data[: 1 << 20]:
            raise encrypted()
        return "xls", None
    if head.startswith(_ZIP):
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))  # over bytes in memory: nothing to close
            names = _unambiguous_names(zf)
            if "mimetype" in names and b"spreadsheet" in zf.read("mimetype")[:200]:
                manifest = "META-INF/manifest.xml"
                if manifest in names and b"encryption-data" in member(zf, data, manifest):
                    raise encrypted()  # LibreOffice's "Save with password"
                return "ods", zf
            if "xl/workbook.xml" in names:
                return "xlsx", zf
        except (
            zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, zlib.error,
            struct.error,
        ) as exc:  # fmt: skip
            raise corrupt() from exc
        raise UnreadableError.said("other_document")
    lowered = head.lower()
    if lowered.startswith((b"<", b"\xef\xbb\xbf<")):
        raise UnreadableError.said("html")
    if head.startswith(b"%PDF"):
        raise UnreadableError.said("pdf")
    raise UnreadableError.said("not_spreadsheet")


#: members that make a package an OpenDocument one, and an Office Open XML one (as LibreOffice,
#: Excel and calamine recognise them: names compared as calamine does, case and slashes aside)
_ODF_MEMBERS = ("mimetype", "content.xml")
_OOXML_MEMBERS = ("[content_types].xml", "xl/workbook.xml", "xl/workbook.bin")


def _unambiguous_names(zf: zipfile.ZipFile) -> set[str]:
    """The package's member names, refused when the package is two things at once: two
    members whose names meet when case and slashes are ignored (zipfile reads the last of one
    name, calamine another), or both an .ods and an .xlsx package in one zip (calamine reads
    the .xlsx, LibreOffice may show the .ods): no program's choice is taken for the truth."""
    names = zf.namelist()
    keys: dict[str, str] = {}
    for name in names:
        key = name.replace("\\", "/").lower()
        if key in keys:
            raise two_parts(name)
        keys[key] = name
    if any(k in keys for k in _ODF_MEMBERS) and any(k in keys for k in _OOXML_MEMBERS):
        raise two_workbooks()
    return set(names)


def own_workbook(zf: zipfile.ZipFile, data: bytes) -> bool:
    """Whether an .xlsx carries the mark of the workbooks this tool writes: its category,
    exactly (a keyword, a title or a description holding the words is not the mark)."""
    from shuangfu_cli.reading.xmlwalk import parse_part

    try:
        core = parse_part(member(zf, data, "docProps/core.xml"), "docProps/core.xml")
    except (KeyError, UnreadableError, OSError, ValueError, zlib.error, zipfile.BadZipFile,
            struct.error):  # fmt: skip
        return False
    category = core.find(f"{_CORE_NS}category")
    return category is not None and category.text == OWN_WORKBOOK_MARK


def open_workbook(data: bytes, fmt: str | None = None):
    """calamine's workbook over the bytes (from a file object calamine goes by the content).
    Only Exception subclasses are mapped here; a Rust panic (a BaseException) and an aborted
    allocation are the isolation's business (:mod:`shuangfu_cli.check.workers`)."""
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises several types; any failure means unreadable
        if "password" in str(exc).lower() or type(exc).__name__ == "PasswordError":
            raise encrypted() from exc
        if fmt == "xls" and _xls_encrypted(data):
            raise encrypted() from exc
        raise corrupt() from exc


def _xls_encrypted(data: bytes) -> bool:
    """An .xls saved with a password (RC4 / CryptoAPI), as msoffcrypto-tool tells it."""
    try:
        import msoffcrypto

        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except Exception:  # not even a readable compound file: damaged, not locked
        return False
