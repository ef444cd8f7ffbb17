"""What the tool writes never destroys, corrupts or leaks: runs over copies of the sample
returns with traps planted (outputs naming inputs, control characters typed in cells, file
names that are not UTF-8, hostile consoles), checked by input hashes, by opening the outputs,
by scanning the terminal stream and by file modes."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from shuangfu_cli.text.sanitize import for_markdown, for_terminal, for_xlsx, show_path
from shuangfu_cli.writing.guard import OutputError, atomic_path

SAMPLES = Path(__file__).resolve().parent.parent / "sample_returns"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _cli(*args, cwd=None, env=None, umask=None, stdout=subprocess.PIPE, shell_suffix=None):
    cmd = [sys.executable, "-m", "shuangfu_cli", *map(os.fsdecode, args)]
    if shell_suffix is not None:  # run through a shell to close or redirect stdout
        import shlex

        line = " ".join(shlex.quote(c) for c in cmd) + " " + shell_suffix
        return subprocess.run(
            ["bash", "-c", (f"umask {umask:o}; " if umask is not None else "") + line],
            capture_output=True, text=True, timeout=300, env=env, cwd=cwd,
        )  # fmt: skip
    preexec = (lambda: os.umask(umask)) if umask is not None else None
    return subprocess.run(
        cmd, stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=300,
        env=env, cwd=cwd, preexec_fn=preexec, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def received(tmp_path) -> Path:
    """A copy of the 22 sample returns of 2020Q4, the only copy the office has."""
    folder = tmp_path / "收到的报表"
    shutil.copytree(SAMPLES / "2020Q4", folder)
    return folder


# --- 1. inputs are sacred ----------------------------------------------------------------


def test_template_all_over_the_received_returns_replaces_none_of_them(received):
    before = _hashes(received)
    proc = _cli("template", "--all", "--period", "2020Q4", "-o", received)
    assert proc.returncode == 1
    assert _hashes(received) == before
    assert proc.stderr.count("已存在，未覆盖") == 22
    forced = _cli("template", "--all", "--period", "2020Q4", "-o", received, "--force")
    assert forced.returncode == 0 and _hashes(received) != before


@pytest.mark.parametrize(
    "outputs",
    [
        lambda d, prev: ["-o", d / "柏梓镇_2020Q4.xlsx"],
        lambda d, prev: ["-o", d / ".." / d.name / "./柏梓镇_2020Q4.xlsx"],  # another spelling
        lambda d, prev: ["--bulletin", prev / "柏梓镇_2020Q3.xlsx"],
        lambda d, prev: ["-o", d.parent / "same.xlsx", "--bulletin", d.parent / "same.xlsx"],
    ],
    ids=["output-is-input", "same-file-other-spelling", "bulletin-is-previous", "two-outputs"],
)
def test_rollup_refuses_an_output_that_is_an_input_or_another_output(received, tmp_path, outputs):
    previous = tmp_path / "上季度"
    shutil.copytree(SAMPLES / "2020Q3", previous)
    before = _hashes(received) | {f"prev/{k}": v for k, v in _hashes(previous).items()}
    args = outputs(received, previous)
    proc = _cli("rollup", received, "--period", "2020Q4", "--previous", previous, *args)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "同一个文件" in proc.stderr or "就是输入的报表" in proc.stderr
    after = _hashes(received) | {f"prev/{k}": v for k, v in _hashes(previous).items()}
    assert after == before
    assert not (tmp_path / "same.xlsx").exists()


def test_a_symlinked_output_folder_is_seen_through(received, tmp_path):
    link = tmp_path / "link"
    link.symlink_to(received)
    proc = _cli("rollup", received, "--period", "2020Q4", "-o", link / "崇龛镇_2020Q4.xlsx")
    assert proc.returncode == 2 and "就是输入的报表" in proc.stderr


# --- 2. writes like a careful program ----------------------------------------------------


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_outputs_get_the_permissions_of_any_new_file(received, tmp_path, umask):
    out, md = tmp_path / "区汇总.xlsx", tmp_path / "通报.md"
    proc = _cli("rollup", received, "--period", "2020Q4", "-o", out, "--bulletin", md, umask=umask)
    assert proc.returncode in (0, 1), proc.stderr
    for p in (out, md):
        assert stat.S_IMODE(p.stat().st_mode) == 0o666 & ~umask
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize("kind", ["symlink", "folder", "fifo"])
def test_an_output_that_is_not_a_regular_file_is_refused(received, tmp_path, kind):
    target = tmp_path / "out.xlsx"
    elsewhere = tmp_path / "elsewhere.xlsx"
    elsewhere.write_bytes(b"keep me")
    if kind == "symlink":
        target.symlink_to(elsewhere)
    elif kind == "folder":
        target.mkdir()
    else:
        os.mkfifo(target)
    proc = _cli("rollup", received, "--period", "2020Q4", "-o", target)
    assert proc.returncode == 2, proc.stderr
    assert "不是普通文件" in proc.stderr
    assert elsewhere.read_bytes() == b"keep me"
    assert os.path.lexists(target) and not target.is_file() or kind == "symlink"


def test_a_failed_or_interrupted_write_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "out.xlsx"
    for interruption in (RuntimeError("disk trouble"), KeyboardInterrupt(), SystemExit(143)):
        with pytest.raises(type(interruption)), atomic_path(target) as tmp:
            tmp.write_bytes(b"half")
            raise interruption
        assert list(tmp_path.iterdir()) == []


def test_names_at_the_limit_are_written_and_longer_ones_refused_in_one_line(received, tmp_path):
    """A name of 255 bytes (the most ext4 allows; Chinese is 3 bytes a character) is written:
    its temporary file beside it gets a name that fits, cut at a character's end. One byte
    more is refused before any work, naming the name, as a usage error."""
    from shuangfu_cli.writing.guard import name_max

    outs = tmp_path / "outputs"
    outs.mkdir()
    assert name_max(outs) == 255
    fits = outs / ("扶" * 83 + "x.xlsx")  # 255 bytes
    assert len(fits.name.encode()) == 255
    seen = []
    with atomic_path(fits) as tmp:
        seen.append(tmp.name)
        tmp.write_bytes(b"whole")
    assert fits.read_bytes() == b"whole" and len(seen[0].encode()) <= 255
    assert seen[0].startswith(".扶") and seen[0].encode().decode("utf-8")
    fits.unlink()
    proc = _cli("rollup", received, "--period", "2020Q4", "-o", fits)
    assert proc.returncode == 1, proc.stderr
    assert load_workbook(fits).sheetnames and list(outs.iterdir()) == [fits]
    too_long = outs / ("扶" * 83 + "xx.xlsx")
    for option, target in (("-o", too_long), ("--annotate", too_long / "意见")):
        proc = _cli("rollup", received, "--period", "2020Q4", option, target, "--lang", "en")
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert "is too long (256 bytes, at most 255 here)" in proc.stderr
    assert list(outs.iterdir()) == [fits]


def test_sigterm_during_a_rollup_leaves_no_temporary_file(received, tmp_path):
    """SIGTERM is an exit: the atomic write's cleanup runs wherever the command is."""
    import signal
    import time

    out = tmp_path / "区汇总.xlsx"
    cmd = [sys.executable, "-m", "shuangfu_cli", "rollup", str(received), "--period", "2020Q4"]
    for delay in (0.4, 0.8, 1.2):
        proc = subprocess.Popen(
            [*cmd, "-o", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        assert proc.returncode in (143, -15, 0, 1)
        assert "Traceback" not in proc.stderr.read().decode()
        assert not list(tmp_path.glob(".*.tmp"))


# --- 3-4. what a return's text may do to the outputs ------------------------------------

TRAPS = {
    "workshop": "车间_x000B_二号\u202egnp.exe",  # Word's line break, a right-to-left override
    "town": "崇龛镇(联系人 李娟 13800000000)_x001B_[2J_x001B_]8;;http://x_x0007_",
    "count": "12_x0007_",
}


def _trapped(make_return, folder: Path) -> Path:
    """柏梓镇's return with control characters typed into cells (stored as _xHHHH_ escapes, as
    Excel stores them), and a cover naming a person and a phone instead of an unknown town."""

    def mutate(figures, lists, cover):
        lists["workshops"][0]["name"] = "TRAP_WORKSHOP"
        cover["town"] = "TRAP_TOWN"

    path = make_return("柏梓镇", "2020Q4", mutate)
    dst = folder / "柏梓镇_2020Q4.xlsx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            for key, text in (("TRAP_WORKSHOP", TRAPS["workshop"]), ("TRAP_TOWN", TRAPS["town"])):
                data = data.replace(key.encode(), text.encode())
            zout.writestr(info, data)
    return dst


def test_text_typed_in_returns_cannot_break_or_leak_through_any_output(
    make_return, received, tmp_path
):
    (received / "柏梓镇_2020Q4.xlsx").unlink()
    _trapped(make_return, received)
    gbk_name = os.fsencode(received) + b"/\xb0\xd8\xe8\xf7\xd5\xf2.xlsx"  # 柏梓镇 in GBK
    shutil.copy(SAMPLES / "2020Q4" / "崇龛镇_2020Q4.xlsx", gbk_name)
    (received / "崇龛镇_2020Q4.xlsx").unlink()
    shutil.copy(SAMPLES / "2020Q4" / "上和镇_2020Q4.xlsx", received / "上和:warning:镇.xlsx")
    hostile = "花岩镇\r## 注入 [点我](javascript:alert(1)) <img src=x onerror=alert(1)> | y.xlsx"  # a Q3 return, listed
    shutil.move(received / "花岩镇_2020Q4.xlsx", received / hostile)
    out, md = tmp_path / "区汇总.xlsx", tmp_path / "通报.md"
    proc = _cli("rollup", received, "--period", "2020Q4", "-o", out, "--bulletin", md)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    # the terminal: no control or bidi characters, no emoji
    assert not CONTROL.search(proc.stdout + proc.stderr)
    assert "\u26a0" not in proc.stdout and ":warning:" in proc.stdout
    # the workbook opens, and the quoted cover text is shortened in the findings list only
    wb = load_workbook(out)
    summary = "\n".join(str(c.value) for c in wb["报送情况"]._cells.values())
    assert "13800000000" not in summary and "李娟" not in summary
    assert "\ufffd\ufffd" in summary  # the GBK file name, with replacement characters
    # the bulletin: one line per row, no heading injected, no link, nothing personal
    text = md.read_text(encoding="utf-8")
    assert "李娟" not in text and "13800000000" not in text
    assert not CONTROL.search(text)
    for line in text.splitlines():
        if line.startswith("|"):
            assert line.endswith("|")
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or ()}
    assert not kinds & {"link_open", "html_inline", "html_block"}
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert len(headings) == 6 and not any("注入" in h for h in headings)
    assert "花岩镇" in text and "点我" not in text  # the town is named, never its file


@pytest.mark.libreoffice
def test_the_workbook_with_trapped_text_opens_in_libreoffice(
    make_return, received, tmp_path, resave
):
    (received / "柏梓镇_2020Q4.xlsx").unlink()
    _trapped(make_return, received)
    out = tmp_path / "区汇总.xlsx"
    proc = _cli("rollup", received, "--period", "2020Q4", "-o", out)
    assert proc.returncode == 1, proc.stderr
    again = load_workbook(resave(out, "xlsx"))
    assert "问题清单" in again.sheetnames


def test_sanitisers():
    assert for_xlsx("a\x0bb\x1bc") == "a\ufffdb\ufffdc" and for_xlsx(12) == 12
    md = for_markdown("x\r## h <b>[t](http://e) | y")
    assert "\n" not in md and "\r" not in md and "<b>" not in md and "](" not in md
    assert "\\|" in md and "\\[" in md
    assert for_terminal("ok\x1b[31mred\u202e") == "ok\ufffd[31mred"
    assert show_path(os.fsdecode(b"/tmp/\xb0\xd8.xlsx")) == "/tmp/\ufffd\ufffd.xlsx"


#: every kind of character XML 1.0 cannot hold or discourages, as calamine passes it on
NOT_XML = "\x01\x0b\x7f\x85\ufdd0\ufffe\uffff\U0001fffe\U0010ffff"
_NOT_XML = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\U0001fffe\U0010ffff]"
)


def test_every_sanitiser_replaces_what_xml_cannot_hold():
    from shuangfu_cli.text.sanitize import for_csv, for_xml

    lone = "\ud800x\udfff"  # lone surrogates: no UTF-8 encoder takes them
    for clean in (for_xml, for_xlsx, for_terminal, for_markdown, for_csv):
        text = str(clean(f"a{NOT_XML}b{lone}"))
        assert not _NOT_XML.search(text) and text.startswith("a") and "b" in text, clean
        text.encode("utf-8")


def _not_xml_return(make_return, folder: Path) -> Path:
    """柏梓镇's return with U+FFFE, U+FFFF and other characters no XML may hold in its cells
    (a figure, a workshop, who filled it in), as bytes calamine reads and passes on, and in
    its file name."""

    def mutate(figures, lists, cover):
        figures["EDU_COLLEGE_FUNDED"] = "TRAP_NUMBER"
        lists["workshops"][0]["name"] = "TRAP_WORKSHOP"
        cover["preparer"] = "TRAP_PREPARER"

    traps = {
        "TRAP_NUMBER": "12\ufffe",
        "TRAP_WORKSHOP": "车间\uffff\U0001fffe",
        "TRAP_PREPARER": "张三\ufffe",
    }
    path = make_return("柏梓镇", "2020Q4", mutate)
    dst = folder / "柏梓镇\uffff\ufdd0_2020Q4.xlsx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            for key, text in traps.items():
                data = data.replace(key.encode(), text.encode())
            zout.writestr(info, data)
    return dst


def _xml_parts(path: Path) -> dict[str, str]:
    """Every XML part of a package, each parsed by a strict XML 1.0 parser (expat)."""
    from xml.etree import ElementTree

    parts = {}
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.endswith((".xml", ".rels", ".vml")):
                data = zf.read(name)
                ElementTree.fromstring(data)  # raises on anything XML 1.0 forbids
                parts[name] = data.decode("utf-8")
    return parts


def test_characters_no_xml_may_hold_never_stop_an_output(make_return, received, tmp_path):
    """U+FFFE and its kind in a file name and in cells: the rollup workbook, the Word
    bulletin (its 抄送 given on the command line with them), the feedback copy, JUnit and
    SARIF are all written, each well-formed XML (or JSON), the characters replaced."""
    import json
    from xml.etree import ElementTree

    (received / "柏梓镇_2020Q4.xlsx").unlink()
    _not_xml_return(make_return, received)
    book, doc, out = tmp_path / "区汇总.xlsx", tmp_path / "通报.docx", tmp_path / "feedback"
    proc = _cli(
        "rollup", received, "--period", "2020Q4", "-o", book, "--bulletin", doc,
        "--copy-to", f"区委办公室{NOT_XML}", "--annotate", out,
    )  # fmt: skip
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    (copy,) = [p for p in out.iterdir() if p.name.startswith("柏梓镇")]
    for written in (book, doc, copy):
        text = "".join(_xml_parts(written).values())
        assert not _NOT_XML.search(text) and not re.search(r"&#(6553[45]|1[0-9]);", text)
        assert "\ufffd" in text or "&#65533;" in text, written  # the name or cell, replaced
    assert "区委办公室\ufffd" in _xml_parts(doc)["word/document.xml"]
    cells = {c.value for ws in load_workbook(copy) for row in ws.iter_rows() for c in row}
    assert "12\ufffd" in cells and "车间\ufffd\ufffd" in cells

    junit = _cli("validate", received, "--format", "junit")
    assert junit.returncode == 1 and junit.stderr == "", junit.stderr
    root = ElementTree.fromstring(junit.stdout.encode())
    assert any("柏梓镇\ufffd\ufffd_2020Q4" in c.get("name") for c in root.iter("testcase"))
    sarif = _cli("validate", received, "--format", "sarif")
    assert sarif.returncode == 1 and sarif.stderr == "", sarif.stderr
    assert not _NOT_XML.search(sarif.stdout) and "12\ufffd" in sarif.stdout
    json.loads(sarif.stdout)


# --- 5. every console --------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["ascii", "gbk"])
def test_consoles_that_cannot_encode_the_marks_get_ascii_ones(received, encoding):
    env = dict(os.environ, PYTHONIOENCODING=encoding)
    cmd = [sys.executable, "-m", "shuangfu_cli", "rollup", str(received), "--period", "2020Q4"]
    proc = subprocess.run(cmd, capture_output=True, env=env, timeout=300)
    assert proc.returncode == 1, proc.stderr
    out, err = proc.stdout.decode(encoding), proc.stderr.decode(encoding)
    assert "Traceback" not in err
    assert "##########" in out and "█" not in out  # the progress bars in ASCII


def test_closed_stdout_still_writes_the_workbook(received, tmp_path):
    out = tmp_path / "区汇总.xlsx"
    proc = _cli("rollup", received, "--period", "2020Q4", "-o", out, shell_suffix=">&-")
    assert proc.returncode == 3, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "标准输出" in proc.stderr
    assert load_workbook(out).sheetnames


def test_full_device_and_broken_pipe_end_with_one_line(received):
    full = _cli("validate", received, "--format", "json", shell_suffix="> /dev/full")
    assert full.returncode == 3 and "Traceback" not in full.stderr
    assert len(full.stderr.strip().splitlines()) == 1
    piped = _cli("validate", received, shell_suffix="| true; exit ${PIPESTATUS[0]}")
    assert piped.returncode == 3 and "Traceback" not in piped.stderr
    assert "Exception ignored" not in piped.stderr


# --- 6. folders as people keep them ------------------------------------------------------


def test_lock_files_hidden_files_subfolders_and_own_workbooks(received, tmp_path):
    shutil.copy(received / "崇龛镇_2020Q4.xlsx", received / "~$崇龛镇_2020Q4.xlsx")
    shutil.copy(received / "崇龛镇_2020Q4.xlsx", received / ".崇龛镇_2020Q4.xlsx")
    (received / "第二批").mkdir()
    shutil.move(received / "梓潼街道_2020Q4.xlsx", received / "第二批" / "梓潼街道_2020Q4.xlsx")
    own = tmp_path / "区汇总.xlsx"
    first = _cli("rollup", received, "--period", "2020Q4", "-o", own)
    assert first.returncode == 1, first.stderr
    shutil.copy(own, received / "区汇总_上次.xlsx")
    proc = _cli(
        "rollup", received, received / "~$崇龛镇_2020Q4.xlsx", "--period", "2020Q4",
        "--format", "json",
    )  # fmt: skip
    import json

    doc = json.loads(proc.stdout)
    assert doc["towns"]["崇龛镇"]["status"] != "duplicate"
    assert doc["towns"]["梓潼街道"]["status"] == "valid"  # read from the subfolder
    skipped = {Path(s["file"]).name: s["reason"] for s in doc["skipped_files"]}
    assert "临时锁定文件" in skipped["~$崇龛镇_2020Q4.xlsx"]
    assert "隐藏文件" in skipped[".崇龛镇_2020Q4.xlsx"]
    assert "区汇总表" in skipped["区汇总_上次.xlsx"]
    assert all(Path(i["file"]).name != "区汇总_上次.xlsx" for i in doc["ignored_files"])


@pytest.mark.parametrize(
    "name, content",
    [
        ("towns.yaml", "a: " + "[" * 20000 + "]" * 20000),
        ("towns.json", '{"district": ' + "[" * 20000 + "]" * 20000 + "}"),
        ("towns.yml", "district: " + "- " * 20000 + "x"),
        ("big.json", None),  # 300 MB (sparse): too large to be reference data
    ],
)
def test_reference_too_deep_or_too_large_is_exit_2(tmp_path, name, content):
    ref = tmp_path / name
    if content is None:
        with open(ref, "wb") as fh:
            fh.truncate(300 << 20)
    else:
        ref.write_text(content)
    proc = _cli("validate", SAMPLES / "2020Q4" / "柏梓镇_2020Q4.xlsx", "--reference", ref)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "参考数据文件有误" in proc.stderr and name in proc.stderr


def test_output_error_carries_both_languages():
    err = OutputError("中文", "english")
    assert (err.zh, err.en, str(err)) == ("中文", "english", "english")


def test_sigterm_in_the_middle_of_a_write_removes_the_temporary_file(tmp_path):
    import signal

    target = tmp_path / "out.xlsx"
    code = (
        "import os, signal, time\n"
        "from pathlib import Path\n"
        "from shuangfu_cli.writing import stdout\n"
        "from shuangfu_cli.writing.guard import atomic_path\n"
        "from openpyxl.worksheet._writer import create_temporary_file\n"
        "stdout.prepare()\n"
        f"with atomic_path(Path({str(target)!r})) as tmp:\n"
        "    tmp.write_bytes(b'half')\n"
        "    create_temporary_file()  # a sheet openpyxl is writing into TMPDIR\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    time.sleep(10)\n"
    )
    env = {**os.environ, "TMPDIR": str(tmp_path)}  # the sheet is ours to remove too
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60, env=env)
    assert proc.returncode == -signal.SIGTERM
    assert proc.stderr == b""
    assert list(tmp_path.iterdir()) == []


def _no_room_runs(tmp_path: Path):
    """(how, folder, extra environment, limit on file sizes, outputs): the ways a write runs
    out of room — `ulimit -f` always, below a sheet (met by lxml) and between the largest sheet
    and the workbook (met by the zip); as root also a full temporary folder and a full output
    folder (small tmpfs mounts)."""
    out = tmp_path / "out"
    out.mkdir()
    both = [("-o", "区汇总.xlsx"), ("--bulletin", "通报.docx")]
    yield "ulimit -f 12", out, {}, 12 << 10, both
    yield "ulimit -f 32", out, {}, 32 << 10, both[:1]  # the rollup's sheets are 10-22 KB
    if os.geteuid() != 0:
        return
    for how, size in (("full TMPDIR", "64k"), ("full output folder", "16k")):
        mount = tmp_path / how.replace(" ", "_")
        mount.mkdir()
        if subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", mount]
        ).returncode:
            return
        try:
            if how == "full TMPDIR":  # room for tempfile's probe, not for a sheet (Word: none)
                (mount / "fill").write_bytes(b"\0" * (56 << 10))
                yield how, out, {"TMPDIR": str(mount)}, None, both[:1]
            else:
                yield how, mount, {}, None, both
        finally:
            subprocess.run(["umount", "-l", mount])


def test_an_output_with_no_room_is_one_line_exit_3_and_nothing_left(received, tmp_path):
    """A full disk, a full temporary folder (openpyxl writes each sheet there first, through
    lxml) or a file-size limit, met at a sheet or at the zip: one line naming the output, exit
    3, no partial or temporary file, nothing more on stderr (no "Exception ignored")."""
    import resource
    import signal

    for how, folder, extra, fsize, outputs in _no_room_runs(tmp_path):

        def limited(fsize=fsize):
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            if fsize is not None:
                resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

        for option, name in outputs:
            before = set(folder.iterdir())
            proc = subprocess.run(
                [sys.executable, "-m", "shuangfu_cli", "rollup", received, "--period", "2020Q4",
                 option, folder / name, "--format", "json"],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=300,
                env={**os.environ, **extra}, preexec_fn=limited,
            )  # fmt: skip
            assert proc.returncode == 3, (how, option, proc.stderr)
            assert proc.stderr.count("\n") == 1 and f"无法写入{folder / name}" in proc.stderr, how
            assert set(folder.iterdir()) == before, (how, option)
    assert _hashes(received) == _hashes(SAMPLES / "2020Q4")
