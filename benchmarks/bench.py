"""Benchmark: speed and memory of validation and the rollup, as ratios measured side by side in
one run (the machines are shared and noisy: a ratio of two things timed together holds, a
number of seconds does not). Prints figures; asserts nothing.

    python benchmarks/bench.py [--quick] [--cache DIR]

What it measures, each against a floor measured in the same run:

1. validate one return in-process, per format (.xlsx / .xls / .ods), against a bare
   python-calamine read of all the same file's sheets (the median of interleaved runs);
2. `shuangfu rollup` of 1,000 and 5,000 returns of synthetic towns, against one process that
   merely reads the same files with calamine; and the time per return at 5,000 against 1,000;
3. the peak memory of the whole run (the command and its workers, summed proportional set
   size, sampled every 20 ms) at 500 and 5,000 returns;
4. a cold `shuangfu validate one.xlsx` (a new process, as a user runs it);
5. an extrapolation of (2) and (3) to 40,000 returns (every township of the country);
6. a rollup with --previous, with the plausibility checks and without;
7. the peak memory (and time) of `rollup -o district.xlsx` against the same rollup without
   `-o`, at 200 and 2,000 returns, run alternately (the workbook is written streamed).

Synthetic towns are the 22 sample towns renamed (柏梓镇0001 ...) with the sample towns' villages;
their returns are made from the template and renamed in place. They are built once and cached
(default: benchmarks/.cache). The .xls and .ods copies need LibreOffice (soffice).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shuangfu_cli.check.one_return import validate_file  # noqa: E402
from shuangfu_cli.form.reference import load_reference, load_registry  # noqa: E402
from shuangfu_cli.writing.fill import fill_workbook  # noqa: E402
from shuangfu_cli.writing.template import write_template  # noqa: E402
from shuangfu_dev.samples import figures_for  # noqa: E402

PERIOD = "2020Q4"
PREVIOUS = "2020Q3"
SIZES = (500, 1000, 5000)
WORKBOOK_SIZES = (200, 2000)  # part 7: rollup -o against rollup without it
WITH_PREVIOUS = 1000  # part 6: a rollup with --previous, with and without plausibility checks


# --- building the inputs ---------------------------------------------------------------------


def _fingerprint() -> str:
    """Changes when the template, the samples or the reference change: the cache is rebuilt."""
    h = hashlib.sha256(b"bench 3")
    sources = sorted((ROOT / "shuangfu_cli" / "writing" / "template").glob("*.py"))
    sources += [ROOT / "shuangfu_dev" / "samples.py", ROOT / "shuangfu_cli" / "writing" / "fill.py"]
    for path in sources:
        h.update(path.read_bytes())
    h.update((ROOT / "towns.yaml").read_bytes())
    return h.hexdigest()[:12]


def _renamed(xlsx: bytes, old: str, new: str) -> bytes:
    """The .xlsx with every occurrence of a town's name replaced (cover, titles, villages)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.endswith(".xml"):
                data = data.replace(old.encode(), new.encode())
            zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def build(cache: Path) -> Path:
    """The cached inputs: base returns, their .xls/.ods copies, synthetic towns and returns."""
    folder = cache / _fingerprint()
    if (folder / "done").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "base").mkdir(parents=True)
    ref, reg = load_reference(), load_registry()
    print("building the benchmark's returns (once; cached in", folder, ")", file=sys.stderr)
    for town in ref.towns:
        blank = folder / "blank.xlsx"
        write_template(town, PERIOD, reg, blank, forms=ref.forms)
        figures, lists, cover = figures_for(town, PERIOD)
        fill_workbook(blank, folder / "base" / f"{town.name}.xlsx", figures, lists, cover)
        figures, lists, cover = figures_for(town, PREVIOUS)  # the quarter before, for part 6
        write_template(town, PREVIOUS, reg, blank, forms=ref.forms)
        fill_workbook(
            blank, folder / "base" / f"{town.name}_{PREVIOUS}.xlsx", figures, lists, cover
        )
    one = folder / "base" / f"{ref.towns[0].name}.xlsx"
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        for fmt in ("xlsx", "xls", "ods"):  # a return as a spreadsheet program saves it
            subprocess.run(
                [soffice, f"-env:UserInstallation=file://{folder}/lo-profile", "--headless",
                 "--convert-to", fmt, "--outdir", str(folder / "formats"), str(one)],
                capture_output=True, check=False, timeout=300,
            )  # fmt: skip
    # synthetic towns: town i is sample town i % 22, renamed
    base = {t.name: (folder / "base" / f"{t.name}.xlsx").read_bytes() for t in ref.towns}
    data = yaml.safe_load((ROOT / "towns.yaml").read_text(encoding="utf-8"))
    by_name = {t["name"]: t for t in data["towns"]}
    (folder / "returns").mkdir()
    towns = []
    for i in range(max(SIZES)):
        src = ref.towns[i % len(ref.towns)].name
        name = f"{src}{i:05d}"
        entry = dict(by_name[src], name=name)
        entry["villages"] = [
            dict(v, name=v["name"].replace(src, name)) for v in by_name[src]["villages"]
        ]
        towns.append(entry)
        (folder / "returns" / f"{name}_{PERIOD}.xlsx").write_bytes(_renamed(base[src], src, name))
    for n in SIZES:  # JSON: the reference format for thousands of towns (see the README)
        sub = dict(data, towns=towns[:n], note="synthetic towns for the benchmark")
        with open(folder / f"towns_{n}.json", "w", encoding="utf-8") as fh:
            json.dump(sub, fh, ensure_ascii=False)
        (folder / f"returns_{n}").mkdir()
        for t in towns[:n]:
            os.link(folder / "returns" / f"{t['name']}_{PERIOD}.xlsx",
                    folder / f"returns_{n}" / f"{t['name']}_{PERIOD}.xlsx")  # fmt: skip
    (folder / f"previous_{WITH_PREVIOUS}").mkdir()
    for t, i in zip(towns[:WITH_PREVIOUS], range(WITH_PREVIOUS), strict=True):
        src = ref.towns[i % len(ref.towns)].name
        data_prev = (folder / "base" / f"{src}_{PREVIOUS}.xlsx").read_bytes()
        out = folder / f"previous_{WITH_PREVIOUS}" / f"{t['name']}_{PREVIOUS}.xlsx"
        out.write_bytes(_renamed(data_prev, src, t["name"]))
    # the same reference with the plausibility checks switched off (part 6's yardstick)
    sub = dict(data, towns=towns[:WITH_PREVIOUS], plausibility={"enabled": False})
    with open(folder / f"towns_{WITH_PREVIOUS}_unchecked.json", "w", encoding="utf-8") as fh:
        json.dump(sub, fh, ensure_ascii=False)
    (folder / "done").write_text("ok")
    return folder


# --- measuring -------------------------------------------------------------------------------


def bare_read(path: Path) -> None:
    from python_calamine import CalamineWorkbook

    with open(path, "rb") as fh:
        wb = CalamineWorkbook.from_filelike(fh)
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python(skip_empty_area=False)


def interleaved(a, b, rounds: int) -> tuple[float, float]:
    """Median seconds of a() and b(), run alternately so that both see the same machine."""
    a(), b()
    ta, tb = [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        a()
        ta.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        b()
        tb.append(time.perf_counter() - t0)
    return statistics.median(ta), statistics.median(tb)


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            pass
    return out


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_measured(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak memory (MiB, summed PSS of the process and its workers)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, sum(_pss_kib(p) for p in _tree(proc.pid)))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    proc.wait()
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    return wall, peak / 1024


def read_only_floor(files: list[Path]) -> float:
    """One process that only reads the files with calamine (a new process, like the rollup)."""
    code = (
        "import sys,time\n"
        "from python_calamine import CalamineWorkbook\n"
        "for p in sys.argv[1:]:\n"
        "    with open(p,'rb') as fh:\n"
        "        wb=CalamineWorkbook.from_filelike(fh)\n"
        "        [wb.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wb.sheet_names]\n"
    )
    listing = [str(f) for f in files]
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *listing], check=True)
    return time.perf_counter() - t0


def rollup_cmd(folder: Path, n: int) -> list[str]:
    return [
        sys.executable, "-m", "shuangfu_cli", "rollup", str(folder / f"returns_{n}"),
        "--period", PERIOD, "--reference", str(folder / f"towns_{n}.json"), "--format", "json",
    ]  # fmt: skip


def part_six(folder: Path, quick: bool) -> None:
    """The plausibility checks' cost: the same rollup with --previous, with the checks and with
    them switched off in the reference (plausibility.enabled: false), run alternately."""
    print()
    n = WITH_PREVIOUS
    checked = rollup_cmd(folder, n) + ["--previous", str(folder / f"previous_{n}")]
    checks_on, checks_off = (str(folder / f"towns_{n}{x}.json") for x in ("", "_unchecked"))
    unchecked = [checks_off if a == checks_on else a for a in checked]
    import resource

    wall: dict[str, list[float]] = {"with": [], "without": []}
    cpu: dict[str, list[float]] = {"with": [], "without": []}
    for _ in range(2 if quick else 5):
        for key, cmd in (("with", checked), ("without", unchecked)):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            wall[key].append(run_measured(cmd)[0])
            after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the command and its workers
            cpu[key].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    a, b = statistics.median(wall["with"]), statistics.median(wall["without"])
    ca, cb = statistics.median(cpu["with"]), statistics.median(cpu["without"])
    print(
        f"6. rollup of {n:,} returns with --previous, with the plausibility checks / without:\n"
        f"   wall {a:5.2f} s / {b:5.2f} s = {a / b:4.2f}x; CPU time (the command and its workers, "
        f"steadier on a shared machine) {ca:5.2f} s / {cb:5.2f} s = {ca / cb:4.2f}x"
        f"   (target <= 1.1x)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", type=Path, default=ROOT / "benchmarks" / ".cache")
    ap.add_argument("--quick", action="store_true", help="fewer rounds (a rough look)")
    ap.add_argument(
        "--only", default="1,2,3,4,5,6,7", help="the parts to run, e.g. 1,4 (5 needs 2 and 3)"
    )
    args = ap.parse_args()
    parts = set(args.only.split(","))
    folder = build(args.cache)
    rounds = 40 if args.quick else 200
    ref, reg = load_reference(), load_registry()
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{time.strftime('%Y-%m-%d')}, {cpus} CPUs, Python {sys.version.split()[0]}")
    if "1" in parts:
        part_one(folder, ref, reg, rounds)
    if parts & {"2", "3", "5"}:
        measured = part_two_three(folder)
    if "4" in parts:
        part_four(folder, ref, args.quick)
    if "5" in parts:
        part_five(measured)
    if "6" in parts:
        part_six(folder, args.quick)
    if "7" in parts:
        part_seven(folder, args.quick)


def subset(folder: Path, n: int) -> None:
    """returns_N and towns_N.json for a size the cache was not built with: the first N of the
    synthetic towns (hard links to their returns)."""
    if (folder / f"towns_{n}.json").exists():
        return
    data = json.loads((folder / f"towns_{max(SIZES)}.json").read_text(encoding="utf-8"))
    towns = data["towns"][:n]
    (folder / f"returns_{n}").mkdir(exist_ok=True)
    for t in towns:
        target = folder / f"returns_{n}" / f"{t['name']}_{PERIOD}.xlsx"
        if not target.exists():
            os.link(folder / "returns" / f"{t['name']}_{PERIOD}.xlsx", target)
    with open(folder / f"towns_{n}.json", "w", encoding="utf-8") as fh:
        json.dump(dict(data, towns=towns), fh, ensure_ascii=False)


def part_seven(folder: Path, quick: bool) -> None:
    """The district workbook's cost: the same rollup with `-o district.xlsx` and without, run
    alternately; peak memory (summed PSS) and wall time, the median of the rounds."""
    print()
    print("7. rollup with -o district.xlsx / the same rollup without -o")
    out = folder / "district.xlsx"
    for n in WORKBOOK_SIZES:
        subset(folder, n)
        bare = rollup_cmd(folder, n)
        commands = {"with": bare + ["-o", str(out)], "without": bare}
        runs: dict[str, list[tuple[float, float]]] = {"with": [], "without": []}
        for _ in range(2 if quick else 3):
            for key, cmd in commands.items():
                runs[key].append(run_measured(cmd))
        (wa, ma), (wb, mb) = (
            (statistics.median(w for w, _ in runs[k]), statistics.median(m for _, m in runs[k]))
            for k in ("with", "without")
        )
        print(
            f"   {n:>5} returns: peak memory {ma:6.1f} MiB / {mb:6.1f} MiB = {ma / mb:4.2f}x"
            f"   (target <= 1.2x); wall {wa:5.2f} s / {wb:5.2f} s = {wa / wb:4.2f}x"
        )
    out.unlink(missing_ok=True)


def part_one(folder: Path, ref, reg, rounds: int) -> None:
    print()
    print("1. validate one return in-process / bare python-calamine read of its sheets")
    formats = folder / "formats"
    for fmt, target in (("xlsx", 2.0), ("xls", 3.0), ("ods", 2.0)):
        path = formats / f"{ref.towns[0].name}.{fmt}"
        if not path.exists():
            print(f"   .{fmt}: no LibreOffice to make one, skipped")
            continue

        def check(path=path):
            validate_file(path, registry=reg, reference=ref)

        ours, floor = interleaved(check, lambda path=path: bare_read(path), rounds)
        print(
            f"   .{fmt}: {ours * 1000:6.2f} ms / {floor * 1000:5.2f} ms = "
            f"{ours / floor:4.2f}x   (target <= {target}x)"
        )


def part_two_three(folder: Path) -> dict:
    print()
    print("2-3. rollup (the real command, its workers included) / a read-only process")
    measured = {}
    over_floor = {}
    for n in SIZES:
        wall, peak = run_measured(rollup_cmd(folder, n))
        measured[n] = (wall, peak)
        if n in (1000, 5000):  # the floor right after its rollup: the same minute's machine
            floor = read_only_floor(sorted((folder / f"returns_{n}").glob("*.xlsx")))
            over_floor[n] = wall / floor
            print(
                f"   {n:>5} returns: {wall:6.2f} s / {floor:6.2f} s = {wall / floor:4.2f}x"
                f"   ({wall / n * 1000:.2f} ms per return)"
            )
    per_1k, per_5k = measured[1000][0] / 1000, measured[5000][0] / 5000
    print(f"   time per return at 5,000 / at 1,000: {per_5k / per_1k:4.2f}   (target <= 1)")
    # the two rollups run a minute apart and the machine's load can change in between: each
    # over its own floor is the steadier figure
    print(f"   … each over its read-only floor: {over_floor[5000] / over_floor[1000]:4.2f}")
    (_, m500), (_, m5k) = measured[500], measured[5000]
    print(
        f"   peak memory: {m500:6.1f} MiB at 500, {m5k:6.1f} MiB at 5,000 = "
        f"{m5k / m500:4.2f}x   (target <= 1.5x)"
    )

    return measured


_STACK = (
    "import typer, rich.console, python_calamine\n"
    "from pydantic import BaseModel\n"
    "class M(BaseModel):\n    x: int\n"
)


def part_four(folder: Path, ref, quick: bool) -> None:
    print()
    one = folder / "base" / f"{ref.towns[0].name}.xlsx"
    # as installed: pip compiles the package's bytecode (PYTHONDONTWRITEBYTECODE may be set here)
    import compileall

    for package in ("shuangfu_cli", "schemas"):
        compileall.compile_dir(ROOT / package, quiet=2)
    env = dict(os.environ, SHUANGFU_CACHE_DIR=str(folder / "refcache"))
    commands = {
        "ours": [sys.executable, "-m", "shuangfu_cli", "validate", str(one)],
        # pydantic's top level is lazy: BaseModel is what brings in its machinery
        "stack": [sys.executable, "-c", _STACK],
        "python": [sys.executable, "-c", "pass"],
    }
    colds: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(7 if quick else 15):
        for key, command in commands.items():  # side by side, round after round
            t0 = time.perf_counter()
            subprocess.run(command, capture_output=True, check=False, env=env)
            colds[key].append(time.perf_counter() - t0)
    cold, stack, bare = (statistics.median(colds[k]) for k in commands)
    print(f"4. cold `shuangfu validate one.xlsx`: {cold:5.3f} s (median)   (target <= 0.25 s)")
    print(f"   beside it: python alone {bare:5.3f} s; importing typer, rich, python-calamine and "
          f"pydantic (one model) alone {stack:5.3f} s ({cold / stack:4.2f}x)")  # fmt: skip


def part_five(measured: dict) -> None:
    (_, m500), (_, m5k) = measured[500], measured[5000]
    per_5k = measured[5000][0] / 5000
    per_return_mib = (m5k - m500) / (5000 - 500)
    t40k = per_5k * 40_000
    m40k = m5k + per_return_mib * 35_000
    print()
    print(
        f"5. 40,000 returns, extrapolated: {t40k / 60:4.1f} min, {m40k:6.0f} MiB"
        f"   ({per_return_mib * 1024:.1f} KiB per return; target <= 5 min, <= 1 GB)"
    )


if __name__ == "__main__":
    main()
