"""The self-checking template measured (issue 26): its size and LibreOffice's time to open and
recalculate it beside the template of another commit (side by side, alternating, in one
soffice), the share of the figure rule codes compiled, the agreement between the workbook's
own verdict and validate's on the samples, the clerk cases and the seeded mistakes, and the
share of erroneous returns the workbook flags before it is sent.

    python benchmarks/selfcheck.py [--base COMMIT] [--reps N]

Needs LibreOffice and python3-uno (the system python3), as the LibreOffice tests do.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

BASE = "99c3eab"  # the commit issue 26 started from
TOWN, PERIOD = "柏梓镇", "2020Q3"

OPEN_SCRIPT = r"""
import json, sys, time, os
sys.path.insert(0, sys.argv[1])
from lo_type import _connect, stop, _prop
import uno
profile, reps, files = sys.argv[2], int(sys.argv[3]), sys.argv[4:]
proc, desktop = _connect(profile)
took = {f: [] for f in files}
try:
    for f in files:  # once each first: LibreOffice warms up
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(f), "_blank", 0, (_prop("Hidden", True),))
        doc.close(True)
    for _ in range(reps):
        for f in files:  # side by side, alternating
            t = time.perf_counter()
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(f), "_blank", 0, (_prop("Hidden", True),))
            doc.calculateAll()
            took[f].append(time.perf_counter() - t)
            doc.close(True)
finally:
    stop(proc, desktop)
print(json.dumps(took))
"""


def base_template(commit: str, out: Path) -> Path:
    """The template `commit` writes, made by that commit's own code."""
    src = out / f"src-{commit}"
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(src, filter="data")
    path = out / f"template-{commit}.xlsx"
    code = (
        "from pathlib import Path\n"
        "from shuangfu_cli.form.reference import load_reference, load_registry\n"
        "from shuangfu_cli.writing.template import write_template\n"
        "ref = load_reference(); reg = load_registry()\n"
        f"write_template(ref.town({TOWN!r}), {PERIOD!r}, reg, Path({str(path)!r}), forms=ref.forms)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=src, env={"PYTHONPATH": str(src)})
    return path


def open_times(files: list[Path], reps: int, profile: Path) -> dict[str, list[float]]:
    done = subprocess.run(
        ["/usr/bin/python3", "-c", OPEN_SCRIPT, str(ROOT / "tests"), str(profile), str(reps)]
        + [str(f) for f in files],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default=BASE)
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="soffice sessions, each timing every file --reps times",
    )
    args = parser.parse_args()

    from selfcheck_cases import CLERK, SEEDED

    from shuangfu_cli.form.reference import load_reference, load_registry
    from shuangfu_cli.rules.sheet_forms import compiled_codes, figure_codes
    from shuangfu_cli.writing.template import write_template
    from shuangfu_dev.selfcheck import (
        Job,
        agreement,
        case_jobs,
        make_samples,
        run_in_libreoffice,
        validate_verdict,
        workbook_verdict,
    )

    tmp = Path(tempfile.mkdtemp(prefix="selfcheck-bench-"))
    ref, registry = load_reference(), load_registry()
    town = ref.town(TOWN)
    assert town is not None
    new = tmp / "template-selfcheck.xlsx"
    write_template(town, PERIOD, registry, new, forms=ref.forms)
    # made with --previous: last quarter's figures in hidden columns of 自查, and their checks
    from shuangfu_cli.writing.template.selfcheck import LastQuarter
    from shuangfu_dev.samples import figures_for

    last = LastQuarter("2020Q2", "last.xlsx", figures_for(town, "2020Q2")[0], 5)
    with_prev = tmp / "template-selfcheck-previous.xlsx"
    write_template(town, PERIOD, registry, with_prev, forms=ref.forms, last=last)
    old = base_template(args.base, tmp)
    print(
        f"template ({TOWN} {PERIOD}): {old.stat().st_size:,} bytes at {args.base}, "
        f"{new.stat().st_size:,} bytes now ({new.stat().st_size / old.stat().st_size:.1f}x)"
    )
    # the machine is shared: a round's ratio moves by a tenth from one round to the next
    ratios, prev_ratios = [], []
    for i in range(args.rounds):
        took = open_times([old, new, with_prev], args.reps, tmp / f"profile-open-{i}")
        t_old, t_new, t_prev = (statistics.median(took[str(p)]) for p in (old, new, with_prev))
        ratios.append(t_new / t_old)
        prev_ratios.append(t_prev / t_old)
        print(
            f"LibreOffice open + recalculate, round {i + 1}, median of {args.reps} side by side: "
            f"{t_old:.3f} s at {args.base}, {t_new:.3f} s now: {t_new / t_old:.2f}x; "
            f"made with --previous {t_prev:.3f} s: {t_prev / t_old:.2f}x"
        )
    print(
        f"open + recalculate, median of the {args.rounds} rounds: "
        f"{statistics.median(ratios):.2f}x (target <= 1.5x; rounds {min(ratios):.2f}-"
        f"{max(ratios):.2f}), made with --previous {statistics.median(prev_ratios):.2f}x"
    )

    codes = figure_codes()
    compiled = [c for c in codes if c in compiled_codes()]
    print(
        f"figure rule codes compiled: {len(compiled)} of {len(codes)} "
        f"({100 * len(compiled) / len(codes):.0f}%, target >= 80%)"
    )

    samples = make_samples(tmp / "samples", with_previous=True)
    jobs = [Job(p.stem, p, [], p.with_name(p.stem + ".lo"), ("xlsx",), q) for p, q in samples]
    cases = case_jobs(SEEDED + CLERK, tmp / "cases")
    run_in_libreoffice(jobs + cases, tmp / "profile")
    both = either = clean_marked = clean = 0
    flagged = erroneous = 0
    seeded = {c.name for c in SEEDED}
    seeded_flagged = 0
    for job in jobs + cases:
        for path in job.outputs().values():
            mine, tools = workbook_verdict(path), validate_verdict(path, job.previous)
            b, e = agreement(mine, tools)
            both, either = both + b, either + e
            from shuangfu_cli.check.one_return import validate_file

            prev = validate_file(job.previous) if job.previous else None
            report = validate_file(path, previous=prev)
            if not report.findings:
                clean += 1
                clean_marked += bool(mine.marks)
            else:
                erroneous += 1
                flagged += bool(mine.marks)
                if job.name in seeded:
                    seeded_flagged += bool(mine.marks)
    print(
        f"agreement (code, sheet, cell, state) on {len(jobs)} samples and {len(cases)} clerk "
        f"cases and seeded mistakes: {both} of {either} marks "
        f"({100 * both / max(either, 1):.1f}%, target >= 95%); "
        f"clean returns marked: {clean_marked} of {clean}"
    )
    n_seeded = sum(len(j.formats) for j in cases if j.name in seeded)
    print(
        f"erroneous returns the workbook flags before it is sent: {flagged} of {erroneous} "
        f"({100 * flagged / max(erroneous, 1):.0f}%); seeded mistakes: {seeded_flagged} of "
        f"{n_seeded}"
    )


if __name__ == "__main__":
    main()
