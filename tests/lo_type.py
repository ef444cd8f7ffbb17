"""Type into a workbook's cells with LibreOffice Calc, as a clerk does, and save it.

Run with the system Python that has LibreOffice's bridge (python3-uno), not the project's:

    /usr/bin/python3 tests/lo_type.py PROFILE_DIR IN_FILE OUT_STEM EDITS_JSON FMT [FMT ...]

EDITS_JSON is a list of [sheet name, cell (A1 or "LAST" for the sheet's last cell), text]; each
text goes into its cell the way typing does (a leading apostrophe keeps a number as text);
[sheet, "ROWS+12", "1"] inserts one row before
row 12 (formulas and names follow, as in Calc's Insert > Rows) (``=1/0`` becomes a formula, ``510102199001011234``
a number); [sheet, "MOVE", "0"] moves a sheet to the front and [name, "NEW", "END"] inserts a new
empty sheet after the last (edits apply in order). FMT is xlsx, xls or ods; OUT_STEM.FMT is written for each, with the password in
LO_TYPE_PASSWORD if it is set. A new LibreOffice profile
makes soffice exit with code 81 on its first start: it is started again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid

import uno
from com.sun.star.beans import PropertyValue

FILTERS = {"xlsx": "Calc Office Open XML", "xls": "MS Excel 97", "ods": "calc8"}


def _prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _start(profile: str, pipe: str) -> subprocess.Popen:
    cmd = [
        "soffice",
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--invisible",
        "--norestore",
        "--nologo",
        f"--accept=pipe,name={pipe};urp;",
    ]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _connect(profile: str):
    pipe = f"shuangfu_{uuid.uuid4().hex}"
    proc = _start(profile, pipe)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:  # exit 81 on a new profile's first start: start again
            proc = _start(profile, pipe)
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            smgr = ctx.ServiceManager
            return proc, smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except Exception:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("LibreOffice did not start")


def type_and_save(desktop, src: str, edits: list, out_stem: str, formats: list[str]) -> None:
    """Open `src`, apply `edits`, recalculate and save as each format."""
    url = uno.systemPathToFileUrl(os.path.abspath(src))
    doc = desktop.loadComponentFromURL(url, "_blank", 0, (_prop("Hidden", True),))
    try:
        sheets = doc.getSheets()
        for sheet_name, ref, text in edits:
            if ref == "MOVE":  # drag the sheet's tab to position `text` (0: the first)
                sheets.moveByName(sheet_name, int(text))
                continue
            if ref == "NEW":  # Sheet > Insert Sheet, at position `text` ("END": after the last)
                sheets.insertNewByName(sheet_name, sheets.Count if text == "END" else int(text))
                continue
            sheet = sheets.getByName(sheet_name)
            if sheet.isProtected():
                sheet.unprotect("")
            if ref.startswith("ROWS+"):  # insert `text` rows before row N, as Insert > Rows does
                sheet.getRows().insertByIndex(int(ref[5:]) - 1, int(text))
                continue
            if ref == "LAST":
                col, row = sheet.Columns.Count - 1, sheet.Rows.Count - 1
                cell = sheet.getCellByPosition(col, row)
            else:
                cell = sheet.getCellRangeByName(ref)
            if text.startswith("'"):  # typed with an apostrophe: Calc keeps the rest as text
                cell.setString(text[1:])
            else:
                cell.setFormula(text)
        doc.calculateAll()
        password = os.environ.get("LO_TYPE_PASSWORD")  # "Save with password", as a clerk does
        for fmt in formats:
            target = uno.systemPathToFileUrl(os.path.abspath(f"{out_stem}.{fmt}"))
            props = [_prop("FilterName", FILTERS[fmt])]
            if password:
                props.append(_prop("Password", password))
            doc.storeToURL(target, tuple(props))
    finally:
        doc.close(True)


def stop(proc, desktop) -> None:
    try:
        desktop.terminate()
    except Exception:
        pass
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def main() -> None:
    profile, src, out_stem, edits_json, *formats = sys.argv[1:]
    edits = json.loads(open(edits_json, encoding="utf-8").read())
    proc, desktop = _connect(profile)
    try:
        type_and_save(desktop, src, edits, out_stem, formats)
    finally:
        stop(proc, desktop)


if __name__ == "__main__":
    main()
