"""One bad file never stops the quarter: hostile files (a public fuzzing corpus, hand-made
abortions, a FIFO) each become one unreadable or invalid return with a reason, in workers that
may die, while every good town is still counted."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from shuangfu_cli.check.many_returns import validate_files
from shuangfu_cli.check.workers import Failure, Limits, run_isolated
from shuangfu_cli.district.rollup import rollup

CORPUS = Path(__file__).parent / "data" / "corpus"
SAMPLES = Path(__file__).resolve().parent.parent / "sample_returns"


def _rewrite(src: Path, dst: Path, part_filter, edit) -> Path:
    """Copy an .xlsx, passing the XML of the parts chosen by `part_filter` through `edit`."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if part_filter(info.filename):
                data = edit(data)
            zout.writestr(info, data)
    return dst


def _sheet_part(path: Path, sheet: str) -> str:
    """The zip part of a sheet of an .xlsx written by the template (openpyxl)."""
    with zipfile.ZipFile(path) as zf:
        names = re.findall(rb'<sheet [^>]*name="([^"]+)"', zf.read("xl/workbook.xml"))
    index = [n.decode() for n in names].index(sheet) + 1
    return f"xl/worksheets/sheet{index}.xml"


def _cli(*args, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "shuangfu_cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


# --- files that kill a parser ------------------------------------------------------------


def test_fuzzed_xls_that_panics_calamine_is_unreadable():
    (report,), _ = validate_files([CORPUS / "poi-fuzz-panic.xls"])
    assert report.status == "unreadable"
    message = report.findings[0].message("zh")
    assert "文件结构异常" in message and "另存为.xlsx" in message
    assert "PanicException" in report.findings[0].message("en")


def _lying_dimensions(src: Path, dst: Path) -> Path:
    """The .xls with every DIMENSIONS record declaring a sheet of 16 x 4 cells: the fast look
    for far cells (reading/xls.py) does not see its far cell; calamine still does."""
    data = bytearray(src.read_bytes())
    for m in re.finditer(rb"\x00\x02\x0e\x00(.{14})", bytes(data), re.S):
        data[m.start(1) : m.end(1)] = struct.pack("<IIHHH", 0, 16, 0, 4, 0)
    dst.write_bytes(bytes(data))
    return dst


def test_xls_that_needs_a_gigabyte_is_stopped_by_the_memory_ceiling(tmp_path):
    """poi-51535's gigabyte is a sheet reaching to row 65536: seen in its records, that sheet is
    hidden from calamine and the file is read (it is no return). With its records lying about
    the sheet's size, calamine asks for the gigabyte and the memory ceiling stops it."""
    (found,), _ = validate_files([CORPUS / "poi-51535-memory.xls"], limits=Limits(memory_mb=300))
    assert found.status == "unreadable" and "不是双扶季报表" in found.findings[0].message("zh")
    liar = _lying_dimensions(CORPUS / "poi-51535-memory.xls", tmp_path / "51535.xls")
    (report,), _ = validate_files([liar], limits=Limits(memory_mb=300))
    assert report.status == "unreadable"
    assert "内存超过了上限（300 MB）" in report.findings[0].message("zh")


def _string_bomb(src: Path, dst: Path) -> Path:
    """A LibreOffice-saved return whose shared strings declare 4,294,967,295 unique entries:
    calamine reserves room for them (103 GB) and aborts the process."""
    return _rewrite(
        src,
        dst,
        lambda name: name == "xl/sharedStrings.xml",
        lambda xml: re.sub(rb'uniqueCount="\d+"', b'uniqueCount="4294967295"', xml, count=1),
    )


def test_shared_strings_declaring_four_billion_entries_is_unreadable(make_return, resave, tmp_path):
    bomb = _string_bomb(resave(make_return(), "xlsx"), tmp_path / "柏梓镇_bomb.xlsx")
    (report,), _ = validate_files([bomb])
    assert report.status == "unreadable"
    assert "文件结构异常" in report.findings[0].message("zh")


def test_far_cell_is_named_whatever_the_attribute_order(make_return, tmp_path):
    """`<c t="inlineStr" r="XFD1048576">` is valid OOXML: the guard must not need r= first."""
    path = make_return()
    part = _sheet_part(path, "附件4 就业")
    far = b'<row r="1048576"><c t="inlineStr" r="XFD1048576"><is><t>x</t></is></c></row>'
    crafted = _rewrite(
        path,
        tmp_path / "far.xlsx",
        lambda name: name == part,
        lambda xml: xml.replace(b"</sheetData>", far + b"</sheetData>"),
    )
    (report,), _ = validate_files([crafted])
    assert [(f.code, f.sheet, f.cell) for f in report.findings] == [
        ("E_SHEET_TOO_LARGE", "附件4 就业", "XFD1048576")
    ]
    assert report.town == "柏梓镇"  # the rest of the return was read


def test_fifo_is_unreadable_at_once_as_a_return_and_as_previous(make_return, tmp_path):
    fifo = tmp_path / "柏梓镇_2020Q3.xlsx"
    os.mkfifo(fifo)
    good = make_return("柏梓镇", "2020Q4")
    start = time.monotonic()
    proc = _cli("validate", fifo, good, "--previous", fifo, timeout=60)
    assert time.monotonic() - start < 30
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert "不是普通文件" in proc.stdout
    assert "上期报表无法读取" in proc.stderr  # the FIFO as --previous: noted, not waited on


# --- the run goes on ---------------------------------------------------------------------


def test_rollup_over_a_folder_of_good_and_hostile_files_counts_every_good_town(
    make_return, resave, tmp_path
):
    folder = tmp_path / "收到的报表"
    folder.mkdir()
    for f in (SAMPLES / "2020Q4").glob("*.xlsx"):
        shutil.copy(f, folder)
    # four towns' returns replaced by hostile files named after them
    for town in ("柏梓镇", "崇龛镇", "桂林街道", "上和镇"):
        (folder / f"{town}_2020Q4.xlsx").unlink()
    shutil.copy(CORPUS / "poi-fuzz-panic.xls", folder / "柏梓镇_2020Q4.xls")
    shutil.copy(CORPUS / "poi-51535-memory.xls", folder / "崇龛镇_2020Q4.xls")
    _string_bomb(resave(make_return("桂林街道", "2020Q4"), "xlsx"), folder / "桂林街道_2020Q4.xlsx")
    os.mkfifo(folder / "上和镇_2020Q4.xlsx")

    baseline = rollup([SAMPLES / "2020Q4"], "2020Q4")
    result = rollup([folder, folder / "上和镇_2020Q4.xlsx"], "2020Q4", limits=Limits(jobs=2))
    hostile = {"柏梓镇", "崇龛镇", "桂林街道", "上和镇"}
    for town, state in result.towns.items():
        if town in hostile:
            assert state.status == "unreadable", town
            assert state.reports[0].findings[0].code == "E_UNREADABLE"
        else:
            assert state.status == baseline.towns[town].status, town
    counted = [t for t in baseline.valid_towns if t not in hostile]
    assert result.valid_towns == counted
    for code, total in result.totals.items():
        assert total == sum(baseline.by_town[t][code] for t in counted), code


def test_cli_rollup_with_hostile_files_exits_1_without_traceback(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "2020Q4" / "梓潼街道_2020Q4.xlsx", folder)
    shutil.copy(CORPUS / "poi-fuzz-panic.xls", folder / "柏梓镇_2020Q4.xls")
    proc = _cli("rollup", folder, "--period", "2020Q4", "--format", "json")
    assert proc.returncode == 1
    assert proc.stderr == ""  # nothing from the dying parser reaches the terminal
    assert '"柏梓镇": {\n      "status": "unreadable"' in proc.stdout
    assert '"梓潼街道": {\n      "status": "valid"' in proc.stdout


# --- the pool itself ---------------------------------------------------------------------


def _square(x):
    return x * x


def _sleep_if_odd(x):
    if x % 2:
        time.sleep(60)
    return x


def _abort_on_three(x):
    if x == 3:
        os.abort()
    return x


class _Unpicklable(BaseException):
    def __reduce__(self):
        raise TypeError("cannot be pickled")


def _raise_unpicklable(x):
    raise _Unpicklable("like pyo3's PanicException")


def test_results_come_back_in_input_order_from_several_workers():
    items = list(range(200))
    got = list(run_isolated(_square, items, Limits(jobs=2)))
    assert got == [(i, i * i) for i in items]


def test_a_worker_past_its_time_limit_fails_that_item_only():
    got = dict(run_isolated(_sleep_if_odd, range(4), Limits(jobs=2, timeout_s=1)))
    assert got[0] == 0 and got[2] == 2
    assert got[1] == Failure("timeout") and got[3] == Failure("timeout")


def test_an_aborting_worker_fails_that_item_only():
    got = dict(run_isolated(_abort_on_three, range(6), Limits(jobs=2)))
    assert isinstance(got.pop(3), Failure)
    assert got == {i: i for i in (0, 1, 2, 4, 5)}


def _print_and_return(x):
    print("from the worker", x)
    return [x] * 100_000  # bigger than a pipe's buffer


# as many items as workers: one forked process each, without the pool
def test_one_shot_workers_past_the_time_limit_fail_only_their_item():
    start = time.monotonic()
    got = dict(run_isolated(_sleep_if_odd, [0, 1], Limits(jobs=2, timeout_s=1)))
    assert got == {0: 0, 1: Failure("timeout")}
    assert time.monotonic() - start < 10


def test_one_shot_worker_that_aborts_is_a_failure_beside_a_good_one():
    got = dict(run_isolated(_abort_on_three, [3, 4], Limits(jobs=2)))
    assert got[3].kind == "memory" and "SIGABRT" in got[3].detail  # abort: an allocation refused
    assert got[4] == 4


def test_one_shot_results_larger_than_a_pipe_come_back_whole(capfd):
    got = dict(run_isolated(_print_and_return, [1, 2], Limits(jobs=2)))
    assert got == {1: [1] * 100_000, 2: [2] * 100_000}
    assert "from the worker" not in capfd.readouterr().out  # a worker's output is its own


def test_a_base_exception_that_cannot_travel_back_is_a_failure():
    ((_, result),) = list(run_isolated(_raise_unpicklable, [1], Limits(jobs=1)))
    assert result.kind == "crashed" and "_Unpicklable" in result.detail


def test_workers_can_be_spawned_where_fork_is_not_available(make_return):
    path = make_return("柏梓镇", "2020Q4")
    (forked,), _ = validate_files([path], limits=Limits(start_method="fork"))
    (spawned,), _ = validate_files([path], limits=Limits(start_method="spawn"))
    assert spawned.status == forked.status == "valid"
    assert spawned.values == forked.values
    assert spawned.read is None  # the parent keeps the slim report only


@pytest.mark.parametrize("jobs", [1, 2])
def test_validate_files_gives_the_same_reports_with_any_number_of_workers(jobs):
    files = sorted((SAMPLES / "2020Q4").glob("*.xlsx"))
    reports, _ = validate_files(files, limits=Limits(jobs=jobs))
    assert [r.file for r in reports] == [str(f) for f in files]
    in_process, _ = validate_files(files, limits=Limits(jobs=1))
    assert [(r.status, r.values) for r in reports] == [(r.status, r.values) for r in in_process]


@pytest.mark.libreoffice
@pytest.mark.parametrize("where", ["LAST", "A1048576"])
def test_stray_value_typed_far_away_in_libreoffice_is_named(make_return, lo_type, where):
    """Typed at the sheet's last cell or at A1048576 in Calc, saved as .ods and .xlsx: the
    sheet and the cell are named (.ods: calamine parses every sheet on opening, so the whole
    file is refused, with the place to mend; .xlsx: that sheet only)."""
    files = lo_type(make_return(), [["附件4 就业", where, "随手打的字"]], ("ods", "xlsx"))
    (ods, xlsx), _ = validate_files([files["ods"], files["xlsx"]])
    (finding,) = ods.findings
    assert ods.status == "unreadable" and finding.code == "E_UNREADABLE"
    assert finding.sheet == "附件4 就业" and re.fullmatch(r"[A-Z]{1,3}1048576", finding.cell)
    assert where in ("LAST", finding.cell)
    assert f"“附件4 就业”在很远的单元格{finding.cell}" in finding.message("zh")
    assert [(f.code, f.sheet, f.cell) for f in xlsx.findings] == [
        ("E_SHEET_TOO_LARGE", "附件4 就业", finding.cell)
    ]


@pytest.mark.libreoffice
def test_stray_value_typed_at_the_last_cell_of_an_xls_is_named_and_the_rest_read(
    make_return, lo_type
):
    """An .xls: calamine parses every sheet on opening, and IV65536 (the last cell of a BIFF8
    sheet) made it ask for 16.7 million cells — the worker was stopped at the memory ceiling
    with no cell named. The sheet is named with the cell, as in an .xlsx, and the rest of the
    return is read: an error value typed elsewhere is still told; the same keystroke on a sheet
    never read (指标解释) does no harm."""
    from shuangfu_cli.writing.fill import locate

    path = make_return()
    workers = locate(path, ("workshops", 0, "workers"))
    edits = [["附件4 就业", "IV65536", "x"], ["指标解释", "IV65536", "x"], [*workers, "=1/0"]]
    (report,), _ = validate_files([lo_type(path, edits, ("xls",))["xls"]])
    assert sorted((f.code, f.sheet, f.cell) for f in report.findings) == [
        ("E_ERROR_VALUE", *workers),
        ("E_SHEET_TOO_LARGE", "附件4 就业", "IV65536"),
    ]
    assert report.town == "柏梓镇" and report.read is None
    assert "IV65536" in next(f for f in report.findings if f.cell == "IV65536").message("zh")


# --- the command ended by a signal ---------------------------------------------------------

#: the real command, with what its workers do made slow: reading a return (a file that takes
#: long to read) or saving a feedback copy (a large one)
_SLOW_COMMAND = """
import sys, time
import openpyxl.workbook.workbook as book
import shuangfu_cli.check.many_returns as batch
read, save = batch._check_in_worker, book.Workbook.save
def slow_read(path):
    time.sleep(120)
    return read(path)
def slow_save(self, filename):
    save(self, filename)
    time.sleep(120)
if sys.argv[1] == "read":
    batch._check_in_worker = slow_read
else:
    book.Workbook.save = slow_save
from shuangfu_cli.cli.entry import main
main(sys.argv[3:])  # argv[2]: the test's mark on every process of the run
"""


def _marked(mark: str) -> set[int]:
    """The running processes whose command line carries `mark` (the command and every worker
    it forked, however late), from /proc; a zombie has ended (only not waited for yet)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if mark.encode() not in (entry / "cmdline").read_bytes():
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            found.add(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
@pytest.mark.parametrize(
    "signame, slow, args",
    [
        ("SIGTERM", "read", ["validate", "ONE"]),  # one file: a forked worker, no pool
        ("SIGTERM", "read", ["validate", "ALL", "--jobs", "2"]),  # the pool
        ("SIGHUP", "read", ["rollup", "ALL", "--period", "2020Q4", "--jobs", "2"]),
        ("SIGINT", "read", ["trend", "ALL", "--jobs", "2"]),
        ("SIGTERM", "save", ["validate", "ALL", "--jobs", "2", "--annotate", "OUT"]),
    ],
)
def test_no_worker_outlives_the_command_ended_by_a_signal(tmp_path, signame, slow, args):
    """SIGTERM, SIGHUP (a closed terminal) or Ctrl-C while workers read returns or write
    feedback copies: the command ends, every worker with it, well inside --timeout, and no
    half-written copy is left."""
    import signal

    folder = SAMPLES / "2020Q4"
    out = tmp_path / "审核意见"
    where = {"ONE": str(folder / "柏梓镇_2020Q4.xlsx"), "ALL": str(folder), "OUT": str(out)}
    mark = f"shuangfu-signal-test-{os.getpid()}-{tmp_path.name}"
    cmd = [sys.executable, "-c", _SLOW_COMMAND, slow, mark, *(where.get(a, a) for a in args)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (
            len(_marked(mark)) > 1 and (slow == "read" or list(out.glob(".*.tmp")))
        ):
            time.sleep(0.05)
        assert len(_marked(mark)) > 1, "the command started no worker"
        time.sleep(0.3)
        proc.send_signal(getattr(signal, signame))
        proc.wait(timeout=20)
        stderr = proc.stderr.read().decode()
        expected = 130 if signame == "SIGINT" else -getattr(signal, signame)
        assert proc.returncode == expected, stderr
        assert "Traceback" not in stderr
        time.sleep(0.5)  # a worker the pool forked as the others ended would be up by now
        assert not _marked(mark)
    finally:  # a failure leaves nothing running (these sleep for minutes)
        for pid in _marked(mark):
            os.kill(pid, signal.SIGKILL)
        proc.wait()
    assert not list(out.glob(".*.tmp"))


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
@pytest.mark.parametrize("jobs, memory_mb", [(1000, 512), (2, 65536)])
def test_jobs_beyond_what_the_machine_allows_are_lowered_with_a_note(jobs, memory_mb):
    """--jobs 1000 on two CPUs took 4.5 times the default's time and 5 GB; --jobs N whose
    memory ceilings the memory left cannot hold risks the OOM killer ending the run. Never
    more workers than the CPUs available and the memory left at --max-memory each; a note
    says so (and nothing when the machine allows what was asked)."""
    import json

    from shuangfu_cli.check.machine import allowed_workers

    allowed = allowed_workers(memory_mb)
    mark = f"shuangfu-jobs-test-{os.getpid()}-{jobs}"
    cmd = [sys.executable, "-c", "import sys; from shuangfu_cli.cli.entry import main; "
           "main(sys.argv[2:])", mark, "validate", str(SAMPLES / "2020Q4"), "--jobs", str(jobs),
           "--max-memory", str(memory_mb), "--format", "json", "--lang", "en"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    most = 0
    while proc.poll() is None:
        most = max(most, len(_marked(mark)) - 1)  # the command itself is not a worker
        time.sleep(0.01)
    out, err = proc.communicate()
    assert proc.returncode == 1, err  # the samples' invalid returns, as with the default
    assert len(json.loads(out)["returns"]) == 22
    assert 1 <= most <= allowed
    note = f"--jobs {jobs} is more than this machine allows: reading with {allowed} "
    assert (note in err) == (jobs > allowed), err
