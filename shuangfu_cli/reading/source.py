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


class OwnOutputError(UnreadableError):
    own_output = True

    def __init__(self):
        super().__init__(
            "这是本工具生成的区汇总表，不是镇街报表，已跳过",
            "this is a rollup workbook written by this tool, not a town's return: skipped",
        )


RESAVE_ZH = "请用Excel或WPS打开该文件，另存为.xlsx后重新报送"
RESAVE_EN = "open it in Excel or WPS, save it as .xlsx and send it again"


def two_workbooks() -> UnreadableError:
    return UnreadableError(
        "这个文件里同时装着.xlsx和.ods两份表格，不同的软件打开会看到不同的数据，无法确定以哪份为准；"
        + RESAVE_ZH,
        "the file holds both an .xlsx and an .ods workbook, and programs differ on which one "
        "they show, so it cannot be read: " + RESAVE_EN,
    )


def two_parts(name: str) -> UnreadableError:
    return UnreadableError(
        f"文件内部有两个同名的部分（“{name}”），不同的软件会读取不同的一个，无法确定以哪个为准；"
        + RESAVE_ZH,
        f"the file holds two parts named '{name}', and programs differ on which one they read, "
        "so it cannot be read: " + RESAVE_EN,
    )


def corrupt() -> UnreadableError:
    return UnreadableError(
        "文件已损坏，无法打开；请重新保存或重新发送",
        "the file is damaged and cannot be opened: save or send it again",
    )


def encrypted() -> UnreadableError:
    return UnreadableError(
        "文件设置了打开密码（已加密），请去掉密码后重新保存再报送",
        "the file is password-protected (encrypted): remove the password and save again",
    )


def read_bytes(path: Path) -> bytes:
    """The whole content of a regular file. Raises UnreadableError for anything else."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except IsADirectoryError as exc:
        raise UnreadableError("这是一个文件夹，不是文件", "this is a folder, not a file") from exc
    except OSError as exc:
        raise UnreadableError(
            f"文件打不开（{exc.strerror}）", f"cannot open ({exc.strerror})"
        ) from exc
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise UnreadableError("这是一个文件夹，不是文件", "this is a folder, not a file")
        if not stat.S_ISREG(st.st_mode):
            raise UnreadableError(
                "这不是普通文件（而是管道、设备或套接字），不能作为报表读取",
                "this is not a regular file (a pipe, device or socket): it cannot be a return",
            )
        if st.st_size > MAX_FILE_BYTES:
            raise UnreadableError(
                f"文件过大（{st.st_size >> 20} MB），季报表不会超过{MAX_FILE_BYTES >> 20} MB；"
                "请删除表中的图片等多余内容后重新保存",
                f"the file is too large ({st.st_size >> 20} MB, a return is under "
                f"{MAX_FILE_BYTES >> 20} MB): remove pictures and other extra content",
            )
        with os.fdopen(fd, "rb", closefd=True) as fh:
            fd = -1
            # the size it has (a read of the ceiling would allocate 100 MB for every file),
            # then whatever it grew by since, up to the ceiling
            data = fh.read(st.st_size + 1)
            if len(data) > st.st_size:
                data += fh.read(MAX_FILE_BYTES + 1 - len(data))
    except OSError as exc:
        raise UnreadableError(
            f"文件读取失败（{exc.strerror}）", f"cannot read ({exc.strerror})"
        ) from exc
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > MAX_FILE_BYTES:  # grew while being read
        raise UnreadableError("文件在读取时还在变大", "the file kept growing while being read")
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
        raise UnreadableError("文件是空的（0字节）", "the file is empty (0 bytes)")
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
        raise UnreadableError(
            "这是一个压缩文件或Word等其他文档，不是Excel/WPS表格",
            "this is a zip archive or another kind of document, not a spreadsheet",
        )
    lowered = head.lower()
    if lowered.startswith((b"<", b"\xef\xbb\xbf<")):
        raise UnreadableError(
            "这是网页（HTML/XML）文件，不是真正的Excel表格；请在Excel或WPS中“另存为”.xlsx格式后再报送",
            "this is an HTML/XML page saved with a spreadsheet name: save it as .xlsx in Excel or WPS",
        )
    if head.startswith(b"%PDF"):
        raise UnreadableError("这是PDF文件，不是Excel表格", "this is a PDF, not a spreadsheet")
    raise UnreadableError(
        "不是Excel/WPS表格文件（可能是文本或其他格式），请用区里下发的模板填报并保存为.xlsx",
        "not a spreadsheet (text or another format): fill in the template and save as .xlsx",
    )


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
