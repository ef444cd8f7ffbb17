"""The output guard: every file the tool writes goes through here.

- An output is never an input, a previous return or another output of the same run — compared
  as the same file (device and inode, or the same resolved place for a file not yet there), not
  as the same spelling (:func:`check_outputs`).
- A target that is a directory, a symlink, a FIFO, a device or a socket is refused; a regular
  file is replaced only as a whole (:func:`atomic_path`).
- The file is written beside its target under a temporary name and renamed over it in one
  step, with the permissions any new file gets under the user's umask. The temporary file is
  removed on any error, on Ctrl-C and on SIGTERM (see stdout.py). Its name fits wherever the
  target's does: the target's name in it is shortened as need be (:func:`fit_name`).
- A write that fails for want of room (a full disk or temporary folder, ``ulimit -f``, a
  quota) is an OSError whatever library met it, and leaves nothing behind to complain at exit
  (:func:`_release`).
"""

from __future__ import annotations

import errno
import gc
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from shuangfu_cli.text.sanitize import show_path
from shuangfu_cli.text.words import LANGS, both, say


class OutputError(Exception):
    """An output that must not be written; the message says why, in Chinese and English."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


def _identity(path: Path) -> tuple:
    """What makes two spellings the same file: (device, inode) when it exists, else the
    resolved location (symlinks and .. followed)."""
    try:
        st = os.stat(path)
        return ("inode", st.st_dev, st.st_ino)
    except OSError:
        return ("path", os.path.realpath(path))


def _files_under(paths: Iterable[Path]) -> Iterator[Path]:
    for p in paths:
        if Path(p).is_dir():
            for root, _dirs, names in os.walk(p):
                for name in names:
                    yield Path(root) / name
        else:
            yield Path(p)


def check_outputs(outputs: Iterable[Path | None], inputs: Iterable[Path] = ()) -> None:
    """Refuse (OutputError) an output that is one of the inputs (files, or files inside the
    folders given), or that two outputs are the same file."""
    seen: dict[tuple, Path] = {}
    for p in _files_under(inputs):
        seen.setdefault(_identity(p), p)
    outs: dict[tuple, Path] = {}
    for out in outputs:
        if out is None:
            continue
        key = _identity(Path(out))
        if key in seen:
            raise OutputError(
                *both("output", "is_input", out=show_path(out), input=show_path(seen[key]))
            )
        if key in outs:
            raise OutputError(
                *both("output", "same_file", first=show_path(outs[key]), second=show_path(out))
            )
        outs[key] = Path(out)


def _too_long(path: Path, limit: int) -> OutputError:
    part = max(Path(path).parts, key=name_bytes)
    size = name_bytes(part)
    return OutputError(*both("output", "too_long", name=show_path(part), size=size, limit=limit))


def check_name(path: Path) -> None:
    """Refuse (OutputError) a path with a file or folder name longer than the file system
    allows, naming it, before anything is looked at or made."""
    limit = name_max(Path(path).parent)
    if any(name_bytes(part) > limit for part in Path(path).parts):
        raise _too_long(path, limit)


def unusable(path: Path, exc: OSError) -> OutputError:
    """Why an output path cannot even be looked at: a name too long for its file system, or
    what the system says."""
    if exc.errno == errno.ENAMETOOLONG:
        return _too_long(path, name_max(Path(path).parent))
    return OutputError(*both("output", "cannot_write", path=show_path(path), why=exc.strerror))


def check_target(target: Path) -> None:
    """Refuse a target that is not a regular file (or not there yet), whose folder is
    missing, or whose name is too long."""
    check_name(target)
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        if not Path(target).parent.is_dir():
            raise OutputError(
                *both("output", "no_folder", folder=show_path(Path(target).parent))
            ) from None
        return
    except OSError as exc:
        raise unusable(target, exc) from None
    kinds = [
        (stat.S_ISDIR, "folder"),
        (stat.S_ISLNK, "link"),
        (stat.S_ISFIFO, "pipe"),
        (stat.S_ISCHR, "device"),
        (stat.S_ISBLK, "device"),
        (stat.S_ISSOCK, "socket"),
    ]
    for test, kind in kinds:
        if test(st.st_mode):
            zh, en = (
                say(lang, "output", "not_regular", path=show_path(target),
                    kind=say(lang, "file_kind", kind))
                for lang in LANGS
            )  # fmt: skip
            raise OutputError(zh, en)


#: temporary files being written now, with the process writing each: removed by
#: :func:`remove_pending` when that process is terminated (a signal handler may not raise into
#: arbitrary code, so it cannot rely on the ``except`` below; a forked worker inherits the
#: table and must not remove its parent's files)
_PENDING: dict[Path, int] = {}


def remove_pending() -> None:
    """Remove this process's half-written outputs, and the sheets openpyxl is writing into the
    temporary folder (its own clean-up runs at a normal exit only)."""
    me = os.getpid()
    pending = [tmp for tmp, writer in list(_PENDING.items()) if writer == me]
    sheets = sys.modules.get("openpyxl.worksheet._writer")
    if pending and sheets is not None:
        pending += [Path(p) for p in list(getattr(sheets, "ALL_TEMP_FILES", ()))]
    for tmp in pending:
        try:
            tmp.unlink()
        except OSError:
            pass


#: the longest file name most file systems allow, in bytes (ext4, XFS, btrfs, APFS; NTFS and
#: exFAT count 255 UTF-16 units, never fewer than 255 bytes of UTF-8 would hold)
NAME_MAX = 255


def name_bytes(name: str) -> int:
    """A file name's length as the file system counts it (bytes, on POSIX)."""
    return len(os.fsencode(name))


def name_max(folder: Path) -> int:
    """The longest file name the file system of `folder` (or of the nearest folder above it
    that is there) allows, in bytes."""
    where = Path(folder).absolute()
    while not os.path.isdir(where) and where != where.parent:  # isdir: False for a bad name
        where = where.parent
    try:
        return min(os.pathconf(where, "PC_NAME_MAX"), 4096)
    except (AttributeError, OSError, ValueError):  # Windows, or a file system that won't say
        return NAME_MAX


def fit_name(name: str, limit: int) -> str:
    """`name` cut to at most `limit` bytes (see :func:`name_bytes`), at a character's end: a
    UTF-8 character is never cut in two."""
    if name_bytes(name) <= limit:
        return name
    kept, size = [], 0
    for ch in name:
        size += name_bytes(ch)
        if size > limit:
            break
        kept.append(ch)
    return "".join(kept)


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target` in one step.
    Raises OutputError for a target that is not a regular file."""
    target = Path(target)
    check_target(target)
    tail = f".{os.urandom(4).hex()}.tmp"
    room = name_max(target.parent) - name_bytes("." + tail)
    tmp = target.parent / f".{fit_name(target.name, room)}{tail}"
    # O_EXCL: never follow or reuse anything already there; 0o666: the umask decides the rest
    _PENDING[tmp] = os.getpid()
    from shuangfu_cli.writing.stdout import terminable_here

    undo = terminable_here()  # in a worker, SIGTERM removes the temporary file too
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        os.close(fd)
        yield tmp
        check_target(target)  # it may have become something else while we wrote
        os.replace(tmp, target)
    except BaseException as exc:
        _release(exc)
        tmp.unlink(missing_ok=True)
        failed = as_os_error(exc)
        if failed is exc:
            raise
        raise failed from None
    finally:
        _PENDING.pop(tmp, None)
        undo()


def as_os_error(exc: BaseException) -> BaseException:
    """An I/O failure met by lxml's serialiser (openpyxl writes each sheet through it into a
    file in the temporary folder) as the OSError it is: ``SerialisationError('IO_ENOSPC')`` ->
    ENOSPC, naming that folder; anything else unchanged."""
    text = str(exc)
    if type(exc).__name__ != "SerialisationError" or not text.startswith("IO_"):
        return exc
    import tempfile

    code = getattr(errno, text[3:], None)
    if not isinstance(code, int):  # IO_WRITE, IO_FLUSH …: an I/O error all the same
        return OSError(errno.EIO, f"{os.strerror(errno.EIO)} ({text})", tempfile.gettempdir())
    return OSError(code, os.strerror(code), tempfile.gettempdir())


def _release(exc: BaseException) -> None:
    """Close now, silently, what the failed writer left open on the temporary file (openpyxl's
    ZipFile, lxml's sheet writer): the frames of the traceback hold them, and closing them at
    exit would write to the full disk again and print "Exception ignored in ZipFile.__del__"
    with a traceback after the command's one-line message."""
    import traceback

    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        seen = set()
        link: BaseException | None = exc
        while link is not None and id(link) not in seen:
            seen.add(id(link))
            traceback.clear_frames(link.__traceback__)
            link = link.__context__
        gc.collect()
    finally:
        sys.unraisablehook = hook
